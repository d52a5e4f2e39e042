"""The dashboard of a unit (reports/dashboard_selectors.py): the page, its workbook and its
PDF. The page reads the register's figures, so it asks for people.view_person like the
summary table; taking them out (xlsx, PDF) asks for people.export_person and is recorded."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render

from . import services
from .dashboard_exports import dashboard_charts
from .dashboard_selectors import dashboard, dashboard_unit
from .views import download


@login_required
@permission_required("people.view_person", raise_exception=True)
def dashboard_page(request, pk=None):
    """The dashboard of the user's own unit, or of a unit in scope (404 outside it)."""
    board = dashboard(user=request.user, unit=dashboard_unit(user=request.user, pk=pk))
    return render(request, "reports/dashboard.html", {
        "board": board, "unit": board.unit, "status": board.status,
        "charts": dashboard_charts(board)})


def _download(request, pk, fmt: str):
    unit = dashboard_unit(user=request.user, pk=pk)
    export = services.dashboard_export(actor=request.user, unit=unit, fmt=fmt)
    return download(export)


@login_required
@permission_required("people.export_person", raise_exception=True)
def dashboard_xlsx(request, pk):
    return _download(request, pk, "xlsx")


@login_required
@permission_required("people.export_person", raise_exception=True)
def dashboard_pdf(request, pk):
    return _download(request, pk, "pdf")
