"""The standards' pages, declared on core.views; reads through the selectors, writes through
the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.views import (
    ListAction,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    service_form,
    xlsx_export,
)
from ledgers.forms import YearForm
from ledgers.selectors import attachments_of
from orgs.models import Level

from . import selectors, services
from .choices import ItemKind
from .exports import attainment_export
from .forms import ConfirmForm, CopyForm, ItemAddForm, ItemForm, StandardForm
from .models import ItemConfirmation, Standard, StandardItem
from .tables import StandardTable

VIEW = "standards.view_standard"


def _year(request) -> tuple[YearForm, int]:
    """The year a page shows, from ``?year=`` (this year when none or a wrong one)."""
    form = YearForm(request.GET or None)
    year = timezone.localdate().year
    if form.is_bound and form.is_valid() and form.cleaned_data.get("year"):
        year = form.cleaned_data["year"]
    return form, year


# ---- the standards -----------------------------------------------------------------------------

class StandardListView(ObjectListView):
    model = Standard
    table_class = StandardTable
    selector = selectors.standard_list
    title = gettext_lazy("Standards")
    actions = (ListAction("standards:defaults_new_year",
                          gettext_lazy("New year's default standards"),
                          "standards.add_standard"),)


class StandardDetailView(ObjectDetailView):
    model = Standard
    selector = selectors.standard_get

    def get_context_data(self, **kwargs):
        user = self.request.user
        standard = self.object
        return super().get_context_data(
            items=list(standard.items.order_by("order", "id")),
            may_change=selectors.may_change(user, standard),
            may_copy=user.has_perm("standards.add_standard"), **kwargs)


class StandardEditView(ObjectFormView):
    model = Standard
    form_class = StandardForm
    selector = selectors.standard_get
    service = services.standard_update
    template_name = "standards/standard_form.html"


@login_required
@permission_required("standards.add_standard", raise_exception=True)
def standard_copy(request, pk):
    standard = selectors.standard_get(user=request.user, pk=pk)
    form = CopyForm(request.POST or None, user=request.user, standard=standard)
    saved = {}

    def save(data):
        saved["copy"] = services.standard_copy(actor=request.user, standard=standard, **data)
        return saved["copy"]

    response = service_form(
        request, form, save=save, success_message=_("The copy is a draft: change its items, "
                                                    "then publish it."),
        next_url="standards:standard_list", template="standards/standard_copy.html",
        context={"standard": standard})
    if "copy" in saved:
        return redirect(saved["copy"])
    return response


@login_required
@permission_required("standards.change_standard", raise_exception=True)
@require_POST
def standard_publish(request, pk):
    standard = selectors.standard_get(user=request.user, pk=pk)
    try:
        services.standard_publish(actor=request.user, standard=standard)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The standard is published."))
    return redirect(standard)


@login_required
@permission_required("standards.change_standard", raise_exception=True)
def item_add(request, pk):
    standard = selectors.standard_get(user=request.user, pk=pk)
    return service_form(
        request, ItemAddForm(request.POST or None),
        save=lambda data: services.item_add(actor=request.user, standard=standard, **data),
        success_message=_("The item is added."), next_url=standard,
        template="standards/item_form.html", context={"standard": standard})


class ItemEditView(ObjectFormView):
    model = StandardItem
    form_class = ItemForm
    selector = selectors.item_get
    service = services.item_update
    object_argument = "item"
    permission = "standards.change_standard"
    template_name = "standards/item_form.html"

    def get_success_url(self, result):
        return self.object.standard.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(standard=self.object.standard, **kwargs)


@login_required
@permission_required("standards.change_standard", raise_exception=True)
@require_POST
def item_remove(request, pk):
    item = selectors.item_get(user=request.user, pk=pk)
    try:
        standard = services.item_remove(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(item.standard)
    messages.success(request, _("The item is removed."))
    return redirect(standard)


# ---- attainment --------------------------------------------------------------------------------

@login_required
@permission_required(VIEW, raise_exception=True)
def index(request):
    """The user's own area: the attainment of its units (a village's: its own page)."""
    unit = request.user.unit
    if unit is None:
        return redirect("standards:standard_list")
    if unit.level >= Level.VILLAGE:
        return redirect("standards:unit", pk=unit.pk)
    return redirect("standards:attainment", pk=unit.pk)


@login_required
@permission_required(VIEW, raise_exception=True)
def attainment(request, pk):
    """The attainment of each standard beneath a county, city or township: the rate, the
    units that fall short and the items they miss (every unit with ``?all=1``), sortable,
    exportable."""
    region = selectors.region_get(user=request.user, pk=pk)
    form, year = _year(request)
    sort = request.GET.get("sort", "unit")
    if sort.lstrip("-") not in selectors.SORTS:
        sort = "unit"
    attainments, status = selectors.attainment_of_year(user=request.user, region=region,
                                                       year=year, sort=sort)
    if request.GET.get("export") == "xlsx":
        export = attainment_export(attainments=attainments, region=region, year=year,
                                   filters={"unit": region.pk, "year": year, "sort": sort,
                                            "frozen": status.frozen})
        export.title = f"{export.title}（{status.statement_zh()}）"
        return xlsx_export(request, export)
    show_all = request.GET.get("all") == "1"
    for a in attainments:
        a.shown = a.lines if show_all else a.short
    query = request.GET.copy()
    query.pop("sort", None)
    return render(request, "standards/attainment.html", {
        "region": region, "year": year, "form": form, "attainments": attainments,
        "sort": sort, "show_all": show_all, "query": query.urlencode(),
        "export_query": f"year={year}&sort={sort}&export=xlsx", "status": status,
        "may_freeze": not status.frozen and year < timezone.localdate().year
        and request.user.has_perm("core.add_snapshot"),
        "sorts": [("unit", _("Unit")), ("met", _("Items met")),
                  ("missing", _("Items missing"))]})


@login_required
@permission_required(VIEW, raise_exception=True)
def unit(request, pk):
    """One unit's standards for a year: each item met or not, with its evidence."""
    target = selectors.unit_get(user=request.user, pk=pk)
    form, year = _year(request)
    found = selectors.unit_results(unit=target, year=year)
    may_confirm = request.user.has_perm("standards.add_itemconfirmation")
    for result in found:
        for r in result.items:
            r.confirm_url = selectors.confirm_url(target, r.item, year) \
                if may_confirm and r.item.kind == ItemKind.CONFIRMED else ""
    return render(request, "standards/unit.html", {
        "unit": target, "year": year, "form": form, "results": found,
        "coverage": target.level == Level.COUNTY})


