"""Import jobs: upload a ledger, say which sheet, header row and columns, then check or apply
it in the background. The ledgers themselves (what a row of people or of visits is) are
import specs that their apps register (``imports.registry``)."""

import datetime as dt
import io
import logging
from itertools import chain, islice
from pathlib import PurePath

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import audit_record
from core.tabular import (
    TableError,
    is_spreadsheet,
    open_table,
    rows_later,
    sheet_names,
    table_height,
)
from core.text import mask_digits, mask_numbers

from . import engine
from .models import ImportJob
from .registry import spec_for

STALE_AFTER = dt.timedelta(minutes=2)
logger = logging.getLogger(__name__)
MAX_UPLOAD = 60 * 1024 * 1024


def _progress_key(job_id: int) -> str:
    return f"import-job:{job_id}:progress"


def job_progress(job: ImportJob) -> dict:
    """Rows done, total and the last sign of life, as the running worker reported them."""
    live = cache.get(_progress_key(job.pk))
    if live is None:
        return {"done": job.done_rows, "total": job.total_rows, "beat": job.heartbeat}
    return live


class JobCancelled(Exception):  # noqa: N818 - a signal, not an error
    """The job was asked to stop (job_cancel): its transaction rolls back."""


def _cancel_key(job_id: int) -> str:
    return f"import-job:{job_id}:cancel"


def job_cancel(*, actor, job: ImportJob) -> ImportJob:
    """Ask a queued or running job to stop. The worker sees it after the batch it is
    writing (a second or so) and rolls everything back: nothing is written. The request
    is kept in the cache every process shares, since the job's row is not writable while
    its own transaction runs (SQLite)."""
    _own(actor, job)
    if job.status not in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING):
        raise ValidationError(_("This import is not running."))
    cache.set(_cancel_key(job.pk), str(actor), 86400)
    audit_record(actor=actor, action=Action.UPDATE, obj=job, unit=job.unit,
                 object_repr=job.filename, detail={"cancel": True})
    return job


def job_is_stale(job: ImportJob) -> bool:
    """A running job whose worker has not reported for a while has died."""
    if job.status != ImportJob.Status.RUNNING:
        return False
    beat = job_progress(job).get("beat") or job.started_at
    return beat is None or timezone.now() - beat > STALE_AFTER


def _head(source, filename: str, sheet) -> list:
    """The first rows of a sheet (where its header is), read without reading the rest."""
    _height, rows = open_table(source, filename, sheet, head=True)
    head = []
    for number, cells in rows:
        head.append((number, cells))
        if number >= engine.HEADER_SCAN_ROWS:
            break
    return head


def job_preview(job: ImportJob, limit: int = 8) -> dict:
    """The header row and the first rows after it, with the fields the mapping gives."""
    header, sample = [], []
    with job.file.open("rb") as handle:
        _height, rows = open_table(handle, job.filename, _sheet(job), head=True)
        for number, cells in rows:
            if number == job.header_row:
                header = cells
            elif number > job.header_row and any(str(c).strip() for c in cells):
                sample.append((number, cells))
                if len(sample) >= limit:
                    break
    return {"header": header, "rows": sample}


def _id_fields(spec) -> set[str]:
    """The columns holding a person's ID or certificate numbers (division codes are long
    digits too, but no one's personal data)."""
    return {column.field for column in spec.columns if column.personal}


def _masked(value, whole: bool) -> str:
    return mask_digits(value) if whole else mask_numbers(value)


def masked_preview(preview: dict, *, spec, mapping: dict[int, str]) -> dict:
    """``job_preview`` as a page shows it: the cells of a column holding ID or certificate
    numbers masked (core.text.mask_digits), and any such number in another cell too."""
    ids = {index for index, name in mapping.items() if name in _id_fields(spec)}
    rows = [(number, [_masked(cell, index in ids) for index, cell in enumerate(cells)])
            for number, cells in preview["rows"]]
    return {"header": preview["header"], "rows": rows}


def masked_errors(errors, *, spec) -> list[list]:
    """A job's stored errors ([row, column label, value, reason]) as a page shows them: the
    value of an ID or certificate column masked, and any such number in a value or reason
    (a reason may quote the number)."""
    labels = {spec.label(name) for name in _id_fields(spec)}
    return [[row, label, _masked(value, label in labels), mask_numbers(reason)]
            for row, label, value, reason in errors]


def _row_at(source, filename: str, sheet, number: int) -> list:
    """The cells of one row (the header), read without reading the rows after it."""
    for at, cells in open_table(source, filename, sheet, head=True)[1]:
        if at >= number:
            return cells if at == number else []
    return []


