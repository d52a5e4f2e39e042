"""The work committee's pages 残工委 (issue 18): the list of the cities and counties in the
user's scope with their committees, a committee's page (chairs, member departments with
their duties, contacts and responsibility agreements, its meetings), its forms and its
member list as a workbook.

They live in reports because a committee's page reads three layers (orgs' committee,
standards' agreements, ledgers' meetings) and reports is the layer that reads across the
domain (DESIGN §5); the writes stay with the app that owns each row."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.views import service_form, xlsx_export
from ledgers import associations_services as ledger_links
from orgs import committee_services as services
from orgs.committee_forms import CommitteeForm, DepartmentForm
from standards.committee_services import agreement_link_department

from . import committee_selectors as selectors
from .committee_exports import committee_export
from .committee_forms import AgreementLinkForm, MeetingLinkForm

VIEW = "orgs.view_workcommittee"
CHANGE = "orgs.change_workcommittee"


@login_required
@permission_required(VIEW, raise_exception=True)
def committee_list(request):
    """The cities and counties of the user's area, each with its committee or a link to
    set one up."""
    return render(request, "reports/committee/committee_list.html", {
        "units": selectors.committee_units(user=request.user),
        "may_add": request.user.has_perm("orgs.add_workcommittee"),
        "may_set_up": request.user.has_perm("orgs.add_specialassociation")})


@login_required
@permission_required(VIEW, raise_exception=True)
def committee_detail(request, pk):
    return _committee_page(request, selectors.committee_get(user=request.user, pk=pk))


def _committee_page(request, committee):
    user = request.user
    return render(request, "reports/committee/committee_detail.html", {
        "committee": committee,
        "departments": selectors.committee_departments(user=user, committee=committee),
        "meetings": selectors.committee_meetings(user=user, committee=committee)
        if user.has_perm("ledgers.view_meeting") else None,
        "may_change": user.has_perm(CHANGE),
        "may_link_meetings": user.has_perm("ledgers.change_meeting"),
        "may_link_agreements": user.has_perm("standards.change_agreement")})


@login_required
@permission_required("orgs.add_workcommittee", raise_exception=True)
def committee_create(request, pk):
    unit = selectors.committee_unit_get(user=request.user, pk=pk)
    return service_form(
        request, CommitteeForm(request.POST or None),
        save=lambda data: services.committee_create(actor=request.user, unit=unit, **data),
        success_message=_("The work committee is set up."),
        next_url=reverse("reports:committee_of", args=[unit.pk]),  # its page
        template="reports/committee/committee_form.html", context={"unit": unit})


@login_required
@permission_required(VIEW, raise_exception=True)
def committee_of(request, pk):
    """A unit's committee (the unit page's link): its page, or says it is not set up yet
    (with the link to set it up)."""
    unit = selectors.committee_unit_get(user=request.user, pk=pk)
    committee = selectors.committee_of(user=request.user, unit=unit)
    if committee is not None:
        return _committee_page(request, committee)
    return render(request, "reports/committee/committee_missing.html", {
        "unit": unit, "may_add": request.user.has_perm("orgs.add_workcommittee")})


@login_required
@permission_required(CHANGE, raise_exception=True)
def committee_edit(request, pk):
    committee = selectors.committee_get(user=request.user, pk=pk)
    return service_form(
        request, CommitteeForm(request.POST or None, instance=committee),
        save=lambda data: services.committee_update(actor=request.user, committee=committee,
                                                    **data),
        success_message=_("The work committee is saved."), next_url=committee,
        obj=committee, template="reports/committee/committee_form.html",
        context={"unit": committee.unit, "committee": committee})


@login_required
@permission_required(VIEW, raise_exception=True)
def committee_xlsx(request, pk):
    committee = selectors.committee_get(user=request.user, pk=pk)
    return xlsx_export(request, committee_export(
        committee=committee,
        departments=selectors.committee_departments(user=request.user, committee=committee)))


# ---- member departments -----------------------------------------------------------------------

@login_required
@permission_required(CHANGE, raise_exception=True)
def department_add(request, pk):
    committee = selectors.committee_get(user=request.user, pk=pk)
    return service_form(
        request, DepartmentForm(request.POST or None),
        save=lambda data: services.department_add(actor=request.user, committee=committee,
                                                  **data),
        success_message=_("The member department is added."), next_url=committee,
        template="reports/committee/department_form.html",
        context={"committee": committee})


@login_required
@permission_required(CHANGE, raise_exception=True)
def department_edit(request, pk):
    department = selectors.department_get(user=request.user, pk=pk)
    return service_form(
        request, DepartmentForm(request.POST or None, instance=department),
        save=lambda data: services.department_update(actor=request.user,
                                                     department=department, **data),
        success_message=_("The member department is saved."), next_url=department.committee,
        obj=department, template="reports/committee/department_form.html",
        context={"committee": department.committee, "department": department})


@login_required
@permission_required(CHANGE, raise_exception=True)
@require_POST
def department_remove(request, pk):
    department = selectors.department_get(user=request.user, pk=pk)
    committee = department.committee
    try:
        services.department_remove(actor=request.user, department=department)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(committee)
    messages.success(request, _("%(name)s is no longer a member department.")
                     % {"name": department.name})
    return redirect(committee)


@login_required
@permission_required("standards.change_agreement", raise_exception=True)
def department_agreement(request, pk):
    """Link one of the unit's agreements with a department to this member department."""
    department = selectors.department_get(user=request.user, pk=pk)
    form = AgreementLinkForm(request.POST or None, agreements=selectors.agreements_to_link(
        user=request.user, department=department))
    return service_form(
        request, form,
        save=lambda data: agreement_link_department(
            actor=request.user, agreement=data["agreement"], department=department),
        success_message=_("The agreement is linked to the department."),
        next_url=department.committee, template="reports/committee/link_form.html",
        context={"back": department.committee.get_absolute_url(),
                 "heading": _("Link a responsibility agreement to %(name)s")
                 % {"name": department.name},
                 "empty": _("The unit has no agreement with a department left to link: "
                            "write one first (responsibility agreements).")
                 if not form.fields["agreement"].queryset.exists() else ""})


