from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.models import Action
from audit.services import audit_record
from core.views import (
    REPEATED_MESSAGE,
    ListAction,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    add_service_errors,
    is_repeat,
    service_form,
    submit_form,
)
from orgs.models import Level, OrgUnit

from . import exports, selectors, services
from .filters import JobSeekerFilterSet, NeedFilterSet, PersonFilterSet, need_overdue_cutoff
from .forms import (
    JobSeekerForm,
    MoveForm,
    NeedForm,
    PersonForm,
    StatusForm,
    TransferRequestForm,
    VisitCoverageForm,
    VisitForm,
)
from .models import JobSeeker, Need, Person
from .tables import JobSeekerTable, NeedTable, PersonTable


class PersonListView(ObjectListView):
    """The register; exported in the personal registration ledger's columns."""

    model = Person
    filterset_class = PersonFilterSet
    table_class = PersonTable
    selector = selectors.person_list
    title = gettext_lazy("Register of disabled people")
    search_label = gettext_lazy("Find people")
    actions = (
        ListAction("people:person_create", gettext_lazy("Register a person"),
                   "people.add_person", primary=True),
        ListAction("people:need_list", gettext_lazy("Open needs"), "people.view_need"),
        ListAction("people:visit_coverage", gettext_lazy("Visits"), "people.view_visit"),
        ListAction("people:jobseeker_list", gettext_lazy("Job seekers"), "people.view_jobseeker"),
        ListAction("people:transfer_list", gettext_lazy("Transfers"), "people.view_transfer"),
    )
    export_name = "残疾人名单"
    export_columns = exports.person_columns
    export_rows = exports.person_rows
    export_permission = "people.export_person"
    export_url_name = "people:person_export"


class PersonDetailView(ObjectDetailView):
    """A person's file (建档立卡); every look at it is audited."""

    model = Person
    selector = selectors.person_file
    context_object_name = "file"
    audit_view = True

    def audited_object(self, obj):
        return obj.person

    def get_context_data(self, **kwargs):
        person = self.object.person
        return super().get_context_data(
            person=person, overdue_cutoff=need_overdue_cutoff(),
            history=selectors.person_history(user=self.request.user, person=person), **kwargs)


@login_required
@permission_required("people.add_person", raise_exception=True)
def person_create(request):
    form = PersonForm(request.POST or None, user=request.user)
    refused = []

    def save(data):
        try:
            return services.person_register(actor=request.user, **data)
        except services.DuplicatePerson as exc:
            refused.append(exc)
            raise

    saved, person = submit_form(request, form, save=save)
    if saved:
        messages.success(request, REPEATED_MESSAGE if is_repeat(person)
                         else _("%(name)s is registered.") % {"name": person.name})
        return redirect(person.get_absolute_url() or "people:person_list")
    duplicate = refused[0] if refused else None
    transfer_form = None
    if duplicate is not None and duplicate.person is None:
        transfer_form = TransferRequestForm(user=request.user, initial={
            "id_number": form.cleaned_data.get("id_number"),
            "to_unit": form.cleaned_data.get("unit"),
        })
    return render(request, "people/person_form.html", {
        "form": form, "duplicate": duplicate, "transfer_form": transfer_form,
    })


@login_required
@permission_required("people.change_person", raise_exception=True)
def person_edit(request, pk):
    """The edit form shows the whole file's details: opening it is audited like the file."""
    person = selectors.person_get(user=request.user, pk=pk)
    if request.method == "GET":
        audit_record(actor=request.user, action=Action.VIEW, obj=person)
    return service_form(
        request, PersonForm(request.POST or None, instance=person, user=request.user,
                            editing=True),
        save=lambda data: services.person_update(actor=request.user, person=person, **data),
        success_message=_("Saved."), next_url=person, template="people/person_form.html",
        context={"person": person}, obj=person)


@login_required
@permission_required("people.change_person", raise_exception=True)
def person_status(request, pk):
    person = selectors.person_get(user=request.user, pk=pk)
    return service_form(
        request, StatusForm(request.POST or None),
        save=lambda data: services.person_set_status(actor=request.user, person=person, **data),
        success_message=_("Status changed."), next_url=person,
        template="people/person_status.html", context={"person": person})


