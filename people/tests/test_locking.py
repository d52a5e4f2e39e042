"""Lost updates and double submits on the people pages: the optimistic lock (a version on
the person, the need and the job seeking) and the one-time token of the create forms."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from core.actors import SYSTEM
from core.tests.forms import error_summary, page_form
from core.versions import StaleVersion
from people import services
from people.models import JobSeeker, Need, Person, Visit

from .factories import make_person
from .test_imports import upload, xlsx

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend="accounts.backends.RoleBackend")
    return client


def _race(url, first_user, second_user, first_change: dict, second_change: dict):
    """Two officers open the same form; the first saves, then the second: the second's
    response."""
    first, second = _client(first_user), _client(second_user)
    first_data, second_data = page_form(first.get(url)), page_form(second.get(url))
    assert first.post(url, first_data | first_change).status_code == 302
    return second, second.post(url, second_data | second_change)


# ---- the person -------------------------------------------------------------------------------

def test_a_stale_person_save_is_refused_showing_both_and_keeping_the_input(tree):
    person = make_person(unit=tree.community, name="马有福", phone="13900000001",
                         address="3组")
    url = reverse("people:person_edit", args=[person.pk])
    second, response = _race(url, tree.village_officer, tree.township_officer,
                             {"phone": "13900000002"}, {"address": "新村5组12号"})
    assert response.status_code == 200
    summary = error_summary(response)
    assert "其他人已保存" in summary and "电话：13900000002" in summary
    assert "13900000002" in summary                    # what the other save changed
    assert "3组" not in summary and "马有福" not in summary  # not what both have
    again = page_form(response)
    assert again["address"] == "新村5组12号"            # the input is kept
    assert again["phone"] == "13900000002"             # and the other's change taken in
    person.refresh_from_db()
    assert (person.phone, person.address, person.version) == ("13900000002", "3组", 2)
    # Having seen it, the user saves again: now from the current version, it is accepted,
    # and neither change is lost.
    assert second.post(url, again).status_code == 302
    person.refresh_from_db()
    assert (person.phone, person.address, person.version) == ("13900000002", "新村5组12号", 3)


def test_where_both_changed_a_field_the_users_input_stays_and_theirs_is_shown(tree):
    person = make_person(unit=tree.community, phone="13900000001", dibao=False)
    url = reverse("people:person_edit", args=[person.pk])
    _second, response = _race(url, tree.village_officer, tree.township_officer,
                              {"phone": "13900000002", "dibao": "on"},
                              {"phone": "13900000003"})
    assert "13900000002" in error_summary(response)
    again = page_form(response)
    assert again["phone"] == "13900000003" and again["dibao"] == "on"
    assert Person.objects.get(pk=person.pk).phone == "13900000002"


def test_the_edit_form_carries_the_version(tree, client_for):
    person = make_person(unit=tree.community)
    services.person_update(actor=SYSTEM, person=person, phone="13900000009")
    data = page_form(client_for(tree.village_officer).get(
        reverse("people:person_edit", args=[person.pk])))
    assert data["version"] == "2" and "form_token" in data


def test_person_update_refuses_a_stale_version_and_names_the_change(tree):
    person = make_person(unit=tree.community, phone="13900000001")
    started = {"phone": "13900000001", "address": ""}
    services.person_update(actor=SYSTEM, person=person, phone="13900000002")
    with pytest.raises(StaleVersion) as refused:
        services.person_update(actor=tree.village_officer, person=person, address="5组",
                               expected_version=1, started_from=started)
    assert "13900000002" in refused.value.messages[0]
    assert refused.value.changed == ["phone"] and refused.value.obj.version == 2
    person.refresh_from_db()
    assert person.address == "" and person.version == 2


def test_person_update_accepts_the_current_version_and_counts_on(tree):
    person = make_person(unit=tree.community)
    assert person.version == 1
    saved = services.person_update(actor=tree.village_officer, person=person, address="5组",
                                   expected_version=1, started_from={"address": ""})
    assert saved.version == 2 and Person.objects.get(pk=person.pk).version == 2


def test_other_writes_of_a_person_count_the_version_on(tree):
    person = make_person(unit=tree.community)
    services.person_set_status(actor=SYSTEM, person=person, status="deceased",
                               on=dt.date(2024, 1, 1))
    assert Person.objects.get(pk=person.pk).version == 2
    services.person_move(actor=SYSTEM, person=person, to_unit=tree.village)
    assert Person.objects.get(pk=person.pk).version == 3


def test_an_import_in_update_mode_counts_the_version_on(tree):
    person = make_person(unit=tree.community, name="老名字")
    untouched = make_person(unit=tree.community, name="不变", birth=dt.date(1980, 1, 2))
    row = ["新名字", "", person.id_number, person.certificate_number, "", "", "13900001111",
           "", "东山根社区"]
    job = upload(tree.village_officer, xlsx([row]), update_existing=True)
    assert job.updated == 1
    assert Person.objects.get(pk=person.pk).version == 2
    assert Person.objects.get(pk=untouched.pk).version == 1


# ---- needs and job seeking -------------------------------------------------------------------

def test_a_stale_need_save_is_refused_showing_both_and_keeping_the_input(tree):
    person = make_person(unit=tree.community)
    need = services.need_create(actor=SYSTEM, person=person, type="rehabilitation",
                                detail="上门康复")
    url = reverse("people:need_edit", args=[need.pk])
    _second, response = _race(url, tree.village_officer, tree.township_officer,
                              {"responsible": "县康复中心"}, {"detail": "上门康复，每周两次"})
    assert response.status_code == 200
    assert "县康复中心" in error_summary(response)
    assert page_form(response)["detail"] == "上门康复，每周两次"
    need.refresh_from_db()
    assert (need.responsible, need.detail, need.version) == ("县康复中心", "上门康复", 2)


def test_need_update_refuses_a_stale_version_and_accepts_a_fresh_one(tree):
    person = make_person(unit=tree.community)
    need = services.need_create(actor=SYSTEM, person=person, type="education")
    services.need_update(actor=SYSTEM, need=need, responsible="乡镇残联")
    with pytest.raises(StaleVersion) as refused:
        services.need_update(actor=SYSTEM, need=need, detail="入学", expected_version=1,
                             started_from={"responsible": "", "detail": ""})
    assert "乡镇残联" in refused.value.messages[0]
    saved = services.need_update(actor=SYSTEM, need=need, detail="入学", expected_version=2)
    assert saved.version == 3 and Need.objects.get(pk=need.pk).detail == "入学"


def test_a_stale_job_seeking_save_is_refused_showing_both_and_keeping_the_input(tree):
    person = make_person(unit=tree.community)
    job = services.jobseeker_register(actor=SYSTEM, person=person, work_wished="保洁",
                                      ability="partial")
    url = reverse("people:jobseeker_edit", args=[job.pk])
    _second, response = _race(url, tree.village_officer, tree.township_officer,
                              {"skills": "缝纫"}, {"work_wished": "手工编织"})
    assert response.status_code == 200
    assert "缝纫" in error_summary(response)
    assert page_form(response)["work_wished"] == "手工编织"
    job.refresh_from_db()
    assert (job.skills, job.work_wished, job.version) == ("缝纫", "保洁", 2)


def test_jobseeker_update_refuses_a_stale_version_and_accepts_a_fresh_one(tree):
    person = make_person(unit=tree.community)
    job = services.jobseeker_register(actor=SYSTEM, person=person, work_wished="保洁",
                                      ability="full")
    services.jobseeker_update(actor=SYSTEM, job=job, skills="电脑")
    with pytest.raises(StaleVersion) as refused:
        services.jobseeker_update(actor=SYSTEM, job=job, skills="缝纫", expected_version=1,
                                  started_from={"skills": ""})
    assert "电脑" in refused.value.messages[0]
    assert JobSeeker.objects.get(pk=job.pk).skills == "电脑"
    saved = services.jobseeker_update(actor=SYSTEM, job=job, skills="缝纫", expected_version=2)
    assert saved.version == 3


# ---- double submits --------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "model", "fields"), [
    ("need_create", Need, {"type": "rehabilitation", "detail": "上门康复"}),
    ("visit_create", Visit, {"mode": "home", "findings": "一切正常"}),
    ("jobseeker_create", JobSeeker, {"work_wished": "保洁", "ability": "partial"}),
])
def test_a_create_form_sent_twice_creates_once(tree, client_for, name, model, fields):
    person = make_person(unit=tree.community)
    client = client_for(tree.village_officer)
    url = reverse(f"people:{name}", args=[person.pk])
    data = page_form(client.get(url)) | fields
    assert data["form_token"]
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second.url == first.url == person.get_absolute_url()
    assert model.objects.filter(person=person).count() == 1
    # A new form is a new token: registering another one still works.
    assert client.post(url, page_form(client.get(url)) | fields).status_code == 302
    assert model.objects.filter(person=person).count() == 2


def test_a_refused_submit_leaves_its_token_usable(tree, client_for):
    person = make_person(unit=tree.community)
    client = client_for(tree.village_officer)
    url = reverse("people:jobseeker_create", args=[person.pk])
    data = page_form(client.get(url)) | {"work_wished": "保洁", "ability": "full",
                                         "status": "placed"}  # placed needs an employer
    response = client.post(url, data)
    assert response.status_code == 200 and error_summary(response)
    again = page_form(response)
    assert again["form_token"] == data["form_token"]
    assert client.post(url, again | {"status": "seeking"}).status_code == 302
    assert JobSeeker.objects.filter(person=person).count() == 1


def test_an_edit_form_sent_twice_is_a_repeat_not_a_conflict(tree, client_for):
    """The second of a double submit carries the version the first one used up: it is told
    apart by its token, and leads where the first did instead of reporting a conflict."""
    person = make_person(unit=tree.community)
    need = services.need_create(actor=SYSTEM, person=person, type="education")
    client = client_for(tree.village_officer)
    url = reverse("people:need_edit", args=[need.pk])
    data = page_form(client.get(url)) | {"responsible": "乡镇残联"}
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second.url == first.url == person.get_absolute_url()
    need.refresh_from_db()
    assert need.responsible == "乡镇残联" and need.version == 2


def test_the_message_shows_values_as_the_pages_do(tree):
    person = make_person(unit=tree.community)
    started = {"dibao": False, "education": "", "grid": None, "notes": ""}
    services.person_update(actor=SYSTEM, person=person, dibao=True, education="primary",
                           grid=tree.grid)
    with pytest.raises(StaleVersion) as refused:
        services.person_update(actor=SYSTEM, person=person, notes="改", expected_version=1,
                               started_from=started)
    message = refused.value.messages[0]
    assert sorted(refused.value.changed) == ["dibao", "education", "grid"]
    assert "是" in message and "小学" in message and tree.grid.name in message
    assert "notes" not in message and "备注" not in message


def test_the_registration_sent_twice_registers_once(tree, client_for):
    client = client_for(tree.village_officer)
    url = reverse("people:person_create")
    data = page_form(client.get(url)) | {
        "unit": str(tree.community.pk), "name": "无证人", "hukou": "rural", "gender": "F",
        "birth_date": "1950-02-03", "id_number": "", "certificate_number": ""}
    first, second = client.post(url, data), client.post(url, data)
    person = Person.objects.get(name="无证人")  # no ID number: nothing unique would stop it
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == person.get_absolute_url()
