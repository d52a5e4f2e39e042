"""The register's lists as .xlsx: what the list shows (scope and filters), full ID numbers as
text, dates as dates, Chinese words, one audit entry per export, a fixed number of queries."""

import datetime as dt
import io
from urllib.parse import quote

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from audit.models import Action, AuditLog
from core.actors import SYSTEM
from core.views import XLSX
from people import services
from people.imports import PERSON_COLUMNS

from .factories import make_person

PERSON_HEADERS = [
    "姓名", "身份证号", "性别", "出生日期", "民族", "残疾证号", "残疾类别", "残疾等级",
    "发证日期", "有效期至", "所属村（社区）", "所属乡镇（街道）", "网格", "户籍", "联系电话",
    "住址", "文化程度", "婚姻状况", "就业状况", "监护人或联系人", "与本人关系", "监护人电话",
    "享受低保", "特困供养", "困难残疾人生活补贴", "重度残疾人护理补贴", "登记日期", "人员状态",
    "状态变更日期", "备注",
]


def sheet_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def header(sheet) -> list:
    return [c.value for c in sheet[2]]


def records(sheet) -> list[dict]:
    """The data rows, each as {header: cell}."""
    names = header(sheet)
    return [dict(zip(names, row, strict=True)) for row in sheet.iter_rows(min_row=3)]


def column(sheet, name: str) -> list:
    return [r[name].value for r in records(sheet)]


def exports_taken():
    return AuditLog.objects.filter(action=Action.EXPORT)


@pytest.fixture
def register(tree):
    """Two people of 会师镇 (one with a certificate, grid and subsidies, one without) and
    one of 郭城驿镇."""
    tree.zhang = make_person(
        unit=tree.community, name="张三", birth=dt.date(1961, 3, 5), category=4, grade=2,
        grid=tree.grid, ethnicity="回族", phone="13909435678", education="junior",
        dibao=True, care_subsidy=True, registered_on=dt.date(2020, 1, 2),
    )
    tree.li = make_person(unit=tree.village, name="李四", birth=dt.date(1950, 7, 1),
                          male=False, certificate=False)
    tree.wang = make_person(unit=tree.other_village, name="王五", category=1, grade=1)
    return tree


# ---- people ----------------------------------------------------------------------------------

def test_people_export_is_the_ledger_with_full_numbers_and_real_dates(register, client_for):
    t = register
    client = client_for(t.county_admin)
    client.cookies["django_language"] = "en"  # the ledger is Chinese whatever the UI
    response = client.get(reverse("people:person_export"))
    sheet = sheet_of(response)
    name = f"残疾人名单-{timezone.localdate():%Y-%m-%d}.xlsx"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"filename*=UTF-8''{quote(name)}" in response["Content-Disposition"]
    assert sheet["A1"].value.startswith("会宁县残疾人名单")
    assert header(sheet) == PERSON_HEADERS == [c.label for c in PERSON_COLUMNS]

    rows = {r["姓名"].value: r for r in records(sheet)}
    assert set(rows) == {"张三", "李四", "王五"}
    zhang = rows["张三"]
    assert zhang["身份证号"].data_type == "s" and zhang["身份证号"].value == t.zhang.id_number
    assert len(zhang["身份证号"].value) == 18 and "*" not in zhang["身份证号"].value
    assert zhang["残疾证号"].data_type == "s"
    assert zhang["残疾证号"].value == t.zhang.certificate_number
    assert zhang["出生日期"].is_date and zhang["出生日期"].value.date() == dt.date(1961, 3, 5)
    assert zhang["登记日期"].value.date() == dt.date(2020, 1, 2)
    assert zhang["发证日期"].value.date() == dt.date(2015, 3, 5)
    assert {h: zhang[h].value for h in ("性别", "民族", "残疾类别", "残疾等级", "户籍",
                                         "文化程度", "所属村（社区）", "所属乡镇（街道）",
                                         "网格", "联系电话")} == {
        "性别": "男", "民族": "回族", "残疾类别": "肢体", "残疾等级": "二级", "户籍": "农村户籍",
        "文化程度": "初中", "所属村（社区）": "东山根社区居民委员会", "所属乡镇（街道）": "会师镇",
        "网格": "第1网格", "联系电话": "13909435678",
    }
    assert zhang["人员状态"].value == "在册" and zhang["状态变更日期"].value is None
    assert [zhang[h].value for h in ("享受低保", "特困供养", "困难残疾人生活补贴",
                                     "重度残疾人护理补贴")] == ["是", "否", "否", "是"]
    li = rows["李四"]
    assert li["性别"].value == "女"
    assert [li[h].value for h in ("残疾证号", "残疾类别", "残疾等级", "发证日期", "网格")] == \
        [None] * 5


