"""Base views: scope applied once, in get_queryset, so out of scope is a 404 everywhere."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.generic import DetailView, ListView

from .scope import get_visible_or_404

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def set_download_name(response, filename: str) -> None:
    """A Content-Disposition that carries a Chinese file name to every browser."""
    ascii_name = filename.encode("ascii", "ignore").decode() or "download.xlsx"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )


def export_filters(cleaned: dict) -> dict[str, str]:
    """The filters a list was asked for, as strings for the audit log (empty ones left out)."""
    return {name: str(value) for name, value in cleaned.items()
            if value is not None and value != "" and value is not False}


class _Counted:
    """Rows passed through, counted on the way."""

    def __init__(self, rows):
        self.rows, self.count = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row


def xlsx_export(request, *, name: str, columns, rows, filters: dict[str, str]):
    """A list as a workbook to download, "<name>-<date>.xlsx", and the one audit entry saying
    who took which rows out: ``name`` with ``filters``, so many rows. ``rows`` is streamed
    once, as it is written."""
    from django.http import HttpResponse
    from django.utils import timezone

    from accounts.audit import audit_record
    from accounts.models import Action

    from .exports import write_xlsx

    today = timezone.localdate()
    unit = request.user.unit
    counted = _Counted(rows)
    content = write_xlsx(title=f"{unit.name if unit else ''}{name}（{today:%Y-%m-%d}导出）",
                         columns=columns, rows=counted, sheet_title=name)
    audit_record(actor=request.user, action=Action.EXPORT, unit=unit, object_repr=name,
                 detail={"filters": filters, "rows": counted.count})
    response = HttpResponse(content, content_type=XLSX)
    set_download_name(response, f"{name}-{today:%Y-%m-%d}.xlsx")
    return response


class ScopedMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Logged in, holding ``permission_required``, and reading only ``visible_to`` rows."""

    model = None
    raise_exception = False  # anonymous users go to the login page

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            self.raise_exception = True
        return super().handle_no_permission()

    def get_queryset(self):
        return self.model._default_manager.visible_to(self.request.user)


class ScopedListView(ScopedMixin, ListView):
    paginate_by = 50


class ScopedDetailView(ScopedMixin, DetailView):
    pass


def service_form(request, form, *, save, success_message: str, next_url, template: str,
                 context: dict):
    """The shape of every form page: on a valid POST call ``save(cleaned_data)`` (a
    service); its ValidationError goes back onto the form, which keeps what was typed."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success_message)
            return redirect(next_url)
    return render(request, template, {"form": form, **context})


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form, by field where the form has the field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for error in exc.error_list:
            form.add_error(None, error)


# ---- imports ------------------------------------------------------------------------------

def _import_kinds(user):
    from .imports import specs

    return [(kind, spec.title) for kind, spec in specs().items()
            if user.has_perm(spec.permission)]


@login_required
def import_list(request):
    from .forms import UploadForm
    from .imports import job_create
    from .models import ImportJob

    kinds = _import_kinds(request.user)
    if not kinds:
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None, kinds=kinds,
                      initial={"kind": request.GET.get("kind", kinds[0][0])})
    if request.method == "POST" and form.is_valid():
        try:
            job = job_create(actor=request.user, kind=form.cleaned_data["kind"],
                             upload=form.cleaned_data["file"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(job)
    jobs = ImportJob.objects.visible_to(request.user).select_related("created_by")[:30]
    return render(request, "core/import_list.html", {"form": form, "jobs": jobs,
                                                     "kinds": kinds})


def _job_for(request, pk):
    from .models import ImportJob

    return get_visible_or_404(ImportJob.objects.select_related("created_by"), request.user,
                              pk=pk)


@login_required
def import_detail(request, pk):
    from .forms import ConfigureForm
    from .imports import (
        job_configure,
        job_is_stale,
        job_preview,
        job_progress,
        job_start,
        spec_for,
    )
    from .models import ImportJob
    from .tabular import TableError, sheet_names

    job = _job_for(request, pk)
    spec = spec_for(job.kind)
    if not request.user.has_perm(spec.permission):
        raise PermissionDenied
    try:
        with job.file.open("rb") as handle:
            sheets = sheet_names(handle, job.filename)
        preview = job_preview(job)
    except (TableError, OSError):
        sheets, preview = [], {"header": [], "rows": []}
    busy = job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING) \
        and not job_is_stale(job)
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
    errors_page = Paginator(job.errors, 100).get_page(request.GET.get("page"))
    return render(request, "core/import_detail.html", {
        "job": job, "spec": spec, "form": form, "preview": preview, "busy": busy,
        "stale": job_is_stale(job), "progress": job_progress(job), "errors_page": errors_page,
        "mapped": {int(k): v for k, v in job.mapping.items()},
    })


@login_required
def import_progress(request, pk):
    """The progress bar, polled by htmx while the job runs; the whole page once it is done."""
    from .imports import job_is_stale, job_progress
    from .models import ImportJob

    job = _job_for(request, pk)
    running = job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING) \
        and not job_is_stale(job)
    response = render(request, "core/_import_progress.html", {
        "job": job, "progress": job_progress(job), "running": running,
    })
    if not running and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@login_required
def import_rejected(request, pk):
    from django.http import FileResponse, Http404

    from accounts.audit import audit_record
    from accounts.models import Action

    job = _job_for(request, pk)
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
    from django.http import HttpResponse

    from .exports import blank_template
    from .imports import SPEC_PATHS, spec_for

    if kind not in SPEC_PATHS:
        from django.http import Http404

        raise Http404
    spec = spec_for(kind)
    if not request.user.has_perm(spec.permission):
        raise PermissionDenied
    response = HttpResponse(blank_template(spec), content_type=XLSX)
    set_download_name(response, f"{spec.ledger_name}（空白模板）.xlsx")
    return response
