from dataclasses import dataclass
from urllib.parse import quote

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from orgs import selectors as org_selectors

from . import selectors, services
from .forms import AsOfForm


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
        "as_of_query": f"?as_of={table.as_of.isoformat()}" if form.is_bound else "",
    })


@login_required
@permission_required("people.export_person", raise_exception=True)
def summary_xlsx(request, pk):
    """The same table as a workbook to file or print; the service records the export."""
    unit = org_selectors.unit_get(user=request.user, pk=pk)
    export = services.summary_table_export(actor=request.user, unit=unit,
                                           as_of=AsOfForm(request.GET or None).day())
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = _attachment(
        export.filename, fallback=f"summary-table-{unit.pk}.xlsx"
    )
    return response


@login_required
@permission_required("people.view_person", raise_exception=True)
def reform_comparison(request, pk):
    """A reform's new units beside the old: the people of each the day before and on the
    reform's first day, so a county sees that nobody was lost across the reform."""
    comparison = selectors.reform_comparison(user=request.user, pk=pk)
    return render(request, "reports/reform_comparison.html", {"comparison": comparison,
                                                              "reform": comparison.reform})
