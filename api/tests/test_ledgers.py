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


def test_work_record_writes_out_of_scope_404_without_permission_403(tree, client):
    entry = _entry(tree)
    other = Api(client, tree.other_officer)
    assert other.patch(f"ledgers/work-records/{entry.pk}",
                       {"version": entry.version, "content": "别处"}).status_code == 404
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
