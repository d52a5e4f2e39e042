"""The register's endpoints: in scope, out of scope (404), without permission (403); the
forms' messages field by field; versions; masking; audited reads; offline client ids."""

import uuid

import pytest
from django.contrib.contenttypes.models import ContentType

from api.tests.helpers import Api
from audit.models import Action, AuditLog
from people import services
from people.models import Need, Person, Visit
from people.tests.factories import make_id, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree):
    tree.mine = make_person(unit=tree.community, name="李明")
    tree.second = make_person(unit=tree.village, name="王芳", male=False)
    tree.theirs = make_person(unit=tree.other_village, name="郭外")
    return tree


def _views(user):
    return AuditLog.objects.filter(actor=user, action=Action.VIEW)


# ---- the list ---------------------------------------------------------------------------------
def test_the_list_is_the_users_scope_masked_and_audited_once(people, client):
    t = people
    answer = Api(client, t.township_officer).get("people")
    assert answer.status_code == 200
    items = answer.json()["items"]
    assert {i["name"] for i in items} == {"李明", "王芳"}
    assert all("*" in i["masked_id"] and "id_number" not in i for i in items)
    entry = _views(t.township_officer).get()
    assert entry.detail["count"] == 2
    assert set(entry.detail["ids"]) == {t.mine.pk, t.second.pk}


def test_the_list_takes_the_register_pages_filters(people, client):
    t = people
    api = Api(client, t.county_admin)
    assert [i["name"] for i in api.get("people", q="李明").json()["items"]] == ["李明"]
    assert [i["name"] for i in api.get("people", gender="F").json()["items"]] == ["王芳"]
    assert {i["name"] for i in api.get("people", unit=t.other_township.pk).json()["items"]} \
        == {"郭外"}


def test_a_bad_filter_is_422_with_the_filter_bars_message(people, client):
    answer = Api(client, people.county_admin).get("people", category="99")
    assert answer.status_code == 422
    assert "category" in answer.json()["errors"]
    assert "99" in answer.json()["errors"]["category"][0]  # Django's "选择一个有效的选项…"


def test_a_unit_filter_out_of_scope_is_refused_not_widened(people, client):
    answer = Api(client, people.township_officer).get("people", unit=people.other_township.pk)
    assert answer.status_code == 422
    from orgs.forms import UnitPickerField

    field = UnitPickerField(user=people.township_officer)
    with pytest.raises(Exception) as refused:
        field.clean((people.other_township.pk, ""))
    assert answer.json()["errors"]["unit"] == refused.value.messages


def test_cursor_pages_walk_the_whole_list_once(people, client):
    t = people
    for n in range(5):
        make_person(unit=t.community, name=f"翻页{n}")
    api = Api(client, t.county_admin)
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = api.get("people", **params).json()
        assert len(page["items"]) <= 2
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(Person.objects.values_list("pk", flat=True))


@pytest.mark.parametrize("size", [3, 15])
def test_the_lists_query_count_does_not_grow_with_the_page(tree, client,
                                                           django_assert_max_num_queries, size):
    for n in range(size):
        person = make_person(unit=tree.community, name=f"计数{n}")
        services.need_create(actor=tree.county_admin, person=person, type="relief")
        services.jobseeker_register(actor=tree.county_admin, person=person,
                                    work_wished="保洁", ability="full")
    api = Api(client, tree.county_admin)
    api.get("units/")  # the token's first use is marked once
    for path in ("people", "needs", "jobseekers"):
        with django_assert_max_num_queries(9):
            answer = api.get(path, limit=50)
        assert len(answer.json()["items"]) == size


def test_the_list_without_permission_is_403(people, client):
    assert Api(client, people.auditor).get("people").status_code == 403
    assert Api(client, None).get("people").status_code == 401


# ---- one person -------------------------------------------------------------------------------
def test_the_detail_shows_the_id_whole_to_who_keeps_the_register_masked_to_a_leader(people,
                                                                                    client):
    t = people
    officer = Api(client, t.village_officer).get(f"people/{t.mine.pk}").json()
    assert officer["id_number"] == t.mine.id_number
    assert officer["certificate_number"] == t.mine.certificate_number
    leader = Api(client, t.leader).get(f"people/{t.mine.pk}").json()
    assert leader["id_number"] == t.mine.masked_id != t.mine.id_number
    assert t.mine.id_number not in str(leader)
    entry = _views(t.leader).get()
    assert entry.object_id == str(t.mine.pk)
    assert entry.content_type == ContentType.objects.get_for_model(Person)


