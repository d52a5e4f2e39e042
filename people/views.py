from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.audit import audit_record
from accounts.models import Action
from core.views import add_service_errors, export_filters, service_form, xlsx_export
from orgs.models import Level, OrgUnit

from . import exports, selectors, services
from .forms import (
    JobFilterForm,
    JobSeekerForm,
    MoveForm,
    NeedFilterForm,
    NeedForm,
    PersonFilterForm,
    PersonForm,
    StatusForm,
    TransferRequestForm,
    VisitCoverageForm,
    VisitForm,
)
from .models import Person

PAGE_SIZES = (25, 50, 100, 200)


def _page(request, qs):
    """One page of ``qs``; ``?per_page=`` picks one of PAGE_SIZES (default 50)."""
    query = request.GET.copy()
    query.pop("page", None)
    try:
        size = int(request.GET.get("per_page", 50))
    except ValueError:
        size = 50
    size = size if size in PAGE_SIZES else 50
    return Paginator(qs, size).get_page(request.GET.get("page")), query.urlencode()


def _person_filters(request):
    """The people list's filter form and the filters to apply: the list and its export read
    the same query string the same way."""
    form = PersonFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, {k: v for k, v in filters.items() if v}


@login_required
@permission_required("people.view_person", raise_exception=True)
def person_list(request):
    form, filters = _person_filters(request)
    qs = selectors.person_list(user=request.user, **filters)
    page, query = _page(request, qs)
    return render(request, "people/person_list.html", {"form": form, "page": page,
                                                       "query": query})


@login_required
@permission_required(["people.view_person", "people.export_person"], raise_exception=True)
def person_export(request):
    """The people list, as filtered, in the personal registration ledger's columns."""
    _form, filters = _person_filters(request)
    people = selectors.person_list(user=request.user, **filters)
    return xlsx_export(request, name="残疾人名单", columns=exports.person_columns(),
                       rows=exports.person_rows(people), filters=export_filters(filters))


@login_required
@permission_required("people.add_person", raise_exception=True)
def person_create(request):
    form = PersonForm(request.POST or None, user=request.user)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_register(actor=request.user, **form.cleaned_data)
        except services.DuplicatePerson as exc:
            add_service_errors(form, exc)
            duplicate = exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": person.name})
            return redirect(person)
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
@permission_required("people.view_person", raise_exception=True)
def person_detail(request, pk):
    file = selectors.person_file(user=request.user, pk=pk)
    audit_record(actor=request.user, action=Action.VIEW, obj=file.person)
    return render(request, "people/person_detail.html", {
        "file": file, "person": file.person,
        "history": selectors.person_history(user=request.user, person=file.person),
        "overdue_cutoff": selectors.need_overdue_cutoff(),
    })


@login_required
@permission_required("people.change_person", raise_exception=True)
def person_edit(request, pk):
    person = selectors.person_get(user=request.user, pk=pk)
    return service_form(
        request, PersonForm(request.POST or None, instance=person, user=request.user,
                            editing=True),
        save=lambda data: services.person_update(actor=request.user, person=person, **data),
        success_message=_("Saved."), next_url=person, template="people/person_form.html",
        context={"person": person})


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
        to_unit = OrgUnit.objects.filter(code=data["to_code"].strip(), valid_to__isnull=True,
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
            services.transfer_request(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The transfer has been requested; the unit holding "
                                        "the person will decide."))
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


@login_required
@permission_required("people.change_need", raise_exception=True)
def need_edit(request, pk):
    need = selectors.need_get(user=request.user, pk=pk)
    return service_form(
        request, NeedForm(request.POST or None, instance=need),
        save=lambda data: services.need_update(actor=request.user, need=need, **data),
        success_message=_("Saved."), next_url=need.person, template="people/need_form.html",
        context={"person": need.person, "need": need})


def _need_filters(request):
    form = NeedFilterForm(request.GET or None, user=request.user, initial={"status": "open"})
    cleaned = form.cleaned_data if form.is_valid() else {"status": "open"}
    return form, {"unit": cleaned.get("unit"), "type": cleaned.get("type", ""),
                  "status": cleaned.get("status", ""),
                  "overdue_only": cleaned.get("overdue_only", False), "q": cleaned.get("q", "")}


@login_required
@permission_required("people.view_need", raise_exception=True)
def need_list(request):
    form, filters = _need_filters(request)
    qs = selectors.need_list(user=request.user, **filters)
    page, query = _page(request, qs)
    return render(request, "people/need_list.html", {
        "form": form, "page": page, "query": query,
        "overdue_cutoff": selectors.need_overdue_cutoff(),
    })


@login_required
@permission_required(["people.view_need", "people.export_person"], raise_exception=True)
def need_export(request):
    _form, filters = _need_filters(request)
    needs = selectors.need_list(user=request.user, **filters)
    return xlsx_export(request, name="服务需求名单", columns=exports.NEED_COLUMNS,
                       rows=exports.need_rows(needs), filters=export_filters(filters))


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


@login_required
@permission_required("people.change_jobseeker", raise_exception=True)
def jobseeker_edit(request, pk):
    job = selectors.jobseeker_get(user=request.user, pk=pk)
    return service_form(
        request, JobSeekerForm(request.POST or None, instance=job),
        save=lambda data: services.jobseeker_update(actor=request.user, job=job, **data),
        success_message=_("Saved."), next_url=job.person, template="people/jobseeker_form.html",
        context={"person": job.person, "job": job})


def _jobseeker_filters(request):
    form = JobFilterForm(request.GET or None)
    return form, {"status": form.cleaned_data.get("status", "") if form.is_valid() else ""}


@login_required
@permission_required("people.view_jobseeker", raise_exception=True)
def jobseeker_list(request):
    form, filters = _jobseeker_filters(request)
    page, query = _page(request, selectors.jobseeker_list(user=request.user, **filters))
    return render(request, "people/jobseeker_list.html", {"form": form, "page": page,
                                                          "query": query})


@login_required
@permission_required(["people.view_jobseeker", "people.export_person"], raise_exception=True)
def jobseeker_export(request):
    _form, filters = _jobseeker_filters(request)
    jobs = selectors.jobseeker_list(user=request.user, **filters)
    return xlsx_export(request, name="残疾人求职登记名单", columns=exports.JOBSEEKER_COLUMNS,
                       rows=exports.jobseeker_rows(jobs), filters=export_filters(filters))
