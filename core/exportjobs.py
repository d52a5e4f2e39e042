"""Exports too large for a request run in the background (django-tasks, like imports): the
export button of a list past CANLIAN_EXPORT_JOB_ROWS rows creates a job, the worker asks the
same list view for the same rows (core.views.list_export_for) and writes the workbook into
the private media folder, the job's page shows its progress and then the download. Only the
user who asked sees the job and its file (anyone else gets a 404); each download is audited
as an export is; the file is removed after CANLIAN_EXPORT_KEEP_HOURS."""

import datetime as dt
import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import audit_record

from .models import ExportJob
from .scope import get_visible_or_404

logger = logging.getLogger(__name__)
STALE_AFTER = dt.timedelta(minutes=2)


def _progress_key(job_id: int) -> str:
    return f"export-job:{job_id}:progress"


def export_jobs_of(user):
    """The export jobs ``user`` asked for (and still may see): nobody else's."""
    if not getattr(user, "is_authenticated", False):
        return ExportJob.objects.none()
    return ExportJob.objects.visible_to(user).filter(created_by=user)


def export_job_get(*, user, pk: int) -> ExportJob:
    """The job, if ``user`` asked for it; else Http404 (as for anything out of scope)."""
    return get_visible_or_404(ExportJob.objects.filter(created_by=user), user, pk=pk)


def export_job_progress(job: ExportJob) -> dict:
    """Rows written and the total, as the running worker reported them."""
    live = cache.get(_progress_key(job.pk))
    if live is None:
        return {"done": job.done_rows, "total": job.total_rows, "beat": job.finished_at}
    return live


def export_job_is_busy(job: ExportJob) -> bool:
    """Queued or running, and not given up for dead (a worker that stopped reporting)."""
    if job.status == ExportJob.Status.QUEUED:
        return True
    if job.status != ExportJob.Status.RUNNING:
        return False
    beat = export_job_progress(job).get("beat") or job.started_at
    return beat is not None and timezone.now() - beat <= STALE_AFTER


def export_job_create(*, actor, export, url_name: str, query: str) -> ExportJob:
    """Queue an export of ``export`` (a core.views.ListExport) for ``actor``, who may see it
    and export it (the view has checked both; the worker checks them again)."""
    if actor.unit_id is None:
        raise PermissionDenied
    export_jobs_purge()
    with transaction.atomic():
        job = ExportJob.objects.create(
            unit_id=actor.unit_id, created_by=actor, name=export.name, url_name=url_name,
            query=query, filters=export.filters)
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from .tasks import run_export_job

    run_export_job.enqueue(job_id)


def export_job_run(job_id: int) -> ExportJob:
    """Write the job's workbook (in the worker): the same list view, user and query string
    as the button's, so the same rows in the same order as an export in the request."""
    from .views import list_export_for

    job = ExportJob.objects.select_related("created_by__unit").get(pk=job_id)
    if job.status != ExportJob.Status.QUEUED:
        return job
    now = timezone.now()
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, started_at=now)
    user = job.created_by
    try:
        export = list_export_for(job.url_name, user=user, query=job.query)
        total = export.queryset.count()
        ExportJob.objects.filter(pk=job.pk).update(total_rows=total)
        cache.set(_progress_key(job.pk), {"done": 0, "total": total, "beat": now}, 86400)

        def progress(done):
            cache.set(_progress_key(job.pk),
                      {"done": done, "total": total, "beat": timezone.now()}, 86400)

        today = timezone.localdate()
        with tempfile.TemporaryFile(dir=_scratch()) as handle:
            _content, count = export.write(user=user, today=today, target=handle,
                                           progress=progress)
            handle.seek(0)
            job.refresh_from_db()
            job.file.save(f"export-{job.pk}.xlsx", File(handle), save=False)
        job.filename = export.filename(today)
        job.total_rows = job.done_rows = count
        job.status, job.finished_at = ExportJob.Status.DONE, timezone.now()
        job.expires_at = job.finished_at + dt.timedelta(hours=settings.CANLIAN_EXPORT_KEEP_HOURS)
        job.save()
    except PermissionDenied:
        _fail(job, _("You may no longer export this list."))
    except Exception:  # noqa: BLE001 - the job says so; the trace goes to the log
        logger.exception("export job %s failed", job.pk)
        _fail(job, _("The export stopped because of an error in the system. It has been "
                     "logged; you can export the list again."))
    cache.delete(_progress_key(job.pk))
    return ExportJob.objects.get(pk=job.pk)


def _scratch():
    """Where a workbook is written before it is stored (beside the media folder, so it
    never fills a small /tmp)."""
    folder = Path(settings.MEDIA_ROOT) / "exports" / "tmp"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _fail(job: ExportJob, message: str) -> None:
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED, message=message,
                                               finished_at=timezone.now())


def export_job_download(*, user, job: ExportJob):
    """The job's file, opened, for its owner; the download is audited as an export is.
    Raises Http404 for a job that has no file (yet, or any more)."""
    from django.http import Http404

    if job.created_by_id != user.pk or job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    handle = job.file.open("rb")
    audit_record(actor=user, action=Action.EXPORT, obj=job, unit=job.unit,
                 object_repr=job.name,
                 detail={"filters": job.filters, "rows": job.total_rows, "job": job.pk})
    return handle


def export_jobs_purge(now=None) -> int:
    """Remove the files of the jobs past their time (and forget jobs that never finished
    after a day); the jobs stay, marked removed. Returns how many files went."""
    now = now or timezone.now()
    removed = 0
    for job in ExportJob.objects.filter(status=ExportJob.Status.DONE, expires_at__lt=now):
        if job.file:
            job.file.delete(save=False)
            removed += 1
        job.status = ExportJob.Status.EXPIRED
        job.save(update_fields=["file", "status"])
    ExportJob.objects.filter(status__in=[ExportJob.Status.QUEUED, ExportJob.Status.RUNNING],
                             created_at__lt=now - dt.timedelta(days=1)).update(
        status=ExportJob.Status.FAILED, message=_("The export did not finish."))
    return removed
