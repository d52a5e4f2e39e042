"""The pages of the reforms 机构改革: plan a reform as operations, preview it, apply it;
a unit's history and the tree as it stood on a date (orgs/reform_services.py writes,
orgs/reform_selectors.py reads)."""


import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from core.tables import ObjectTable
from core.views import (
    FORM_GUARDS,
    REPEATED_MESSAGE,
    ListAction,
    ObjectListView,
    is_repeat,
    service_form,
    submit_form,
)

from . import reform_rules, reform_selectors, reform_services, selectors, successors
from .models import OperationKind, Reform
from .reform_forms import (
    OPERATION_FORMS,
    AbolishLevelForm,
    ApplyForm,
    ConfirmForm,
    DateForm,
    ReformForm,
    SplitForm,
    SplitSourceForm,
)

VIEW = "orgs.view_reform"


# ---- the list -------------------------------------------------------------------------------

class ReformTable(ObjectTable):
    caption = ngettext_lazy("%(n)s reform", "%(n)s reforms", "n")

    title = tables.Column(verbose_name=gettext_lazy("Title"))
    document_number = tables.Column(verbose_name=gettext_lazy("Document number"))
    effective_on = tables.DateColumn(verbose_name=gettext_lazy("Effective on"), format="Y-m-d")
    status = tables.Column(verbose_name=gettext_lazy("Status"))
    unit = tables.Column(verbose_name=gettext_lazy("Reformed unit"), accessor="unit__name")

    class Meta(ObjectTable.Meta):
        model = Reform
        fields = ()
        empty_text = gettext_lazy("No reforms yet.")

    def render_title(self, record):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.title)

    def render_status(self, record):
        return record.get_status_display()


def _reform_list(*, user, filters=None):
    return reform_selectors.reform_list(user=user)


class ReformListView(ObjectListView):
    model = Reform
    table_class = ReformTable
    selector = _reform_list
    title = gettext_lazy("Reforms of the network")
    actions = (ListAction("orgs:reform_create", gettext_lazy("New reform"),
                          permission="orgs.add_reform", primary=True),)


# ---- a reform -------------------------------------------------------------------------------

def _name(value, units: dict, new: dict) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return new.get(value, value)
    unit = units.get(value)
    return unit.name if unit else f"#{value}"


def describe(op, units: dict, new: dict) -> str:
    """An operation in words, from its parameters."""
    p = op.params

    def n(value):
        return _name(value, units, new)

    code = f"（{p['code']}）" if p.get("code") else ""
    if op.kind == OperationKind.MERGE:
        sources = "、".join(n(s) for s in p.get("sources") or [])
        if p.get("into") is not None:
            text = _("Merge %(sources)s into %(target)s.") % {"sources": sources,
                                                               "target": n(p["into"])}
        elif p.get("parent") is not None:
            text = _("Merge %(sources)s into a new unit %(name)s under %(parent)s.") % {
                "sources": sources, "name": p.get("name", "") + code, "parent": n(p["parent"])}
        else:
            text = _("Merge %(sources)s into a new unit %(name)s.") % {
                "sources": sources, "name": p.get("name", "") + code}
        chosen = len(p.get("end_appointments") or [])
        if chosen:
            text += " " + _("%(n)d appointments end.") % {"n": chosen}
    elif op.kind == OperationKind.SPLIT:
        parts = p.get("parts") or []
        names = [n(part["into"]) if part.get("into") is not None
                 else part.get("name", "") + (f"（{part['code']}）" if part.get("code") else "")
                 for part in parts]
        main = p.get("main") or 1
        text = _("Split %(unit)s into %(parts)s; %(main)s keeps the rest.") % {
            "unit": n(p.get("source")), "parts": "、".join(names),
            "main": names[main - 1] if 0 < main <= len(names) else "—"}
        chosen = p.get("children") or {}
        if chosen:
            text += " " + "；".join(
                _("%(unit)s goes to %(part)s") % {
                    "unit": n(int(pk)), "part": names[i - 1] if 0 < i <= len(names) else i}
                for pk, i in chosen.items()) + "。"
    elif op.kind == OperationKind.ABOLISH:
        if p.get("children_to") is not None:
            text = _("Abolish %(unit)s; its units below go to %(to)s.") % {
                "unit": n(p.get("unit")), "to": n(p["children_to"])}
        else:
            text = _("Abolish %(unit)s; its units below go to its parent.") % {
                "unit": n(p.get("unit"))}
        if p.get("work_to") is not None:
            text += " " + _("Its work goes to %(to)s.") % {"to": n(p["work_to"])}
    elif op.kind == OperationKind.MOVE:
        text = _("Move %(unit)s under %(parent)s.") % {"unit": n(p.get("unit")),
                                                       "parent": n(p.get("parent"))}
    elif op.kind == OperationKind.RENAME:
        text = _("Rename %(unit)s to %(name)s.") % {
            "unit": n(p.get("unit")), "name": (p.get("name") or n(p.get("unit"))) + code}
    else:
        text = _("Create %(name)s under %(parent)s.") % {"name": p.get("name", "") + code,
                                                         "parent": n(p.get("parent"))}
    if p.get("users") == "disable" and op.kind in (OperationKind.MERGE, OperationKind.SPLIT,
                                                    OperationKind.ABOLISH):
        text += " " + _("The users of the units that end are disabled.")
    return text


