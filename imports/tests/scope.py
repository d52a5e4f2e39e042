"""The import jobs a user of another subtree must not reach (see
core/tests/test_out_of_scope.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile

OBJECT_URLS = {
    "imports:import_detail": ("import_job", "get"),
    "imports:import_progress": ("import_job", "get"),
    "imports:import_rejected": ("import_job", "get"),
    "imports:import_cancel": ("import_job", "post"),
}


def build(tree):
    """An import in 郭城驿镇 that rejected its one row (so it has a rejected-rows file)."""
    from imports import services as imports

    tree.import_job = imports.job_create(
        actor=tree.other_officer, kind="people",
        upload=SimpleUploadedFile("a.csv", "姓名,身份证号,所属村（社区）\n甲,1,红堡子村\n"
                                  .encode()))
    imports.job_start(actor=tree.other_officer, job=tree.import_job)
    tree.import_job = imports.job_run(tree.import_job.pk)
    assert tree.import_job.rejected_file
