from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.views import REPEATED_MESSAGE, add_service_errors, is_repeat, submit_form, submit_forms

from . import reform_selectors, selectors, services
from .forms import (
    GridForm,
    ProfileForm,
    UnitForm,
    UnitMoveForm,
    UnitSearchForm,
)
from .models import Level, OrgProfile


@login_required
@permission_required("orgs.view_orgunit", raise_exception=True)
def tree(request):
    form = UnitSearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        results = selectors.unit_search(user=request.user, query=form.cleaned_data["q"])
    roots = list(selectors.unit_roots(user=request.user))
    root_children = (
        selectors.unit_children(user=request.user, unit=roots[0]) if len(roots) == 1 else None
    )
    return render(request, "orgs/tree.html", {
        "roots": roots,
        "root_children": root_children,
        "form": form,
        "results": results,
    })


@login_required
@permission_required("orgs.view_orgunit", raise_exception=True)
def unit_children(request, pk):
    """The children of one unit, as the partial the tree expands into (htmx) or a page."""
    unit = selectors.unit_get(user=request.user, pk=pk)
    children = selectors.unit_children(user=request.user, unit=unit)
    template = "orgs/_tree_children.html" if request.htmx else "orgs/unit_children.html"
    return render(request, template, {"unit": unit, "children": children})


def _levels(request) -> list[int] | None:
    """The levels asked for (``?level=4&level=5``); anything that is not a level is left out."""
    asked = request.GET.getlist("level")
    if not asked:
        return None
    return [int(v) for v in asked if v.isdigit() and int(v) in Level.values]


@login_required
@permission_required("orgs.view_orgunit", raise_exception=True)
def unit_picker(request):
    """The units matching what was typed (``?q=``: a code's beginning or part of a name),
    in the user's scope: the options of a unit picker's list (htmx), or a page of them."""
    form = UnitSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    levels = _levels(request)
    choices = selectors.unit_pick(user=request.user, query=query, levels=levels)
    if request.htmx:
        return render(request, "orgs/_unit_picker_options.html", {"choices": choices})
    return render(request, "orgs/unit_pick.html", {
        "form": form, "choices": choices, "query": query, "levels": levels or [],
        "limit": selectors.PICK_LIMIT,
    })


@login_required
@permission_required("orgs.view_orgunit", raise_exception=True)
def unit_detail(request, pk):
    unit = selectors.unit_get(user=request.user, pk=pk)
    profile = OrgProfile.objects.visible_to(request.user).filter(unit=unit).first()
    counts = selectors.unit_subtree_counts(user=request.user, unit=unit)
    return render(request, "orgs/unit_detail.html", {
        "unit": unit,
        "profile": profile,
        "breadcrumbs": selectors.unit_breadcrumbs(user=request.user, unit=unit),
        "children": selectors.unit_children(user=request.user, unit=unit),
        "counts": [(Level(level).label, n) for level, n in sorted(counts.items())],
        "became": (reform_selectors.unit_history(user=request.user, unit=unit).successors
                   if unit.valid_to is not None else []),
    })


@login_required
@permission_required("orgs.change_orgunit", raise_exception=True)
def unit_edit(request, pk):
    unit = selectors.unit_get(user=request.user, pk=pk)
    profile = OrgProfile.objects.filter(unit=unit).first() or OrgProfile(unit=unit)
    can_profile = unit.has_organisation and request.user.has_perm("orgs.change_orgprofile")
    unit_form = UnitForm(request.POST or None, instance=unit, prefix="unit")
    profile_form = (
        ProfileForm(request.POST or None, instance=profile, prefix="org") if can_profile else None
    )
    forms = [(unit_form, unit)] + ([(profile_form, profile)] if profile_form else [])

    def save(datas):
        return services.unit_edit(actor=request.user, unit=unit, unit_fields=datas[0],
                                  profile_fields=datas[1] if profile_form else None)

    saved, result = submit_forms(request, forms, save=save)
    if saved:
        messages.success(request, REPEATED_MESSAGE if is_repeat(result) else _("Saved."))
        return redirect(unit)
    return render(request, "orgs/unit_edit.html", {
        "unit": unit,
        "unit_form": unit_form,
        "profile_form": profile_form,
        "breadcrumbs": selectors.unit_breadcrumbs(user=request.user, unit=unit),
    })


@login_required
@permission_required("orgs.add_orgunit", raise_exception=True)
def grid_create(request, pk):
    village = selectors.unit_get(user=request.user, pk=pk)
    if village.level != Level.VILLAGE:
        messages.error(request, _("Grids can only be created under a village or community."))
        return redirect(village)
    form = GridForm(request.POST or None)
    saved, grid = submit_form(request, form, save=lambda data: services.grid_create(
        actor=request.user, village=village, **data))
    if saved:
        messages.success(request, REPEATED_MESSAGE if is_repeat(grid)
                         else _("Grid %(name)s created.") % {"name": grid.name})
        return redirect(grid.get_absolute_url() or village.get_absolute_url())
    return render(request, "orgs/grid_form.html", {
        "village": village,
        "form": form,
        "breadcrumbs": selectors.unit_breadcrumbs(user=request.user, unit=village),
    })


@login_required
@permission_required("orgs.import_divisions", raise_exception=True)
def division_import(request):
    """The division list goes in through the import pages, like every ledger."""
    return redirect(f"{reverse('imports:import_list')}?kind=divisions")


@login_required
@permission_required("orgs.change_orgunit", raise_exception=True)
def unit_move(request, pk):
    """Hang a unit (and its subtree) under another parent the user may see."""
    unit = selectors.unit_get(user=request.user, pk=pk)
    form = UnitMoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        new_parent = selectors.unit_by_code(user=request.user,
                                            code=form.cleaned_data["new_parent_code"])
        if new_parent is None:
            form.add_error("new_parent_code", _("No unit in your area has this code."))
        else:
            try:
                services.unit_move(actor=request.user, unit=unit, new_parent=new_parent)
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied:
                form.add_error(None, _("You cannot move this unit."))
            else:
                messages.success(request, _("%(unit)s now belongs to %(parent)s.")
                                 % {"unit": unit.name, "parent": new_parent.name})
                return redirect(unit)
    return render(request, "orgs/unit_move.html", {
        "unit": unit, "form": form,
        "breadcrumbs": selectors.unit_breadcrumbs(user=request.user, unit=unit),
    })
