"""The demonstration sites' pages 示范点, the rules documents, the per-township summary and
the new year's defaults button: thin, through the sites' selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.views import ObjectDetailView, service_form, xlsx_export
from ledgers.selectors import attachments_of

from . import selectors, sites_rules, sites_selectors, sites_services
from .choices import SiteKind
from .models import DemoSite, RulesDocument
from .sites_exports import township_summary_export
from .sites_forms import DesignateForm, RulesDocumentForm, TargetsForm, WithdrawForm
from .views import VIEW, _year

VIEW_SITES = "standards.view_demosite"


def _county_sites_url(county, year) -> str:
    return reverse("standards:site_list", args=[county.pk]) + f"?year={year}"


@login_required
@permission_required(VIEW_SITES, raise_exception=True)
def sites_index(request):
    """The demonstration sites of the user's county (the county above a township or a
    village's user); above a county, the standards' index."""
    county = sites_selectors.county_of(request.user.unit)
    if county is None:
        return redirect("standards:index")
    return redirect("standards:site_list", pk=county.pk)


@login_required
@permission_required(VIEW_SITES, raise_exception=True)
def site_list(request, pk):
    """A county's demonstration sites of a year: against its targets, how many are
    designated, how many meet every item of their standard; each site with its page."""
    county = selectors.county_get(user=request.user, pk=pk)
    form, year = _year(request)
    user = request.user
    return render(request, "standards/sites/site_list.html", {
        "county": county, "year": year, "form": form,
        "progress": sites_selectors.progress(user=user, county=county, year=year),
        "may_designate": user.has_perm("standards.add_demosite"),
        "may_target": user.has_perm("standards.add_demositetarget")})


@login_required
@permission_required(VIEW_SITES, raise_exception=True)
def candidates(request, pk):
    """The units of a county suggested as demonstration sites: those meeting every item of
    their standard first, by the number of items met (``?kind=`` one kind)."""
    county = selectors.county_get(user=request.user, pk=pk)
    form, year = _year(request)
    kind = request.GET.get("kind") or None
    if kind not in SiteKind.values:
        kind = None
    found = sites_selectors.candidates(user=request.user, county=county, year=year,
                                       kind=kind)
    ready = [c for c in found if c.attained]
    return render(request, "standards/sites/candidates.html", {
        "county": county, "year": year, "form": form, "kind": kind,
        "kinds": SiteKind.choices, "ready": ready,
        "closest": [c for c in found if not c.attained][:20],
        "may_designate": request.user.has_perm("standards.add_demosite"),
        "back": _county_sites_url(county, year)})


@login_required
@permission_required("standards.add_demosite", raise_exception=True)
def designate(request, pk):
    """Designate a unit of the county (``?unit=`` chosen from the candidates) for
    ``?year=``."""
    county = selectors.county_get(user=request.user, pk=pk)
    _form, year = _year(request)
    unit = sites_selectors.unit_or_none(user=request.user, pk=request.GET.get("unit", ""))
    back = _county_sites_url(county, year)
    form = DesignateForm(request.POST or None, user=request.user, unit=unit)
    return service_form(
        request, form,
        save=lambda data: sites_services.site_designate(actor=request.user, county=county,
                                                        year=year, **data),
        success_message=_("The demonstration site is designated."), next_url=back,
        template="standards/sites/designate.html",
        context={"county": county, "year": year, "back": back})


@login_required
@permission_required("standards.add_demositetarget", raise_exception=True)
def targets(request, pk):
    """Set a county's targets of ``?year=``: how many townships, communities, villages."""
    county = selectors.county_get(user=request.user, pk=pk)
    _form, year = _year(request)
    back = _county_sites_url(county, year)
    current = sites_selectors.targets_of(user=request.user, county=county, year=year)
    form = TargetsForm(request.POST or None,
                       initial_numbers=current or dict(sites_rules.DEFAULT_TARGETS))
    return service_form(
        request, form,
        save=lambda data: sites_services.targets_set(actor=request.user, county=county,
                                                     year=year, **data),
        success_message=_("The targets are saved."), next_url=back,
        template="standards/sites/targets.html",
        context={"county": county, "year": year, "back": back})


