from django_tasks import task


@task()
def run_import_job(job_id: int) -> None:
    """The background half of an import (see imports.services.job_run)."""
    from .services import job_run

    job_run(job_id)