def test_a_person_out_of_scope_is_404_and_without_permission_403(people, client):
    t = people
    api = Api(client, t.township_officer)
    for path in (f"people/{t.theirs.pk}", f"people/{t.theirs.pk}/visits",
                 f"people/{t.theirs.pk}/needs", f"people/{t.theirs.pk}/jobseekers"):
        assert api.get(path).status_code == 404, path
    assert api.patch(f"people/{t.theirs.pk}", {"version": 1, "name": "改"}).status_code == 404
    assert api.post(f"people/{t.theirs.pk}/visits",
                    {"visited_on": "2026-01-05", "mode": "home"}).status_code == 404
    auditor = Api(client, t.auditor)
    assert auditor.get(f"people/{t.mine.pk}").status_code == 403
    assert auditor.get(f"people/{t.mine.pk}/visits").status_code == 403


# ---- register and change ----------------------------------------------------------------------
def _new(unit, **fields):
    return {"unit": unit.pk, "name": "赵新", "id_number": make_id(), "hukou": "rural"} | fields


def test_register_a_person(people, client):
    t = people
    answer = Api(client, t.village_officer).post("people", _new(t.community))
    assert answer.status_code == 201, answer.content
    person = Person.objects.get(pk=answer.json()["id"])
    assert person.name == "赵新" and person.registered_by == t.village_officer
    assert AuditLog.objects.filter(action=Action.CREATE, object_id=str(person.pk)).exists()


def test_register_errors_are_the_forms_messages_field_by_field(people, client):
    t = people
    api = Api(client, t.village_officer)
    answer = api.post("people", _new(t.community, hukou="x"))
    assert answer.status_code == 422
    errors = answer.json()["errors"]
    from people.forms import PersonForm

    form = PersonForm({"unit": t.community.pk, "name": "赵新", "hukou": "x"},
                      user=t.village_officer)
    form.is_valid()
    assert errors["hukou"] == form.errors["hukou"]
    with pytest.raises(Exception) as refused:
        services.person_register(actor=t.village_officer, unit=t.community, name="赵新",
                                 id_number="620422197005171234", hukou="rural")
    bad_id = api.post("people", _new(t.community, id_number="620422197005171234"))
    assert bad_id.status_code == 422
    assert bad_id.json()["errors"]["id_number"] == refused.value.message_dict["id_number"]
    assert not Person.objects.filter(name="赵新").exists()


def test_register_outside_the_scope_or_without_permission(people, client):
    t = people
    outside = Api(client, t.village_officer).post("people", _new(t.other_village))
    assert outside.status_code == 422 and "unit" in outside.json()["errors"]
    assert Api(client, t.leader).post("people", _new(t.community)).status_code == 403
    missing = Api(client, t.village_officer).post("people", {"name": "缺"})
    assert missing.status_code == 422
    assert set(missing.json()["errors"]) == {"unit", "hukou"}
    assert missing.json()["errors"]["hukou"] == ["这个字段是必填项。"]


def test_change_a_person_with_their_version(people, client):
    t = people
    api = Api(client, t.village_officer)
    answer = api.patch(f"people/{t.mine.pk}", {"version": t.mine.version, "phone": "13900000000"})
    assert answer.status_code == 200, answer.content
    assert answer.json()["phone"] == "13900000000"
    assert answer.json()["version"] == t.mine.version + 1
    assert answer.json()["name"] == "李明"  # what was not sent stays
    stale = api.patch(f"people/{t.mine.pk}", {"version": t.mine.version, "phone": "1"})
    assert stale.status_code == 409
    assert "version" in stale.json()["errors"]
    t.mine.refresh_from_db()
    assert t.mine.phone == "13900000000"
    assert Api(client, t.leader).patch(f"people/{t.mine.pk}",
                                       {"version": t.mine.version}).status_code == 403


# ---- visits -----------------------------------------------------------------------------------
def test_record_a_visit_from_a_phone_with_the_needs_found(people, client):
    t = people
    api = Api(client, t.village_officer)
    answer = api.post(f"people/{t.mine.pk}/visits", {
        "visited_on": "2026-01-05", "mode": "home", "findings": "轮椅坏了",
        "found_needs": ["rehabilitation"]})
    assert answer.status_code == 201, answer.content
    visit = Visit.objects.get(pk=answer.json()["id"])
    assert visit.worker == t.village_officer and visit.worker_name == str(t.village_officer)
    found = Need.objects.filter(visit=visit).values_list("type", flat=True)
    assert list(found) == ["rehabilitation"]
    listed = api.get(f"people/{t.mine.pk}/visits").json()
    assert [v["id"] for v in listed] == [visit.pk]


