"""The objects of core that a user of another subtree must not reach (see
core/tests/test_out_of_scope.py). The import pages move to the imports app later, and this
with them."""

from django.core.files.uploadedfile import SimpleUploadedFile

OBJECT_URLS = {
    "core:import_detail": ("import_job", "get"),
    "core:import_progress": ("import_job", "get"),
    "core:import_rejected": ("import_job", "get"),
}


def build(tree):
    """An import in 郭城驿镇 that rejected its one row (so it has a rejected-rows file)."""
    from core import imports

    tree.import_job = imports.job_create(
        actor=tree.other_officer, kind="people",
        upload=SimpleUploadedFile("a.csv", "姓名,身份证号,所属村（社区）\n甲,1,红堡子村\n"
                                  .encode()))
    imports.job_start(actor=tree.other_officer, job=tree.import_job)
    tree.import_job = imports.job_run(tree.import_job.pk)
    assert tree.import_job.rejected_file
