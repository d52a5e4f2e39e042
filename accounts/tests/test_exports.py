"""The user list and the audit log as .xlsx: the user's scope and filters, Chinese words, text
codes and real dates, one audit entry per export, a fixed number of queries."""

import io
from urllib.parse import quote

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from audit.models import Action, AuditLog
from core.actors import SYSTEM
from core.views import XLSX
from orgs import services as org_services
from orgs.models import Level
from people.tests.factories import make_person

USERS = reverse("accounts:user_export")
AUDIT = reverse("accounts:audit_export")


def sheet_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def records(sheet) -> list[dict]:
    names = [c.value for c in sheet[2]]
    return [dict(zip(names, row, strict=True)) for row in sheet.iter_rows(min_row=3)]


def exports_taken():
    return AuditLog.objects.filter(action=Action.EXPORT)


# ---- users -----------------------------------------------------------------------------------

def test_user_export(tree, client_for):
    services.user_set_active(actor=SYSTEM, user=tree.leader, active=False)
    response = client_for(tree.county_admin).get(USERS)
    sheet = sheet_of(response)
    name = f"用户名单-{timezone.localdate():%Y-%m-%d}.xlsx"
    assert f"filename*=UTF-8''{quote(name)}" in response["Content-Disposition"]
    assert [c.value for c in sheet[2]] == ["登录名", "姓名", "单位", "单位代码", "角色", "联系电话",
                                          "状态", "创建日期", "最近登录"]
    rows = {r["登录名"].value: r for r in records(sheet)}
    assert set(rows) == {"t_county", "t_township", "t_village", "t_leader", "t_auditor",
                         "t_other"}
    township = rows["t_township"]
    assert township["单位代码"].data_type == "s" and township["单位代码"].value == "620422100"
    assert (township["单位"].value, township["角色"].value, township["状态"].value) == \
        ("会师镇", "乡镇残联干事", "启用")
    joined = timezone.localdate(tree.township_officer.date_joined)
    assert township["创建日期"].is_date and township["创建日期"].value.date() == joined
    assert rows["t_leader"]["状态"].value == "停用"
    assert rows["t_county"]["角色"].value == "县级管理员"  # the title says the level
    assert "password" not in str([c.value for c in sheet[2]]).lower()

    entry = exports_taken().get()
    assert (entry.actor, entry.unit, entry.object_repr) == (tree.county_admin, tree.county,
                                                            "用户名单")
    assert entry.detail == {"filters": {}, "rows": 6}


def test_user_export_stays_in_the_users_area(tree, client_for):
    sheet = sheet_of(client_for(tree.township_officer).get(USERS))
    assert sorted(r["登录名"].value for r in records(sheet)) == ["t_township", "t_village"]
    assert exports_taken().get().detail["rows"] == 2


def test_user_export_needs_the_permission(tree, client, client_for):
    assert client.get(USERS).status_code == 302  # to the login page
    assert client_for(tree.village_officer).get(USERS).status_code == 403
    assert client_for(tree.auditor).get(USERS).status_code == 403
    assert not exports_taken().exists()
    leader = client_for(tree.leader)
    leader.cookies["django_language"] = "en"
    page = leader.get(reverse("accounts:user_list")).content.decode()
    assert f'href="{USERS}">Export to Excel (.xlsx)</a>' in page


def test_user_export_query_count_is_fixed(tree, client_for, django_assert_max_num_queries):
    client = client_for(tree.county_admin)
    with django_assert_max_num_queries(20) as small:
        assert len(records(sheet_of(client.get(USERS)))) == 6
    for n in range(30):
        UserFactory(username=f"v{n}", unit=tree.village if n % 2 else tree.other_village,
                    role=Role.VILLAGE_OFFICER)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(records(sheet_of(client.get(USERS)))) == 36


# ---- the audit log ------------------------------------------------------------------------------

@pytest.fixture
def neighbour(tree):
    """The administrator of the next county: every right, none of 会宁县's entries."""
    county = org_services.unit_create(actor=SYSTEM, parent=tree.city, level=Level.COUNTY,
                                      code="620421", name="靖远县")
    return UserFactory(username="t_neighbour", unit=county, role=Role.ADMIN)


