"""A list export past CANLIAN_EXPORT_JOB_ROWS rows runs as a background job: the button
leads to the job's page, the worker writes the same workbook the request would have given,
only the user who asked reaches the job and its file, the download is audited, and the file
is removed after its time. Smaller exports stay immediate."""

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from audit.models import Action, AuditLog
from core.exportjobs import export_job_run, export_jobs_purge
from core.models import ExportJob
from core.views import XLSX
from people.tests.factories import make_person

EXPORT = "people:person_export"


@pytest.fixture
def register(tree):
    make_person(unit=tree.community, name="张三", address="=1+1", grid=tree.grid)
    make_person(unit=tree.village, name="李四", male=False, certificate=False)
    make_person(unit=tree.community, name="王二", category=1, grade=1)
    make_person(unit=tree.other_village, name="王五")
    return tree


def cells(content: bytes) -> list[tuple]:
    """Every cell of the workbook's sheet: its value, type and number format, the title
    row's date aside."""
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [(c.coordinate, c.value, c.data_type, c.number_format, bool(c.quotePrefix))
            for row in sheet.iter_rows(min_row=2) for c in row]


def exports_taken():
    return AuditLog.objects.filter(action=Action.EXPORT).order_by("id")


def test_a_small_export_stays_immediate(register, client_for, settings):
    settings.CANLIAN_EXPORT_JOB_ROWS = 3
    response = client_for(register.county_admin).get(reverse(EXPORT), {"category": "4"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert not ExportJob.objects.exists()


def test_a_large_export_is_a_job_whose_file_is_the_immediate_export(register, client_for,
                                                                    settings):
    t = register
    client = client_for(t.township_officer)
    query = {"sort": "-name", "gender": "M"}
    settings.CANLIAN_EXPORT_JOB_ROWS = 0  # immediate, for the reference
    immediate = client.get(reverse(EXPORT), {**query, "page": "2"})
    assert immediate.status_code == 200

    settings.CANLIAN_EXPORT_JOB_ROWS = 1
    response = client.get(reverse(EXPORT), {**query, "page": "2"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.status, job.created_by, job.unit, job.name) == (
        ExportJob.Status.QUEUED, t.township_officer, t.township, "残疾人名单")
    assert job.filters == {"gender": "M"} and "page" not in job.query

    page = client.get(job.get_absolute_url())
    assert page.status_code == 200 and 'id="export-progress"' in page.content.decode()
    assert "hx-trigger" in page.content.decode()

    job = export_job_run(job.pk)
    assert job.status == ExportJob.Status.DONE and job.total_rows == 2
    assert job.expires_at > timezone.now() + dt.timedelta(hours=23)
    page = client.get(job.get_absolute_url()).content.decode()
    download = reverse("core:export_download", args=[job.pk])
    assert f'href="{download}"' in page

    before = exports_taken().count()
    response = client.get(download)
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert cells(content) == cells(immediate.content)
    names = [row[1] for row in cells(content) if row[0].rstrip("0123456789") == "A"]
    assert names == ["姓名", "王二", "张三"]  # 会师镇's men, by name descending
    entry = exports_taken()[before]
    assert (entry.actor, entry.unit, entry.object_repr) == (t.township_officer, t.township,
                                                            "残疾人名单")
    assert entry.detail == {"filters": {"gender": "M"}, "rows": 2, "job": job.pk}


def test_only_the_user_who_asked_reaches_the_job_and_its_file(register, client_for,
                                                              settings, client):
    t = register
    settings.CANLIAN_EXPORT_JOB_ROWS = 1
    client_for(t.township_officer).get(reverse(EXPORT))
    job = export_job_run(ExportJob.objects.get().pk)
    urls = [reverse(f"core:{name}", args=[job.pk])
            for name in ("export_detail", "export_progress", "export_download")]
    colleague = UserFactory(username="t_colleague", unit=t.township,
                            role=Role.TOWNSHIP_OFFICER)
    for user in (colleague, t.county_admin, t.other_officer):
        other = client_for(user)
        for url in urls:
            assert other.get(url).status_code == 404, (user, url)
    client.logout()
    assert client.get(urls[2]).status_code == 302  # to the login page
    assert not exports_taken().filter(detail__job=job.pk).exists()


def test_the_file_is_removed_after_its_time(register, client_for, settings):
    settings.CANLIAN_EXPORT_JOB_ROWS = 1
    client = client_for(register.county_admin)
    client.get(reverse(EXPORT))
    job = export_job_run(ExportJob.objects.get().pk)
    path = job.file.path
    assert export_jobs_purge(now=timezone.now()) == 0
    assert export_jobs_purge(now=job.expires_at + dt.timedelta(seconds=1)) == 1
    job.refresh_from_db()
    assert job.status == ExportJob.Status.EXPIRED and not job.file
    assert not Path(path).exists()
    assert client.get(reverse("core:export_download", args=[job.pk])).status_code == 404
    client.cookies["django_language"] = "en"
    assert "The file has been removed" in client.get(job.get_absolute_url()).content.decode()


def test_a_user_who_lost_the_permission_gets_no_file(register, client_for, settings):
    t = register
    settings.CANLIAN_EXPORT_JOB_ROWS = 1
    client_for(t.township_officer).get(reverse(EXPORT))
    t.township_officer.is_active = False
    t.township_officer.save()
    job = export_job_run(ExportJob.objects.get().pk)
    assert job.status == ExportJob.Status.FAILED and not job.file


def test_the_progress_partial_polls_while_running_and_refreshes_when_done(register,
                                                                          client_for,
                                                                          settings):
    settings.CANLIAN_EXPORT_JOB_ROWS = 1
    client = client_for(register.county_admin)
    client.get(reverse(EXPORT))
    job = ExportJob.objects.get()
    url = reverse("core:export_progress", args=[job.pk])
    partial = client.get(url, headers={"HX-Request": "true"})
    assert "<progress" in partial.content.decode() and "hx-trigger" in partial.content.decode()
    export_job_run(job.pk)
    done = client.get(url, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true" and "hx-trigger" not in done.content.decode()


def test_a_job_is_queued_for_the_worker_on_commit(register, client_for, settings,
                                                  django_capture_on_commit_callbacks):
    """With the immediate task backend of the tests, the commit runs the job at once."""
    settings.CANLIAN_EXPORT_JOB_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        client_for(register.county_admin).get(reverse(EXPORT))
    assert ExportJob.objects.get().status == ExportJob.Status.DONE


def test_forget_exports_removes_the_files_past_their_time(register, client_for, settings):
    from django.core.management import call_command

    settings.CANLIAN_EXPORT_JOB_ROWS = 1
    client_for(register.county_admin).get(reverse(EXPORT))
    job = export_job_run(ExportJob.objects.get().pk)
    out = io.StringIO()
    call_command("forget_exports", stdout=out)
    assert out.getvalue().strip() == "0"
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    call_command("forget_exports", stdout=out)
    assert out.getvalue().split() == ["0", "1"]
    assert ExportJob.objects.get().status == ExportJob.Status.EXPIRED