def test_a_visit_sent_twice_with_its_client_id_is_recorded_once(people, client):
    t = people
    api = Api(client, t.village_officer)
    body = {"visited_on": "2026-01-05", "mode": "home", "client_id": str(uuid.uuid4()),
            "found_needs": ["rehabilitation"]}
    first = api.post(f"people/{t.mine.pk}/visits", body)
    again = api.post(f"people/{t.mine.pk}/visits", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert Visit.objects.filter(person=t.mine).count() == 1
    assert Need.objects.filter(person=t.mine).count() == 1
    neighbour = make_person(unit=t.community, name="邻居")
    other = api.post(f"people/{neighbour.pk}/visits", body)
    assert other.status_code == 422 and "client_id" in other.json()["errors"]


def test_visit_errors_and_permissions(people, client):
    t = people
    api = Api(client, t.village_officer)
    bad = api.post(f"people/{t.mine.pk}/visits", {"visited_on": "2026-01-01", "mode": "fly"})
    assert bad.status_code == 422
    assert list(bad.json()["errors"]) == ["mode"]  # the form's check of the shape
    future = api.post(f"people/{t.mine.pk}/visits", {"visited_on": "2999-01-01", "mode": "home"})
    assert future.status_code == 422
    assert list(future.json()["errors"]) == ["visited_on"]  # the rule's, from the service
    assert not Visit.objects.exists()
    assert Api(client, t.leader).post(f"people/{t.mine.pk}/visits", {
        "visited_on": "2026-01-05", "mode": "home"}).status_code == 403


# ---- needs ------------------------------------------------------------------------------------
def test_needs_create_once_list_detail_and_change(people, client):
    t = people
    api = Api(client, t.village_officer)
    body = {"type": "rehabilitation", "detail": "需要轮椅", "client_id": str(uuid.uuid4())}
    first = api.post(f"people/{t.mine.pk}/needs", body)
    again = api.post(f"people/{t.mine.pk}/needs", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert Need.objects.filter(person=t.mine).count() == 1
    pk = first.json()["id"]
    assert [n["id"] for n in api.get("needs").json()["items"]] == [pk]
    assert [n["id"] for n in api.get(f"people/{t.mine.pk}/needs").json()] == [pk]
    assert api.get(f"needs/{pk}").json()["detail"] == "需要轮椅"
    changed = api.patch(f"needs/{pk}", {"version": 1, "responsible": "村委会"})
    assert changed.status_code == 200 and changed.json()["version"] == 2
    assert api.patch(f"needs/{pk}", {"version": 1, "responsible": "x"}).status_code == 409
    other = Api(client, t.other_officer)
    assert other.get(f"needs/{pk}").status_code == 404
    assert other.patch(f"needs/{pk}", {"version": 2}).status_code == 404
    assert Api(client, t.auditor).get("needs").status_code == 403
    assert Api(client, t.leader).post(f"people/{t.mine.pk}/needs", body).status_code == 403


# ---- job seekers and transfers ----------------------------------------------------------------
def test_job_seekers(people, client):
    t = people
    api = Api(client, t.village_officer)
    made = api.post(f"people/{t.mine.pk}/jobseekers", {"work_wished": "保洁", "ability": "full"})
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert [j["id"] for j in api.get("jobseekers").json()["items"]] == [pk]
    assert api.get(f"jobseekers/{pk}").json()["work_wished"] == "保洁"
    assert Api(client, t.other_officer).get(f"jobseekers/{pk}").status_code == 404
    assert Api(client, t.auditor).get("jobseekers").status_code == 403
    bad = api.post(f"people/{t.mine.pk}/jobseekers", {"work_wished": "", "ability": "x"})
    assert bad.status_code == 422 and {"work_wished", "ability"} <= set(bad.json()["errors"])


def test_transfers_name_the_person_only_to_the_holder(people, client):
    t = people
    services.transfer_request(actor=t.other_officer, id_number=t.mine.id_number,
                              to_unit=t.other_village)
    holder = Api(client, t.township_officer).get("transfers").json()
    assert [line["person"] for line in holder["pending"]] == ["李明"]
    asking = Api(client, t.other_officer).get("transfers").json()
    shown = [line for group in asking.values() for line in group]
    assert shown and all(line["person"] != "李明" and not line["named"] for line in shown)
    assert Api(client, t.auditor).get("transfers").status_code == 403
