"""The ledgers' endpoints written to and read: in scope (200/201), out of scope (404),
without permission (403); the forms' messages; versions; the work record's 7-day lock; the
petitions' masking and audit; query counts that do not grow with the page."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from api.tests.helpers import Api
from audit.models import Action, AuditLog
from core.actors import SYSTEM
from ledgers import activities_services, records_services
from ledgers.models import AssistanceActivity, WorkEntry
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _entry(tree, **fields):
    return records_services.work_entry_create(actor=SYSTEM, unit=tree.community,
                                              written_on=timezone.localdate(),
                                              content=fields.pop("content", "走访三户"),
                                              **fields)


# ---- work records: create and update --------------------------------------------------------
def test_a_village_officer_writes_a_record_in_their_own_book(tree, client):
    api = Api(client, tree.village_officer)
    answer = api.post("ledgers/work-records", {"subject": "走访", "content": "走访五户"})
    assert answer.status_code == 201, answer.content
    body = answer.json()
    entry = WorkEntry.objects.get()
    assert body["id"] == entry.pk and body["unit_id"] == tree.community.pk
    assert entry.written_on == timezone.localdate() and entry.created_by == tree.village_officer
    assert AuditLog.objects.filter(action=Action.CREATE, object_id=str(entry.pk)).exists()


def test_a_township_officer_writes_a_book_beneath_not_one_out_of_scope(tree, client):
    api = Api(client, tree.township_officer)
    answer = api.post("ledgers/work-records", {"unit": tree.village.pk, "content": "记录"})
    assert answer.status_code == 201, answer.content
    assert answer.json()["unit_id"] == tree.village.pk
    refused = api.post("ledgers/work-records", {"unit": tree.other_village.pk,
                                                "content": "记录"})
    assert refused.status_code == 422
    assert "unit" in refused.json()["errors"]
    assert WorkEntry.objects.count() == 1


def test_a_record_without_content_or_dated_tomorrow_is_422_in_chinese(tree, client):
    api = Api(client, tree.village_officer)
    empty = api.post("ledgers/work-records", {"content": ""})
    assert empty.status_code == 422
    assert CHINESE.search(empty.json()["errors"]["content"][0])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    future = api.post("ledgers/work-records", {"content": "记录",
                                               "written_on": tomorrow.isoformat()})
    assert future.status_code == 422
    assert CHINESE.search(future.json()["errors"]["written_on"][0])
    assert not WorkEntry.objects.exists()


def test_a_record_is_changed_with_its_version_and_a_stale_one_is_409(tree, client):
    entry = _entry(tree)
    api = Api(client, tree.village_officer)
    answer = api.patch(f"ledgers/work-records/{entry.pk}", {"version": entry.version,
                                                            "content": "改正"})
    assert answer.status_code == 200, answer.content
    assert answer.json()["content"] == "改正" and answer.json()["version"] == entry.version + 1
    entry.refresh_from_db()
    assert entry.content == "改正" and entry.subject == ""  # the rest kept
    stale = api.patch(f"ledgers/work-records/{entry.pk}", {"version": entry.version - 1,
                                                           "content": "再改"})
    assert stale.status_code == 409
    entry.refresh_from_db()
    assert entry.content == "改正"


def test_the_seven_day_lock_is_422_with_its_chinese_message(tree, client):
    entry = _entry(tree)
    WorkEntry.objects.filter(pk=entry.pk).update(
        created_at=timezone.now() - dt.timedelta(days=8))
    answer = Api(client, tree.village_officer).patch(
        f"ledgers/work-records/{entry.pk}", {"version": entry.version, "content": "晚了"})
    assert answer.status_code == 422
    message = answer.json()["errors"]["__all__"][0]
    assert "7" in message and CHINESE.search(message)
    entry.refresh_from_db()
    assert entry.content == "走访三户"
    note = Api(client, tree.village_officer).post(f"ledgers/work-records/{entry.pk}/notes",
                                                  {"text": "补记：另走访一户"})
    assert note.status_code == 201, note.content
    notes = Api(client, tree.village_officer).get(f"ledgers/work-records/{entry.pk}/notes")
    assert [n["text"] for n in notes.json()] == ["补记：另走访一户"]
    empty = Api(client, tree.village_officer).post(f"ledgers/work-records/{entry.pk}/notes",
                                                   {"text": ""})
    assert empty.status_code == 422 and CHINESE.search(empty.json()["errors"]["text"][0])


def test_work_record_writes_out_of_scope_404_without_permission_403(tree, client):
    entry = _entry(tree)
    other = Api(client, tree.other_officer)
    assert other.patch(f"ledgers/work-records/{entry.pk}",
                       {"version": entry.version, "content": "别处"}).status_code == 404
    assert other.get(f"ledgers/work-records/{entry.pk}/notes").status_code == 404
    assert other.post(f"ledgers/work-records/{entry.pk}/notes",
                      {"text": "别处"}).status_code == 404
    auditor = Api(client, tree.auditor)
    assert auditor.post(f"ledgers/work-records/{entry.pk}/notes",
                        {"text": "审计"}).status_code == 403
    assert not entry.notes.exists()
    for user in (tree.auditor, tree.leader):
        api = Api(client, user)
        assert api.post("ledgers/work-records", {"content": "记录"}).status_code == 403
        assert api.patch(f"ledgers/work-records/{entry.pk}",
                         {"version": entry.version, "content": "别处"}).status_code == 403
    entry.refresh_from_db()
    assert entry.content == "走访三户" and WorkEntry.objects.count() == 1


# ---- assistance activities: create and update -----------------------------------------------
def test_an_activity_is_recorded_with_the_people_it_helped(tree, client):
    helped = make_person(unit=tree.community, name="受助人")
    api = Api(client, tree.village_officer)
    answer = api.post("ledgers/assistance", {"title": "助残日慰问", "kind": "visit",
                                             "people": [helped.pk], "money": "200.50"})
    assert answer.status_code == 201, answer.content
    body = answer.json()
    activity = AssistanceActivity.objects.get()
    assert body["id"] == activity.pk and body["unit_id"] == tree.community.pk
    assert [p["id"] for p in body["people"]] == [helped.pk]
    assert str(activity.money) == "200.50"
    assert AuditLog.objects.filter(action=Action.CREATE, object_id=str(activity.pk)).exists()


def test_an_activity_with_a_person_out_of_scope_or_a_bad_kind_is_refused(tree, client):
    theirs = make_person(unit=tree.other_village, name="郭外")
    api = Api(client, tree.village_officer)
    answer = api.post("ledgers/assistance", {"title": "慰问", "people": [theirs.pk]})
    assert answer.status_code == 422
    assert "people" in answer.json()["errors"]
    bad = api.post("ledgers/assistance", {"title": "慰问", "kind": "party"})
    assert bad.status_code == 422 and CHINESE.search(bad.json()["errors"]["kind"][0])
    assert not AssistanceActivity.objects.exists()


def test_an_activity_is_changed_with_its_version(tree, client):
    first = make_person(unit=tree.community, name="甲")
    second = make_person(unit=tree.community, name="乙")
    activity = activities_services.assistance_create(
        actor=SYSTEM, unit=tree.community, held_on=timezone.localdate(), title="慰问",
        kind="visit", people=[first])
    api = Api(client, tree.village_officer)
    answer = api.patch(f"ledgers/assistance/{activity.pk}",
                       {"version": activity.version, "place": "村委会"})
    assert answer.status_code == 200, answer.content
    assert answer.json()["place"] == "村委会"
    assert [p["id"] for p in answer.json()["people"]] == [first.pk]  # people kept
    answer = api.patch(f"ledgers/assistance/{activity.pk}",
                       {"version": activity.version + 1, "people": [second.pk]})
    assert answer.status_code == 200, answer.content
    assert [p["id"] for p in answer.json()["people"]] == [second.pk]
    stale = api.patch(f"ledgers/assistance/{activity.pk}",
                      {"version": activity.version, "title": "旧"})
    assert stale.status_code == 409
    activity.refresh_from_db()
    assert activity.title == "慰问" and activity.place == "村委会"


def test_activity_writes_out_of_scope_404_without_permission_403(tree, client):
    activity = activities_services.assistance_create(
        actor=SYSTEM, unit=tree.community, held_on=timezone.localdate(), title="慰问",
        kind="visit")
    other = Api(client, tree.other_officer)
    assert other.patch(f"ledgers/assistance/{activity.pk}",
                       {"version": activity.version, "title": "别处"}).status_code == 404
    for user in (tree.auditor, tree.leader):
        api = Api(client, user)
        assert api.post("ledgers/assistance", {"title": "慰问"}).status_code == 403
        assert api.patch(f"ledgers/assistance/{activity.pk}",
                         {"version": activity.version, "title": "别处"}).status_code == 403
    assert AssistanceActivity.objects.get().title == "慰问"


# ---- reads: meetings, plans, volunteers -----------------------------------------------------
@pytest.fixture
def books(tree):
    today = timezone.localdate()
    tree.meeting = records_services.meeting_create(
        actor=SYSTEM, unit=tree.community, held_on=today, kind="work", title="例会",
        minutes="议事")
    tree.plan = records_services.plan_create(actor=SYSTEM, unit=tree.community,
                                             year=today.year)
    tree.item = records_services.plan_item_add(actor=SYSTEM, plan=tree.plan, kind="activity",
                                               influential=True, title="助残日活动")
    tree.helped = make_person(unit=tree.community, name="受助人")
    tree.volunteer = activities_services.volunteer_create(
        actor=SYSTEM, unit=tree.community, name="王晓燕", phone="13909431001")
    tree.activity = activities_services.volunteer_activity_create(
        actor=SYSTEM, unit=tree.community, held_on=today, title="入户打扫",
        people=[tree.helped], services={tree.volunteer: 3})
    return tree


def test_meetings_plans_volunteers_and_their_activities_in_scope(books, client):
    t = books
    api = Api(client, t.township_officer)
    assert [m["id"] for m in api.get("ledgers/meetings").json()["items"]] == [t.meeting.pk]
    assert api.get(f"ledgers/meetings/{t.meeting.pk}").json()["minutes"] == "议事"
    plans = api.get("ledgers/plans").json()["items"]
    assert [p["id"] for p in plans] == [t.plan.pk]
    assert [i["title"] for i in plans[0]["items"]] == ["助残日活动"]
    assert plans[0]["items"][0]["fulfilled"] is False
    detail = api.get(f"ledgers/plans/{t.plan.pk}").json()
    from ledgers.records_selectors import plan_flags, plan_get

    expected = [str(f) for f in plan_flags(plan_get(user=t.township_officer, pk=t.plan.pk)).all]
    assert detail["flags"] == expected and detail["flags"]  # too few practical things
    volunteers = api.get("ledgers/volunteers").json()["items"]
    assert [(v["id"], float(v["total_hours"])) for v in volunteers] == [(t.volunteer.pk, 3.0)]
    one = api.get(f"ledgers/volunteers/{t.volunteer.pk}").json()
    assert one["years"] == [{"year": timezone.localdate().year, "activities": 1,
                             "hours": one["years"][0]["hours"]}]
    assert float(one["years"][0]["hours"]) == 3
    activities = api.get("ledgers/volunteer-activities").json()["items"]
    assert [(a["id"], a["served"], a["came"]) for a in activities] == [(t.activity.pk, 1, 1)]
    detail = api.get(f"ledgers/volunteer-activities/{t.activity.pk}").json()
    assert [p["name"] for p in detail["people"]] == ["受助人"]
    assert [s["volunteer_name"] for s in detail["services"]] == ["王晓燕"]
    entry = AuditLog.objects.get(action=Action.VIEW, detail__api="volunteer activity")
    assert entry.detail["people"] == [t.helped.pk]


def test_meetings_plans_volunteers_out_of_scope_404_without_permission_403(books, client):
    t = books
    paths = (f"ledgers/meetings/{t.meeting.pk}", f"ledgers/plans/{t.plan.pk}",
             f"ledgers/volunteers/{t.volunteer.pk}",
             f"ledgers/volunteer-activities/{t.activity.pk}")
    other = Api(client, t.other_officer)
    for path in paths:
        assert other.get(path).status_code == 404, path
    for path in ("ledgers/meetings", "ledgers/plans", "ledgers/volunteers",
                 "ledgers/volunteer-activities"):
        assert other.get(path).json()["items"] == [], path
    auditor = Api(client, t.auditor)
    for path in (*paths, "ledgers/meetings", "ledgers/plans", "ledgers/volunteers",
                 "ledgers/volunteer-activities"):
        assert auditor.get(path).status_code == 403, path


# ---- reads: letters and visits --------------------------------------------------------------
@pytest.fixture
def petitions(tree):
    from ledgers.tests.petitions import make_petition

    tree.petition = make_petition(unit=tree.community, name="马来访", phone="13909435678",
                                  content="申请康复训练")
    tree.theirs = make_petition(unit=tree.other_village, name="郭来访")
    return tree


def test_the_petitions_list_masks_name_and_phone_never_shows_content_audited_once(petitions,
                                                                                  client):
    t = petitions
    answer = Api(client, t.township_officer).get("ledgers/petitions")
    assert answer.status_code == 200
    items = answer.json()["items"]
    assert [(i["id"], i["petitioner"], i["phone"]) for i in items] == [
        (t.petition.pk, "马**", "139****5678")]
    text = answer.content.decode()
    assert "马来访" not in text and "13909435678" not in text and "申请康复训练" not in text
    assert "content" not in items[0]
    entry = AuditLog.objects.get(actor=t.township_officer, action=Action.VIEW)
    assert entry.detail["ids"] == [t.petition.pk] and entry.detail["count"] == 1


def test_a_petition_whole_to_who_handles_it_audited(petitions, client):
    t = petitions
    answer = Api(client, t.village_officer).get(f"ledgers/petitions/{t.petition.pk}")
    assert answer.status_code == 200
    assert answer.json()["petitioner_name"] == "马来访"
    assert answer.json()["content"] == "申请康复训练"
    entry = AuditLog.objects.get(actor=t.village_officer, action=Action.VIEW)
    assert entry.object_id == str(t.petition.pk)


def test_petitions_out_of_scope_404_leaders_and_auditors_403(petitions, client):
    t = petitions
    assert Api(client, t.township_officer).get(
        f"ledgers/petitions/{t.theirs.pk}").status_code == 404
    for user in (t.leader, t.auditor):
        api = Api(client, user)
        assert api.get("ledgers/petitions").status_code == 403
        assert api.get(f"ledgers/petitions/{t.petition.pk}").status_code == 403
    assert not AuditLog.objects.filter(action=Action.VIEW).exists()


# ---- query counts ---------------------------------------------------------------------------
@pytest.mark.parametrize("size", [2, 8])
def test_the_ledgers_lists_query_counts_do_not_grow_with_the_page(tree, client, size,
                                                                  django_assert_max_num_queries):
    from ledgers.tests.petitions import make_petition

    today = timezone.localdate()
    for n in range(size):
        unit = tree.community if n % 2 else tree.village
        _entry(tree, content=f"记录{n}")
        person = make_person(unit=unit, name=f"计数{n}")
        activities_services.assistance_create(actor=SYSTEM, unit=unit, held_on=today,
                                              title=f"慰问{n}", kind="visit", people=[person])
        records_services.meeting_create(actor=SYSTEM, unit=unit, held_on=today, kind="work",
                                        title=f"例会{n}", minutes="议事")
        plan = records_services.plan_create(actor=SYSTEM, unit=unit, year=today.year - n)
        records_services.plan_item_add(actor=SYSTEM, plan=plan, kind="activity",
                                       influential=False, title=f"事项{n}")
        volunteer = activities_services.volunteer_create(actor=SYSTEM, unit=unit,
                                                         name=f"志愿{n}")
        activities_services.volunteer_activity_create(
            actor=SYSTEM, unit=unit, held_on=today, title=f"服务{n}", people=[person],
            services={volunteer: 2})
        make_petition(unit=unit, name=f"来访{n}")
    api = Api(client, tree.county_admin)
    api.get("units/")  # the token's first use is marked once
    for path in ("ledgers/work-records", "ledgers/assistance", "ledgers/meetings",
                 "ledgers/plans", "ledgers/volunteers", "ledgers/volunteer-activities",
                 "ledgers/petitions"):
        with django_assert_max_num_queries(9):
            answer = api.get(path, limit=50)
        assert len(answer.json()["items"]) == size, path
