"""The pages of the work record book, the meetings and the annual plan, declared on
core.views: reads through ledgers/records_selectors.py, writes through
ledgers/records_services.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

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

from . import records_exports as exports
from . import records_selectors as selectors
from . import records_services as services
from .models import AnnualPlan, Meeting, PlanItem, WorkEntry
from .records_filters import AnnualPlanFilterSet, MeetingFilterSet, WorkEntryFilterSet
from .records_forms import (
    FulfilmentForm,
    MeetingAttendanceForm,
    MeetingForm,
    NoteForm,
    PlanForm,
    PlanItemForm,
    WorkEntryForm,
)
from .records_tables import AnnualPlanTable, MeetingTable, WorkEntryTable
from .selectors import attachments_of
from .views import PaperListView


class _BookListView(PaperListView):
    """A ledger's list whose export is titled as its paper book for the unit and the year:
    东山根社区残协工作记录册（2026年）."""

    book = ""
    year_first = False

    def paper_title(self, unit, year):
        return exports.book_title(unit, self.book, year, year_first=self.year_first)


class _WithUser:
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


# ---- the work record book --------------------------------------------------------------------

class WorkEntryListView(_BookListView):
    model = WorkEntry
    filterset_class = WorkEntryFilterSet
    table_class = WorkEntryTable
    selector = selectors.workentry_list
    title = gettext_lazy("Work record book")
    search_label = gettext_lazy("Find work records")
    actions = (ListAction("ledgers:workentry_create", gettext_lazy("Write a work record"),
                          "ledgers.add_workentry", primary=True),)
    export_name = "工作记录册"
    book = "工作记录册"
    export_columns = exports.workbook_columns
    export_rows = exports.workbook_rows
    export_url_name = "ledgers:workentry_export"


class WorkEntryDetailView(ObjectDetailView):
    model = WorkEntry
    selector = selectors.workentry_get
    template_name = "ledgers/workbook/detail.html"
    context_object_name = "entry"

    def get_context_data(self, **kwargs):
        user = self.request.user
        refusal = services.work_entry_refusal(actor=user, entry=self.object)
        return super().get_context_data(
            notes=selectors.workentry_notes(self.object),
            attachments=attachments_of(self.object),
            refusal=refusal,
            can_change=refusal is None and user.has_perm("ledgers.change_workentry"),
            note_form=NoteForm(), **kwargs)


class WorkEntryCreateView(_WithUser, ObjectFormView):
    model = WorkEntry
    form_class = WorkEntryForm
    service = services.work_entry_create
    template_name = "ledgers/workbook/form.html"
    success_message = gettext_lazy("The work record is written. It can be changed for 7 days.")


class WorkEntryEditView(_WithUser, ObjectFormView):
    """Changing a record, for 7 days after it was written by its author or the unit's users;
    after that (or for anyone else) the page says why and offers a note instead, and a POST
    is refused with the same words."""

    model = WorkEntry
    form_class = WorkEntryForm
    selector = selectors.workentry_get
    service = services.work_entry_update
    template_name = "ledgers/workbook/form.html"
    context_object_name = "entry"

    def get_context_data(self, **kwargs):
        refusal = services.work_entry_refusal(actor=self.request.user, entry=self.object)
        return super().get_context_data(refusal=refusal, note_form=NoteForm(), **kwargs)


@login_required
@permission_required("ledgers.add_workentrynote", raise_exception=True)
def workentry_note(request, pk):
    """Add a note to a work record (the way to correct or complete it after 7 days)."""
    entry = selectors.workentry_get(user=request.user, pk=pk)
    form = NoteForm(request.POST or None)
    return service_form(
        request, form,
        save=lambda data: services.work_entry_annotate(actor=request.user, workentry=entry,
                                                       text=data["text"]),
        success_message=_("The note is added."), next_url=entry,
        template="ledgers/workbook/note.html", context={"entry": entry})


# ---- meetings ----------------------------------------------------------------------------

class MeetingListView(_BookListView):
    model = Meeting
    filterset_class = MeetingFilterSet
    table_class = MeetingTable
    selector = selectors.meeting_list
    title = gettext_lazy("Meetings")
    search_label = gettext_lazy("Find meetings")
    actions = (ListAction("ledgers:meeting_create", gettext_lazy("Record a meeting"),
                          "ledgers.add_meeting", primary=True),)
    export_name = "会议记录"
    book = "会议记录"
    export_columns = exports.meeting_columns
    export_rows = exports.meeting_rows
    export_url_name = "ledgers:meeting_export"


class MeetingDetailView(ObjectDetailView):
    model = Meeting
    selector = selectors.meeting_get
    template_name = "ledgers/meetings/detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            attendees=selectors.meeting_attendees(self.object, user=self.request.user),
            attachments=attachments_of(self.object),
            can_change=self.request.user.has_perm("ledgers.change_meeting"), **kwargs)


class MeetingCreateView(_WithUser, ObjectFormView):
    model = Meeting
    form_class = MeetingForm
    service = services.meeting_create
    template_name = "ledgers/meetings/form.html"
    success_message = gettext_lazy("The meeting is recorded.")


class MeetingEditView(_WithUser, ObjectFormView):
    model = Meeting
    form_class = MeetingForm
    selector = selectors.meeting_get
    service = services.meeting_update
    template_name = "ledgers/meetings/form.html"


@login_required
@permission_required("ledgers.change_meeting", raise_exception=True)
def meeting_attendance(request, pk):
    """Tick the workers who came, from the workers kept in the meeting's unit's area."""
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    candidates = selectors.meeting_candidates(user=request.user, meeting=meeting)
    present = {w.pk for w in selectors.meeting_attendees(meeting, user=request.user)}
    form = MeetingAttendanceForm(request.POST or None, candidates=candidates)
    return service_form(
        request, form, obj=meeting,
        save=lambda data: services.meeting_update(
            actor=request.user, meeting=meeting, workers=data["workers"],
            expected_version=data.get("expected_version"),
            started_from=data.get("started_from")),
        success_message=_("Who came is saved."), next_url=meeting,
        template="ledgers/meetings/attendance.html",
        context={"meeting": meeting, "candidates": candidates,
                 "ticked": set(request.POST.getlist("workers")) if request.method == "POST"
                 else {str(pk) for pk in present}})


# ---- the annual plan ---------------------------------------------------------------------

class AnnualPlanListView(_BookListView):
    model = AnnualPlan
    filterset_class = AnnualPlanFilterSet
    table_class = AnnualPlanTable
    selector = selectors.plan_list
    title = gettext_lazy("Annual plans")
    search_label = gettext_lazy("Find annual plans")
    actions = (
        ListAction("ledgers:annualplan_create", gettext_lazy("Make a plan"),
                   "ledgers.add_annualplan", primary=True),
        ListAction("ledgers:plan_status", gettext_lazy("Plans by unit"),
                   "ledgers.view_annualplan"),
    )
    export_name = "年度工作计划"
    book = "工作计划"
    year_first = True
    export_columns = exports.plan_columns
    export_rows = exports.plan_rows
    export_url_name = "ledgers:annualplan_export"


class AnnualPlanDetailView(ObjectDetailView):
    model = AnnualPlan
    selector = selectors.plan_get
    template_name = "ledgers/plans/detail.html"
    context_object_name = "plan"

    def get_context_data(self, **kwargs):
        items = list(self.object.items.all())
        fulfilled = selectors.item_fulfilments(items, user=self.request.user)
        today = timezone.localdate()
        rows = []
        for item in items:
            state = selectors.item_state(item)
            rows.append({"item": item, "fulfilments": fulfilled.get(item.pk, []),
                         "unfulfilled": services.rules.item_unfulfilled(
                             state, year=self.object.year, today=today)})
        return super().get_context_data(
            rows=rows, flags=selectors.plan_flags(self.object, today=today),
            ledgers=services.fulfilling_ledgers(), **kwargs)


class AnnualPlanCreateView(_WithUser, ObjectFormView):
    model = AnnualPlan
    form_class = PlanForm
    service = services.plan_create
    template_name = "ledgers/plans/form.html"
    success_message = gettext_lazy("The plan is made; now add its activities and practical "
                                   "things.")

    def get_success_url(self, result):
        return reverse("ledgers:planitem_create", args=[result.pk])


class AnnualPlanEditView(_WithUser, ObjectFormView):
    model = AnnualPlan
    form_class = PlanForm
    selector = selectors.plan_get
    service = services.plan_update
    template_name = "ledgers/plans/form.html"
    context_object_name = "plan"


@login_required
@permission_required("ledgers.view_annualplan", raise_exception=True)
def plan_workbook(request, pk):
    """One plan as its paper page (.xlsx), audited."""
    plan = selectors.plan_get(user=request.user, pk=pk)
    content = exports.plan_workbook(plan, today=timezone.localdate())
    audit_record(actor=request.user, action=Action.EXPORT, obj=plan,
                 detail={"document": "plan.xlsx", "items": len(plan.items.all())})
    response = HttpResponse(content, content_type=XLSX)
    title = exports.book_title(plan.unit, "工作计划", plan.year, year_first=True)
    set_download_name(response, f"{title}.xlsx")
    return response


class PlanItemCreateView(ObjectFormView):
    """Add an item to a plan; "save and add another" comes back here."""

    model = AnnualPlan
    permission = "ledgers.change_annualplan"
    form_class = PlanItemForm
    template_name = "ledgers/plans/item_form.html"
    success_message = gettext_lazy("The item is added to the plan.")

    def get_object(self):
        self.plan = selectors.plan_get(user=self.request.user, pk=self.kwargs["pk"])
        return None

    def save(self, data):
        return services.plan_item_add(actor=self.request.user, plan=self.plan, **data)

    def get_success_url(self, result):
        if "another" in self.request.POST:
            return reverse("ledgers:planitem_create", args=[self.plan.pk])
        return self.plan.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.plan, **kwargs)


class PlanItemEditView(ObjectFormView):
    model = PlanItem
    permission = "ledgers.change_annualplan"
    form_class = PlanItemForm
    selector = selectors.planitem_get
    service = services.plan_item_update
    template_name = "ledgers/plans/item_form.html"
    context_object_name = "item"
    success_message = gettext_lazy("The item is saved.")

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.object.plan, **kwargs)


@login_required
@require_POST
@permission_required("ledgers.change_annualplan", raise_exception=True)
def planitem_remove(request, pk):
    item = selectors.planitem_get(user=request.user, pk=pk)
    plan = services.plan_item_remove(actor=request.user, planitem=item)
    messages.success(request, _("The item is taken off the plan."))
    return redirect(plan)


@login_required
@permission_required("ledgers.add_planfulfilment", raise_exception=True)
def planitem_fulfil(request, pk):
    """Link the entry that fulfils an item: choose the ledger (``?ledger=``), then the entry,
    from the plan's unit's entries of the plan's year."""
    item = selectors.planitem_get(user=request.user, pk=pk)
    choices = services.fulfilling_ledgers()
    key = request.GET.get("ledger") or (choices[0].key if choices else "")
    ledger = services.fulfilling_ledger(key)
    if ledger is None:
        raise Http404
    candidates = selectors.fulfilment_candidates(user=request.user, item=item, ledger=ledger)
    form = FulfilmentForm(request.POST or None, candidates=candidates)
    return service_form(
        request, form,
        save=lambda data: services.plan_fulfilment_add(actor=request.user, planitem=item,
                                                       entry=data["entry"]),
        success_message=_("The entry is linked to the item."), next_url=item,
        template="ledgers/plans/fulfil.html",
        context={"item": item, "plan": item.plan, "ledger": ledger, "ledgers": choices,
                 "candidates": candidates})


