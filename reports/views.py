from dataclasses import dataclass
from urllib.parse import quote

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import snapshots
from core.views import service_form, set_download_name
from orgs import selectors as org_selectors

from . import selectors, services
from .forms import AsOfForm, year_asked


@dataclass(frozen=True)
class Crumb:
    """A breadcrumb leading to an ancestor's own summary rather than to its unit page."""

    name: str
    url: str

    def get_absolute_url(self) -> str:
        return self.url


def _unit(request, pk):
    """The unit asked for, or the user's own (the top of a superuser's tree); 404 outside
    the scope."""
    if pk is None:
        pk = request.user.unit_id
    if pk is None:
        root = org_selectors.unit_roots(user=request.user).order_by("path").first()
        if root is None:
            raise Http404
        pk = root.pk
    return org_selectors.unit_get(user=request.user, pk=pk)


def download(export: services.Export, fallback: str | None = None) -> HttpResponse:
    """The response that hands ``export`` (a reports service's file) to the browser, under
    its Chinese name (and ``fallback`` for old clients that take only ASCII)."""
    response = HttpResponse(export.content, content_type=export.content_type)
    if fallback is None:
        set_download_name(response, export.filename)
    else:
        response["Content-Disposition"] = _attachment(export.filename, fallback)
    return response


def _attachment(filename: str, fallback: str) -> str:
    """RFC 6266: an ASCII name for old clients, the Chinese name for the rest."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


@login_required
def home(request):
    """Each user's home page: where their work starts. A liaison officer's visits due and
    open needs, an administrator's figures and what waits for their decision, a leader's
    figures; an auditor goes to the audit log."""
    user = request.user
    if not user.has_perm("people.view_person"):
        if user.has_perm("audit.view_auditlog"):
            return redirect("accounts:audit_list")
        if user.has_perm("orgs.view_orgunit"):
            return redirect("orgs:tree")
        raise PermissionDenied
    if user.unit_id is None:  # a site superuser: the whole network
        return redirect("orgs:tree")
    from ledgers.petitions_selectors import home_figures

    return render(request, "reports/home.html", {"home": selectors.home_page(user=user),
                                                 "petitions": home_figures(user=user)})


@login_required
@permission_required("people.view_person", raise_exception=True)
def summary(request, pk=None):
    """The summary table of a unit in scope, each child row linking to its own table, so
    a county can drill down to a village without leaving the report; ``?as_of=`` reads it
    as of an earlier day."""
    form = AsOfForm(request.GET or None)
    year = year_asked(request.GET)
    if year is not None:  # the frozen table of that year, or the live one at its end
        form = AsOfForm()
        table = selectors.summary_table_of_year(user=request.user, unit=_unit(request, pk),
                                                year=year)
    else:
        table = selectors.summary_table(user=request.user, unit=_unit(request, pk),
                                        as_of=form.day())
    crumbs = [
        Crumb(u.name, reverse("reports:summary_unit", args=[u.pk]))
        for u in org_selectors.unit_breadcrumbs(user=request.user, unit=table.unit)
    ]
    return render(request, "reports/summary.html", {
        "table": table,
        "unit": table.unit,
        "breadcrumbs": crumbs,
        "form": form,
        "as_of_query": f"?year={year}" if year is not None
        else f"?as_of={table.as_of.isoformat()}" if form.is_bound else "",
        "status": table.data_status,
    })


@login_required
@permission_required("people.export_person", raise_exception=True)
def summary_xlsx(request, pk):
    """The same table as a workbook to file or print; the service records the export."""
    unit = org_selectors.unit_get(user=request.user, pk=pk)
    export = services.summary_table_export(actor=request.user, unit=unit,
                                           as_of=AsOfForm(request.GET or None).day(),
                                           year=year_asked(request.GET))
    return download(export, fallback=f"summary-table-{unit.pk}.xlsx")


@login_required
@permission_required("people.view_person", raise_exception=True)
def reform_comparison(request, pk):
    """A reform's new units beside the old: the people of each the day before and on the
    reform's first day, so a county sees that nobody was lost across the reform."""
    comparison = selectors.reform_comparison(user=request.user, pk=pk)
    return render(request, "reports/reform_comparison.html", {"comparison": comparison,
                                                              "reform": comparison.reform})
# ---- frozen year-end figures (冻结数据) ---------------------------------------------------------

@login_required
@permission_required(snapshots.FREEZE, raise_exception=True)
def summary_freeze(request, pk):
    """Freeze the summary tables of a year of a unit and every unit beneath it: a page
    saying what will be frozen, and one POST that freezes them all."""
    unit = org_selectors.unit_get(user=request.user, pk=pk)
    last_year = timezone.localdate().year - 1
    form = snapshots.FreezeForm(request.POST or None, year=year_asked(request.GET) or last_year)
    year = form.data.get("year") if form.is_bound else form.initial["year"]
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = last_year
    preview = selectors.summary_freeze_preview(user=request.user, unit=unit, year=year)
    return service_form(
        request, form,
        save=lambda data: services.summary_tables_freeze(actor=request.user, unit=unit,
                                                         **data),
        success_message=_("The summary tables are frozen."),
        next_url=reverse("reports:summary_unit", args=[unit.pk]) + f"?year={year}",
        template="reports/summary_freeze.html",
        context={"unit": unit, "preview": preview, "year": year})


@login_required
@permission_required(snapshots.VIEW, raise_exception=True)
def snapshot_list(request, pk):
    """A unit's frozen figures, by year and report, each leading to its frozen page."""
    unit = org_selectors.unit_get(user=request.user, pk=pk)
    found = list(snapshots.snapshot_list(user=request.user, unit=unit))
    for s in found:
        s.label, s.url = selectors.snapshot_link(s)
    return render(request, "reports/snapshot_list.html", {
        "unit": unit, "snapshots": found,
        "may_freeze": request.user.has_perm(snapshots.FREEZE)})
