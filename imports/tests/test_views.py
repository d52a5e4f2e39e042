import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.models import ImportJob
from people.models import Person
from people.tests.factories import make_id


def _file(rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "所属村（社区）", "备注"])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("登记表.xlsx", buffer.getvalue())


def _configure(job, **overrides):
    data = {"sheet": job.sheet, "header_row": job.header_row, "mode": "all"}
    for index, field in job.mapping.items():
        data[f"col_{index}"] = field
    data.update(overrides)
    return data


def test_upload_configure_run_and_read_the_result(tree, client_for,
                                                  django_capture_on_commit_callbacks):
    client = client_for(tree.village_officer)
    assert client.get(reverse("imports:import_list")).status_code == 200
    good = make_id()
    response = client.post(reverse("imports:import_list"), {
        "kind": "people", "file": _file([["甲", good, "东山根社区", ""],
                                         ["乙", "123456", "东山根社区", ""]])})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert job.mapping == {"0": "name", "1": "id_number", "2": "unit", "3": "notes"}
    page = client.get(job.get_absolute_url()).content.decode()
    assert "甲" in page and 'name="col_1"' in page  # the preview and the mapping form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(job.get_absolute_url(), {**_configure(job), "start": "1"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and not job.applied and job.bad_rows == 1
    assert not Person.objects.exists()
    page = client.get(job.get_absolute_url()).content.decode()
    # The bad ID number is masked in the errors (imports/tests/test_privacy.py).
    assert "123456" not in page and "********" in page
    assert reverse("imports:import_rejected", args=[job.pk]) in page
    rejected = client.get(reverse("imports:import_rejected", args=[job.pk]))
    assert rejected.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(rejected.streaming_content)))
    assert [row[0] for row in book.active.iter_rows(min_row=2, values_only=True)] == ["乙"]
    # Again, keeping the valid rows.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(job.get_absolute_url(), {**_configure(job, mode="valid"), "start": "1"})
    job.refresh_from_db()
    assert job.applied and Person.objects.get().name == "甲"


def test_progress_partial_and_stale_jobs(tree, client_for):
    import datetime as dt

    from django.utils import timezone

    client = client_for(tree.village_officer)
    client.post(reverse("imports:import_list"), {"kind": "people",
                                              "file": _file([["甲", make_id(), "东山根社区", ""]])})
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, total_rows=10,
        started_at=timezone.now() - dt.timedelta(minutes=10),
        heartbeat=timezone.now() - dt.timedelta(minutes=10))
    page = client.get(job.get_absolute_url()).content.decode()
    assert "role=\"alert\"" in page and 'name="start"' in page  # died: can start again
    ImportJob.objects.filter(pk=job.pk).update(heartbeat=timezone.now(),
                                                started_at=timezone.now())
    partial = client.get(reverse("imports:import_progress", args=[job.pk]),
                         headers={"HX-Request": "true"})
    assert "<progress" in partial.content.decode() and "hx-trigger" in partial.content.decode()


def test_blank_templates_carry_the_headers(tree, client_for):
    client = client_for(tree.village_officer)
    response = client.get(reverse("imports:import_template", args=["people"]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    headers = [c.value for c in book.active[2]]
    assert headers[:3] == ["姓名", "身份证号", "性别"]
    assert book.active["B3"].number_format == "@"  # IDs typed into the template stay text
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert client.get(reverse("imports:import_template", args=["nothing"])).status_code == 404


def test_other_units_jobs_are_404(tree, client_for):
    owner = client_for(tree.village_officer)
    owner.post(reverse("imports:import_list"), {"kind": "people",
                                             "file": _file([["甲", make_id(), "东山根社区", ""]])})
    job = ImportJob.objects.get()
    other = client_for(tree.other_officer)
    for name in ("import_detail", "import_progress", "import_rejected"):
        assert other.get(reverse(f"imports:{name}", args=[job.pk])).status_code == 404


def test_leaders_and_auditors_cannot_import(tree, client_for):
    assert client_for(tree.leader).get(reverse("imports:import_list")).status_code == 403
    assert client_for(tree.auditor).get(reverse("imports:import_list")).status_code == 403


def test_a_bad_upload_keeps_the_choice_and_says_why(tree, client_for):
    client = client_for(tree.village_officer)
    response = client.post(reverse("imports:import_list"), {
        "kind": "visits", "file": SimpleUploadedFile("x.pdf", b"%PDF-1.4")})
    body = response.content.decode()
    assert response.status_code == 200 and 'aria-invalid="true"' in body
    assert 'value="visits" selected' in body
