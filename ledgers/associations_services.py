"""Writes of the special associations' members and of what the ledgers link to the work
committee and the associations (issue 18): keyword-only, the acting user first, one
transaction and one audit entry each.

A member is a registered person of the association's unit's subtree, picked from the
register within the user's scope; a chair is a member with the role 主席 (one per
association). A meeting is linked to its unit's work committee, an assistance activity to
one of its unit's associations (or of a unit above it)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import audit_record
from core.actors import require, user_of
from core.versions import link_set
from orgs.models import SpecialAssociation, WorkCommittee

from .models import AssistanceActivity, AssociationMember, Meeting, MemberRole


def _in_subtree(unit, of) -> bool:
    return unit.path.startswith(of.path)


@transaction.atomic
def members_add(*, actor, association: SpecialAssociation, people, role: str = MemberRole.MEMBER,
                joined_on=None) -> list[AssociationMember]:
    """``people`` become members of ``association`` with ``role``; who is a member already
    is left as they are (a second click adds nobody twice)."""
    association = SpecialAssociation.objects.select_for_update().select_related("unit").get(
        pk=association.pk)
    require(actor, "ledgers.add_associationmember", association)
    people = list(people)
    if not people:
        raise ValidationError({"people": _("Choose at least one registered person.")})
    if role not in MemberRole.values:
        raise ValidationError({"role": _("Choose a role.")})
    outside = [p.name for p in people if not _in_subtree(p.unit, association.unit)]
    if outside:
        raise ValidationError({"people": _(
            "Not registered in %(unit)s: %(names)s.") % {
                "unit": association.unit.name, "names": "、".join(outside)}})
    if role == MemberRole.CHAIR:
        if len(people) > 1:
            raise ValidationError({"people": _("An association has one chair: choose one "
                                               "person.")})
        if association.members.filter(role=MemberRole.CHAIR).exclude(
                person=people[0]).exists():
            raise ValidationError({"role": _("The association has a chair already: make "
                                             "them a member first, or remove them.")})
    have = set(association.members.filter(person__in=people).values_list("person_id",
                                                                           flat=True))
    added = []
    for person in people:
        if person.pk in have:
            continue
        member = AssociationMember(association=association, person=person, role=role,
                                   joined_on=joined_on, added_by=user_of(actor))
        member.full_clean()
        member.save()
        added.append(member)
    if added:
        audit_record(actor=actor, action=Action.CREATE, obj=association,
                     detail={"members_added": [m.person_id for m in added], "role": role})
    return added


@transaction.atomic
def member_set_role(*, actor, member: AssociationMember, role: str) -> AssociationMember:
    member = AssociationMember.objects.select_for_update().select_related(
        "association__unit").get(pk=member.pk)
    require(actor, "ledgers.change_associationmember", member)
    if role not in MemberRole.values:
        raise ValidationError({"role": _("Choose a role.")})
    if role == member.role:
        return member
    if role == MemberRole.CHAIR and member.association.members.filter(
            role=MemberRole.CHAIR).exists():
        raise ValidationError({"role": _("The association has a chair already: make them a "
                                         "member first, or remove them.")})
    old, member.role = member.role, role
    member.full_clean()
    member.save()
    audit_record(actor=actor, action=Action.UPDATE, obj=member.association,
                 changes={f"member {member.person_id}": [old, role]})
    return member


@transaction.atomic
def member_remove(*, actor, member: AssociationMember) -> None:
    member = AssociationMember.objects.select_for_update().select_related(
        "association__unit").get(pk=member.pk)
    require(actor, "ledgers.delete_associationmember", member)
    association, person_id = member.association, member.person_id
    member.delete()
    audit_record(actor=actor, action=Action.UPDATE, obj=association,
                 detail={"member_removed": person_id})


# ---- what the ledgers link to the committee and to the associations ---------------------------

@transaction.atomic
def meeting_link(*, actor, meeting: Meeting, committee: WorkCommittee | None) -> Meeting:
    """``meeting`` is (None: is no longer) a meeting of ``committee``, which must be its
    unit's work committee."""
    meeting = Meeting.objects.select_for_update().select_related("unit").get(pk=meeting.pk)
    require(actor, "ledgers.change_meeting", meeting)
    if committee is not None:
        require(actor, "orgs.view_workcommittee", committee)
        if committee.unit_id != meeting.unit_id:
            raise ValidationError({"meeting": _("The meeting was not held by the committee's "
                                                "unit.")})
    return link_set(actor=actor, obj=meeting, field="committee", target=committee)


@transaction.atomic
def activity_link(*, actor, activity: AssistanceActivity,
                  association: SpecialAssociation | None) -> AssistanceActivity:
    """``activity`` is (None: is no longer) an activity of ``association``, whose unit
    holds the activity's unit (the county's association, a township's activity)."""
    activity = AssistanceActivity.objects.select_for_update().select_related("unit").get(
        pk=activity.pk)
    require(actor, "ledgers.change_assistanceactivity", activity)
    if association is not None:
        require(actor, "orgs.view_specialassociation", association)
        if not _in_subtree(activity.unit, association.unit):
            raise ValidationError({"activity": _("The activity was not held in the "
                                                 "association's area.")})
    return link_set(actor=actor, obj=activity, field="association", target=association)