@login_required
@permission_required("people.change_person", raise_exception=True)
def person_move(request, pk):
    person = selectors.person_get(user=request.user, pk=pk)
    form = MoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        to_unit = OrgUnit.objects.active().filter(code=data["to_code"].strip(),
                                         level=Level.VILLAGE).first()
        if to_unit is None:
            form.add_error("to_code", _("No village or community has this code."))
        else:
            try:
                services.person_move(actor=request.user, person=person, to_unit=to_unit,
                                     kind=data["kind"], reason=data["reason"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("%(name)s has moved to %(unit)s.")
                                 % {"name": person.name, "unit": to_unit.name})
                visible = Person.objects.visible_to(request.user).filter(pk=person.pk).exists()
                return redirect(person if visible else "people:transfer_list")
    return render(request, "people/person_move.html", {"form": form, "person": person})


@login_required
@permission_required("people.view_transfer", raise_exception=True)
def transfer_list(request):
    return render(request, "people/transfer_list.html",
                  selectors.transfer_list(user=request.user)
                  | {"form": TransferRequestForm(user=request.user)})


@login_required
@permission_required("people.add_person", raise_exception=True)
@require_POST
def transfer_request(request):
    form = TransferRequestForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            transfer = services.transfer_request(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # The person is not named: the unit asking learns who it is once they arrive.
            messages.success(request, _("The transfer has been requested from %(unit)s, "
                                        "which holds the person; it will decide.")
                             % {"unit": transfer.from_unit.name})
            return redirect("people:transfer_list")
    return render(request, "people/transfer_list.html",
                  selectors.transfer_list(user=request.user) | {"form": form}, status=200)


@login_required
@permission_required("people.change_person", raise_exception=True)
@require_POST
def transfer_decide(request, pk):
    transfer = selectors.transfer_get(user=request.user, pk=pk)
    try:
        services.transfer_decide(actor=request.user, transfer=transfer,
                                 accept=request.POST.get("decision") == "accept")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied:
        messages.error(request, _("Only the unit holding the person decides."))
    else:
        messages.success(request, _("Decided."))
    return redirect("people:transfer_list")


@login_required
@permission_required("people.add_need", raise_exception=True)
def need_create(request, pk):
    person = selectors.person_get(user=request.user, pk=pk)
    return service_form(
        request, NeedForm(request.POST or None, creating=True),
        save=lambda data: services.need_create(actor=request.user, person=person, **data),
        success_message=_("The need is registered."), next_url=person,
        template="people/need_form.html", context={"person": person})


class PersonRecordEditView(ObjectFormView):
    """The edit page of one of a person's records (a need, a job seeking): it shows whose,
    and leads back to the person's file."""

    def get_success_url(self, result):
        return self.object.person.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.object.person, **kwargs)


class NeedEditView(PersonRecordEditView):
    model = Need
    form_class = NeedForm
    selector = selectors.need_get
    service = services.need_update


class NeedListView(ObjectListView):
    """Needs, oldest first, open ones until asked otherwise."""

    model = Need
    filterset_class = NeedFilterSet
    table_class = NeedTable
    selector = selectors.need_list
    template_name = "people/need_list.html"
    search_label = gettext_lazy("Filter the needs")
    export_name = "服务需求名单"
    export_columns = exports.NEED_COLUMNS
    export_rows = exports.need_rows
    export_permission = "people.export_person"
    export_url_name = "people:need_export"

    def get_context_data(self, **kwargs):
        return super().get_context_data(overdue_cutoff=need_overdue_cutoff(), **kwargs)


@login_required
@permission_required("people.add_visit", raise_exception=True)
def visit_create(request, pk):
    person = selectors.person_get(user=request.user, pk=pk)

    def save(data):
        data = dict(data)
        found, detail = data.pop("found_needs"), data.pop("found_detail")
        services.visit_record(actor=request.user, person=person,
                              needs=[{"type": t, "detail": detail} for t in found], **data)

    return service_form(
        request, VisitForm(request.POST or None, user=request.user), save=save,
        success_message=_("The visit is recorded."), next_url=person,
        template="people/visit_form.html", context={"person": person})


@login_required
@permission_required("people.view_visit", raise_exception=True)
def visit_coverage(request, pk=None):
    from orgs.selectors import unit_get

    unit = unit_get(user=request.user, pk=pk or request.user.unit_id)
    form = VisitCoverageForm(request.GET or None)
    year = (form.cleaned_data.get("year") if form.is_valid() else None) \
        or timezone.localdate().year
    rows = selectors.visit_coverage(user=request.user, unit=unit, year=year)
    total_people = sum(r.people for r in rows)
    total_visited = sum(r.visited for r in rows)
    return render(request, "people/visit_coverage.html", {
        "unit": unit, "rows": rows, "year": year, "form": form,
        "total_people": total_people, "total_visited": total_visited,
        "total_due": sum(r.due for r in rows),
        "total_share": (total_visited / total_people) if total_people else None,
        "never": selectors.never_visited(user=request.user, unit=unit)[:100],
        "due": selectors.visits_due(user=request.user, unit=unit)[:100],
    })


@login_required
@permission_required("people.add_jobseeker", raise_exception=True)
def jobseeker_create(request, pk):
    person = selectors.person_get(user=request.user, pk=pk)
    return service_form(
        request, JobSeekerForm(request.POST or None),
        save=lambda data: services.jobseeker_register(actor=request.user, person=person,
                                                      **data),
        success_message=_("The job seeking is registered."), next_url=person,
        template="people/jobseeker_form.html", context={"person": person})


class JobSeekerEditView(PersonRecordEditView):
    model = JobSeeker
    form_class = JobSeekerForm
    selector = selectors.jobseeker_get
    service = services.jobseeker_update
    object_argument = context_object_name = "job"


class JobSeekerListView(ObjectListView):
    model = JobSeeker
    filterset_class = JobSeekerFilterSet
    table_class = JobSeekerTable
    selector = selectors.jobseeker_list
    search_label = gettext_lazy("Filter the job seekers")
    export_name = "残疾人求职登记名单"
    export_columns = exports.JOBSEEKER_COLUMNS
    export_rows = exports.jobseeker_rows
    export_permission = "people.export_person"
    export_url_name = "people:jobseeker_export"