class SiteDetailView(ObjectDetailView):
    model = DemoSite
    selector = sites_selectors.site_get
    context_object_name = "site"
    template_name = "standards/sites/site_detail.html"

    def get_context_data(self, **kwargs):
        site = self.object
        found = selectors.unit_results(unit=site.unit, year=site.year)
        return super().get_context_data(
            results=found, standards_url=selectors.unit_url(site.unit, site.year),
            back=_county_sites_url(site.county, site.year),
            may_withdraw=(not site.is_withdrawn and self.request.user.has_perm(
                "standards.change_demosite")), **kwargs)


@login_required
@permission_required("standards.change_demosite", raise_exception=True)
def site_withdraw(request, pk):
    site = sites_selectors.site_get(user=request.user, pk=pk)
    return service_form(
        request, WithdrawForm(request.POST or None),
        save=lambda data: sites_services.site_withdraw(actor=request.user, site=site, **data),
        success_message=_("The designation is withdrawn."), next_url=site, obj=site,
        template="standards/sites/withdraw.html", context={"site": site})


# ---- rules documents ---------------------------------------------------------------------------

@login_required
@permission_required("standards.add_rulesdocument", raise_exception=True)
def rules_add(request, pk):
    """Attach a unit's rules of ``?year=``: the evidence of the "has rules" item."""
    unit = selectors.unit_get(user=request.user, pk=pk)
    _form, year = _year(request)
    back = selectors.unit_url(unit, year)
    return service_form(
        request, RulesDocumentForm(request.POST or None, request.FILES or None),
        save=lambda data: sites_services.rules_document_add(
            actor=request.user, unit=unit, year=year, **data),
        success_message=_("The rules document is attached."), next_url=back,
        template="standards/sites/rules_form.html",
        context={"unit": unit, "year": year, "back": back})


class RulesDocumentDetailView(ObjectDetailView):
    model = RulesDocument
    selector = sites_selectors.rules_document_get
    context_object_name = "document"
    template_name = "standards/sites/rules_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            attachments=attachments_of(self.object),
            back=selectors.unit_url(self.object.unit, self.object.year), **kwargs)


# ---- the per-township summary ------------------------------------------------------------------

@login_required
@permission_required(VIEW, raise_exception=True)
def township_summary(request, pk):
    """Each standard's attainment per township of a county (the rate among its villages
    and communities), the items missing with the units; exportable."""
    county = selectors.county_get(user=request.user, pk=pk)
    form, year = _year(request)
    summary = sites_selectors.township_summary(user=request.user, county=county, year=year)
    if request.GET.get("export") == "xlsx":
        return xlsx_export(request, township_summary_export(
            summary=summary, county=county, year=year,
            filters={"unit": county.pk, "year": year}))
    return render(request, "standards/sites/township_summary.html", {
        "county": county, "year": year, "form": form, "summary": summary,
        "export_query": f"year={year}&export=xlsx"})


# ---- the new year's default standards ----------------------------------------------------------

@login_required
@permission_required("standards.add_standard", raise_exception=True)
def defaults_new_year(request):
    """The standards list's button: write next year's national default standards, after a
    confirmation (a second press changes nothing)."""
    year = timezone.localdate().year + 1
    if request.method == "POST":
        try:
            made = sites_services.defaults_new_year(actor=request.user, year=year)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The default standards of %(year)s are there: "
                                        "%(names)s.") % {
                "year": year, "names": "、".join(s.name for s in made)})
        return redirect("standards:standard_list")
    try:
        sites_services.defaults_may(actor=request.user)
        may = True
    except PermissionDenied:
        may = False
    return render(request, "standards/sites/defaults_confirm.html", {
        "year": year, "may": may,
        "existing": sites_selectors.defaults_of(year=year)})