@login_required
@permission_required("ledgers.change_meeting", raise_exception=True)
def committee_meeting(request, pk):
    """Link one of the unit's meetings (ledgers) to the committee."""
    committee = selectors.committee_get(user=request.user, pk=pk)
    form = MeetingLinkForm(request.POST or None, meetings=selectors.meetings_to_link(
        user=request.user, committee=committee))
    return service_form(
        request, form,
        save=lambda data: ledger_links.meeting_link(actor=request.user,
                                                    meeting=data["meeting"],
                                                    committee=committee),
        success_message=_("The meeting is linked to the committee."), next_url=committee,
        template="reports/committee/link_form.html",
        context={"back": committee.get_absolute_url(),
                 "heading": _("Link a meeting to %(name)s") % {"name": committee},
                 "empty": _("The unit has no meeting left to link: record it in the "
                            "ledgers first.")
                 if not form.fields["meeting"].queryset.exists() else ""})


# ---- unlinking (a meeting or an agreement linked by mistake) ----------------------------------

@login_required
@permission_required("ledgers.change_meeting", raise_exception=True)
@require_POST
def meeting_unlink(request, pk):
    meeting = selectors.linked_meeting_get(user=request.user, pk=pk)
    committee = meeting.committee
    ledger_links.meeting_link(actor=request.user, meeting=meeting, committee=None)
    messages.success(request, _("The meeting is no longer linked to the committee."))
    return redirect(committee)


@login_required
@permission_required("standards.change_agreement", raise_exception=True)
@require_POST
def agreement_unlink(request, pk):
    agreement = selectors.linked_agreement_get(user=request.user, pk=pk)
    committee = agreement.department.committee
    agreement_link_department(actor=request.user, agreement=agreement, department=None)
    messages.success(request, _("The agreement is no longer linked to the department."))
    return redirect(committee)
