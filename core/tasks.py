from django_tasks import task


@task()
def run_import_job(job_id: int) -> None:
    """The background half of an import (see core.imports.job_run)."""
    from .imports import job_run

    job_run(job_id)