def test_people_export_holds_only_the_filtered_rows(register, client_for):
    client = client_for(register.county_admin)
    url = reverse("people:person_export")
    assert column(sheet_of(client.get(url, {"certificate": "no"})), "姓名") == ["李四"]
    assert column(sheet_of(client.get(url, {"category": "1"})), "姓名") == ["王五"]
    assert column(sheet_of(client.get(url, {"q": "zhangsan"})), "姓名") == ["张三"]
    assert column(sheet_of(client.get(url, {"unit": register.other_township.pk})),
                  "姓名") == ["王五"]


def test_people_export_stays_in_the_users_area(register, client_for):
    t = register
    client = client_for(t.township_officer)
    names = column(sheet_of(client.get(reverse("people:person_export"))), "姓名")
    assert sorted(names) == ["张三", "李四"]
    # Naming a unit outside the area does not widen the list: the form refuses it.
    names = column(sheet_of(client.get(reverse("people:person_export"),
                                       {"unit": t.other_township.pk})), "姓名")
    assert "王五" not in names


def test_people_export_is_audited_once_with_its_filters(register, client_for):
    t = register
    client = client_for(t.township_officer)
    client.get(reverse("people:person_export"), {"certificate": "yes", "gender": "M"})
    entry = exports_taken().get()
    assert (entry.actor, entry.unit, entry.object_repr) == (t.township_officer, t.township,
                                                            "残疾人名单")
    assert entry.detail == {"filters": {"certificate": "yes", "gender": "M"}, "rows": 1}


@pytest.fixture
def viewer(tree):
    """Someone who may read the register's lists but not take them out."""
    user = UserFactory(username="t_viewer", unit=tree.county, role=Role.AUDITOR)
    user.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="people",
        codename__in=["view_person", "view_need", "view_jobseeker"]))
    return user


@pytest.mark.parametrize("list_name, export_name", [
    ("people:person_list", "people:person_export"),
    ("people:need_list", "people:need_export"),
    ("people:jobseeker_list", "people:jobseeker_export"),
])
def test_exports_need_the_export_permission(register, client_for, client, viewer, list_name,
                                            export_name):
    t = register
    export_url = reverse(export_name)
    assert client.get(export_url).status_code == 302  # to the login page
    viewing = client_for(viewer)
    page = viewing.get(reverse(list_name))
    assert page.status_code == 200 and export_url not in page.content.decode()
    assert viewing.get(export_url).status_code == 403
    assert client_for(t.auditor).get(export_url).status_code == 403
    assert not exports_taken().exists()
    # The link says what it does and carries the list's query string.
    admin = client_for(t.county_admin)
    admin.cookies["django_language"] = "en"
    page = admin.get(reverse(list_name), {"status": "placed", "page": "1"}).content.decode()
    assert f'href="{export_url}?status=placed">Export to Excel (.xlsx)</a>' in page


def test_people_export_query_count_is_fixed(register, client_for,
                                            django_assert_max_num_queries):
    client = client_for(register.county_admin)
    url = reverse("people:person_export")
    with django_assert_max_num_queries(20) as small:
        assert len(column(sheet_of(client.get(url)), "姓名")) == 3
    for n in range(60):
        make_person(unit=register.community if n % 3 else register.other_village,
                    name=f"甲{n}", grid=register.grid if n % 3 else None)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(column(sheet_of(client.get(url)), "姓名")) == 63


# ---- needs -------------------------------------------------------------------------------------

@pytest.fixture
def needs(register):
    t = register
    long_ago = timezone.localdate() - dt.timedelta(days=400)
    t.old_need = services.need_create(actor=SYSTEM, person=t.zhang, type="rehabilitation",
                                      detail="需要轮椅", registered_on=long_ago)
    services.need_create(actor=SYSTEM, person=t.li, type="education")
    services.need_create(actor=SYSTEM, person=t.wang, type="relief")
    return t


