"""Assistance activities (扶残助残活动登记): the rules, the form on a phone (defaults, the
person picker limited to the user's scope, photos), the list's filters and query counts,
the paper-layout export, the import with its blank template, the ledger book's
declaration (the influential-activity shortfall, the chapter) and the demo."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditLog
from core.actors import SYSTEM
from ledgers import activities_services as services
from ledgers.models import AssistanceActivity, Attachment
from ledgers.registry import ledger
from ledgers.tests.files import jpeg_bytes, upload_of
from people.tests.factories import make_person
from people.tests.test_imports import upload, xlsx

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _activity(unit, *, title="走访慰问", days=0, people=(), influential=False, **fields):
    return services.assistance_create(actor=SYSTEM, unit=unit, title=title, kind="visit",
                                      held_on=TODAY - dt.timedelta(days=days), people=people,
                                      influential=influential, **fields)


# ---- rules and services ---------------------------------------------------------------------

def test_a_future_date_and_negative_money_are_refused_in_chinese(tree):
    with pytest.raises(ValidationError) as refused:
        services.assistance_create(actor=SYSTEM, unit=tree.community, title="x", kind="visit",
                                   held_on=TODAY + dt.timedelta(days=1), money=Decimal("-1"))
    errors = refused.value.message_dict
    assert "未来" in errors["held_on"][0] and "负数" in errors["money"][0]
    assert not AssistanceActivity.objects.exists()


def test_people_outside_the_actors_scope_cannot_be_attached(tree):
    outsider = make_person(unit=tree.other_village, name="外镇人")
    with pytest.raises(PermissionDenied):
        services.assistance_create(actor=tree.village_officer, unit=tree.community,
                                   title="走访", kind="visit", held_on=TODAY,
                                   people=[outsider])
    assert not AssistanceActivity.objects.exists()
    # Nor a person of a neighbouring village, for a village officer.
    neighbour = make_person(unit=tree.village, name="邻村人")
    with pytest.raises(PermissionDenied):
        services.assistance_create(actor=tree.village_officer, unit=tree.community,
                                   title="走访", kind="visit", held_on=TODAY,
                                   people=[neighbour])


def test_an_update_sets_exactly_the_people_and_is_audited(tree):
    a, b = make_person(unit=tree.community, name="甲"), make_person(unit=tree.community,
                                                                    name="乙")
    entry = _activity(tree.community, people=[a])
    entry = services.assistance_update(actor=tree.village_officer, activity=entry,
                                       people=[b], place="社区活动室",
                                       expected_version=1)
    assert list(entry.people.all()) == [b] and entry.version == 2
    change = AuditLog.objects.filter(action=Action.UPDATE, object_id=str(entry.pk)).get()
    assert change.changes["people"] == [["甲"], ["乙"]]
    with pytest.raises(ValidationError):  # a stale version
        services.assistance_update(actor=tree.village_officer, activity=entry,
                                   place="别处", expected_version=1)


def test_a_village_officer_cannot_record_for_another_unit(tree):
    with pytest.raises(PermissionDenied):
        services.assistance_create(actor=tree.village_officer, unit=tree.village,
                                   title="x", kind="visit", held_on=TODAY)


# ---- the form -------------------------------------------------------------------------------

def test_the_form_opens_with_today_and_the_users_unit(tree, client_for):
    response = client_for(tree.village_officer).get(reverse("ledgers:assistance_create"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{TODAY:%Y-%m-%d}"' in html
    assert "东山根社区居民委员会（620422100001）" in html
    assert 'enctype="multipart/form-data"' in html and 'capture="environment"' in html
    assert 'hx-get="/ledgers/people/pick/"' in html


def test_the_form_records_an_activity_with_a_person_and_a_photo(tree, client_for):
    person = make_person(unit=tree.community, name="马有福")
    client = client_for(tree.village_officer)
    response = client.post(reverse("ledgers:assistance_create"), {
        "unit": tree.community.pk, "unit_text": "620422100001",
        "held_on": TODAY.isoformat(), "title": "春节走访", "kind": "visit",
        "people": [person.pk], "money": "500", "influential": "on",
        "photo": upload_of(jpeg_bytes(), "合影.jpg")})
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = AssistanceActivity.objects.get()
    assert response["Location"] == entry.get_absolute_url()
    assert list(entry.people.all()) == [person] and entry.influential
    assert entry.money == Decimal("500") and entry.created_by == tree.village_officer
    photo = Attachment.objects.get()
    assert photo.owner == entry and photo.name == "合影.jpg"
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "马有福" in page and "合影.jpg" in page


def test_the_form_refuses_a_person_outside_the_scope_and_keeps_the_input(tree, client_for):
    outsider = make_person(unit=tree.other_village, name="外镇人")
    response = client_for(tree.village_officer).post(reverse("ledgers:assistance_create"), {
        "unit": tree.community.pk, "unit_text": "620422100001",
        "held_on": TODAY.isoformat(), "title": "春节走访", "kind": "visit",
        "people": [outsider.pk]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "春节走访" in html and "外镇人" not in html
    assert not AssistanceActivity.objects.exists()


def test_the_picker_finds_people_of_the_scope_only(tree, client_for):
    mine = make_person(unit=tree.community, name="马有福")
    make_person(unit=tree.other_village, name="马有才")
    client = client_for(tree.village_officer)
    url = reverse("ledgers:person_pick")
    html = client.get(url, {"q": "马有"}, headers={"HX-Request": "true"}).content.decode()
    assert "马有福" in html and "马有才" not in html
    assert f'value="{mine.pk}"' in html and mine.id_number not in html  # masked
    by_id = client.get(url, {"q": mine.id_number[-6:]}).content.decode()
    assert "马有福" in by_id
    chosen = client.get(url, {"q": "马有", "people": [mine.pk]}).content.decode()
    assert "马有福" not in chosen  # already ticked
    assert client_for(tree.auditor).get(url, {"q": "马"}).status_code == 403


def test_an_edit_keeps_the_people_and_adds_files(tree, client_for):
    person = make_person(unit=tree.community, name="马有福")
    entry = _activity(tree.community, people=[person])
    client = client_for(tree.village_officer)
    url = reverse("ledgers:assistance_edit", args=[entry.pk])
    html = client.get(url).content.decode()
    assert f'value="{person.pk}"' in html and "checked" in html and 'name="unit"' not in html
    response = client.post(url, {"held_on": entry.held_on.isoformat(), "title": "改名",
                                 "kind": "legal", "people": [person.pk], "version": "1"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.title, entry.kind, entry.version) == ("改名", "legal", 2)
    assert list(entry.people.all()) == [person]


# ---- the list -------------------------------------------------------------------------------

def test_the_list_filters(tree, client_for):
    _activity(tree.community, title="社区走访", influential=True)
    _activity(tree.village, title="高家庄讲座", place="村部")
    old = _activity(tree.community, title="去年活动", days=400)
    client = client_for(tree.township_officer)
    url = reverse("ledgers:assistance_list")

    def titles(**query):
        html = client.get(url, query).content.decode()
        return {t for t in ("社区走访", "高家庄讲座", "去年活动") if t in html}

    assert titles() == {"社区走访", "高家庄讲座", "去年活动"}
    assert titles(year=TODAY.year) == {"社区走访", "高家庄讲座"}
    assert titles(year=old.held_on.year) >= {"去年活动"}
    assert titles(influential="on") == {"社区走访"}
    assert titles(q="村部") == {"高家庄讲座"}
    assert titles(unit=tree.village.pk) == {"高家庄讲座"}
    assert titles(kind="legal") == set()
    assert titles(since=TODAY.isoformat()) == {"社区走访", "高家庄讲座"}
    assert "高家庄讲座" not in client_for(tree.village_officer).get(url).content.decode()


def _grow(tree, n):
    people = [make_person(unit=tree.community, name=f"受助{i}") for i in range(2)]
    for i in range(n):
        _activity(tree.community, title=f"活动{i}", people=people)


def test_the_list_and_export_query_counts_do_not_grow(tree, client_for,
                                                      django_assert_max_num_queries):
    client = client_for(tree.county_admin)
    urls = [reverse("ledgers:assistance_list"), reverse("ledgers:assistance_export")]
    _grow(tree, 2)
    counts = []
    for url in urls:
        with django_assert_max_num_queries(30) as small:
            assert client.get(url).status_code == 200
        counts.append(len(small.captured_queries))
    _grow(tree, 12)
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200


def test_the_export_is_the_paper_book(tree, client_for):
    a, b = make_person(unit=tree.community, name="甲"), make_person(unit=tree.community,
                                                                    name="乙")
    _activity(tree.community, title="春节走访", people=[a, b], money=Decimal("200"),
              goods="米面", influential=True)
    response = client_for(tree.village_officer).get(reverse("ledgers:assistance_export"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "东山根社区居民委员会残疾人扶残助残活动登记表"
    assert rows[1][:10] == ("序号", "日期", "活动名称", "类别", "组织单位", "合作部门", "地点",
                            "参加人数", "受助残疾人", "受助人数")
    assert rows[2][0] == 1 and rows[2][2] == "春节走访" and rows[2][3] == "走访慰问"
    assert rows[2][8] == "乙、甲"  # by name and rows[2][10] == 200 and rows[2][13] == "是"
    # Filtered on a unit, the title names that unit.
    other = client_for(tree.township_officer).get(reverse("ledgers:assistance_export"),
                                                 {"unit": tree.village.pk})
    title = openpyxl.load_workbook(io.BytesIO(other.content)).active["A1"].value
    assert title == "高家庄村民委员会残疾人扶残助残活动登记表"


# ---- the import -----------------------------------------------------------------------------

HEADER = ["日期", "活动名称", "类别", "组织单位", "地点", "参加人数", "受助残疾人身份证号",
          "捐助款（元）", "捐助物品", "有影响活动", "登记单位"]


def test_the_import_has_a_blank_template_on_the_import_page(tree, client_for):
    client = client_for(tree.township_officer)
    page = client.get(reverse("imports:import_list")).content.decode()
    assert "扶残助残活动登记表" in page and "志愿者花名册" in page
    response = client.get(reverse("imports:import_template", args=["assistance"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "残疾人扶残助残活动登记表"
    assert [c.value for c in sheet[2]][:3] == ["日期", "活动名称", "类别"]


def test_an_import_records_activities_and_names_bad_rows_in_chinese(tree):
    helped = make_person(unit=tree.community, name="马有福")
    outsider = make_person(unit=tree.other_village, name="外镇人")
    future = (TODAY + dt.timedelta(days=5)).isoformat()
    rows = [
        ["2024-05-19", "助残日活动", "助残日", "社区", "广场", 80, helped.id_number, "1,000元",
         "宣传册", "是", "620422100001"],
        ["2024-06-01", "没单位的", "走访", "", "", "", "", "", "", "否", ""],
        [future, "未来的", "走访", "", "", "", "", "", "", "否", "620422100001"],
        ["2024-06-02", "怪类别", "唱歌", "", "", "", "", "", "", "否", "620422100001"],
        ["2024-06-03", "外镇的人", "走访", "", "", "", outsider.id_number, "", "", "否",
         "620422100001"],
        ["2024-06-04", "负钱", "走访", "", "", "三十", "", "abc", "", "否", "620422100001"],
    ]
    job = upload(tree.township_officer, xlsx(rows, header=HEADER), kind="assistance",
                 mode="valid")
    problems = {(number, column): reason for number, column, _text, reason in job.errors}
    assert not any(n == 3 for n, _c in problems)  # no unit: the importer's own
    assert "未来" in problems[(4, "日期")]
    assert "唱歌" in problems[(5, "类别")]
    assert "没有" in problems[(6, "受助残疾人身份证号")]
    assert outsider.id_number not in problems[(6, "受助残疾人身份证号")]  # masked
    assert "三十" in problems[(7, "参加人数")] and "abc" in problems[(7, "捐助款（元）")]
    assert AssistanceActivity.objects.get(title="没单位的").unit == tree.township
    entry = AssistanceActivity.objects.get(title="助残日活动")
    assert (entry.title, entry.kind, entry.money, entry.influential) == (
        "助残日活动", "day", Decimal("1000.00"), True)
    assert list(entry.people.all()) == [helped] and entry.unit == tree.community


# ---- the ledger book ------------------------------------------------------------------------

def test_the_book_declares_the_influential_activity_shortfall(tree):
    book = ledger("assistance")
    assert book.order == 30 and ledger("volunteer").order == 40
    _activity(tree.community, title="普通活动")
    assert book.lacks(tree.community, TODAY.year, 1) == ["本年度没有有影响的活动"]
    assert book.lacks(tree.village, TODAY.year, 0) == ["本年度没有有影响的活动"]
    _activity(tree.community, title="阳光助残", influential=True)
    assert book.lacks(tree.community, TODAY.year, 2) == []
    assert book.counts([tree.community.pk, tree.village.pk], TODAY.year) == {
        tree.community.pk: 2}


def test_the_chapter_is_a_plain_table(tree, django_assert_max_num_queries):
    people = [make_person(unit=tree.community, name=n) for n in ("甲", "乙")]
    for i in range(3):
        _activity(tree.community, title=f"活动{i}", people=people, money=Decimal("10"),
                  goods="米", influential=i == 0)
    _activity(tree.community, title="去年的", days=400)
    book = ledger("assistance")
    entries = book.chapter_rows(book.year_entries([tree.community.pk], TODAY.year))
    with django_assert_max_num_queries(2):
        html = render_to_string(book.chapter, {"entries": entries, "unit": tree.community,
                                               "year": TODAY.year})
    assert f"东山根社区居民委员会残疾人扶残助残活动登记表（{TODAY.year}年）" in html
    assert html.count("<tr>") == 4 and "乙、甲" in html and "10.00元；米" in html
    assert "去年的" not in html and "style=" not in html and "有影响活动" in html
    from core.pdf import render_pdf

    assert render_pdf(book.chapter, {"entries": entries, "unit": tree.community,
                                     "year": TODAY.year})[:5] == b"%PDF-"


# ---- the demo -------------------------------------------------------------------------------

def test_the_demo_loads_once_with_a_unit_short_of_an_influential_activity(tree):
    from ledgers import demo_activities
    from ledgers.demo import PARTS
    from ledgers.models import VolunteerCertificate, VolunteerService
    from orgs import services as org_services
    from orgs.models import Level

    assert "demo_activities" in PARTS
    org_services.unit_create(actor=SYSTEM, parent=tree.township, level=Level.VILLAGE,
                             code="620422100201", name="演示村民委员会")
    for unit in (tree.community, tree.village):
        for n in range(4):
            make_person(unit=unit, name=f"{unit.name[:2]}{n}")
    line = demo_activities.load(tree.county, TODAY)
    assert "扶残助残活动" in line
    count = AssistanceActivity.objects.count()
    units = set(AssistanceActivity.objects.values_list("unit__code", flat=True))
    assert {"620422100", "620422100001"} <= units and len(units) == 4
    book = ledger("assistance")
    short = [u for u in set(AssistanceActivity.objects.values_list("unit", flat=True))
             if book.lacks(type(tree.county).objects.get(pk=u), TODAY.year, 1)]
    assert len(short) == 1
    assert AssistanceActivity.objects.filter(people__isnull=False).exists()
    assert VolunteerService.objects.exists() and VolunteerCertificate.objects.count() == 2
    services_count = VolunteerService.objects.count()
    assert demo_activities.load(tree.county, TODAY) == ""
    assert AssistanceActivity.objects.count() == count
    assert VolunteerService.objects.count() == services_count
