"""The pages of subsidies and payroll: policies (administrators), payroll runs (previewed,
confirmed, corrected), the sheet as .xlsx and PDF, the bank file per batch. Reads through
payroll_selectors, writes through payroll_services."""

from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import Action
from audit.services import audit_record
from core.pdf import PDF, render_pdf
from core.views import (
    REPEATED_MESSAGE,
    XLSX,
    ObjectFormView,
    is_repeat,
    service_form,
    set_download_name,
    submit_form,
)

from . import payroll_exports as exports
from . import payroll_selectors as selectors
from . import payroll_services as services
from .models import SubsidyPolicy
from .payroll_forms import AdjustForm, PolicyForm, RunForm

SHOWN_LINES = 500
PDF_LINES = 3000  # about 75 pages

PAYROLL_CSS = Path(__file__).resolve().parent / "print" / "payroll.css"


# ---- policies --------------------------------------------------------------------------------

@login_required
@permission_required("workforce.view_subsidypolicy", raise_exception=True)
def policy_list(request):
    return render(request, "workforce/policy_list.html", {
        "policies": selectors.policy_list(user=request.user)})


class PolicyCreateView(ObjectFormView):
    model = SubsidyPolicy
    form_class = PolicyForm
    service = services.policy_create
    template_name = "workforce/policy_form.html"
    success_message = gettext_lazy("The policy is recorded.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_success_url(self, result):
        from django.urls import reverse

        return reverse("workforce:policy_list")


class PolicyEditView(PolicyCreateView):
    selector = selectors.policy_get
    service = services.policy_update
    object_argument = "policy"
    context_object_name = "policy"
    success_message = gettext_lazy("Saved.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "editing": True}


# ---- runs ------------------------------------------------------------------------------------

@login_required
@permission_required("workforce.view_payrollrun", raise_exception=True)
def run_list(request):
    return render(request, "workforce/payroll_list.html", {
        "runs": selectors.run_list(user=request.user)[:200]})


@login_required
@permission_required("workforce.add_payrollrun", raise_exception=True)
def run_create(request):
    form = RunForm(request.POST or None, user=request.user)
    saved, result = submit_form(request, form, save=lambda data: services.payroll_run(
        actor=request.user, **data))
    if saved:
        if is_repeat(result):
            messages.success(request, REPEATED_MESSAGE)
            return redirect(result.url or "workforce:payroll_list")
        messages.success(request, _("The payroll is computed: check it, then confirm it."))
        return redirect(result)
    return render(request, "workforce/payroll_form.html", {"form": form})


@login_required
@permission_required("workforce.view_payrollrun", raise_exception=True)
def run_detail(request, pk):
    run = selectors.run_get(user=request.user, pk=pk)
    return render(request, "workforce/payroll_detail.html", {
        "run": run, "summary": selectors.run_summary(run),
        "lines": selectors.run_lines(run)[:SHOWN_LINES], "shown": SHOWN_LINES,
        "rule": exports.PRORATING_RULE, "parts": selectors.run_parts(run),
        "can_bank": request.user.has_perm("workforce.view_bank_account")})


class _Empty(forms.Form):
    pass


def _run_action(request, pk, *, draft: bool, save, message, template):
    run = selectors.run_get(user=request.user, pk=pk)
    if run.is_locked == draft:  # confirm and compute again: previews only
        return redirect(run)
    return service_form(request, _Empty(request.POST or None), save=lambda data: save(run, data),
                        success_message=message, next_url=run, template=template,
                        context={"run": run, "summary": selectors.run_summary(run)}, obj=run)


@login_required
@permission_required("workforce.confirm_payrollrun", raise_exception=True)
def run_confirm(request, pk):
    return _run_action(
        request, pk, draft=True, template="workforce/payroll_confirm.html",
        message=_("The payroll is confirmed and locked."),
        save=lambda run, data: services.payroll_confirm(actor=request.user, run=run, **data))


@login_required
@permission_required("workforce.add_payrollrun", raise_exception=True)
def run_refresh(request, pk):
    return _run_action(
        request, pk, draft=True, template="workforce/payroll_refresh.html",
        message=_("The payroll is computed again."),
        save=lambda run, data: services.payroll_refresh(actor=request.user, run=run))


@login_required
@permission_required("workforce.add_payrollline", raise_exception=True)
def run_adjust(request, pk):
    run = selectors.run_get(user=request.user, pk=pk)
    if not run.is_locked:
        return redirect(run)
    return service_form(
        request, AdjustForm(request.POST or None),
        save=lambda data: services.payroll_adjust(actor=request.user, run=run, **data),
        success_message=_("The adjustment is recorded, in a batch of its own."),
        next_url=run, template="workforce/payroll_adjust.html", context={"run": run})


# ---- documents -------------------------------------------------------------------------------

def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    set_download_name(response, filename)
    return response


def _sheet_lines(request, run):
    """The sheet's lines: the whole run, or (``?unit=``) one unit's part of it."""
    part = None
    if request.GET.get("unit"):
        part = selectors.run_part(user=request.user, run=run, pk=request.GET["unit"])
    return part, list(selectors.run_lines(run, part=part))


def _sheet_name(run, part, extension):
    return f"补贴发放表-{(part or run.unit).name}-{run.period_label}.{extension}"


@login_required
@permission_required("workforce.view_payrollrun", raise_exception=True)
def run_sheet(request, pk):
    run = selectors.run_get(user=request.user, pk=pk)
    part, lines = _sheet_lines(request, run)
    audit_record(actor=request.user, action=Action.EXPORT, obj=run,
                 detail={"document": "sheet.xlsx", "rows": len(lines),
                         "unit": part.pk if part else run.unit_id})
    return _download(exports.sheet_xlsx(run, lines, part=part), XLSX,
                     _sheet_name(run, part, "xlsx"))


@login_required
@permission_required("workforce.view_payrollrun", raise_exception=True)
def run_pdf(request, pk):
    """The sheet to print and sign; past PDF_LINES lines, one unit's part at a time (the
    run's page links each)."""
    run = selectors.run_get(user=request.user, pk=pk)
    part, lines = _sheet_lines(request, run)
    if len(lines) > PDF_LINES:
        messages.warning(request, _("The sheet is too long to print at once: print it one "
                                    "unit at a time."))
        return redirect(f"{run.get_absolute_url()}#print")
    rows = list(exports.sheet_rows(lines))
    audit_record(actor=request.user, action=Action.EXPORT, obj=run,
                 detail={"document": "sheet.pdf", "rows": len(lines),
                         "unit": part.pk if part else run.unit_id})
    content = render_pdf("workforce/payroll_print.html", {
        "run": run, "unit": part or run.unit, "rows": rows[:-2], "total": rows[-2][10],
        "rule": rows[-1][1], "printed_on": timezone.localdate()}, stylesheets=[PAYROLL_CSS])
    return _download(content, PDF, _sheet_name(run, part, "pdf"))


@login_required
@permission_required("workforce.view_bank_account", raise_exception=True)
def run_bank(request, pk):
    """The bank file of one batch (?batch=, 1 by default: the confirmed run; 2 on: its
    adjustments): full ID and account numbers, so audited."""
    run = selectors.run_get(user=request.user, pk=pk)
    if not run.is_locked:
        raise Http404
    try:
        batch = int(request.GET.get("batch", "1"))
    except ValueError as exc:
        raise Http404 from exc
    lines = list(selectors.run_lines(run, batch=batch))
    if not lines:
        raise Http404
    rows = list(exports.bank_rows(run, lines))
    audit_record(actor=request.user, action=Action.EXPORT, obj=run,
                 detail={"document": "bank.xlsx", "batch": batch, "rows": len(rows)})
    return _download(exports.bank_xlsx(run, lines, batch=batch), XLSX,
                     f"代发银行文件-{run.unit.name}-{run.batch}-{batch}.xlsx")

