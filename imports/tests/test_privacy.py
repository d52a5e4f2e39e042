"""The import pages show personal numbers masked, like every list, and every look at a
job's rows (its page, its rejected rows) is audited."""

import io

import openpyxl
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import Action, AuditLog
from core.text import mask_digits
from imports.models import ImportJob
from people.tests.factories import make_id

HEADER = ["姓名", "身份证号", "残疾证号", "所属村（社区）", "备注"]


def _upload(client, rows):
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post(reverse("imports:import_list"), {
        "kind": "people", "file": SimpleUploadedFile("登记表.xlsx", buffer.getvalue())})
    assert response.status_code == 302
    return ImportJob.objects.get()


def _numbers():
    good, other, guardian = make_id(), make_id(), make_id()
    wrong = make_id()
    wrong = wrong[:17] + ("1" if wrong[17] != "1" else "2")  # a mistyped check character
    rows = [["甲", good, f"{good}42", "东山根社区", f"监护人身份证{guardian}"],
            ["乙", wrong, "", "东山根社区", ""],
            ["丙", other, f"{good}42", "东山根社区", ""]]
    return rows, [good, other, guardian, wrong, f"{good}42"]


def _views_of(job):
    return AuditLog.objects.filter(action=Action.VIEW, object_id=str(job.pk),
                                   content_type=ContentType.objects.get_for_model(ImportJob))


def test_the_preview_and_the_errors_mask_the_numbers(tree, client_for,
                                                     django_capture_on_commit_callbacks):
    client = client_for(tree.village_officer)
    rows, numbers = _numbers()
    job = _upload(client, rows)
    assert job.mapping["1"] == "id_number" and job.mapping["2"] == "certificate_number"
    page = client.get(job.get_absolute_url()).content.decode()
    assert "甲" in page  # the preview is there…
    for number in numbers:  # …with every number masked
        assert number not in page, number
        assert mask_digits(number) in page, number
    data = {"sheet": job.sheet, "header_row": job.header_row, "mode": "all", "start": "1"}
    data.update({f"col_{index}": field for index, field in job.mapping.items()})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(job.get_absolute_url(), data).status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.bad_rows == 2
    # The stored errors quote the numbers (the certificate's first 18 characters)…
    assert any(numbers[0] in reason or numbers[1] in reason for *_x, reason in job.errors)
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'id="errors-caption"' in page
    for number in numbers:  # …the page does not
        assert number not in page, number
    assert mask_digits(numbers[3]) in page  # the bad ID, in the errors table


def test_viewing_a_job_and_its_rejected_rows_is_audited(tree, client_for,
                                                        django_capture_on_commit_callbacks):
    client = client_for(tree.village_officer)
    rows, _numbers_ = _numbers()
    job = _upload(client, rows)
    assert not _views_of(job).exists()
    assert client.get(job.get_absolute_url()).status_code == 200
    view = _views_of(job).get()
    assert view.actor == tree.village_officer and view.unit == tree.community
    with django_capture_on_commit_callbacks(execute=True):
        data = {"sheet": job.sheet, "header_row": job.header_row, "mode": "all",
                "start": "1", **{f"col_{i}": f for i, f in job.mapping.items()}}
        client.post(job.get_absolute_url(), data)
    assert _views_of(job).count() == 1  # a submission is not a look
    assert client.get(reverse("imports:import_rejected", args=[job.pk])).status_code == 200
    export = AuditLog.objects.get(action=Action.EXPORT, object_id=str(job.pk))
    assert export.detail == {"export": "rejected rows", "rows": 2}


def test_a_failed_jobs_message_masks_the_numbers_it_quotes(tree, client_for):
    client = client_for(tree.village_officer)
    rows, numbers = _numbers()
    job = _upload(client, rows)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.FAILED, message=f"无法读取单元格：{numbers[0]}")
    page = client.get(job.get_absolute_url()).content.decode()
    assert numbers[0] not in page and f"无法读取单元格：{mask_digits(numbers[0])}" in page