def test_audit_export(tree, client_for):
    person = make_person(unit=tree.community, actor=tree.village_officer, name="张三")
    response = client_for(tree.auditor).get(AUDIT)
    sheet = sheet_of(response)
    name = f"操作日志-{timezone.localdate():%Y-%m-%d}.xlsx"
    assert f"filename*=UTF-8''{quote(name)}" in response["Content-Disposition"]
    assert [c.value for c in sheet[2]][:6] == ["时间", "用户", "操作", "对象类型", "对象",
                                              "对象编号"]
    rows = records(sheet)
    # All the county's entries but the export's own (the province's and city's are not shown).
    assert len(rows) == AuditLog.objects.visible_to(tree.auditor).count() - 1
    assert len(rows) < AuditLog.objects.count() - 1
    created = next(r for r in rows if r["对象"].value == "张三")
    assert created["时间"].is_date
    assert abs(created["时间"].value - timezone.localtime().replace(tzinfo=None)).seconds < 600
    assert (created["用户"].value, created["操作"].value, created["单位"].value) == \
        ("t_village", "新建", "东山根社区居民委员会")
    assert created["对象编号"].data_type == "s" and created["对象编号"].value == str(person.pk)
    # An ID number is recorded sealed and exported masked, never as itself.
    assert f"id_number：∅ → {person.masked_id}" in created["变更"].value
    assert person.id_number not in created["变更"].value

    entry = exports_taken().get()
    assert (entry.actor, entry.unit, entry.object_repr) == (tree.auditor, tree.county, "操作日志")
    assert entry.detail == {"filters": {}, "rows": len(rows)}


def test_audit_export_holds_only_the_filtered_entries(tree, client_for):
    make_person(unit=tree.community, actor=tree.village_officer, name="张三")
    client = client_for(tree.county_admin)
    today = timezone.localdate()
    sheet = sheet_of(client.get(AUDIT, {"actor": "t_village", "action": "create",
                                        "date_from": today.isoformat()}))
    assert [(r["用户"].value, r["对象"].value) for r in records(sheet)] == [("t_village", "张三")]
    assert exports_taken().get().detail == {
        "filters": {"actor": "t_village", "action": "create", "date_from": today.isoformat()},
        "rows": 1,
    }
    sheet = sheet_of(client.get(AUDIT, {"action": "export"}))
    assert [r["对象"].value for r in records(sheet)] == ["操作日志"]  # the first export


def test_audit_export_stays_in_the_users_area(tree, client_for, neighbour):
    make_person(unit=tree.community, actor=tree.village_officer, name="张三")
    objects = {r["对象"].value for r in records(sheet_of(client_for(neighbour).get(AUDIT)))}
    assert "张三" not in objects and "t_township" not in objects
    assert str(neighbour) in objects  # its own creation, in its own county
    objects = {r["对象"].value for r in records(sheet_of(client_for(tree.county_admin)
                                                       .get(AUDIT)))}
    assert "张三" in objects and str(neighbour) not in objects


def test_audit_export_is_for_auditors_and_administrators(tree, client, client_for):
    assert client.get(AUDIT).status_code == 302
    for user in (tree.township_officer, tree.village_officer, tree.leader):
        assert client_for(user).get(AUDIT).status_code == 403
    assert not exports_taken().exists()
    auditor = client_for(tree.auditor)
    auditor.cookies["django_language"] = "en"
    page = auditor.get(reverse("accounts:audit_list"), {"action": "view", "page": "1"})
    assert f'href="{AUDIT}?action=view">Export to Excel (.xlsx)</a>' in page.content.decode()


def test_audit_export_query_count_is_fixed(tree, client_for, django_assert_max_num_queries):
    client = client_for(tree.auditor)
    with django_assert_max_num_queries(20) as small:
        few = len(records(sheet_of(client.get(AUDIT))))
    for n in range(40):
        make_person(unit=tree.village, actor=tree.township_officer, name=f"甲{n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(records(sheet_of(client.get(AUDIT)))) >= few + 40
