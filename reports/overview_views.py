"""The statistics overview's pages (统计概况): the page of a unit, its workbook and its PDF.
Guarded like the summary table (reports.views.summary): reading needs the register's view
permission, taking the figures out its export permission; a unit outside the scope is 404."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from orgs import selectors as org_selectors

from . import overview_services
from .forms import AsOfForm, year_asked
from .overview_selectors import statistics_overview
from .views import Crumb, _unit, download


def _asked(request) -> dict:
    """The day or the year asked for: ``?year=`` (the frozen figures of that year, or the
    live ones at its end) before ``?as_of=`` (today when none, or not a day)."""
    year = year_asked(request.GET)
    if year is not None:
        return {"year": year}
    return {"as_of": AsOfForm(request.GET or None).day()}


@login_required
@permission_required("people.view_person", raise_exception=True)
def overview(request, pk=None):
    """The overview of a unit in scope (the user's own by default), ``?as_of=`` a past
    day, ``?year=`` a year's (frozen) figures; each child row leads to its own overview."""
    year = year_asked(request.GET)
    form = AsOfForm() if year is not None else AsOfForm(request.GET or None)
    found = statistics_overview(user=request.user, unit=_unit(request, pk), **_asked(request))
    crumbs = [Crumb(u.name, reverse("reports:overview_unit", args=[u.pk]))
              for u in org_selectors.unit_breadcrumbs(user=request.user, unit=found.unit)]
    query = (f"?year={year}" if year is not None
             else f"?as_of={found.as_of.isoformat()}" if form.is_bound else "")
    return render(request, "reports/overview.html", {
        "overview": found, "unit": found.unit, "breadcrumbs": crumbs, "form": form,
        "as_of_query": query, "status": found.status})


def _download(request, pk, fmt: str) -> HttpResponse:
    unit = org_selectors.unit_get(user=request.user, pk=pk)
    export = overview_services.overview_export(actor=request.user, unit=unit, fmt=fmt,
                                               **_asked(request))
    return download(export)


@login_required
@permission_required("people.export_person", raise_exception=True)
def overview_xlsx(request, pk):
    """The overview as a workbook; the service records the export."""
    return _download(request, pk, "xlsx")


@login_required
@permission_required("people.export_person", raise_exception=True)
def overview_pdf(request, pk):
    """The overview as a printable A4 document; the service records the export."""
    return _download(request, pk, "pdf")
