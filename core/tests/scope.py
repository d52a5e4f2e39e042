"""The export jobs a user of another subtree must not reach (see
core/tests/test_out_of_scope.py; core/tests/test_export_jobs.py shows that a colleague of the
same unit gets a 404 too: a job is its asker's alone)."""

OBJECT_URLS = {
    "core:export_detail": ("export_job", "get"),
    "core:export_progress": ("export_job", "get"),
    "core:export_download": ("export_job", "get"),
}


def build(tree):
    """The county administrator's export of the register, written."""
    from core.exportjobs import export_job_create, export_job_run
    from core.views import list_export_for

    export = list_export_for("people:person_export", user=tree.county_admin, query="")
    job = export_job_create(actor=tree.county_admin, export=export,
                            url_name="people:person_export", query="")
    tree.export_job = export_job_run(job.pk)
    assert tree.export_job.file
