"""The special associations' pages 专门协会 (issue 18): a unit's five (set up on demand),
an association's page (its chair, its members from the register — names with a link to
the person, never an ID number — and its assistance activities), its form, adding and
removing members, linking an activity, and the member list as a workbook. In reports for
the reason the committee's pages are (reports/committee_views.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.views import service_form, xlsx_export
from ledgers import associations_services as ledger_services
from orgs import committee_services as services
from orgs.committee_forms import AssociationForm

from . import committee_selectors as selectors
from .committee_exports import members_export
from .committee_forms import ActivityLinkForm, MembersAddForm

VIEW = "orgs.view_specialassociation"
# Who is a member of the association of the blind says something of their disability: the
# member list is shown to who may read the register.
VIEW_MEMBERS = ("ledgers.view_associationmember", "people.view_person")


@login_required
@permission_required(VIEW, raise_exception=True)
def unit_associations(request, pk):
    unit = selectors.committee_unit_get(user=request.user, pk=pk)
    associations = selectors.unit_associations(user=request.user, unit=unit)
    return render(request, "reports/associations/unit_associations.html", {
        "unit": unit, "associations": associations, "missing": 5 - len(associations),
        "may_set_up": request.user.has_perm("orgs.add_specialassociation")})


@login_required
@permission_required("orgs.add_specialassociation", raise_exception=True)
@require_POST
def associations_set_up(request, pk):
    """The "set up the five" button: creates the missing associations (a second press
    creates nothing)."""
    unit = selectors.committee_unit_get(user=request.user, pk=pk)
    try:
        services.associations_set_up(actor=request.user, unit=unit)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The five special associations are set up."))
    return redirect("reports:unit_associations", pk=unit.pk)


@login_required
@permission_required(VIEW, raise_exception=True)
def association_detail(request, pk):
    user = request.user
    association = selectors.association_get(user=user, pk=pk)
    may_members = user.has_perms(VIEW_MEMBERS)
    members = list(selectors.association_members(user=user, association=association)) \
        if may_members else None
    chair = next((m for m in members or () if m.role == "chair"), None)
    return render(request, "reports/associations/association_detail.html", {
        "association": association, "members": members, "chair": chair,
        "activities": selectors.association_activities(user=user, association=association)
        if user.has_perm("ledgers.view_assistanceactivity") else None,
        "may_change": user.has_perm("orgs.change_specialassociation"),
        "may_add_members": user.has_perm("ledgers.add_associationmember"),
        "may_remove_members": user.has_perm("ledgers.delete_associationmember"),
        "may_export": may_members and user.has_perm("people.export_person"),
        "may_link": user.has_perm("ledgers.change_assistanceactivity")})


@login_required
@permission_required("orgs.change_specialassociation", raise_exception=True)
def association_edit(request, pk):
    association = selectors.association_get(user=request.user, pk=pk)
    return service_form(
        request, AssociationForm(request.POST or None, instance=association),
        save=lambda data: services.association_update(actor=request.user,
                                                      association=association, **data),
        success_message=_("The association is saved."), next_url=association,
        obj=association, template="reports/associations/association_form.html",
        context={"association": association})


@login_required
@permission_required("ledgers.add_associationmember", raise_exception=True)
def members_add(request, pk):
    association = selectors.association_get(user=request.user, pk=pk)
    return service_form(
        request, MembersAddForm(request.POST or None, user=request.user),
        save=lambda data: ledger_services.members_add(actor=request.user,
                                                      association=association, **data),
        success_message=_("The members are added."), next_url=association,
        template="reports/associations/members_add.html",
        context={"association": association})


@login_required
@permission_required("ledgers.delete_associationmember", raise_exception=True)
@require_POST
def member_remove(request, pk):
    member = selectors.member_get(user=request.user, pk=pk)
    ledger_services.member_remove(actor=request.user, member=member)
    messages.success(request, _("%(name)s is no longer a member.") % {"name": member.person.name})
    return redirect(member.association)


@login_required
@permission_required("ledgers.change_assistanceactivity", raise_exception=True)
def association_activity(request, pk):
    association = selectors.association_get(user=request.user, pk=pk)
    form = ActivityLinkForm(request.POST or None, activities=selectors.activities_to_link(
        user=request.user, association=association))
    return service_form(
        request, form,
        save=lambda data: ledger_services.activity_link(
            actor=request.user, activity=data["activity"], association=association),
        success_message=_("The activity is linked to the association."),
        next_url=association, template="reports/committee/link_form.html",
        context={"back": association.get_absolute_url(),
                 "heading": _("Link an assistance activity to %(name)s")
                 % {"name": association},
                 "empty": _("The area has no assistance activity left to link: record it "
                            "in the ledgers first.")
                 if not form.fields["activity"].queryset.exists() else ""})


@login_required
@permission_required("people.export_person", raise_exception=True)
def association_xlsx(request, pk):
    if not request.user.has_perms(VIEW_MEMBERS):
        raise PermissionDenied
    association = selectors.association_get(user=request.user, pk=pk)
    members = selectors.association_members(user=request.user, association=association)
    return xlsx_export(request, members_export(association=association, members=members))



@login_required
@permission_required("ledgers.change_assistanceactivity", raise_exception=True)
@require_POST
def activity_unlink(request, pk):
    activity = selectors.linked_activity_get(user=request.user, pk=pk)
    association = activity.association
    ledger_services.activity_link(actor=request.user, activity=activity, association=None)
    messages.success(request, _("The activity is no longer linked to the association."))
    return redirect(association)
