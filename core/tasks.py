from django_tasks import task


@task()
def run_export_job(job_id: int) -> None:
    """The background half of a large export (see core.exportjobs.export_job_run)."""
    from .exportjobs import export_job_run

    export_job_run(job_id)
