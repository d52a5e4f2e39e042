"""The reads behind the work committee's and the special associations' pages (issue 18):
each starts from what the user may see (``visible_to``), and each page's queries are a
fixed number whatever the number of departments, agreements, members or activities."""

from django.db.models import Count

from core.scope import get_visible_or_404
from ledgers.models import AssistanceActivity, AssociationMember, Meeting, MemberRole
from orgs.models import (
    COMMITTEE_LEVELS,
    AssociationKind,
    CommitteeDepartment,
    OrgUnit,
    SpecialAssociation,
    WorkCommittee,
)
from standards.models import Agreement

LINK_CHOICES = 100  # the most recent meetings / activities offered to link


def committee_units(*, user) -> list[OrgUnit]:
    """The cities and counties the user sees, each with its committee (or None) and its
    number of member departments and of associations set up."""
    units = list(OrgUnit.objects.visible_to(user).active().filter(level__in=COMMITTEE_LEVELS)
                 .order_by("path"))
    committees = {c.unit_id: c for c in WorkCommittee.objects.visible_to(user).filter(
        unit__in=units).annotate(n_departments=Count("departments"))}
    associations = dict(SpecialAssociation.objects.visible_to(user).filter(unit__in=units)
                        .order_by().values("unit").annotate(n=Count("pk"))
                        .values_list("unit", "n"))
    for unit in units:
        unit.work_committee = committees.get(unit.pk)
        unit.n_associations = associations.get(unit.pk, 0)
    return units


def committee_unit_get(*, user, pk) -> OrgUnit:
    """A city or county the user sees (404 for any other unit)."""
    return get_visible_or_404(OrgUnit.objects.filter(level__in=COMMITTEE_LEVELS), user, pk=pk)


def committee_of(*, user, unit: OrgUnit) -> WorkCommittee | None:
    return WorkCommittee.objects.visible_to(user).select_related("unit").filter(
        unit=unit).first()


def committee_get(*, user, pk) -> WorkCommittee:
    return get_visible_or_404(WorkCommittee.objects.select_related("unit"), user, pk=pk)


def department_get(*, user, pk) -> CommitteeDepartment:
    return get_visible_or_404(CommitteeDepartment.objects.select_related("committee__unit"),
                              user, pk=pk)


def committee_departments(*, user, committee: WorkCommittee) -> list[CommitteeDepartment]:
    """The committee's departments, each with its responsibility agreements the user sees
    (newest first) as ``linked_agreements``: two queries."""
    departments = list(CommitteeDepartment.objects.visible_to(user).filter(committee=committee))
    by_department: dict[int, list] = {}
    for agreement in Agreement.objects.visible_to(user).filter(
            department__in=departments).order_by("-year", "id"):
        by_department.setdefault(agreement.department_id, []).append(agreement)
    for department in departments:
        department.linked_agreements = by_department.get(department.pk, [])
    return departments


def committee_meetings(*, user, committee: WorkCommittee):
    return Meeting.objects.visible_to(user).filter(committee=committee).order_by(
        "-held_on", "-id")


def meetings_to_link(*, user, committee: WorkCommittee):
    """The committee's unit's meetings not yet linked to it (the most recent)."""
    recent = (Meeting.objects.visible_to(user).filter(unit=committee.unit_id)
              .exclude(committee=committee).order_by("-held_on", "-id")
              .values_list("pk", flat=True)[:LINK_CHOICES])
    return Meeting.objects.filter(pk__in=list(recent)).order_by("-held_on", "-id")


def agreements_to_link(*, user, department: CommitteeDepartment):
    """The committee's unit's agreements with a department (乙方 named by text) that name
    no member department yet."""
    return (Agreement.objects.visible_to(user)
            .filter(party_a=department.committee.unit_id, party_b__isnull=True,
                    department__isnull=True).order_by("-year", "party_b_name", "id"))


# ---- the special associations ----------------------------------------------------------------

def unit_associations(*, user, unit: OrgUnit) -> list[SpecialAssociation]:
    """The unit's associations in the order of the five, each with its number of members
    and its chair (a member with the chair's role, or the plain name): two queries."""
    order = {kind: i for i, kind in enumerate(AssociationKind.values)}
    found = list(SpecialAssociation.objects.visible_to(user).filter(unit=unit)
                 .select_related("unit").annotate(n_members=Count("members")))
    chairs = {m.association_id: m for m in AssociationMember.objects.filter(
        association__in=found, role=MemberRole.CHAIR).select_related("person")}
    for association in found:
        association.chair = chairs.get(association.pk)
    return sorted(found, key=lambda a: order.get(a.kind, 99))


def association_get(*, user, pk) -> SpecialAssociation:
    return get_visible_or_404(SpecialAssociation.objects.select_related("unit"), user, pk=pk)


def association_members(*, user, association: SpecialAssociation):
    """Its members, the chair first, then the vice chairs, then by name; one query."""
    from django.db.models import Case, IntegerField, Value, When

    rank = Case(When(role=MemberRole.CHAIR, then=Value(0)),
                When(role=MemberRole.VICE_CHAIR, then=Value(1)), default=Value(2),
                output_field=IntegerField())
    return (AssociationMember.objects.visible_to(user).filter(association=association)
            .select_related("person__unit").annotate(rank=rank)
            .order_by("rank", "person__name", "id"))


def member_get(*, user, pk) -> AssociationMember:
    return get_visible_or_404(AssociationMember.objects.select_related("association__unit",
                                                                       "person"), user, pk=pk)


def association_activities(*, user, association: SpecialAssociation):
    return (AssistanceActivity.objects.visible_to(user).filter(association=association)
            .select_related("unit").order_by("-held_on", "-id"))


def activities_to_link(*, user, association: SpecialAssociation):
    """The assistance activities of the association's area not yet linked to it."""
    from core.scope import subtree_filter

    recent = (AssistanceActivity.objects.visible_to(user)
              .filter(subtree_filter(association.unit.path, "unit__path"))
              .exclude(association=association).order_by("-held_on", "-id")
              .values_list("pk", flat=True)[:LINK_CHOICES])
    return (AssistanceActivity.objects.filter(pk__in=list(recent)).select_related("unit")
            .order_by("-held_on", "-id"))


# ---- what is linked (to unlink it) -------------------------------------------------------------

def linked_meeting_get(*, user, pk) -> Meeting:
    return get_visible_or_404(Meeting.objects.filter(committee__isnull=False)
                              .select_related("committee"), user, pk=pk)


def linked_activity_get(*, user, pk) -> AssistanceActivity:
    return get_visible_or_404(AssistanceActivity.objects.filter(association__isnull=False)
                              .select_related("association"), user, pk=pk)


def linked_agreement_get(*, user, pk) -> Agreement:
    return get_visible_or_404(Agreement.objects.filter(department__isnull=False)
                              .select_related("department__committee"), user, pk=pk)
