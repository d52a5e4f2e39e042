"""Uploads that would take the system down, as an attacker or a careless clerk sends them:
each is a clear error and costs bounded memory; a running import can be stopped."""

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from audit.models import Action, AuditLog
from core.tabular import TableError, open_table, sheet_names
from imports import services as imports
from imports.models import ImportJob
from people.models import Person
from people.tests.factories import make_id


def _workbook(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _replace_part(data: bytes, name: str, content: bytes) -> bytes:
    """The workbook with one of its parts replaced (as a hand-made attack would be)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, content if info.filename == name else source.read(info))
    return out.getvalue()


ENTITY_BOMB = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
               b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;">]>'
               b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               b'<dimension ref="A1:&c;"/><sheetData/></worksheet>')


def test_entity_expansion_in_any_part_is_a_clear_table_error():
    data = _replace_part(_workbook([["姓名"], ["甲"]]), "xl/worksheets/sheet1.xml", ENTITY_BOMB)
    with pytest.raises(TableError):
        height, rows = open_table(data, "a.xlsx", head=True)
        list(rows)


@pytest.mark.django_db
def test_a_malformed_part_is_a_form_error_on_upload(tree, client_for):
    data = _replace_part(_workbook([["姓名"], ["甲"]]), "xl/worksheets/sheet1.xml",
                         b"<worksheet><sheetData><row>")
    response = client_for(tree.village_officer).post(reverse("imports:import_list"), {
        "kind": "people", "file": SimpleUploadedFile("a.xlsx", data)})
    assert response.status_code == 200 and 'aria-invalid="true"' in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_zip_bomb_is_refused_before_it_is_read(settings):
    settings.CANLIAN_IMPORT_MAX_UNZIPPED_BYTES = 2_000_000
    rows = [["姓名", "备注"]] + [[f"人{i}", "空" * 50] for i in range(20_000)]
    data = _workbook(rows)  # compresses to a small fraction of what it unpacks to
    assert len(data) < 2_000_000
    with pytest.raises(TableError, match="MB"):
        sheet_names(data, "bomb.xlsx")


def test_one_enormous_string_table_is_refused(settings):
    settings.CANLIAN_IMPORT_MAX_STRINGS_BYTES = 100_000
    strings = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               + "".join(f"<si><t>{i}{'长' * 10_000}</t></si>" for i in range(5))
               + "</sst>").encode()
    data = _workbook([["姓名"]])
    rels = zipfile.ZipFile(io.BytesIO(data)).read("xl/_rels/workbook.xml.rels").replace(
        b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org'
        b'/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        b"</Relationships>")
    data = _replace_part(data, "xl/_rels/workbook.xml.rels", rels)
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr("xl/sharedStrings.xml", strings)
    data = out.getvalue()
    with pytest.raises(TableError, match="MB"):
        open_table(data, "a.xlsx", head=True)


def test_a_cell_bigger_than_libxml2_allows_is_a_table_error():
    """Without huge_tree, libxml2 refuses a text node over 10 MB; Excel never writes one."""
    data = _replace_part(
        _workbook([["姓名"], ["x"]]), "xl/worksheets/sheet1.xml",
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>' + b"x" * (11 << 20)
        + b"</t></is></c></row></sheetData></worksheet>")
    with pytest.raises(TableError):
        list(open_table(data, "a.xlsx", head=True)[1])


def test_rows_past_the_limit_are_refused(settings):
    settings.CANLIAN_IMPORT_MAX_ROWS = 100
    text = "姓名\n" + "".join(f"人{i}\n" for i in range(150))
    with pytest.raises(TableError, match="100"):
        list(open_table(text.encode(), "a.csv")[1])


def test_a_csv_cell_longer_than_the_csv_modules_default_is_read_and_reported(tree):
    number = make_id()
    text = f"姓名,身份证号,所属村（社区）,备注\n甲,{number},东山根社区,{'长' * 200_000}\n"
    job = imports.job_create(actor=tree.village_officer, kind="people",
                             upload=SimpleUploadedFile("a.csv", text.encode()))
    imports.job_start(actor=tree.village_officer, job=job)
    job = imports.job_run(job.pk)
    assert job.status == ImportJob.Status.DONE and job.bad_rows == 1
    [(row, column, value, reason)] = job.errors
    assert (row, column) == (2, "备注") and len(value) <= 201 and "32767" in reason.replace(
        ",", "")


@pytest.mark.django_db
def test_a_running_import_can_be_stopped_and_writes_nothing(tree, client_for):
    rows = [["姓名", "身份证号", "所属村（社区）"]] + [
        [f"人{i}", make_id(seq=i), "东山根社区"] for i in range(1, 2500)]
    job = imports.job_create(actor=tree.village_officer, kind="people",
                             upload=SimpleUploadedFile("a.xlsx", _workbook(rows)))
    imports.job_start(actor=tree.village_officer, job=job)  # queued (the worker is not run)
    client = client_for(tree.village_officer)
    response = client.post(reverse("imports:import_cancel", args=[job.pk]))
    assert response.status_code == 302
    job = imports.job_run(job.pk)  # the worker picks it up and sees the request
    assert job.status == ImportJob.Status.CANCELLED and str(tree.village_officer) in job.message
    assert not Person.objects.exists()
    assert AuditLog.objects.filter(action=Action.UPDATE, object_id=str(job.pk),
                                   detail__cancel=True).exists()
    assert cache.get(f"import-job:{job.pk}:cancel") is None
    # A finished job cannot be stopped; a leader (no right to import) cannot stop one.
    again = client.post(reverse("imports:import_cancel", args=[job.pk]), follow=True)
    assert "没有在运行" in again.content.decode() or "not running" in again.content.decode()
    assert client_for(tree.leader).post(
        reverse("imports:import_cancel", args=[job.pk])).status_code in (403, 404)


def test_text_beginning_with_an_equals_sign_is_never_written_as_a_formula(tree, client_for):
    """Every workbook goes through core.exports' one writer: the people export and the
    rejected rows alike keep such text as text."""
    from imports.engine import RejectedRows
    from people.tests.factories import make_person

    make_person(unit=tree.community, address='=HYPERLINK("http://x","点我")', notes="#N/A")
    response = client_for(tree.county_admin).get(reverse("people:person_export"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    address = next(c for c in cells if c.value.startswith("=HYPERLINK"))
    notes = next(c for c in cells if c.value == "#N/A")
    assert address.data_type == "s" and notes.data_type == "s"

    rejected = RejectedRows(["姓名", "住址"])
    rejected.add(2, ["甲", "=1+1"], ["住址：不对"])
    buffer = io.BytesIO()
    rejected.save(buffer)
    cell = openpyxl.load_workbook(buffer).active["B2"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite has one writer: a login waits for the import (busy timeout)")
def test_on_postgresql_people_log_in_while_an_import_runs(tree, client, monkeypatch):
    """While an import writes in its one transaction, a user logs in — the login writes
    its session, the last login and an audit entry — and the import goes on."""
    import threading

    from people.imports import PersonImport

    rows = [["姓名", "身份证号", "所属村（社区）"]] + [
        [f"人{i}", make_id(birth=dt.date(1950, 1, 1) + dt.timedelta(days=i)), "东山根社区"]
        for i in range(1, 2200)]
    job = imports.job_create(actor=tree.village_officer, kind="people",
                             upload=SimpleUploadedFile("a.xlsx", _workbook(rows)))
    # Queued, as job_start leaves it for the worker (whose part this thread plays below).
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED)
    checking, go_on = threading.Event(), threading.Event()
    real_check_batch = PersonImport.check_batch

    def check_batch_and_wait(self, rows, state):
        checking.set()
        assert go_on.wait(30), "the login did not finish"
        return real_check_batch(self, rows, state)

    monkeypatch.setattr(PersonImport, "check_batch", check_batch_and_wait)
    outcome = {}

    def work():
        from django.db import connection

        try:
            outcome["job"] = imports.job_run(job.pk)
        except BaseException as exc:  # noqa: BLE001 - shown by the assertion below
            outcome["error"] = exc
            checking.set()
        finally:
            connection.close()

    worker = threading.Thread(target=work)
    worker.start()
    try:
        assert checking.wait(30) and "error" not in outcome, outcome  # the import is under way
        response = client.post(reverse("accounts:login"), {
            "username": tree.county_admin.username, "password": tree.password})
        assert response.status_code == 302
        assert AuditLog.objects.filter(action=Action.LOGIN,
                                       actor=tree.county_admin).exists()
    finally:
        go_on.set()
        worker.join(60)
    assert outcome["job"].status == ImportJob.Status.DONE and outcome["job"].created == 2199
    assert Person.objects.count() == 2199
    # Another import after it (the staging file of the first is gone and detached).
    again = imports.job_create(actor=tree.village_officer, kind="needs", upload=SimpleUploadedFile(
        "b.csv", f"身份证号,需求类型\n{rows[1][1]},康复\n".encode()))
    imports.job_start(actor=tree.village_officer, job=again)
    assert ImportJob.objects.get(pk=again.pk).created == 1


def test_every_import_url_checks_the_ledgers_permission_as_well_as_scope(tree, client_for):
    """The leader and the auditor see the county, but may not import: a job's page, its
    progress and its rejected rows (names, full ID numbers) are refused them."""
    job = imports.job_create(actor=tree.village_officer, kind="people", upload=SimpleUploadedFile(
        "a.csv", "姓名,身份证号,所属村（社区）\n甲,1,东山根社区\n".encode()))
    imports.job_start(actor=tree.village_officer, job=job)
    job = imports.job_run(job.pk)
    assert job.rejected_file
    for user in (tree.leader, tree.auditor):
        client = client_for(user)
        for name in ("import_detail", "import_progress", "import_rejected"):
            response = client.get(reverse(f"imports:{name}", args=[job.pk]))
            assert response.status_code in (403, 404), (user, name, response.status_code)


def test_the_import_list_never_loads_a_jobs_errors(tree, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ImportJob.objects.create(unit=tree.community, created_by=tree.village_officer,
                             kind="people", filename="大.xlsx", errors=[[2, "姓名", "x" * 1000,
                                                                        "坏"]] * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client_for(tree.village_officer).get(reverse("imports:import_list"))
    assert response.status_code == 200 and "大.xlsx" in response.content.decode()
    job_reads = [q["sql"] for q in queries.captured_queries if "imports_importjob" in q["sql"]]
    assert job_reads and all('"errors"' not in sql for sql in job_reads), job_reads
