"""The work committee 残工委 and the special associations 专门协会 (issue 18): services,
roles, pages with bounded queries, the workbooks and the demo."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditLog
from core.actors import SYSTEM
from ledgers import associations_services as links
from ledgers import records_services
from ledgers.activities_services import assistance_create
from ledgers.models import AssociationMember, Meeting, MemberRole
from orgs import committee_services as services
from orgs.models import AssociationKind, CommitteeDepartment, SpecialAssociation, WorkCommittee
from people.tests.factories import make_person
from standards import agreements_services
from standards.committee_services import agreement_link_department

pytestmark = pytest.mark.django_db


def _committee(tree, departments=1):
    committee = services.committee_create(actor=SYSTEM, unit=tree.county, chair_name="张县长",
                                          chair_post="副县长",
                                          vice_chairs="王主任 县政府办公室副主任")
    for n in range(departments):
        services.department_add(actor=SYSTEM, committee=committee, name=f"县第{n}局",
                                duties=f"职责{n}", contact_person=f"联系人{n}",
                                phone=f"0943-{n:04d}")
    return committee


def _person(tree, n, unit=None, category=1):
    return make_person(unit=unit or tree.village, name=f"会员{n}", category=category,
                       birth=dt.date(1960, 1, 1) + dt.timedelta(days=n))


# ---- services -------------------------------------------------------------------------------

def test_a_committee_is_created_once_for_a_county_and_audited(tree):
    committee = _committee(tree, departments=0)
    assert committee.unit == tree.county and committee.version == 1
    assert AuditLog.objects.filter(action=Action.CREATE, object_id=str(committee.pk)).exists()
    with pytest.raises(ValidationError) as second:
        services.committee_create(actor=SYSTEM, unit=tree.county, chair_name="李县长")
    assert "已有" in " ".join(second.value.messages)
    assert WorkCommittee.objects.count() == 1


def test_a_township_has_no_committee_nor_associations(tree):
    with pytest.raises(ValidationError) as exc:
        services.committee_create(actor=SYSTEM, unit=tree.township, chair_name="李镇长")
    assert "市或县" in exc.value.message_dict["unit"][0]
    with pytest.raises(ValidationError):
        services.associations_set_up(actor=SYSTEM, unit=tree.township)
    with pytest.raises(ValidationError) as chair:
        services.committee_create(actor=SYSTEM, unit=tree.county, chair_name="  ")
    assert chair.value.message_dict["chair_name"] == ["请填写残工委主任。"]


def test_an_edit_is_saved_and_a_stale_one_refused(tree):
    committee = _committee(tree, departments=0)
    started = {"chair_name": "张县长"}
    saved = services.committee_update(actor=SYSTEM, committee=committee, chair_name="赵县长",
                                      expected_version=1, started_from=started)
    assert (saved.chair_name, saved.version) == ("赵县长", 2)
    with pytest.raises(ValidationError) as stale:
        services.committee_update(actor=SYSTEM, committee=committee, chair_name="钱县长",
                                  expected_version=1, started_from=started)
    assert "赵县长" in " ".join(stale.value.messages)
    assert WorkCommittee.objects.get().chair_name == "赵县长"


def test_a_department_is_a_member_once_and_kept_while_it_has_an_agreement(tree):
    committee = _committee(tree, departments=0)
    department = services.department_add(actor=SYSTEM, committee=committee, name="县民政局",
                                         duties="两项补贴")
    with pytest.raises(ValidationError) as twice:
        services.department_add(actor=SYSTEM, committee=committee, name=" 县民政局 ")
    assert twice.value.message_dict["name"] == ["该部门已是残工委成员单位。"]
    year = timezone.localdate().year
    agreement = agreements_services.agreement_create(actor=SYSTEM, party_a=tree.county,
                                                     party_b_name="县民政局", year=year)
    agreement_link_department(actor=SYSTEM, agreement=agreement, department=department)
    with pytest.raises(ValidationError) as kept:
        services.department_remove(actor=SYSTEM, department=department)
    assert "责任书" in " ".join(kept.value.messages)
    agreement_link_department(actor=SYSTEM, agreement=agreement, department=None)
    services.department_remove(actor=SYSTEM, department=department)
    assert not CommitteeDepartment.objects.exists()


def test_an_agreement_with_a_township_is_not_a_departments(tree):
    committee = _committee(tree)
    agreement = agreements_services.agreement_create(
        actor=SYSTEM, party_a=tree.county, party_b=tree.township,
        year=timezone.localdate().year)
    with pytest.raises(ValidationError):
        agreement_link_department(actor=SYSTEM, agreement=agreement,
                                  department=committee.departments.first())


def test_the_five_associations_are_set_up_once(tree):
    made = services.associations_set_up(actor=SYSTEM, unit=tree.county)
    assert sorted(a.kind for a in made) == sorted(AssociationKind.values)
    audited = AuditLog.objects.count()
    again = services.associations_set_up(actor=SYSTEM, unit=tree.county)
    assert {a.pk for a in again} == {a.pk for a in made}
    assert AuditLog.objects.count() == audited
    with pytest.raises(ValidationError) as twice:
        services.association_create(actor=SYSTEM, unit=tree.county, kind="blind")
    assert twice.value.message_dict["kind"] == ["该单位已有这个专门协会。"]
    assert SpecialAssociation.objects.count() == 5


def test_members_come_from_the_register_of_the_area_and_one_chair(tree, client_for):
    blind = services.associations_set_up(actor=SYSTEM, unit=tree.county)[0]
    a, b = _person(tree, 1), _person(tree, 2)
    links.members_add(actor=SYSTEM, association=blind, people=[a], role=MemberRole.CHAIR)
    links.members_add(actor=SYSTEM, association=blind, people=[a, b])  # a is kept as chair
    assert dict(blind.members.values_list("person__name", "role")) == {
        "会员1": "chair", "会员2": "member"}
    with pytest.raises(ValidationError) as chair:
        links.members_add(actor=SYSTEM, association=blind, people=[b], role=MemberRole.CHAIR)
    assert "已有主席" in chair.value.message_dict["role"][0]
    # A township officer adds nobody to the county's association (not theirs to see).
    with pytest.raises(PermissionDenied):
        links.members_add(actor=tree.township_officer, association=blind, people=[b])


def test_a_meeting_and_an_activity_are_linked_within_their_units(tree):
    committee = _committee(tree)
    association = services.associations_set_up(actor=SYSTEM, unit=tree.county)[2]
    today = timezone.localdate()
    elsewhere = records_services.meeting_create(actor=SYSTEM, unit=tree.township,
                                                held_on=today, kind="work", minutes="镇例会")
    with pytest.raises(ValidationError):
        links.meeting_link(actor=SYSTEM, meeting=elsewhere, committee=committee)
    meeting = records_services.meeting_create(actor=SYSTEM, unit=tree.county, held_on=today,
                                              kind="work", title="残工委会议", minutes="部署")
    links.meeting_link(actor=SYSTEM, meeting=meeting, committee=committee)
    assert Meeting.objects.get(pk=meeting.pk).committee == committee
    activity = assistance_create(actor=SYSTEM, unit=tree.village, held_on=today,
                                 title="肢协走访", kind="visit")
    links.activity_link(actor=SYSTEM, activity=activity, association=association)
    activity.refresh_from_db()
    assert activity.association == association


# ---- pages, roles and scope -------------------------------------------------------------------

def test_leaders_read_and_only_administrators_edit(tree, client_for):
    committee = _committee(tree)
    leader = client_for(tree.leader)
    assert leader.get(committee.get_absolute_url()).status_code == 200
    assert leader.get(reverse("reports:committee_edit", args=[committee.pk])).status_code == 403
    association = services.associations_set_up(actor=SYSTEM, unit=tree.county)[0]
    assert leader.get(association.get_absolute_url()).status_code == 200
    assert leader.get(reverse("reports:members_add", args=[association.pk])).status_code == 403
    # A township's officer does not see the county's committee.
    township = client_for(tree.township_officer)
    assert township.get(committee.get_absolute_url()).status_code == 404
    assert client_for(tree.county_admin).get(
        reverse("reports:committee_edit", args=[committee.pk])).status_code == 200


def test_the_committee_form_saves_once_and_refuses_a_stale_edit(tree, client_for):
    client = client_for(tree.county_admin)
    url = reverse("reports:committee_create", args=[tree.county.pk])
    data = {"name": "残疾人工作委员会", "chair_name": "张县长", "chair_post": "副县长",
            "vice_chairs": "", "office": "", "note": "", "document_number": "",
            "established_on": "", "form_token": "tok-committee"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the same form again: saved once
    assert WorkCommittee.objects.count() == 1
    committee = WorkCommittee.objects.get()
    edit = reverse("reports:committee_edit", args=[committee.pk])
    services.committee_update(actor=SYSTEM, committee=committee, chair_name="赵县长")
    response = client.post(edit, {**data, "chair_name": "钱县长", "form_token": "tok-edit",
                                  "version": 1,
                                  "version_started": '{"chair_name": "张县长"}'})
    assert response.status_code == 200
    assert "赵县长" in response.content.decode()
    assert WorkCommittee.objects.get().chair_name == "赵县长"


def test_a_department_added_twice_shows_a_chinese_error(tree, client_for):
    committee = _committee(tree)
    client = client_for(tree.county_admin)
    url = reverse("reports:department_add", args=[committee.pk])
    response = client.post(url, {"name": "县第0局", "duties": "", "contact_person": "",
                                 "phone": "", "order": 5, "form_token": "tok-d"})
    assert response.status_code == 200
    assert "该部门已是残工委成员单位。" in response.content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_queries_do_not_grow_with_the_data(tree, client_for):
    committee = _committee(tree, departments=2)
    association = services.associations_set_up(actor=SYSTEM, unit=tree.county)[0]
    links.members_add(actor=SYSTEM, association=association,
                      people=[_person(tree, 1), _person(tree, 2)])
    client = client_for(tree.county_admin)
    urls = [reverse("reports:committee_list"), committee.get_absolute_url(),
            reverse("reports:unit_associations", args=[tree.county.pk]),
            association.get_absolute_url()]
    before = [_queries(client, url) for url in urls]
    year = timezone.localdate().year
    for n in range(2, 8):
        department = services.department_add(actor=SYSTEM, committee=committee,
                                              name=f"县新{n}局")
        agreement = agreements_services.agreement_create(
            actor=SYSTEM, party_a=tree.county, party_b_name=f"县新{n}局", year=year)
        agreement_link_department(actor=SYSTEM, agreement=agreement, department=department)
        meeting = records_services.meeting_create(
            actor=SYSTEM, unit=tree.county, held_on=timezone.localdate(), kind="work",
            minutes=f"第{n}次")
        links.meeting_link(actor=SYSTEM, meeting=meeting, committee=committee)
        links.members_add(actor=SYSTEM, association=association,
                          people=[_person(tree, 10 + n, unit=tree.community)])
        activity = assistance_create(actor=SYSTEM, unit=tree.village,
                                     held_on=timezone.localdate(), title=f"活动{n}",
                                     kind="visit")
        links.activity_link(actor=SYSTEM, activity=activity, association=association)
    after = [_queries(client, url) for url in urls]
    assert after == before
    page = client.get(committee.get_absolute_url()).content.decode()
    assert "县新7局" in page
    assert page.count('href="/standards/agreements/') == 6  # each department's agreement
    assert page.count('href="/ledgers/meetings/') == 6


def test_the_association_page_shows_names_never_id_numbers(tree, client_for):
    association = services.associations_set_up(actor=SYSTEM, unit=tree.county)[0]
    person = _person(tree, 1)
    links.members_add(actor=SYSTEM, association=association, people=[person])
    page = client_for(tree.leader).get(association.get_absolute_url()).content.decode()
    assert "会员1" in page and person.get_absolute_url() in page
    assert person.id_number not in page and person.id_number[-4:] not in page


def test_members_are_added_once_from_the_form(tree, client_for):
    association = services.associations_set_up(actor=SYSTEM, unit=tree.county)[0]
    a = _person(tree, 1)
    outsider = make_person(unit=tree.other_village, name="外人",
                           birth=dt.date(1950, 1, 1))
    client = client_for(tree.township_officer)
    assert client.get(association.get_absolute_url()).status_code == 404
    client = client_for(tree.county_admin)
    url = reverse("reports:members_add", args=[association.pk])
    data = {"people": [a.pk], "role": "member", "joined_on": "", "form_token": "tok-m"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert AssociationMember.objects.count() == 1
    empty = client.post(url, {"role": "member", "form_token": "tok-m2"})
    assert "请至少选择一位已登记的残疾人。" in empty.content.decode()
    assert outsider.unit_id != a.unit_id


# ---- workbooks ---------------------------------------------------------------------------------

def _sheet(response):
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def test_the_committee_member_list_workbook(tree, client_for):
    committee = _committee(tree, departments=2)
    sheet = _sheet(client_for(tree.leader).get(
        reverse("reports:committee_xlsx", args=[committee.pk])))
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert rows[0][:4] == [1, "主任", "张县长", "副县长"]
    assert rows[1][:4] == [2, "副主任", "王主任", "县政府办公室副主任"]
    assert rows[2] == [3, "成员单位", "县第0局", "职责0", "联系人0", "0943-0000"]
    assert len(rows) == 4
    assert AuditLog.objects.filter(action=Action.EXPORT, actor=tree.leader).count() == 1


def test_the_association_members_workbook(tree, client_for):
    association = services.associations_set_up(actor=SYSTEM, unit=tree.county)[0]
    links.members_add(actor=SYSTEM, association=association, people=[_person(tree, 1)],
                      role=MemberRole.CHAIR, joined_on=dt.date(2020, 5, 1))
    links.members_add(actor=SYSTEM, association=association, people=[_person(tree, 2)])
    sheet = _sheet(client_for(tree.county_admin).get(
        reverse("reports:association_xlsx", args=[association.pk])))
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert [r[:4] for r in rows] == [[1, "会员1", "主席", tree.village.name],
                                     [2, "会员2", "会员", tree.village.name]]
    assert rows[0][4].date() == dt.date(2020, 5, 1)
    assert sheet.cell(1, 1).value.startswith("会宁县盲人协会会员名单")


# ---- the demo ----------------------------------------------------------------------------------

def test_the_demo_loads_once(tree):
    from reports.committee_demo import load_committee_demo

    for n in range(3):
        _person(tree, n, category=1)
        _person(tree, 20 + n, category=4)
    today = timezone.localdate()
    departments, members = load_committee_demo(county=tree.county, today=today)
    assert departments == 6 and members == 6
    audited = AuditLog.objects.count()
    assert load_committee_demo(county=tree.county, today=today) == (6, 6)
    assert AuditLog.objects.count() == audited
    committee = WorkCommittee.objects.get(unit=tree.county)
    assert Meeting.objects.filter(committee=committee).count() == 1
    physical = SpecialAssociation.objects.get(unit=tree.county, kind="physical")
    assert physical.members.filter(role="chair").count() == 1


def test_what_was_linked_by_mistake_is_unlinked(tree, client_for):
    committee = _committee(tree)
    association = services.associations_set_up(actor=SYSTEM, unit=tree.county)[0]
    today = timezone.localdate()
    meeting = links.meeting_link(actor=SYSTEM, committee=committee, meeting=(
        records_services.meeting_create(actor=SYSTEM, unit=tree.county, held_on=today,
                                        kind="work", minutes="误关联")))
    activity = links.activity_link(actor=SYSTEM, association=association, activity=(
        assistance_create(actor=SYSTEM, unit=tree.village, held_on=today, title="误关联",
                          kind="visit")))
    client = client_for(tree.county_admin)
    assert client.post(reverse("reports:meeting_unlink", args=[meeting.pk])).status_code == 302
    assert client.post(reverse("reports:activity_unlink",
                               args=[activity.pk])).status_code == 302
    meeting.refresh_from_db()
    activity.refresh_from_db()
    assert meeting.committee is None and activity.association is None
    # Unlinked, they are no longer found there (a second press is a 404, not an error).
    assert client.post(reverse("reports:meeting_unlink", args=[meeting.pk])).status_code == 404


def test_an_agreement_names_its_member_department_on_its_own_page(tree, client_for):
    committee = _committee(tree)
    department = committee.departments.get()
    agreement = agreements_services.agreement_create(
        actor=SYSTEM, party_a=tree.county, party_b_name=department.name,
        year=timezone.localdate().year)
    url = reverse("standards:agreement_detail", args=[agreement.pk])
    assert department.get_absolute_url() not in client_for(tree.county_admin).get(
        url).content.decode()
    agreement_link_department(actor=SYSTEM, agreement=agreement, department=department)
    page = client_for(tree.county_admin).get(url).content.decode()
    assert f'<a href="{department.get_absolute_url()}">{department.name}</a>' in page
    assert "会宁县" in page