def _described(reform: Reform) -> list[tuple]:
    """(operation, its description) in order: two queries whatever their number."""
    operations = list(reform.operations.all())
    reform._prefetched_objects_cache = {"operations": operations}
    units = reform_selectors.operation_units(reform)
    new = dict(reform_selectors.new_units(reform))
    return [(op, describe(op, units, new)) for op in operations]


KIND_NAMES = [kind.value for kind in OperationKind]
KINDS = [(f"orgs:operation_create_{kind.value}", kind.label) for kind in OperationKind]


@login_required
@permission_required(VIEW, raise_exception=True)
def reform_detail(request, pk):
    reform = reform_selectors.reform_get(user=request.user, pk=pk)
    can_change = reform.is_draft and request.user.has_perm("orgs.change_reform")
    operations = _described(reform)
    # each remove button with its own one-time token
    operations = [(op, text, _token_form(request) if can_change else None)
                  for op, text in operations]
    result = reform.result or {}
    labels = reform_selectors.holding_labels() if result else {}
    return render(request, "orgs/reforms/reform_detail.html", {
        "reform": reform,
        "operations": operations,
        "can_change": can_change,
        "can_apply": reform.is_draft and request.user.has_perm("orgs.apply_reform"),
        "kinds": KINDS,
        "level_url": reverse("orgs:reform_abolish_level", args=[reform.pk]),
        "totals": [(labels.get(k, k), v) for k, v in (result.get("totals") or {}).items()],
        "steps": [_step(s, labels) for s in result.get("steps") or []],
    })


def _token_form(request):
    form = ConfirmForm()
    for guard in FORM_GUARDS:
        guard.contribute(form, request=request, obj=None)
    return form


def _step(step, labels):
    """A step of a run (a Step, or its JSON in reform.result) for the template."""
    get = step.get if isinstance(step, dict) else (lambda name: getattr(step, name))
    return {
        "order": get("order"), "label": get("label"),
        "created": get("created"), "ended": get("ended"), "moved": get("moved"),
        "renamed": get("renamed"), "renumbered": get("renumbered"),
        "handed": [(src, tgt, [(labels.get(k, k), v) for k, v in counts.items()])
                   for src, tgt, counts in get("handed")],
        "quotas": get("quotas"), "notes": get("notes"),
    }


def _reform_form_page(request, form, *, save, obj, message, next_url, reform=None):
    return service_form(request, form, save=save, obj=obj, success_message=message,
                        next_url=next_url, template="orgs/reforms/reform_form.html",
                        context={"reform": reform})


@login_required
@permission_required("orgs.add_reform", raise_exception=True)
def reform_create(request):
    form = ReformForm(request.POST or None, user=request.user,
                      initial={"unit": request.user.unit})

    def save(data):
        return reform_services.reform_create(actor=request.user, **data)

    saved, result = submit_form(request, form, save=save)
    if saved:
        messages.success(request, REPEATED_MESSAGE if is_repeat(result)
                         else _("Reform created: now add its operations."))
        return redirect(result.get_absolute_url() or reverse("orgs:reform_list"))
    return render(request, "orgs/reforms/reform_form.html", {"form": form, "reform": None})


@login_required
@permission_required("orgs.change_reform", raise_exception=True)
def reform_edit(request, pk):
    reform = reform_selectors.reform_get(user=request.user, pk=pk)
    form = ReformForm(request.POST or None, user=request.user, editing=True, initial={
        name: getattr(reform, name) for name in reform_services.REFORM_FIELDS})

    def save(data):
        data.pop("started_from", None)
        return reform_services.reform_update(actor=request.user, reform=reform, **data)

    return _reform_form_page(request, form, save=save, obj=reform, message=_("Saved."),
                             next_url=reform.get_absolute_url(), reform=reform)


