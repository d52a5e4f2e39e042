"""The pages of the funds ledger (经费台账): the entries in scope, one entry, its form and
its voiding, and a unit's yearly totals with a line per child (each linking to that
child's totals, as the summary table drills down). Reads through funds_selectors.py,
writes through funds_services.py."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import Action
from audit.services import audit_record
from core.views import (
    XLSX,
    ListAction,
    ObjectDetailView,
    ObjectFormView,
    service_form,
    set_download_name,
)
from orgs.models import OrgUnit
from orgs.selectors import unit_get

from . import funds_exports as exports
from . import funds_selectors as selectors
from . import funds_services as services
from .funds_choices import FundKind
from .funds_filters import FundEntryFilterSet
from .funds_forms import FundEntryForm, TotalsForm, VoidForm
from .funds_tables import FundEntryTable
from .models import FundEntry
from .views import PaperListView


class FundEntryListView(PaperListView):
    model = FundEntry
    filterset_class = FundEntryFilterSet
    table_class = FundEntryTable
    selector = selectors.fund_entry_list
    title = gettext_lazy("Funds ledger")
    search_label = gettext_lazy("Find funds entries")
    actions = (ListAction("ledgers:fundentry_create", gettext_lazy("Record money"),
                          "ledgers.add_fundentry", primary=True),
               ListAction("ledgers:fund_totals", gettext_lazy("Yearly totals"),
                          "ledgers.view_fundentry"))
    export_name = exports.LEDGER_BOOK
    export_columns = exports.entry_columns
    export_rows = exports.entry_rows
    export_url_name = "ledgers:fundentry_export"

    def paper_title(self, unit, year):
        name = unit.name if unit else ""
        return f"{name}{year}年{self.export_name}" if year else f"{name}{self.export_name}"


class FundEntryDetailView(ObjectDetailView):
    model = FundEntry
    selector = selectors.fund_entry_get
    template_name = "ledgers/funds/detail.html"
    context_object_name = "entry"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_change=not self.object.voided
            and services.may_write(self.request.user, self.object), **kwargs)


class FundEntryCreateView(ObjectFormView):
    model = FundEntry
    form_class = FundEntryForm
    service = services.fund_entry_create
    template_name = "ledgers/funds/form.html"
    success_message = gettext_lazy("The entry is recorded.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


class FundEntryEditView(FundEntryCreateView):
    """Changing an entry: by users who may write for its paying unit (the unit a transfer
    went to sees it, and is refused with a 403); a voided entry is not changed."""

    selector = selectors.fund_entry_get
    service = services.fund_entry_update
    context_object_name = "entry"
    success_message = gettext_lazy("Saved.")

    def get_object(self):
        entry = super().get_object()
        if entry.voided or not services.may_write(self.request.user, entry):
            raise PermissionDenied
        return entry


@login_required
@permission_required("ledgers.change_fundentry", raise_exception=True)
def fund_entry_void(request, pk):
    """Void an entry, with the reason (nothing is deleted)."""
    entry = selectors.fund_entry_get(user=request.user, pk=pk)
    if entry.voided or not services.may_write(request.user, entry):
        raise PermissionDenied
    form = VoidForm(request.POST or None)
    return service_form(
        request, form, obj=entry,
        save=lambda data: services.fund_entry_void(
            actor=request.user, fundentry=entry, reason=data["reason"],
            expected_version=data.get("expected_version"),
            started_from=data.get("started_from")),
        success_message=_("The entry is voided: it stays in the ledger and counts nowhere."),
        next_url=entry, template="ledgers/funds/void.html", context={"entry": entry})


def _totals_for(request, pk):
    unit = unit_get(user=request.user, pk=pk or request.user.unit_id)
    form = TotalsForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    year = data.get("year") or timezone.localdate().year
    return form, selectors.fund_totals(user=request.user, unit=unit, year=year,
                                       kind=data.get("kind") or None)


@login_required
@permission_required("ledgers.view_fundentry", raise_exception=True)
def fund_totals(request, pk=None):
    """A unit's funds of a year: its own line, a line per child's subtree, the total."""
    form, totals = _totals_for(request, pk)
    query = {"year": totals.year, **({"kind": totals.kind} if totals.kind else {})}
    unit = totals.unit
    parent_visible = unit.parent_id is not None and OrgUnit.objects.visible_to(
        request.user).filter(pk=unit.parent_id).exists()
    return render(request, "ledgers/funds/totals.html", {
        "form": form, "totals": totals, "unit": unit, "year": totals.year,
        "query_string": urlencode(query), "parent_visible": parent_visible,
        "kind_label": FundKind(totals.kind).label if totals.kind else ""})


@login_required
@permission_required("ledgers.view_fundentry", raise_exception=True)
def fund_totals_xlsx(request, pk):
    """The yearly totals as a workbook; one audit entry says who took them."""
    _form, totals = _totals_for(request, pk)
    content = exports.totals_workbook(totals)
    name = f"{totals.unit.name}{totals.year}年{exports.TOTALS_BOOK}"
    audit_record(actor=request.user, action=Action.EXPORT, unit=totals.unit, object_repr=name,
                 detail={"year": totals.year, "kind": totals.kind or "", "rows": len(totals.rows)})
    response = HttpResponse(content, content_type=XLSX)
    set_download_name(response, f"{name}.xlsx")
    return response
