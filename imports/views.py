"""The import pages: upload, mapping and start, progress, rejected rows, blank templates.
Every page that shows a job checks the job's scope and the ledger's permission."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import Action
from audit.services import audit_record
from core.exports import blank_template
from core.scope import get_visible_or_404
from core.tabular import TableError, sheet_names
from core.text import mask_numbers
from core.views import XLSX, add_service_errors, set_download_name

from .forms import ConfigureForm, UploadForm
from .models import ImportJob
from .registry import is_known, spec_for, specs
from .services import (
    job_cancel,
    job_configure,
    job_create,
    job_is_stale,
    job_preview,
    job_progress,
    job_start,
    masked_errors,
    masked_preview,
)


def _import_kinds(user):
    return [(kind, spec.title) for kind, spec in specs().items()
            if user.has_perm(spec.permission)]


@login_required
def import_list(request):
    kinds = _import_kinds(request.user)
    if not kinds:
        raise PermissionDenied
    allowed = {kind for kind, _title in kinds}
    asked = request.GET.get("kind")
    if asked and asked not in allowed:
        raise PermissionDenied  # a ledger this user may not import (or none such)
    form = UploadForm(request.POST or None, request.FILES or None, kinds=kinds,
                      initial={"kind": asked or kinds[0][0]})
    if request.method == "POST" and form.is_valid():
        try:
            job = job_create(actor=request.user, kind=form.cleaned_data["kind"],
                             upload=form.cleaned_data["file"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(job)
    # The list never loads a job's errors or mapping (a job's errors can be large).
    jobs = (ImportJob.objects.visible_to(request.user).filter(kind__in=allowed)
            .select_related("created_by").defer("errors", "mapping")[:30])
    return render(request, "imports/import_list.html", {"form": form, "jobs": jobs,
                                                         "kinds": kinds})


def _job_for(request, pk) -> tuple[ImportJob, object]:
    """The job (in scope, else 404) and its ledger's spec (the ledger's permission, else
    403)."""
    job = get_visible_or_404(ImportJob.objects.select_related("created_by"), request.user,
                             pk=pk)
    spec = spec_for(job.kind)
    if not request.user.has_perm(spec.permission):
        raise PermissionDenied
    return job, spec


def _busy(job: ImportJob) -> bool:
    return job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING) \
        and not job_is_stale(job)


@login_required
def import_detail(request, pk):
    job, spec = _job_for(request, pk)
    try:
        with job.file.open("rb") as handle:
            sheets = sheet_names(handle, job.filename)
        preview = job_preview(job)
    except (TableError, OSError):
        sheets, preview = [], {"header": [], "rows": []}
    busy = _busy(job)
    form = ConfigureForm(request.POST or None, job=job, sheets=sheets, header=preview["header"],
                         spec=spec, initial={"sheet": job.sheet, "header_row": job.header_row,
                                             "mode": job.mode,
                                             "update_existing": job.update_existing,
                                             "dry_run": job.dry_run})
    if request.method == "POST" and not busy and form.is_valid():
        data = form.cleaned_data
        try:
            job = job_configure(actor=request.user, job=job, sheet=data.get("sheet", ""),
                                header_row=data["header_row"], mapping=form.mapping(),
                                mode=data["mode"],
                                update_existing=data.get("update_existing", False),
                                dry_run=data["dry_run"])
            if "start" in request.POST and data.get("sheet", "") == job.sheet:
                job_start(actor=request.user, job=job)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(job)
    if request.method == "GET":  # the page shows the file's rows: every look is audited
        audit_record(actor=request.user, action=Action.VIEW, obj=job, unit=job.unit)
    errors_page = Paginator(job.errors, 100).get_page(request.GET.get("page"))
    mapped = {int(k): v for k, v in job.mapping.items()}
    return render(request, "imports/import_detail.html", {
        "job": job, "spec": spec, "form": form, "busy": busy,
        "preview": masked_preview(preview, spec=spec, mapping=mapped),
        "stale": job_is_stale(job), "progress": job_progress(job), "errors_page": errors_page,
        "errors": masked_errors(errors_page.object_list, spec=spec), "mapped": mapped,
        "failure": mask_numbers(job.message),
    })


@login_required
def import_progress(request, pk):
    """The progress bar, polled by htmx while the job runs; the whole page once it is done."""
    job, _spec = _job_for(request, pk)
    running = _busy(job)
    response = render(request, "imports/_import_progress.html", {
        "job": job, "progress": job_progress(job), "running": running,
    })
    if not running and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def import_cancel(request, pk):
    """Stop a queued or running import: nothing it read is written."""
    job, _spec = _job_for(request, pk)
    try:
        job_cancel(actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The import is being stopped; nothing will be written."))
    return redirect(job)


@login_required
def import_rejected(request, pk):
    job, _spec = _job_for(request, pk)
    if not job.rejected_file:
        raise Http404
    audit_record(actor=request.user, action=Action.EXPORT, obj=job, unit=job.unit,
                 detail={"export": "rejected rows", "rows": job.bad_rows})
    stem = job.filename.rsplit(".", 1)[0]
    return FileResponse(job.rejected_file.open("rb"), as_attachment=True,
                        filename=f"{stem}-退回修改.xlsx")


@login_required
def import_template(request, kind):
    """A blank ledger with the right columns, for officers to fill in."""
    if not is_known(kind):
        raise Http404
    spec = spec_for(kind)
    if not request.user.has_perm(spec.permission):
        raise PermissionDenied
    response = HttpResponse(blank_template(spec), content_type=XLSX)
    set_download_name(response, f"{spec.ledger_name}（空白模板）.xlsx")
    return response
