"""Base views: scope applied once, in get_queryset, so out of scope is a 404 everywhere."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.generic import DetailView, ListView

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