def _sheet(job: ImportJob):
    return job.sheet if job.sheet else 0


@transaction.atomic
def job_create(*, actor, kind: str, upload) -> ImportJob:
    """Store an uploaded file, find its header and guess the columns."""
    spec = spec_for(kind)
    if not actor.has_perm(spec.permission):
        raise PermissionDenied
    if actor.unit_id is None:
        raise PermissionDenied
    if upload.size > MAX_UPLOAD:
        raise ValidationError({"file": _("The file is too large (at most 60 MB).")})
    name = PurePath(upload.name).name[:200]
    try:
        sheets = sheet_names(upload, name)
        sheet = sheets[0] if sheets else ""
        head = _head(upload, name, sheet or 0)
    except TableError as exc:
        raise ValidationError({"file": str(exc)}) from exc
    header_row, mapping = engine.detect_header(spec, head)
    if not mapping:
        raise ValidationError({"file": _(
            "No column of the file has a header this ledger knows (such as 姓名 or 身份证号). "
            "Check the file, or download the blank template.")})
    job = ImportJob(unit=actor.unit, created_by=actor, kind=kind, filename=name, sheet=sheet,
                    header_row=header_row, mapping={str(k): v for k, v in mapping.items()})
    upload.seek(0)
    job.file.save(f"{kind}-{timezone.now():%Y%m%d%H%M%S}{PurePath(name).suffix.lower()}",
                  upload, save=False)
    job.save()
    return job


@transaction.atomic
def job_configure(*, actor, job: ImportJob, sheet: str, header_row: int, mapping: dict,
                  mode: str, update_existing: bool, dry_run: bool) -> ImportJob:
    _own(actor, job)
    if job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING) and not job_is_stale(job):
        raise ValidationError(_("This import is running; wait for it to finish."))
    spec = spec_for(job.kind)
    if is_spreadsheet(job.filename):
        with job.file.open("rb") as handle:
            if sheet not in sheet_names(handle, job.filename):
                raise ValidationError({"sheet": _("Choose one of the file's sheets.")})
            if sheet != job.sheet:
                header_row, detected = engine.detect_header(
                    spec, _head(handle, job.filename, sheet))
                mapping = {str(k): v for k, v in detected.items()}
    fields = [f for f in mapping.values() if f]
    if len(fields) != len(set(fields)):
        raise ValidationError({"mapping": _("Two columns are mapped to the same field.")})
    known = {c.field for c in spec.columns}
    if set(fields) - known:
        raise ValidationError({"mapping": _("Unknown field.")})
    missing = [c.label for c in spec.columns if c.required and c.field not in fields]
    if missing:
        raise ValidationError({"mapping": _("Map a column to each required field: %(list)s.")
                               % {"list": "、".join(missing)}})
    job.sheet, job.header_row = sheet, max(1, int(header_row))
    job.mapping = {str(k): v for k, v in mapping.items() if v}
    job.mode, job.update_existing, job.dry_run = mode, update_existing, dry_run
    job.status = ImportJob.Status.UPLOADED
    job.save()
    return job


def _own(actor, job: ImportJob) -> None:
    if not ImportJob.objects.visible_to(actor).filter(pk=job.pk).exists():
        raise PermissionDenied
    if not actor.has_perm(spec_for(job.kind).permission):
        raise PermissionDenied


def job_start(*, actor, job: ImportJob) -> ImportJob:
    """Queue the job for the background worker (again, if it died)."""
    from .tasks import run_import_job

    _own(actor, job)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING) \
                and not job_is_stale(job):
            raise ValidationError(_("This import is already running."))
        job.status = ImportJob.Status.QUEUED
        job.done_rows = 0
        job.message = ""
        job.save(update_fields=["status", "done_rows", "message"])
        cache.delete(_progress_key(job.pk))
        transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job