def test_need_export(needs, client_for):
    t = needs
    client = client_for(t.township_officer)
    response = client.get(reverse("people:need_export"))
    sheet = sheet_of(response)
    name = f"服务需求名单-{timezone.localdate():%Y-%m-%d}.xlsx"
    assert f"filename*=UTF-8''{quote(name)}" in response["Content-Disposition"]
    assert header(sheet)[:8] == ["姓名", "身份证号", "所属村（社区）", "所属乡镇（街道）",
                                 "需求类型", "需求内容", "登记日期", "状态"]
    rows = records(sheet)
    assert [r["姓名"].value for r in rows] == ["张三", "李四"]  # oldest first; no 王五
    zhang = rows[0]
    assert zhang["身份证号"].data_type == "s" and zhang["身份证号"].value == t.zhang.id_number
    assert zhang["登记日期"].is_date
    assert zhang["登记日期"].value.date() == t.old_need.registered_on
    assert (zhang["需求类型"].value, zhang["状态"].value, zhang["是否超期"].value,
            zhang["需求内容"].value) == ("康复", "待办", "是", "需要轮椅")
    assert rows[1]["是否超期"].value == "否"

    entry = exports_taken().get()
    assert entry.object_repr == "服务需求名单" and entry.unit == t.township
    assert entry.detail == {"filters": {"status": "open"}, "rows": 2}


def test_need_export_filters(needs, client_for):
    client = client_for(needs.county_admin)
    url = reverse("people:need_export")
    assert column(sheet_of(client.get(url, {"type": "relief", "status": "open"})),
                  "姓名") == ["王五"]
    assert column(sheet_of(client.get(url, {"overdue_only": "on", "status": "open"})),
                  "姓名") == ["张三"]
    assert column(sheet_of(client.get(url, {"status": "met"})), "姓名") == []
    last = exports_taken().order_by("-id").first()
    assert last.detail == {"filters": {"status": "met"}, "rows": 0}


def test_need_export_query_count_is_fixed(needs, client_for, django_assert_max_num_queries):
    client = client_for(needs.county_admin)
    url = reverse("people:need_export")
    with django_assert_max_num_queries(20) as small:
        assert len(column(sheet_of(client.get(url)), "姓名")) == 3
    for n in range(40):
        person = make_person(unit=needs.village, name=f"乙{n}")
        services.need_create(actor=needs.county_admin, person=person, type="education")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(column(sheet_of(client.get(url)), "姓名")) == 43


# ---- job seekers -------------------------------------------------------------------------------

@pytest.fixture
def jobs(register):
    t = register
    services.jobseeker_register(actor=SYSTEM, person=t.zhang, work_wished="电商客服",
                                ability="partial", registered_on=dt.date(2024, 3, 1))
    services.jobseeker_register(actor=SYSTEM, person=t.li, work_wished="手工编织",
                                ability="full", status="placed", employer="会宁县编织社",
                                placed_on=dt.date(2024, 6, 1), registered_on=dt.date(2024, 2, 1))
    services.jobseeker_register(actor=SYSTEM, person=t.wang, work_wished="保洁", ability="full")
    return t


def test_jobseeker_export(jobs, client_for):
    t = jobs
    response = client_for(t.township_officer).get(reverse("people:jobseeker_export"))
    sheet = sheet_of(response)
    name = f"残疾人求职登记名单-{timezone.localdate():%Y-%m-%d}.xlsx"
    assert f"filename*=UTF-8''{quote(name)}" in response["Content-Disposition"]
    assert "求职意向" in header(sheet) and "劳动能力" in header(sheet)
    rows = records(sheet)
    assert [r["姓名"].value for r in rows] == ["张三", "李四"]  # newest first; no 王五
    zhang, li = rows
    assert zhang["身份证号"].data_type == "s" and zhang["身份证号"].value == t.zhang.id_number
    assert (zhang["劳动能力"].value, zhang["状态"].value) == ("有部分劳动能力", "求职中")
    assert li["就业日期"].is_date and li["就业日期"].value.date() == dt.date(2024, 6, 1)
    assert (li["状态"].value, li["就业单位"].value) == ("已就业", "会宁县编织社")
    assert exports_taken().get().detail == {"filters": {}, "rows": 2}


def test_jobseeker_export_filters_and_query_count(jobs, client_for,
                                                   django_assert_max_num_queries):
    client = client_for(jobs.county_admin)
    url = reverse("people:jobseeker_export")
    with django_assert_max_num_queries(20) as small:
        assert column(sheet_of(client.get(url, {"status": "seeking"})), "姓名") == \
            ["王五", "张三"]
    assert exports_taken().get().detail == {"filters": {"status": "seeking"}, "rows": 2}
    for n in range(30):
        person = make_person(unit=jobs.village, name=f"丙{n}")
        services.jobseeker_register(actor=SYSTEM, person=person, work_wished="种植",
                                    ability="full")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(column(sheet_of(client.get(url, {"status": "seeking"})), "姓名")) == 32
