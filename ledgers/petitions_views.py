"""The pages of letters and visits (来信来访): the list (and its overdue list), the entry
form, the petition's page with its history and the forms of its next steps, the categories.

A petition is personal data: its page is audited on every look (ObjectDetailView
audit_view), each look at a list is one audit entry with the filters (not one per row),
and the export is audited by the list's export (core.views.ListExport)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import Action
from audit.services import audit_record
from core.views import (
    REPEATED_MESSAGE,
    ListAction,
    ObjectDetailView,
    is_repeat,
    service_form,
    submit_forms,
)

from . import petitions_exports as exports
from . import petitions_selectors as selectors
from . import petitions_services as services
from . import rules
from . import selectors as ledger_selectors
from .forms import AttachmentFields
from .models import Petition
from .petitions_filters import PetitionFilterSet
from .petitions_forms import TRANSITION_FORMS, CategoryForm, PetitionForm
from .petitions_tables import PetitionTable
from .views import PaperListView


class PetitionListView(PaperListView):
    """The list: names and phones masked, no content. Each look is one audit entry naming
    the filters and the page."""

    model = Petition
    filterset_class = PetitionFilterSet
    table_class = PetitionTable
    selector = selectors.petition_list
    template_name = "ledgers/petitions/petition_list.html"
    title = gettext_lazy("Letters and visits")
    search_label = gettext_lazy("Find petitions")
    actions = (
        ListAction("ledgers:petition_create", gettext_lazy("Register a letter or visit"),
                   "ledgers.add_petition", primary=True),
        ListAction("ledgers:petition_overdue", gettext_lazy("Overdue in my area"),
                   "ledgers.view_petition"),
        ListAction("ledgers:petition_category_list", gettext_lazy("Categories"),
                   "ledgers.view_petitioncategory"),
        ListAction("imports:import_list", gettext_lazy("Import a ledger"), "ledgers.add_petition"),
    )
    export_name = exports.LEDGER_NAME
    export_columns = exports.petition_columns
    export_rows = exports.petition_rows
    export_permission = "ledgers.export_petition"
    export_url_name = "ledgers:petition_export"
    list_label = "letters and visits"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if not self.is_export() and response.status_code == 200:
            filters = self.filterset.applied() if self.filterset is not None else {}
            audit_record(actor=request.user, action=Action.VIEW, unit=request.user.unit,
                         object_repr=str(self.get_title()),
                         detail={"list": self.list_label, "filters": filters,
                                 "page": request.GET.get("page") or "1"})
        return response

class PetitionOverdueView(PetitionListView):
    """The overdue petitions flagged to the user's unit: those of the units directly
    beneath it (a township sees its villages', a county its townships')."""

    selector = selectors.overdue_flagged
    title = gettext_lazy("Overdue petitions in my area")
    search_label = gettext_lazy("Find overdue petitions")
    template_name = "ledgers/petitions/overdue_list.html"
    actions = (ListAction("ledgers:petition_list", gettext_lazy("All letters and visits")),)
    export_name = None
    list_label = "overdue petitions flagged"


class PetitionDetailView(ObjectDetailView):
    """A petition's page: who, what, where it stands, its history, the earlier and later
    petitions linked to it, its files, and the forms of its next steps."""

    model = Petition
    selector = selectors.petition_get
    template_name = "ledgers/petitions/petition_detail.html"
    audit_view = True

    def get_context_data(self, **kwargs):
        from django.utils import timezone

        petition, user = self.object, self.request.user
        can_change = user.has_perm("ledgers.change_petition")
        steps = []
        if can_change:
            for action in rules.petition_actions(petition.status):
                form = _transition_form(action, petition, data=None)
                _guard(self.request, form, petition)
                steps.append({"action": action, "form": form, "label": ACTION_LABELS[action],
                              "url": reverse(f"ledgers:petition_{action}", args=[petition.pk])})
        return super().get_context_data(
            events=selectors.petition_events(petition),
            earlier=selectors.petition_earlier(user=user, petition=petition),
            later=selectors.petition_later(user=user, petition=petition),
            attachments=ledger_selectors.attachments_of(petition),
            can_change=can_change, steps=steps,
            editable=can_change and petition.status not in ("closed", "not_accepted"),
            overdue=rules.petition_overdue(status=petition.status, deadline=petition.deadline,
                                           today=timezone.localdate()),
            **kwargs)


ACTION_LABELS = {
    "accept": gettext_lazy("Accept"),
    "refuse": gettext_lazy("Do not accept"),
    "start": gettext_lazy("Start handling"),
    "reply": gettext_lazy("Record the reply"),
    "close": gettext_lazy("Close"),
    "reopen": gettext_lazy("Reopen: not satisfied"),
}


def _transition_form(action: str, petition: Petition, *, data):
    form_class = TRANSITION_FORMS[action]
    kwargs = {"petition": petition} if action == "accept" else {}
    return form_class(data, prefix=action, **kwargs)


def _guard(request, form, petition):
    """The hidden fields of the form guards (token, version), for a form drawn on the
    petition's page that posts to its own step's page."""
    from core.views import FORM_GUARDS

    for guard in FORM_GUARDS:
        guard.contribute(form, request=request, obj=petition)


def _petition_forms(request, *, user, petition=None):
    posted = request.method == "POST"
    form = PetitionForm(request.POST if posted else None, user=user, petition=petition)
    files = AttachmentFields(request.POST if posted else None,
                             request.FILES if posted else None, prefix="files")
    return form, files


@login_required
@permission_required("ledgers.add_petition", raise_exception=True)
def petition_create(request):
    """Register a letter or a visit (a phone fills in the first six fields and saves)."""
    user = request.user
    form, files = _petition_forms(request, user=user)

    def save(datas):
        data, file_data = datas
        unit = data.pop("unit") or user.unit
        return services.petition_register(actor=user, unit=unit, files=file_data["files"],
                                          **data)

    saved, result = submit_forms(request, [(form, None), (files, None)], save=save)
    if saved and is_repeat(result):
        messages.success(request, REPEATED_MESSAGE)
        return redirect(result.url or "ledgers:petition_list")
    if saved:
        messages.success(request, _("The petition is registered; reply by %(date)s.")
                         % {"date": f"{result.deadline:%Y-%m-%d}"})
        return redirect(result)
    return render(request, "ledgers/petitions/petition_form.html",
                  {"form": form, "files": files, "petition": None})


@login_required
@permission_required("ledgers.change_petition", raise_exception=True)
def petition_edit(request, pk):
    user = request.user
    petition = selectors.petition_get(user=user, pk=pk)
    if petition.status in ("closed", "not_accepted"):
        raise Http404
    form, files = _petition_forms(request, user=user, petition=petition)

    def save(datas):
        data, file_data = datas
        return services.petition_update(actor=user, petition=petition,
                                        files=file_data["files"], **data)

    saved, result = submit_forms(request, [(form, petition), (files, None)], save=save)
    if saved:
        messages.success(request, REPEATED_MESSAGE if is_repeat(result) else _("Saved."))
        return redirect(petition)
    if request.method == "GET":
        audit_record(actor=user, action=Action.VIEW, obj=petition, detail={"page": "edit"})
    return render(request, "ledgers/petitions/petition_form.html",
                  {"form": form, "files": files, "petition": petition})


def _step_view(action: str):
    service = services.TRANSITION_SERVICES[action]

    @login_required
    @permission_required("ledgers.change_petition", raise_exception=True)
    def view(request, pk):
        user = request.user
        petition = selectors.petition_get(user=user, pk=pk)
        if request.method == "GET":
            audit_record(actor=user, action=Action.VIEW, obj=petition,
                         detail={"page": action})
        form = _transition_form(action, petition,
                                data=request.POST if request.method == "POST" else None)

        def save(data):
            if action == "reopen":
                data["satisfaction"] = "not_satisfied"
            return service(actor=user, petition=petition, **data)

        return service_form(
            request, form, save=save, obj=petition,
            success_message=_("Saved: the petition is now %(status)s.") % {
                "status": _status_label(action)},
            next_url=petition, template="ledgers/petitions/petition_step.html",
            context={"petition": petition, "action": action, "label": ACTION_LABELS[action],
                     "allowed": action in rules.petition_actions(petition.status)})

    view.__name__ = f"petition_{action}"
    return view


def _status_label(action: str) -> str:
    from .petitions_choices import PetitionStatus

    return str(PetitionStatus(rules.PETITION_TRANSITIONS[action][1]).label)


petition_accept = _step_view("accept")
petition_refuse = _step_view("refuse")
petition_start = _step_view("start")
petition_reply = _step_view("reply")
petition_close = _step_view("close")
petition_reopen = _step_view("reopen")


# ---- categories --------------------------------------------------------------------------------

@login_required
@permission_required("ledgers.view_petitioncategory", raise_exception=True)
def category_list(request):
    user = request.user
    rows = selectors.category_list(user=user)
    root = user.unit is None or user.unit.parent_id is None
    for row in rows:
        row.editable = user.has_perm("ledgers.change_petitioncategory") and (
            row.unit_id is not None and (user.unit is None or row.unit.path.startswith(
                user.unit.path)) or (row.unit_id is None and root))
    return render(request, "ledgers/petitions/category_list.html", {
        "categories": rows, "can_add": user.has_perm("ledgers.add_petitioncategory")})


@login_required
@permission_required("ledgers.add_petitioncategory", raise_exception=True)
def category_create(request):
    user = request.user
    form = CategoryForm(request.POST or None, user=user)
    return service_form(
        request, form,
        save=lambda data: services.category_create(actor=user, unit=user.unit, **data),
        success_message=_("The category is added."), next_url="ledgers:petition_category_list",
        template="ledgers/petitions/category_form.html", context={"category": None})


@login_required
@permission_required("ledgers.change_petitioncategory", raise_exception=True)
def category_edit(request, pk):
    user = request.user
    category = selectors.category_get(user=user, pk=pk)
    form = CategoryForm(request.POST or None, user=user, category=category)
    return service_form(
        request, form,
        save=lambda data: services.category_update(actor=user, category=category, **data),
        success_message=_("Saved."), next_url="ledgers:petition_category_list",
        template="ledgers/petitions/category_form.html", context={"category": category},
        obj=category)
