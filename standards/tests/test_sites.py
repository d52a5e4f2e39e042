"""The demonstration sites 示范点: the rules, the services (designate, withdraw, targets),
progress against the targets, the candidates from the standards (queries that do not grow
with the units) and the pages, in scope and out of it."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditLog
from core.actors import SYSTEM
from orgs import services as org_services
from orgs.models import Level
from standards import sites_rules, sites_selectors, sites_services
from standards.choices import SiteKind
from standards.demo import load_sites_demo
from standards.models import DemoSite, DemoSiteTarget
from standards.tests.factories import profile
from standards.tests.sites_factories import YEAR, designate, plaque_only, villages

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


# ---- rules ----------------------------------------------------------------------------------

def test_what_a_unit_is_designated_as_follows_from_its_level_and_kind():
    assert sites_rules.site_kind(Level.TOWNSHIP, "town") == SiteKind.TOWNSHIP
    assert sites_rules.site_kind(Level.VILLAGE, "community") == SiteKind.COMMUNITY
    assert sites_rules.site_kind(Level.VILLAGE, "village") == SiteKind.VILLAGE
    assert sites_rules.site_kind(Level.COUNTY, "") is None
    assert sites_rules.site_kind(Level.GRID, "") is None


def test_the_designation_rules_name_each_problem():
    ok = dict(in_county=True, kind=SiteKind.VILLAGE, year=YEAR, designated_on=TODAY,
              document_number="会残联发〔2026〕8号", today=TODAY, already=False)
    assert sites_rules.designate_problems(**ok) == {}
    assert set(sites_rules.designate_problems(**{**ok, "in_county": False})) == {"unit"}
    assert set(sites_rules.designate_problems(**{**ok, "kind": None})) == {"unit"}
    assert str(YEAR) in sites_rules.designate_problems(**{**ok, "already": True})["unit"]
    future = {**ok, "designated_on": TODAY + dt.timedelta(days=1)}
    assert set(sites_rules.designate_problems(**future)) == {"designated_on"}
    assert set(sites_rules.designate_problems(**{**ok, "document_number": " "})) \
        == {"document_number"}
    assert set(sites_rules.designate_problems(**{**ok, "year": 1999})) == {"year"}


def test_the_withdrawal_rules():
    day = TODAY - dt.timedelta(days=3)
    assert sites_rules.withdraw_problems(withdrawn=False, designated_on=day,
                                         withdrawn_on=TODAY, today=TODAY) == {}
    for kwargs in ({"withdrawn": True, "withdrawn_on": TODAY},
                   {"withdrawn": False, "withdrawn_on": None},
                   {"withdrawn": False, "withdrawn_on": day - dt.timedelta(days=1)},
                   {"withdrawn": False, "withdrawn_on": TODAY + dt.timedelta(days=1)}):
        assert set(sites_rules.withdraw_problems(designated_on=day, today=TODAY, **kwargs)) \
            == {"withdrawn_on"}


def test_candidates_are_ordered_attained_first_then_by_score_then_by_items_met():
    keys = {
        "attained": sites_rules.order_key(attained=True, met=3, total=3),
        "attained_scored": sites_rules.order_key(attained=True, met=3, total=3, score=91),
        "more": sites_rules.order_key(attained=False, met=5, total=6),
        "fewer": sites_rules.order_key(attained=False, met=2, total=6),
    }
    assert sorted(keys, key=keys.get) == ["attained_scored", "attained", "more", "fewer"]


# ---- services -------------------------------------------------------------------------------

def test_designating_takes_the_kind_from_the_unit_and_is_audited(tree):
    township = designate(tree, tree.township)
    community = designate(tree, tree.community)
    village = designate(tree, tree.village)
    assert (township.kind, community.kind, village.kind) == (
        SiteKind.TOWNSHIP, SiteKind.COMMUNITY, SiteKind.VILLAGE)
    assert AuditLog.objects.filter(object_id=str(village.pk),
                                   content_type__model="demosite").exists()


def test_a_unit_is_designated_once_a_year_and_only_within_the_county(tree):
    designate(tree, tree.village)
    with pytest.raises(ValidationError) as error:
        designate(tree, tree.village)
    assert "unit" in error.value.message_dict
    neighbour = org_services.unit_create(actor=SYSTEM, parent=tree.city, level=Level.COUNTY,
                                         code="620421", name="靖远县")
    far = org_services.unit_create(actor=SYSTEM, parent=neighbour, level=Level.TOWNSHIP,
                                   code="620421100", name="乌兰镇")
    with pytest.raises(ValidationError) as error:
        designate(tree, far)
    assert "unit" in error.value.message_dict
    with pytest.raises(ValidationError):
        designate(tree, tree.county)
    assert DemoSite.objects.count() == 1
    designate(tree, tree.village, year=YEAR - 1)  # another year: another designation
    assert DemoSite.objects.count() == 2


def test_only_the_county_administrators_designate(tree):
    with pytest.raises(PermissionDenied):
        sites_services.site_designate(
            actor=tree.township_officer, county=tree.county, unit=tree.village, year=YEAR,
            designated_on=TODAY, document_number="x")
    with pytest.raises(PermissionDenied):
        sites_services.target_set(actor=tree.leader, county=tree.county, year=YEAR,
                                  kind=SiteKind.VILLAGE, number=50)


def test_a_withdrawn_site_stays_frees_the_unit_and_is_not_withdrawn_twice(tree):
    site = designate(tree, tree.village)
    withdrawn = sites_services.site_withdraw(actor=tree.county_admin, site=site,
                                             withdrawn_on=TODAY, document_number="撤〔1〕号",
                                             note="不再符合", expected_version=site.version)
    assert withdrawn.is_withdrawn and withdrawn.withdrawal_note == "不再符合"
    with pytest.raises(ValidationError):
        sites_services.site_withdraw(actor=tree.county_admin, site=site, withdrawn_on=TODAY)
    again = designate(tree, tree.village)  # designated again after the withdrawal
    assert again.pk != site.pk
    assert AuditLog.objects.filter(object_id=str(site.pk), action="update").exists()


def test_a_stale_withdrawal_is_refused(tree):
    site = designate(tree, tree.village)
    with pytest.raises(ValidationError):
        sites_services.site_withdraw(actor=tree.county_admin, site=site, withdrawn_on=TODAY,
                                     expected_version=site.version + 1,
                                     started_from={"withdrawn_on": None})


def test_a_target_is_set_once_and_changed_in_place(tree):
    sites_services.target_set(actor=tree.county_admin, county=tree.county, year=YEAR,
                              kind=SiteKind.VILLAGE, number=50)
    target = sites_services.target_set(actor=tree.county_admin, county=tree.county,
                                       year=YEAR, kind=SiteKind.VILLAGE, number=40)
    assert DemoSiteTarget.objects.get().number == 40 and target.version == 2
    with pytest.raises(ValidationError) as error:
        sites_services.target_set(actor=tree.county_admin, county=tree.county, year=YEAR,
                                  kind="city", number=-1)
    assert set(error.value.message_dict) == {"kind", "number"}


# ---- progress and candidates ------------------------------------------------------------------

def test_progress_counts_the_designated_against_the_target_and_those_meeting_the_standard(
        tree):
    plaque_only(tree)
    profile(tree.village, has_plaque=True)
    profile(tree.other_village, has_plaque=False)
    sites_services.targets_set(actor=tree.county_admin, county=tree.county, year=YEAR,
                               numbers={SiteKind.VILLAGE: 3, SiteKind.TOWNSHIP: 2})
    designate(tree, tree.village)
    designate(tree, tree.other_village)
    withdrawn = designate(tree, tree.community)
    sites_services.site_withdraw(actor=SYSTEM, site=withdrawn, withdrawn_on=TODAY)
    found = {p.kind: p for p in sites_selectors.progress(user=tree.county_admin,
                                                          county=tree.county, year=YEAR)}
    village = found[SiteKind.VILLAGE]
    assert (village.target, village.designated, village.attaining) == (3, 2, 1)
    assert village.percent == 67 and not village.reached
    community = found[SiteKind.COMMUNITY]
    assert (community.target, community.designated, len(community.lines)) == (None, 0, 1)
    assert found[SiteKind.TOWNSHIP].designated == 0


def test_the_candidates_meet_every_item_first_and_leave_out_the_designated(tree):
    plaque_only(tree)
    made = villages(tree.other_township, 4)  # 0 and 2 with a plaque
    designate(tree, made[0])
    found = sites_selectors.candidates(user=tree.county_admin, county=tree.county,
                                       year=YEAR, kind=SiteKind.VILLAGE)
    ids = [c.unit.pk for c in found]
    assert made[0].pk not in ids
    assert ids[0] == made[2].pk and found[0].attained
    assert all(not c.attained for c in found[1:])
    assert found[1].missing == ["有牌子（残协挂牌）"]


def test_the_assessment_hook_orders_the_candidates_by_the_scores_given(tree):
    plaque_only(tree)
    made = villages(tree.other_township, 4, plaque_every=1)  # all attain
    scores = {made[3].pk: 95.5, made[1].pk: 80}
    found = sites_selectors.candidates(user=tree.county_admin, county=tree.county,
                                       year=YEAR, kind=SiteKind.VILLAGE, scores=scores)
    assert [c.unit.pk for c in found[:2]] == [made[3].pk, made[1].pk]
    assert found[0].score == 95.5 and found[2].score is None


def _queries(function):
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def test_the_candidates_and_progress_take_the_same_queries_for_n_and_3n_units(tree):
    plaque_only(tree)
    first = villages(tree.other_township, 3)
    for v in first:
        designate(tree, v)

    def run():
        sites_selectors.candidates(user=tree.county_admin, county=tree.county, year=YEAR)
        sites_selectors.progress(user=tree.county_admin, county=tree.county, year=YEAR)

    few = _queries(run)
    for v in villages(tree.other_township, 6, start=3):
        designate(tree, v)
    assert _queries(run) == few


# ---- pages ----------------------------------------------------------------------------------

def test_the_sites_page_shows_progress_and_links_each_site_to_its_standards(tree, client_for):
    plaque_only(tree)
    sites_services.targets_set(actor=tree.county_admin, county=tree.county, year=YEAR,
                               numbers={SiteKind.VILLAGE: 50})
    site = designate(tree, tree.village)
    client = client_for(tree.county_admin)
    page = client.get(reverse("standards:site_list", args=[tree.county.pk])).content.decode()
    assert "高家庄村民委员会" in page and site.get_absolute_url() in page
    assert reverse("standards:unit", args=[tree.village.pk]) in page
    assert ">50<" in page
    detail = client.get(site.get_absolute_url()).content.decode()
    assert reverse("standards:unit", args=[tree.village.pk]) + f"?year={YEAR}" in detail
    assert client.get(reverse("standards:sites_index")).url == reverse(
        "standards:site_list", args=[tree.county.pk])


def test_designating_on_the_form_creates_one_site_for_a_double_submit(tree, client_for):
    client = client_for(tree.county_admin)
    url = reverse("standards:site_designate", args=[tree.county.pk]) + f"?year={YEAR}"
    data = {"unit": str(tree.village.pk), "unit_text": tree.village.code,
            "designated_on": TODAY.isoformat(), "document_number": "会残联发〔2026〕8号",
            "note": "", "form_token": "tok-site"}
    first = client.post(url, data)
    assert first.status_code == 302
    second = client.post(url, data)
    assert second.status_code == 302
    assert DemoSite.objects.filter(unit=tree.village).count() == 1
    bad = client.post(url, {**data, "form_token": "tok-2", "unit": str(tree.community.pk),
                            "unit_text": tree.community.code, "document_number": ""})
    assert bad.status_code == 200 and 'id="id_document_number_error"' in bad.content.decode()
    assert not DemoSite.objects.filter(unit=tree.community).exists()


def test_withdrawing_on_the_form(tree, client_for):
    site = designate(tree, tree.village)
    client = client_for(tree.county_admin)
    response = client.post(reverse("standards:site_withdraw", args=[site.pk]), {
        "withdrawn_on": TODAY.isoformat(), "document_number": "撤1号", "note": "整改",
        "version": site.version, "form_token": "tok-w"})
    assert response.status_code == 302
    site.refresh_from_db()
    assert site.is_withdrawn and site.withdrawal_document == "撤1号"


def test_the_targets_form_sets_the_three_targets(tree, client_for):
    client = client_for(tree.county_admin)
    url = reverse("standards:site_targets", args=[tree.county.pk]) + f"?year={YEAR}"
    page = client.get(url).content.decode()
    assert 'value="50"' in page  # doc4's numbers to start from
    response = client.post(url, {"township": 3, "community": 2, "village": 45,
                                 "form_token": "tok-t"})
    assert response.status_code == 302
    assert dict(DemoSiteTarget.objects.values_list("kind", "number")) == {
        "township": 3, "community": 2, "village": 45}


def test_the_candidates_page_lists_the_units_meeting_every_item(tree, client_for):
    plaque_only(tree)
    profile(tree.village, has_plaque=True)
    page = client_for(tree.county_admin).get(
        reverse("standards:site_candidates", args=[tree.county.pk]) + "?kind=village"
    ).content.decode()
    ready = page[page.index('id="ready-heading"'):page.index('id="closest-heading"')]
    assert "高家庄村民委员会" in ready and "红堡子村民委员会" not in ready
    assert "红堡子村民委员会" in page


def test_a_township_officer_reads_the_sites_but_does_not_designate(tree, client_for):
    site = designate(tree, tree.village)
    client = client_for(tree.township_officer)
    assert client.get(site.get_absolute_url()).status_code == 200
    assert client.get(reverse("standards:site_designate", args=[tree.county.pk])) \
        .status_code == 403
    # Another township's officer does not see a site of this township.
    other = client_for(tree.other_officer)
    assert other.get(site.get_absolute_url()).status_code == 404


# ---- demo -----------------------------------------------------------------------------------

def test_the_demo_sets_targets_designates_sites_and_loads_once(tree):
    count = load_sites_demo(county=tree.county, today=TODAY)
    assert count == 3  # 会师镇, 东山根社区, 高家庄村
    assert DemoSiteTarget.objects.filter(county=tree.county, year=YEAR).count() == 3
    assert set(DemoSite.objects.values_list("kind", flat=True)) == {
        "township", "community", "village"}
    audited = AuditLog.objects.count()
    assert load_sites_demo(county=tree.county, today=TODAY) == count
    assert AuditLog.objects.count() == audited
    assert not DemoSite.objects.filter(~Q(county=tree.county)).exists()


def test_the_candidates_carry_the_assessments_scores(tree):
    """The candidates page orders by the county's assessment of the year: each township
    candidate carries its final score from the round (the demo's confirmed one)."""
    from standards.assessment_selectors import assessment_ranking, round_for
    from standards.demo import load_assessment_demo

    load_assessment_demo(county=tree.county, today=timezone.localdate())
    year = timezone.localdate().year
    ranked = {r.unit.pk: float(r.final_total) for r in assessment_ranking(
        round_for(county=tree.county, level=Level.TOWNSHIP, year=year))}
    assert ranked
    found = sites_selectors.candidates(user=tree.county_admin, county=tree.county, year=year,
                                       kind=SiteKind.TOWNSHIP)
    assert {c.unit.pk: c.score for c in found} == ranked