# ---- its operations ---------------------------------------------------------------------------

def _refs(reform, before=None):
    return [(ref, _("%(name)s (made by operation %(n)s)") % {"name": name,
                                                           "n": ref[4:].split(".")[0]})
            for ref, name in reform_selectors.new_units(reform, before)]


def _operation_page(request, reform, form, *, save, operation=None, extra=None):
    saved, result = submit_form(request, form, save=save)
    if saved:
        messages.success(request, REPEATED_MESSAGE if is_repeat(result) else _("Saved."))
        return redirect(reform.get_absolute_url())
    return render(request, "orgs/reforms/operation_form.html", {
        "reform": reform, "form": form, "operation": operation,
        "kind_label": OperationKind(form.kind).label, **(extra or {})})


@login_required
@permission_required("orgs.change_reform", raise_exception=True)
def operation_create(request, pk, kind):
    reform = reform_selectors.reform_get(user=request.user, pk=pk)
    if kind not in OPERATION_FORMS:
        raise Http404
    if not reform.is_draft:
        messages.error(request, _("This reform has been applied; it can no longer change."))
        return redirect(reform)
    if kind == OperationKind.SPLIT:
        return _split_create(request, reform)
    form = OPERATION_FORMS[kind](request.POST or None, user=request.user, refs=_refs(reform))
    return _operation_page(request, reform, form, save=lambda data: reform_services.operation_add(
        actor=request.user, reform=reform, kind=kind, params=form.all_params()))


def _split_create(request, reform):
    """A split in two steps: the unit (?source=), then its parts and its units below."""
    choose = SplitSourceForm(request.GET if "source_text" in request.GET else None,
                             user=request.user)
    if not choose.is_valid():
        return render(request, "orgs/reforms/split_source.html",
                      {"reform": reform, "form": choose})
    source = choose.cleaned_data["source"]
    form = SplitForm(request.POST or None, user=request.user, refs=_refs(reform),
                     source=source,
                     children=reform_selectors.children_now(source, reform.effective_on))
    return _operation_page(request, reform, form, save=lambda data: reform_services.operation_add(
        actor=request.user, reform=reform, kind=OperationKind.SPLIT, params=form.all_params()),
        extra={"source": source})


@login_required
@permission_required("orgs.change_reform", raise_exception=True)
def operation_edit(request, pk):
    operation = reform_selectors.operation_get(user=request.user, pk=pk)
    reform = operation.reform
    if not reform.is_draft:
        messages.error(request, _("This reform has been applied; it can no longer change."))
        return redirect(reform)
    units = reform_selectors.operation_units(reform)
    ids = [i for i in reform_rules.unit_ids(operation.params) if i in units]
    options = [o for o in successors.options(ids, reform.effective_on) if o.choices] \
        if operation.kind == OperationKind.MERGE else []
    form_class = OPERATION_FORMS[operation.kind]
    kwargs = {"user": request.user, "refs": _refs(reform, before=operation.order),
              "options": options,
              "initial": form_class.initial_from(operation.params, units)}
    extra = {}
    if operation.kind == OperationKind.SPLIT:
        source = units.get(operation.params.get("source"))
        if source is None:
            raise Http404
        kwargs.update(source=source,
                      children=reform_selectors.children_now(source, reform.effective_on))
        extra["source"] = source
    form = form_class(request.POST or None, **kwargs)
    return _operation_page(
        request, reform, form, operation=operation, extra=extra,
        save=lambda data: reform_services.operation_update(
            actor=request.user, operation=operation,
            params={**operation.params, **form.all_params()}))


@login_required
@permission_required("orgs.change_reform", raise_exception=True)
def operation_remove(request, pk):
    if request.method != "POST":
        return redirect(reverse("orgs:operation_edit", args=[pk]))
    try:
        operation = reform_selectors.operation_get(user=request.user, pk=pk)
    except Http404:
        # A second click of the same button: the operation is gone already.
        if ConfirmForm(request.POST).is_valid() and request.POST.get("reform"):
            reform = reform_selectors.reform_get(user=request.user, pk=request.POST["reform"])
            messages.info(request, REPEATED_MESSAGE)
            return redirect(reform)
        raise
    reform = operation.reform
    saved, result = submit_form(request, ConfirmForm(request.POST), save=lambda data: (
        reform_services.operation_remove(actor=request.user, operation=operation), reform)[1])
    if saved:
        messages.success(request, REPEATED_MESSAGE if is_repeat(result)
                         else _("Operation %(n)s removed.") % {"n": operation.order})
    else:
        messages.error(request, _("This reform has been applied; it can no longer change."))
    return redirect(reform)


