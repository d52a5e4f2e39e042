"""The import jobs', the workforce's, the ledgers' and the summary table's endpoints: in
scope, out of scope (404), without permission (403)."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from api.tests.helpers import Api
from audit.models import Action, AuditLog
from core.actors import SYSTEM
from imports.models import ImportJob
from ledgers import activities_services, records_services
from people.models import Person
from people.tests.factories import make_id, make_person
from workforce.tests.factories import make_officer

pytestmark = pytest.mark.django_db


def _workbook(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号", "所属村（社区）"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("登记表.xlsx", buffer.getvalue())


# ---- import jobs ------------------------------------------------------------------------------
def test_upload_start_follow_and_read_the_rejected_rows(tree, client,
                                                        django_capture_on_commit_callbacks):
    api = Api(client, tree.village_officer)
    good = make_id()
    upload = client.post("/api/v1/imports/", {
        "kind": "people", "file": _workbook([["甲", good, "东山根社区"],
                                             ["乙", "123456", "东山根社区"]])}, **api.headers)
    assert upload.status_code == 201, upload.content
    pk = upload.json()["id"]
    assert upload.json()["status"] == "uploaded"
    with django_capture_on_commit_callbacks(execute=True):
        started = api.post(f"imports/{pk}/start", {})
    assert started.status_code == 200
    progress = api.get(f"imports/{pk}/progress").json()
    assert progress["running"] is False and progress["status"] == "done"
    detail = api.get(f"imports/{pk}").json()
    assert detail["created"] == 1 and detail["bad_rows"] == 1
    assert detail["errors"] and detail["errors"][0]["row"] == 3
    assert "123456" not in str(detail["errors"])  # the bad ID, masked like the page
    # all or nothing by default: a bad row keeps the good one out too
    assert Person.objects.filter(name="甲").exists() is detail["applied"]
    rejected = api.get(f"imports/{pk}/rejected")
    assert rejected.status_code == 200
    assert rejected["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditLog.objects.filter(action=Action.EXPORT, object_id=str(pk)).exists()
    assert [j["id"] for j in api.get("imports/").json()] == [pk]


def test_an_upload_the_engine_refuses_is_422_with_its_message(tree, client):
    api = Api(client, tree.village_officer)
    answer = client.post("/api/v1/imports/", {
        "kind": "people", "file": SimpleUploadedFile("a.csv", "甲,乙\n1,2\n".encode())},
        **api.headers)
    assert answer.status_code == 422
    assert "file" in answer.json()["errors"]
    assert not ImportJob.objects.exists()


def test_import_jobs_out_of_scope_404_without_permission_403(tree, client):
    from imports import services

    job = services.job_create(actor=tree.other_officer, kind="people", upload=_workbook([]))
    mine = Api(client, tree.township_officer)
    for path in (f"imports/{job.pk}", f"imports/{job.pk}/progress",
                 f"imports/{job.pk}/rejected"):
        assert mine.get(path).status_code == 404, path
    assert mine.post(f"imports/{job.pk}/start", {}).status_code == 404
    assert mine.get("imports/").json() == []
    auditor = Api(client, tree.auditor)
    assert auditor.get("imports/").status_code == 403
    assert auditor.post(f"imports/{job.pk}/start", {}).status_code == 403  # in the county
    leader = Api(client, tree.leader)
    county_job = services.job_create(actor=tree.county_admin, kind="people",
                                     upload=_workbook([]))
    assert leader.get(f"imports/{county_job.pk}").status_code == 403


# ---- workforce --------------------------------------------------------------------------------
def test_workers_masked_appointments_vacancies(tree, client):
    appointment = make_officer(unit=tree.community, name="刘专委")
    worker = appointment.worker
    api = Api(client, tree.township_officer)
    items = api.get("workforce/workers").json()["items"]
    assert [(w["id"], w["name"]) for w in items] == [(worker.pk, "刘专委")]
    assert "*" in items[0]["masked_id"] and worker.id_number not in str(items)
    detail = api.get(f"workforce/workers/{worker.pk}").json()
    assert [a["id"] for a in detail["appointments"]] == [appointment.pk]
    assert worker.id_number not in str(detail) and "bank" not in str(detail)
    assert AuditLog.objects.filter(action=Action.VIEW, object_id=str(worker.pk)).exists()
    assert api.get(f"workforce/appointments/{appointment.pk}").json()["worker_id"] == worker.pk
    vacancies = api.get("workforce/vacancies").json()
    assert all(v["vacant"] >= 1 for v in vacancies)
    assert tree.community.pk not in {v["unit_id"] for v in vacancies if v["kind"] == "liaison"}
    other = Api(client, tree.other_officer)
    assert other.get(f"workforce/workers/{worker.pk}").status_code == 404
    assert other.get(f"workforce/appointments/{appointment.pk}").status_code == 404
    auditor = Api(client, tree.auditor)
    for path in ("workforce/workers", f"workforce/workers/{worker.pk}", "workforce/vacancies",
                 f"workforce/appointments/{appointment.pk}"):
        assert auditor.get(path).status_code == 403, path


# ---- ledgers ----------------------------------------------------------------------------------
def test_work_records_and_assistance_activities(tree, client):
    today = timezone.localdate()
    entry = records_services.work_entry_create(actor=SYSTEM, unit=tree.community,
                                               written_on=today, content="走访三户")
    helped = make_person(unit=tree.community, name="受助人")
    activity = activities_services.assistance_create(
        actor=SYSTEM, unit=tree.community, held_on=today - dt.timedelta(days=1),
        title="助残日慰问", kind="visit", people=[helped])
    api = Api(client, tree.village_officer)
    assert [e["id"] for e in api.get("ledgers/work-records").json()["items"]] == [entry.pk]
    assert api.get(f"ledgers/work-records/{entry.pk}").json()["content"] == "走访三户"
    assert [a["id"] for a in api.get("ledgers/assistance").json()["items"]] == [activity.pk]
    detail = api.get(f"ledgers/assistance/{activity.pk}").json()
    assert [p["name"] for p in detail["people"]] == ["受助人"]
    assert AuditLog.objects.filter(action=Action.VIEW, object_id=str(activity.pk)).exists()
    other = Api(client, tree.other_officer)
    assert other.get(f"ledgers/work-records/{entry.pk}").status_code == 404
    assert other.get(f"ledgers/assistance/{activity.pk}").status_code == 404
    auditor = Api(client, tree.auditor)
    for path in ("ledgers/work-records", f"ledgers/work-records/{entry.pk}",
                 "ledgers/assistance", f"ledgers/assistance/{activity.pk}"):
        assert auditor.get(path).status_code == 403, path


# ---- the summary table ------------------------------------------------------------------------
def test_the_summary_table_of_a_unit_in_scope(tree, client):
    make_person(unit=tree.community)
    make_person(unit=tree.village, category=1)
    make_person(unit=tree.other_village)
    api = Api(client, tree.county_admin)
    table = api.get(f"reports/summary/{tree.township.pk}").json()
    assert [r["unit_id"] for r in table["rows"]] == [tree.community.pk, tree.village.pk]
    assert table["total"]["values"]["total"] == 2
    assert {c["key"] for c in table["columns"]} >= {"total", "population", "share"}
    from reports.selectors import summary_table

    page = summary_table(user=tree.county_admin, unit=tree.township)
    assert table["total"]["values"]["total"] == page.total.total
    past = api.get(f"reports/summary/{tree.township.pk}", as_of="2000-01-01").json()
    assert past["total"]["values"]["total"] == 0
    assert Api(client, tree.township_officer).get(
        f"reports/summary/{tree.other_township.pk}").status_code == 404
    assert Api(client, tree.auditor).get(
        f"reports/summary/{tree.county.pk}").status_code == 403


@pytest.mark.parametrize("size", [2, 8])
def test_the_workers_query_count_does_not_grow_with_the_page(tree, client, size,
                                                             django_assert_max_num_queries):
    for n in range(size):
        make_officer(unit=tree.community if n % 2 else tree.village, name=f"计数专委{n}")
    api = Api(client, tree.county_admin)
    api.get("units/")  # the token's first use is marked once
    with django_assert_max_num_queries(8):
        answer = api.get("workforce/workers", limit=50)
    assert len(answer.json()["items"]) == size