@login_required
@permission_required(VIEW, raise_exception=True)
def coverage(request, pk):
    """三个百分之百 of a county, with the units that are missing."""
    county = selectors.county_get(user=request.user, pk=pk)
    form, year = _year(request)
    found = selectors.coverage(county=county, year=year)
    return render(request, "standards/coverage.html", {
        "county": county, "year": year, "form": form, "coverage": found,
        "shares": [("townships", _("Townships with a DPF"), found.townships),
                   ("villages", _("Villages and communities with an association"),
                    found.villages),
                   ("liaison", _("Townships, villages and communities with a liaison "
                                 "officer"), found.liaison)]})


# ---- confirmations -------------------------------------------------------------------------------

@login_required
@permission_required("standards.add_itemconfirmation", raise_exception=True)
def confirm(request, pk):
    """Confirm a confirmed item (``?item=``) of the unit for ``?year=``, with photos."""
    target = selectors.unit_get(user=request.user, pk=pk)
    _form, year = _year(request)
    item_id = request.GET.get("item", "")
    back = selectors.unit_url(target, year)
    confirmable = [r for result in selectors.unit_results(unit=target, year=year)
                   for r in result.items if r.item.kind == ItemKind.CONFIRMED]
    if not item_id:  # which item: the unit's items that a person confirms
        for r in confirmable:
            r.confirm_url = selectors.confirm_url(target, r.item, year)
        return render(request, "standards/confirm_choose.html", {
            "unit": target, "year": year, "items": confirmable, "back": back})
    wanted = next((r for r in confirmable if str(r.item.pk) == item_id), None)
    if wanted is None:
        raise Http404
    return service_form(
        request, ConfirmForm(request.POST or None, request.FILES or None),
        save=lambda data: services.confirmation_record(
            actor=request.user, unit=target, item=wanted.item, year=year, **data),
        success_message=_("The item is confirmed."), next_url=back,
        template="standards/confirm_form.html",
        context={"unit": target, "item": wanted.item, "year": year, "back": back,
                 "current": wanted.confirmation})


class ConfirmationDetailView(ObjectDetailView):
    model = ItemConfirmation
    selector = selectors.confirmation_get
    context_object_name = "confirmation"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            attachments=attachments_of(self.object),
            can_change=user.has_perm("standards.change_itemconfirmation"),
            can_withdraw=user.has_perm("standards.delete_itemconfirmation"),
            back=selectors.unit_url(self.object.unit, self.object.year), **kwargs)


@login_required
@permission_required("standards.delete_itemconfirmation", raise_exception=True)
@require_POST
def confirmation_withdraw(request, pk):
    confirmation = selectors.confirmation_get(user=request.user, pk=pk)
    back = selectors.unit_url(confirmation.unit, confirmation.year)
    services.confirmation_withdraw(actor=request.user, confirmation=confirmation)
    messages.success(request, _("The confirmation is withdrawn."))
    return redirect(back)


# ---- frozen year-end attainment (issue 17) ----------------------------------------------------

@login_required
@permission_required("core.add_snapshot", raise_exception=True)
def attainment_freeze(request, pk):
    """Freeze a year's attainment of a region and every county and township beneath it:
    a page saying what will be frozen, and one POST."""
    from core.snapshots import FreezeForm

    region = selectors.region_get(user=request.user, pk=pk)
    _form, year = _year(request)
    form = FreezeForm(request.POST or None, year=year)
    del form.fields["as_of"]  # the attainment of a year is judged on its last day
    back = reverse("standards:attainment", args=[region.pk])
    try:
        year = int(form.data.get("year", year)) if form.is_bound else year
    except (TypeError, ValueError):
        pass
    return service_form(
        request, form,
        save=lambda data: services.attainment_freeze(actor=request.user, region=region,
                                                     **data),
        success_message=_("The attainment is frozen."), next_url=f"{back}?year={year}",
        template="standards/attainment_freeze.html",
        context={"region": region, "year": year, "back": back})
