"""The standards' extras (issue 16, second part): "has rules" computed from a rules document
attached to the unit, the per-township summary of a county and its export, the home page's
reminder, the new year's defaults button — each against data built to meet and to miss it,
with query counts that do not grow with the units."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from audit.models import AuditLog
from core.actors import SYSTEM
from ledgers.models import Attachment
from ledgers.tests.files import jpeg_bytes, upload_of
from standards import indicators, services, sites_selectors, sites_services
from standards.models import RulesDocument, Standard
from standards.tests.factories import defaults, profile
from standards.tests.sites_factories import YEAR, plaque_only, rules_document, villages

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _queries(function):
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


# ---- has rules 有制度 ---------------------------------------------------------------------------

def test_has_rules_is_met_by_a_rules_document_of_the_year_with_its_file_as_evidence(tree):
    document = rules_document(tree.village)
    rules_document(tree.other_village, year=YEAR - 1, adopted_on=TODAY.replace(month=1, day=1)
                   .replace(year=YEAR - 1))
    found = indicators.evaluate("rules_attached", [tree.village, tree.other_village,
                                                   tree.community], YEAR)
    attachment = Attachment.objects.get(owner_id=document.pk)
    assert found[tree.village.pk].met
    assert found[tree.village.pk].url == reverse("ledgers:attachment_file",
                                                 args=[attachment.pk])
    assert not found[tree.other_village.pk].met  # last year's rules
    assert not found[tree.community.pk].met
    assert found[tree.community.pk].url.startswith(
        reverse("standards:rules_add", args=[tree.community.pk]))


def test_a_rules_document_needs_its_file_a_title_and_a_day(tree):
    with pytest.raises(ValidationError) as error:
        sites_services.rules_document_add(actor=SYSTEM, unit=tree.village, year=YEAR,
                                          title=" ", adopted_on=None, files=[])
    assert set(error.value.message_dict) == {"title", "adopted_on", "attachments"}
    assert not RulesDocument.objects.exists()
    with pytest.raises(PermissionDenied):
        rules_document_as(tree.other_officer, tree.village)


def rules_document_as(actor, unit):
    from ledgers import services as ledger_services

    clean = ledger_services.read_upload(upload_of(jpeg_bytes(), "r.jpg"))
    return sites_services.rules_document_add(actor=actor, unit=unit, year=YEAR, title="制度",
                                             adopted_on=TODAY, files=[(clean, "r.jpg")])


def test_has_rules_is_evaluated_in_the_same_queries_for_n_and_3n_units(tree):
    few = villages(tree.other_township, 3)
    for v in few:
        rules_document(v)
    small = _queries(lambda: indicators.evaluate("rules_attached", few, YEAR))
    more = villages(tree.other_township, 6, start=3)
    for v in more:
        rules_document(v)
    everyone = few + more
    assert _queries(lambda: indicators.evaluate("rules_attached", everyone, YEAR)) == small
    assert all(e.met for e in indicators.evaluate("rules_attached", everyone, YEAR).values())


def test_a_standard_item_computed_from_the_rules_document(tree, client_for):
    national = defaults()
    copy = services.standard_copy(actor=SYSTEM, standard=national["liuyou"], year=YEAR,
                                  region=tree.county)
    for item in copy.items.all():
        services.item_remove(actor=SYSTEM, item=item)
    services.item_add(actor=SYSTEM, standard=copy, text="有工作制度（上传制度文件）",
                      kind="computed", indicator="rules_attached")
    services.standard_publish(actor=SYSTEM, standard=copy)
    document = rules_document(tree.village)
    attachment = Attachment.objects.get(owner_id=document.pk)
    client = client_for(tree.county_admin)
    met = client.get(reverse("standards:unit", args=[tree.village.pk])).content.decode()
    assert reverse("ledgers:attachment_file", args=[attachment.pk]) in met
    assert client.get(reverse("ledgers:attachment_file", args=[attachment.pk])) \
        .status_code == 200
    summary = sites_selectors.township_summary(user=tree.county_admin, county=tree.county,
                                               year=YEAR)
    cell = next(r for r in summary.rows if r.township == tree.township).of("liuyou")
    assert (cell.total, cell.attained) == (2, 1)
    assert cell.missing_items[0].units == [tree.community]


def test_attaching_the_rules_by_the_form(tree, client_for):
    client = client_for(tree.village_officer)
    url = reverse("standards:rules_add", args=[tree.community.pk]) + f"?year={YEAR}"
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "社区残协工作制度", "adopted_on": TODAY.isoformat(),
                                 "note": "", "form_token": "tok-r",
                                 "attachments": [upload_of(jpeg_bytes(), "zd.jpg",
                                                           "image/jpeg")]})
    assert response.status_code == 302
    document = RulesDocument.objects.get(unit=tree.community)
    assert indicators.evaluate("rules_attached", [tree.community], YEAR)[
        tree.community.pk].met
    detail = client.get(document.get_absolute_url()).content.decode()
    assert "zd.jpg" in detail
    missing = client.post(url, {"title": "制度", "adopted_on": TODAY.isoformat(),
                                "form_token": "tok-r2"})
    assert missing.status_code == 200 and RulesDocument.objects.count() == 1


# ---- the per-township summary -------------------------------------------------------------------

def test_the_township_summary_gives_each_townships_rate_and_missing_items(tree):
    plaque_only(tree)
    profile(tree.village, has_plaque=True)
    villages(tree.other_township, 3, plaque_every=1)  # all with a plaque
    summary = sites_selectors.township_summary(user=tree.county_admin, county=tree.county,
                                               year=YEAR)
    rows = {row.township.pk: row for row in summary.rows}
    mine = rows[tree.township.pk].of("liuyou")
    assert (mine.total, mine.attained, mine.percent) == (2, 1, 50)
    [missing] = mine.missing_items
    assert missing.text == "有牌子（残协挂牌）" and missing.units == [tree.community]
    other = rows[tree.other_township.pk].of("liuyou")
    assert (other.total, other.attained) == (4, 3)  # 红堡子村 has no plaque
    assert rows[tree.township.pk].of("jiuyou").total == 1  # the township itself
    assert [code for code, _name in summary.codes] == ["jiuyou", "liuyou"]


def test_the_township_summary_page_links_the_units_and_exports(tree, client_for):
    plaque_only(tree)
    client = client_for(tree.county_admin)
    url = reverse("standards:township_summary", args=[tree.county.pk])
    page = client.get(url).content.decode()
    assert "会师镇" in page and "郭城驿镇" in page
    assert reverse("standards:unit", args=[tree.community.pk]) + f"?year={YEAR}" in page
    response = client.get(url + f"?year={YEAR}&export=xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    line = next(r for r in rows if r[0] == "会师镇" and r[2] == "六有")
    assert line[3] == 2 and line[4] == 0 and line[5] == 0
    assert line[6] == "有牌子（残协挂牌）" and line[7] == 2
    assert set(line[8].split("、")) == {"东山根社区居民委员会", "高家庄村民委员会"}
    assert AuditLog.objects.filter(action="export").exists()


def test_the_township_summary_takes_the_same_queries_for_n_and_3n_units(tree, client_for):
    plaque_only(tree)
    client = client_for(tree.county_admin)
    url = reverse("standards:township_summary", args=[tree.county.pk])
    villages(tree.other_township, 3)
    client.get(url)
    small = _queries(lambda: client.get(url))
    villages(tree.other_township, 6, start=3)
    assert _queries(lambda: client.get(url)) == small


# ---- the home page's reminder -------------------------------------------------------------------

def test_a_village_officers_home_page_says_how_many_items_are_not_met(tree, client_for):
    plaque_only(tree)
    client = client_for(tree.village_officer)  # 东山根社区, no plaque
    page = client.get(reverse("home")).content.decode()
    link = reverse("standards:unit", args=[tree.community.pk]) + f"?year={YEAR}"
    assert link in page
    reminder = sites_selectors.standards_reminder(unit=tree.community, year=YEAR)
    assert (reminder.missing, reminder.total) == (1, 1)
    profile(tree.community, has_plaque=True)
    reminder = sites_selectors.standards_reminder(unit=tree.community, year=YEAR)
    assert (reminder.missing, reminder.total) == (0, 1)
    assert sites_selectors.standards_reminder(unit=tree.county, year=YEAR) is None


def test_the_reminder_on_a_township_home_page_takes_constant_queries(tree, client_for):
    defaults()
    client = client_for(tree.township_officer)
    villages(tree.township, 2)
    client.get(reverse("home"))
    small = _queries(lambda: client.get(reverse("home")))
    villages(tree.township, 6, start=2)
    page = client.get(reverse("home")).content.decode()
    assert _queries(lambda: client.get(reverse("home"))) == small
    reminder = sites_selectors.standards_reminder(unit=tree.township, year=YEAR)
    assert reminder.total == 9 and reminder.missing > 0
    assert reverse("standards:unit", args=[tree.township.pk]) in page


# ---- the new year's defaults button -------------------------------------------------------------

def test_the_new_years_defaults_button_writes_them_once_and_is_audited(tree, client_for):
    admin = UserFactory(username="t_province", unit=tree.province, role=Role.ADMIN)
    client = client_for(admin)
    url = reverse("standards:defaults_new_year")
    list_page = client.get(reverse("standards:standard_list")).content.decode()
    assert url in list_page
    confirm = client.get(url).content.decode()
    assert 'method="post"' in confirm and str(YEAR + 1) in confirm
    assert not Standard.objects.filter(year=YEAR + 1).exists()
    assert client.post(url).status_code == 302
    made = Standard.objects.filter(year=YEAR + 1, region=None)
    assert made.count() == 3 and all(s.items.exists() for s in made)
    assert client.post(url).status_code == 302  # idempotent
    assert Standard.objects.filter(year=YEAR + 1).count() == 3
    presses = AuditLog.objects.filter(detail__defaults_year=YEAR + 1)
    assert presses.count() == 2 and presses.first().actor == admin


def test_a_county_administrator_cannot_write_the_national_defaults(tree, client_for):
    client = client_for(tree.county_admin)
    url = reverse("standards:defaults_new_year")
    main = client.get(url).content.decode().split("<main", 1)[1].split("</main>")[0]
    assert "<form" not in main
    assert client.post(url).status_code == 403
    assert not Standard.objects.filter(year=YEAR + 1).exists()
    with pytest.raises(PermissionDenied):
        sites_services.defaults_new_year(actor=tree.county_admin, year=YEAR + 1)