@login_required
@permission_required("orgs.change_reform", raise_exception=True)
def reform_abolish_level(request, pk):
    reform = reform_selectors.reform_get(user=request.user, pk=pk)
    form = AbolishLevelForm(request.POST or None, user=request.user)

    def save(data):
        added = reform_services.operations_abolish_level(
            actor=request.user, reform=reform, level=data["level"],
            children_to=data["children_to"])
        if not added:
            raise ValidationError({"level": _("No unit of this level lies within %(unit)s.")
                                   % {"unit": reform.unit.name}})
        return reform

    return service_form(request, form, save=save, obj=None,
                        success_message=_("An operation was added for every unit of the "
                                          "level."),
                        next_url=reform.get_absolute_url(),
                        template="orgs/reforms/abolish_level.html", context={"reform": reform})


# ---- preview and apply ------------------------------------------------------------------------

def _conflict_links(report, reform) -> list[tuple[str, str]]:
    """Each conflict and the operation to edit to resolve it: the one whose target the
    conflict names (else the reform's page)."""
    ops = {op.order: op.pk for op in reform.operations.all()}
    targets = [(tgt, step.order) for step in report.steps for _s, tgt, _n in step.handed]
    found = []
    for text in report.conflicts:
        order = next((o for tgt, o in targets if tgt and tgt in text), None)
        url = (reverse("orgs:operation_edit", args=[ops[order]]) if order in ops
               else reform.get_absolute_url())
        found.append((text, url, order))
    return found


@login_required
@permission_required("orgs.apply_reform", raise_exception=True)
def reform_preview(request, pk):
    reform = reform_selectors.reform_get(user=request.user, pk=pk)
    if not reform.is_draft:
        return redirect(reform)
    form = ApplyForm(request.POST or None)

    def save(data):
        reform_services.reform_apply(actor=request.user, reform=reform,
                                     expected_version=data.get("expected_version"))
        return reform

    saved, result = submit_form(request, form, save=save, obj=reform)
    if saved:
        messages.success(request, REPEATED_MESSAGE if is_repeat(result)
                         else _("The reform has been applied."))
        return redirect(reform)
    reform.refresh_from_db()
    report, failure = None, None
    try:
        report = reform_services.reform_preview(actor=request.user, reform=reform)
    except ValidationError as exc:
        failure = exc.messages
    except PermissionDenied:
        failure = [_("You cannot apply this reform.")]
    labels = reform_selectors.holding_labels()
    return render(request, "orgs/reforms/reform_preview.html", {
        "reform": reform, "form": form, "failure": failure, "report": report,
        "steps": [_step(s, labels) for s in report.steps] if report else [],
        "totals": [(labels.get(k, k), v) for k, v in report.totals.items()] if report else [],
        "conflicts": _conflict_links(report, reform) if report else [],
    })


# ---- history and the tree on a date ---------------------------------------------------------

@login_required
@permission_required("orgs.view_orgunit", raise_exception=True)
def unit_history(request, pk):
    unit = selectors.unit_get(user=request.user, pk=pk)
    history = reform_selectors.unit_history(user=request.user, unit=unit)
    return render(request, "orgs/reforms/unit_history.html", {
        "unit": unit, "history": history,
        "breadcrumbs": selectors.unit_breadcrumbs(user=request.user, unit=unit),
    })


@login_required
@permission_required("orgs.view_orgunit", raise_exception=True)
def unit_on(request, pk):
    unit = selectors.unit_get(user=request.user, pk=pk)
    form = DateForm(request.GET if "on" in request.GET else None,
                    initial={"on": timezone.localdate()})
    on = form.cleaned_data["on"] if form.is_valid() else timezone.localdate()
    state, children = reform_selectors.children_on(user=request.user, unit=unit, on=on)
    return render(request, "orgs/reforms/unit_on.html", {
        "unit": unit, "on": on, "form": form, "state": state, "children": children,
        "summary_url": f"{reverse('reports:summary_unit', args=[unit.pk])}?as_of={on:%Y-%m-%d}",
    })
