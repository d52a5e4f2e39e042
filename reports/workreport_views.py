"""The yearly work report's pages: the preview of a unit's report of a year with its
figures and their sources, its .docx and PDF, and the template's edit page."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.views import service_form
from orgs import selectors as org_selectors

from . import workreport_rules as rules
from . import workreport_selectors as selectors
from .forms import WorkReportForm, WorkReportTemplateForm, year_asked
from .models import WorkReportTemplate
from .views import _unit, download
from .workreport_services import CHANGE, GENERATE, work_report_export, workreport_template_save


def _year(request) -> int:
    return year_asked(request.GET) or timezone.localdate().year


@login_required
@permission_required(GENERATE, raise_exception=True)
def work_report(request, pk=None):
    """The preview of a unit's yearly work report (the user's own unit by default; another
    unit in scope by ``?unit=`` or the address), with the sources of its figures."""
    if pk is None and request.GET.get("unit", "").isdigit():
        pk = int(request.GET["unit"])
    unit = _unit(request, pk)
    if unit.level > selectors.REPORT_LEVELS[-1]:
        raise Http404  # villages and grids write no yearly work report
    year = _year(request)
    units = selectors.report_units(user=request.user)
    report = selectors.work_report(user=request.user, unit=unit, year=year)
    template = report.template
    return render(request, "reports/work_report.html", {
        "report": report, "unit": unit, "year": year,
        "form": WorkReportForm(units=units, unit=unit, year=year),
        "template_unit": template.unit,
        "may_edit": request.user.has_perm(CHANGE),
    })


def _download(request, pk, fmt: str):
    unit = org_selectors.unit_get(user=request.user, pk=pk)
    if unit.level > selectors.REPORT_LEVELS[-1]:
        raise Http404
    export = work_report_export(actor=request.user, unit=unit, year=_year(request), fmt=fmt)
    return download(export)


@login_required
@permission_required(GENERATE, raise_exception=True)
def work_report_docx(request, pk):
    return _download(request, pk, "docx")


@login_required
@permission_required(GENERATE, raise_exception=True)
def work_report_pdf(request, pk):
    return _download(request, pk, "pdf")


@login_required
@permission_required(CHANGE, raise_exception=True)
def work_report_template(request, pk):
    """Edit the template of a unit's reports (and of the units beneath it that have none):
    the unit's own, or, before its first save, a copy of the one it follows now."""
    unit = org_selectors.unit_get(user=request.user, pk=pk)
    if unit.level > selectors.REPORT_LEVELS[-1]:
        raise Http404  # villages and grids write no yearly work report
    own = selectors.own_template(user=request.user, unit=unit)
    followed = own or selectors.template_for(unit)
    obj = own or WorkReportTemplate(unit=unit, title=followed.title, subtitle=followed.subtitle,
                                    signature=followed.signature, body=followed.body)
    form = WorkReportTemplateForm(request.POST or None, instance=obj)
    return service_form(
        request, form,
        save=lambda data: workreport_template_save(actor=request.user, unit=unit, **data),
        success_message=_("The template is saved."),
        next_url=reverse("reports:work_report_unit", args=[unit.pk]),
        template="reports/work_report_template.html",
        obj=obj,
        context={"unit": unit, "own": own, "followed": followed,
                 "placeholders": [(name, description)
                                  for name, description in rules.PLACEHOLDERS.items()]})
