"""Import jobs in the API (mounted at /api/v1/imports/ by the api app): upload a file,
start it, follow its progress, read its rejected rows. The engine and its services are
the pages' own (imports.services); what a page masks, the API masks."""

import datetime as dt
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Path, Router, Schema, Status
from ninja.files import UploadedFile

from audit.models import Action
from audit.services import audit_record
from core.api import ERRORS, MAX_ID, READ_ERRORS
from core.text import mask_numbers
from core.views import XLSX

from . import selectors, services
from .registry import spec_for

router = Router()

Pk = Annotated[int, Path(ge=1, le=MAX_ID)]


class JobOut(Schema):
    id: int
    kind: str
    filename: str
    status: str
    created_at: dt.datetime
    created_by: str
    mode: str
    update_existing: bool
    dry_run: bool
    total_rows: int
    done_rows: int
    created: int
    updated: int
    bad_rows: int
    applied: bool
    percent: int
    has_rejected_rows: bool

    @staticmethod
    def resolve_created_by(obj) -> str:
        return str(obj.created_by)

    @staticmethod
    def resolve_has_rejected_rows(obj) -> bool:
        return bool(obj.rejected_file)


class JobError(Schema):
    row: int
    column: str
    value: str
    reason: str


class JobDetailOut(JobOut):
    mapping: dict[str, str]
    message: str
    error_count: int
    errors: list[JobError]

    @staticmethod
    def resolve_mapping(obj) -> dict:
        return {str(k): str(v) for k, v in obj.mapping.items()}

    @staticmethod
    def resolve_message(obj) -> str:
        return mask_numbers(obj.message)

    @staticmethod
    def resolve_errors(obj) -> list:
        return obj.api_errors


class ProgressOut(Schema):
    status: str
    done: int
    total: int
    running: bool


def _need_imports(request) -> None:
    if not selectors.importable_kinds(request.user):
        raise PermissionDenied


def _detail(job):
    """The job with its errors as the page shows them (the first 1000; numbers masked)."""
    spec = spec_for(job.kind)
    job.api_errors = [{"row": int(row or 0), "column": str(column), "value": str(value),
                       "reason": str(reason)}
                      for row, column, value, reason
                      in services.masked_errors(job.errors[:1000], spec=spec)]
    return job


@router.get("/", response={200: list[JobOut], **READ_ERRORS}, summary=_("Import jobs"))
def job_list(request):
    """The latest 30 imports of the user's subtree, of the ledgers they may import."""
    _need_imports(request)
    return list(selectors.job_list(user=request.user))


@router.post("/", response={201: JobDetailOut, **ERRORS}, summary=_("Upload a file to import"))
def job_upload(request, kind: Form[str], file: File[UploadedFile]):
    """Store the file, find its header and guess its columns (as the upload page does);
    then start it. ``kind``: the ledger (e.g. people)."""
    _need_imports(request)
    if kind not in selectors.importable_kinds(request.user):
        raise PermissionDenied
    job = services.job_create(actor=request.user, kind=kind, upload=file)
    return Status(201, _detail(selectors.job_get(user=request.user, pk=job.pk)))


@router.get("/{int:pk}", response={200: JobDetailOut, **READ_ERRORS}, summary=_("One import"))
def job_detail(request, pk: Pk):
    """The job, its columns and its errors (the first 1000; ID numbers masked). Audited
    like the page."""
    job = selectors.job_get(user=request.user, pk=pk)
    audit_record(actor=request.user, action=Action.VIEW, obj=job, unit=job.unit,
                 detail={"api": "import"})
    return _detail(job)


@router.post("/{int:pk}/start", response={200: JobOut, **ERRORS}, summary=_("Start an import"))
def job_start(request, pk: Pk):
    """Queue the job with the columns guessed on upload (or set on its page); refused while
    it runs."""
    job = selectors.job_get(user=request.user, pk=pk)
    return services.job_start(actor=request.user, job=job)


@router.get("/{int:pk}/progress", response={200: ProgressOut, **READ_ERRORS},
            summary=_("An import's progress"))
def job_progress(request, pk: Pk):
    job = selectors.job_get(user=request.user, pk=pk)
    progress = services.job_progress(job)
    running = job.status in ("queued", "running") and not services.job_is_stale(job)
    return {"status": job.status, "done": progress.get("done") or 0,
            "total": progress.get("total") or 0, "running": running}


@router.get("/{int:pk}/rejected", response={200: None, **READ_ERRORS},
            summary=_("An import's rejected rows (xlsx)"),
            openapi_extra={"responses": {200: {"description": "The rejected rows, to correct",
                                               "content": {XLSX: {"schema": {
                                                   "type": "string", "format": "binary"}}}}}})
def job_rejected(request, pk: Pk):
    """The rows the import refused, with the reason beside each, as a workbook to correct
    and import again. The download is audited."""
    job = selectors.job_get(user=request.user, pk=pk)
    if not job.rejected_file:
        raise Http404
    audit_record(actor=request.user, action=Action.EXPORT, obj=job, unit=job.unit,
                 detail={"export": "rejected rows", "rows": job.bad_rows, "api": True})
    stem = job.filename.rsplit(".", 1)[0]
    return FileResponse(job.rejected_file.open("rb"), as_attachment=True,
                        filename=f"{stem}-退回修改.xlsx", content_type=XLSX)