def job_run(job_id: int) -> ImportJob:
    """Run a queued job (in the worker). Everything it writes is one transaction: if the
    process dies, nothing is left half-applied and the job can be started again."""

    job = ImportJob.objects.select_related("created_by__unit").get(pk=job_id)
    if job.status not in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING):
        return job
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, started_at=now,
                                                heartbeat=now)
    spec = spec_for(job.kind)
    actor = job.created_by
    handle = job.file.open("rb")
    try:
        header = _row_at(handle, job.filename, _sheet(job), job.header_row)
        total = table_height(handle, job.filename, _sheet(job))
        rows = rows_later(handle, job.filename, _sheet(job))

        cache.set(_progress_key(job.pk), {"done": 0, "total": total, "beat": now}, 86400)

        def progress(done):
            if cache.get(_cancel_key(job.pk)):
                raise JobCancelled
            cache.set(_progress_key(job.pk),
                      {"done": done, "total": total, "beat": timezone.now()}, 86400)

        if cache.get(_cancel_key(job.pk)):
            raise JobCancelled

        rejected = None
        ctx = engine.Context(actor=actor, job=job, update_existing=job.update_existing,
                             dry_run=job.dry_run, today=timezone.localdate(), now=now)

        class LazyRejected:
            """Create the rejected-rows workbook only when a row is rejected."""

            def add(self, number, cells, reasons):
                nonlocal rejected
                if rejected is None:
                    rejected = engine.RejectedRows(header)
                rejected.add(number, cells, reasons)

        recorded = []

        def finish(outcome):
            """The job's own outcome, in the transaction that keeps its rows (so the two
            commit together, or neither does)."""
            recorded.append(_record_outcome(job, outcome, rejected, actor))

        engine.run(spec=spec, ctx=ctx, rows=rows,
                   mapping={int(k): v for k, v in job.mapping.items()},
                   header_row=job.header_row, mode=job.mode, progress=progress,
                   rejected=LazyRejected(), finish=finish,
                   reread=lambda: open_table(handle, job.filename, _sheet(job))[1])
        job = recorded[0]
    except JobCancelled:
        who = cache.get(_cancel_key(job.pk)) or ""
        cache.delete(_cancel_key(job.pk))
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.CANCELLED, finished_at=timezone.now(),
            message=_("Cancelled by %(user)s; nothing was written.") % {"user": who})
        return ImportJob.objects.get(pk=job.pk)
    except (TableError, OSError) as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, message=str(exc), finished_at=timezone.now())
        return ImportJob.objects.get(pk=job.pk)
    except IntegrityError:
        # What the rows were checked against changed while the job ran (someone registered
        # one of the file's people meanwhile): the table's constraints refused the batch.
        logger.info("import job %s met a conflicting change", job.pk, exc_info=True)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, finished_at=timezone.now(),
            message=_("While the import ran, someone else registered or changed one of the "
                      "people in the file; nothing was written. Start the import again: "
                      "it will show which rows are concerned."))
        return ImportJob.objects.get(pk=job.pk)
    except Exception:  # noqa: BLE001 - the job's transaction has rolled back; say so, log it
        logger.exception("import job %s failed", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, finished_at=timezone.now(),
            message=_("The import stopped because of an error in the system; nothing was "
                      "written. It has been logged; you can start it again."))
        return ImportJob.objects.get(pk=job.pk)
    finally:
        handle.close()
    cache.set(_progress_key(job.pk), {"done": total, "total": total, "beat": timezone.now()},
              3600)
    return job


def _record_outcome(job: ImportJob, outcome, rejected, actor) -> ImportJob:

    job.refresh_from_db()
    job.total_rows, job.done_rows = outcome.total, outcome.total
    job.created, job.updated, job.bad_rows = outcome.created, outcome.updated, outcome.bad_rows
    job.errors, job.error_count, job.applied = outcome.errors, outcome.error_count, \
        outcome.applied
    job.status, job.finished_at = ImportJob.Status.DONE, timezone.now()
    if rejected is not None:
        buffer = io.BytesIO()
        rejected.save(buffer)
        job.rejected_file.save(f"rejected-{job.pk}.xlsx", ContentFile(buffer.getvalue()),
                               save=False)
    job.save()
    if outcome.applied and (outcome.created or outcome.updated):
        audit_record(actor=actor, action=Action.IMPORT, obj=job, unit=job.unit,
                     object_repr=job.filename,
                     detail={"ledger": job.kind, "created": outcome.created,
                             "updated": outcome.updated, "bad_rows": outcome.bad_rows,
                             "mode": job.mode})
    return job


def run_table(*, actor, spec, rows, mode: str = "all", dry_run: bool = False,
              update_existing: bool = False) -> engine.Outcome:
    """Import a table at once, in this process (commands, the demo): the header found in
    its first rows, the columns mapped by their names. ``rows`` yields (number, cells)."""
    iterator = iter(rows)
    head = list(islice(iterator, engine.HEADER_SCAN_ROWS))
    header_row, mapping = engine.detect_header(spec, head)
    if not mapping:
        raise ValidationError(_(
            "No column of the file has a header this ledger knows (such as 姓名 or 身份证号). "
            "Check the file, or download the blank template."))
    ctx = engine.Context(actor=actor, update_existing=update_existing, dry_run=dry_run,
                         today=timezone.localdate(), now=timezone.now())
    return engine.run(spec=spec, ctx=ctx, rows=chain(head, iterator), mapping=mapping,
                      header_row=header_row, mode=mode)