@login_required
@require_POST
@permission_required("ledgers.delete_planfulfilment", raise_exception=True)
def fulfilment_remove(request, pk):
    fulfilment = selectors.fulfilment_get(user=request.user, pk=pk)
    item = services.plan_fulfilment_remove(actor=request.user, fulfilment=fulfilment)
    messages.success(request, _("The link is removed; the entry itself stays."))
    return redirect(item)


@login_required
@permission_required("ledgers.view_annualplan", raise_exception=True)
def plan_status(request):
    """Every township and village of the user's area with its plan for the year: which have
    none, which lack the minimum content, which have items unfulfilled."""
    from .records_forms import PlanStatusForm

    form = PlanStatusForm(request.GET or None, user=request.user)
    year, unit = timezone.localdate().year, None
    if form.is_valid():
        year = form.cleaned_data.get("year") or year
        unit = form.cleaned_data.get("unit")
    rows = selectors.plan_status(user=request.user, year=year, unit=unit)
    return render(request, "ledgers/plans/status.html", {
        "form": form, "year": year, "unit": unit, "rows": rows,
        "limit": selectors.STATUS_LIMIT,
        "missing": sum(1 for r in rows if r.plan is None),
        "minimum": sum(1 for r in rows if r.flags and r.flags.minimum),
        "unfulfilled": sum(1 for r in rows if r.flags and r.flags.unfulfilled),
    })
