"""Reads of the register; every one starts from what the user may see."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action, AuditLog
from core.scope import get_visible_or_404, subtree_filter
from orgs.models import OrgUnit

from .choices import Status
from .filters import JobSeekerFilterSet, NeedFilterSet, PersonFilterSet
from .models import JobSeeker, Need, Person, PersonEvent, Transfer, Visit

REGISTERED = "registered"  # the kind of a history's registration entry


def person_get(*, user, pk) -> Person:
    return get_visible_or_404(Person.objects.select_related("unit", "grid", "registered_by"),
                              user, pk=pk)


def person_list(*, user, filters=None) -> QuerySet:
    """The people the user may see, filtered by ``filters`` (a PersonFilterSet, or query
    data for one), by unit and name. Query count is fixed: one for the page, one for the
    count."""
    qs = Person.objects.visible_to(user).select_related("unit", "grid")
    return PersonFilterSet.apply(qs, filters, user=user).order_by("unit__path", "name", "id")


@dataclass
class PersonFile:
    person: Person
    needs: list
    visits: list
    jobs: list
    events: list  # HistoryEntry, oldest first
    transfers: list


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a person's status history: their registration, or a stored event."""

    on: dt.date
    kind: str
    label: str
    unit: OrgUnit
    note: str
    by: object  # the user, or None


def status_history(person: Person, events: list[PersonEvent]) -> list[HistoryEntry]:
    """The status history: the registration first among the events of its day, then the
    events by date. The registration is not stored as an event: it is a fact of the person's
    own row (registered_on, registered_by, import_job), in the unit the person was in until
    their first move out, or in their unit now. ``events`` oldest first, units loaded."""
    first_move = next((e for e in events if e.kind == PersonEvent.Kind.MOVED_OUT), None)
    note = _("Import %(job)s") % {"job": person.import_job_id} if person.import_job_id else ""
    registered = HistoryEntry(
        on=person.registered_on, kind=REGISTERED, label=_("Registered"),
        unit=first_move.unit if first_move else person.unit, note=note,
        by=person.registered_by)
    entries = [HistoryEntry(on=e.on, kind=e.kind, label=e.get_kind_display(), unit=e.unit,
                            note=e.note, by=e.by) for e in events]
    at = next((i for i, e in enumerate(entries) if e.on >= registered.on), len(entries))
    return [*entries[:at], registered, *entries[at:]]


def person_file(*, user, pk) -> PersonFile:
    """Everything about one person (建档立卡), for their file page."""
    person = person_get(user=user, pk=pk)
    return PersonFile(
        person=person,
        needs=list(Need.objects.filter(person=person).select_related("registered_by", "visit")
                   .order_by("-registered_on", "-id")),
        visits=list(Visit.objects.filter(person=person).order_by("-visited_on", "-id")),
        jobs=list(JobSeeker.objects.filter(person=person).order_by("-registered_on")),
        events=status_history(person, list(PersonEvent.objects.filter(person=person)
                                           .select_related("unit", "by"))),
        transfers=list(Transfer.objects.filter(person=person)
                       .select_related("from_unit", "to_unit")),
    )


@dataclass
class Version:
    at: dt.datetime
    actor_name: str
    action: str
    changes: list[tuple[str, str, str]]  # (field label, old, new), for people to read


def _readable(field_name: str, value):
    if value is None or value == "":
        return "—"
    try:
        field = Person._meta.get_field(field_name)
    except Exception:  # noqa: BLE001 - a field that no longer exists shows its raw value
        return value
    if field.choices:
        for key, label in field.flatchoices:
            if str(key) == str(value):
                return str(label)
    if field.is_relation:
        unit = OrgUnit.objects.filter(pk=value).only("name").first()
        return unit.name if unit else value
    if value in ("True", "False"):
        from django.utils.translation import gettext

        return gettext("yes") if value == "True" else gettext("no")
    return value


def person_history(*, user, person: Person, limit: int = 50) -> list[Version]:
    """The versions of a person — every audited change, newest first — as people read
    them: field labels and choice labels instead of codes."""


    entries = AuditLog.objects.visible_to(user).filter(
        content_type=ContentType.objects.get_for_model(Person),
        object_id=str(person.pk),
        action__in=[Action.CREATE, Action.UPDATE, Action.MOVE],
    ).order_by("-at", "-id")[:limit]
    versions = []
    for entry in entries:
        changes = []
        for name, (old, new) in entry.changes.items():
            try:
                label = str(Person._meta.get_field(name).verbose_name)
            except Exception:  # noqa: BLE001 - see _readable
                label = name
            changes.append((label, _readable(name, old), _readable(name, new)))
        versions.append(Version(entry.at, entry.actor_name, entry.get_action_display(), changes))
    return versions


def need_list(*, user, filters=None) -> QuerySet:
    """Needs of the user's subtree, oldest first, filtered by ``filters`` (a NeedFilterSet,
    or query data for one: open needs unless it says otherwise)."""
    qs = Need.objects.visible_to(user).select_related("person__unit", "registered_by")
    return NeedFilterSet.apply(qs, filters, user=user).order_by("registered_on", "id")


def need_get(*, user, pk) -> Need:
    return get_visible_or_404(Need.objects.select_related("person__unit"), user, pk=pk)


def jobseeker_list(*, user, filters=None) -> QuerySet:
    """Job-seeking registrations of the user's subtree, newest first, filtered by
    ``filters`` (a JobSeekerFilterSet, or query data for one)."""
    qs = JobSeeker.objects.visible_to(user).select_related("person__unit")
    return JobSeekerFilterSet.apply(qs, filters, user=user).order_by("-registered_on", "-id")


def jobseeker_get(*, user, pk) -> JobSeeker:
    return get_visible_or_404(JobSeeker.objects.select_related("person__unit"), user, pk=pk)


def transfer_list(*, user) -> dict:
    """Transfers seen from the user's units: arriving, leaving and waiting for a decision."""
    qs = Transfer.objects.visible_to(user).select_related("person", "from_unit", "to_unit",
                                                          "requested_by")
    path = user.unit.path if user.unit_id else None
    if path is None:
        return {"incoming": qs, "outgoing": qs.none(), "pending": qs.none()}
    mine_to = subtree_filter(path, "to_unit__path")
    mine_from = subtree_filter(path, "from_unit__path")
    return {
        "pending": qs.filter(mine_from, status="requested"),
        "incoming": qs.filter(mine_to).exclude(mine_from),
        "outgoing": qs.filter(mine_from).exclude(mine_to).exclude(status="requested"),
    }


def transfer_get(*, user, pk) -> Transfer:
    return get_visible_or_404(Transfer.objects.select_related("person", "from_unit", "to_unit"),
                              user, pk=pk)


@dataclass
class CoverageRow:
    unit: OrgUnit
    people: int
    visited: int
    due: int

    @property
    def share(self) -> float | None:
        return self.visited / self.people if self.people else None

    @property
    def meets_target(self) -> bool:
        return self.share is not None and self.share >= settings.CANLIAN_VISIT_TARGET


def visit_coverage(*, user, unit: OrgUnit, year: int) -> list[CoverageRow]:
    """For each child unit of ``unit`` (and a total row): active people, how many were
    visited in ``year``, and how many visits are due. Three grouped queries in all."""
    from django.db.models.functions import Substr

    width = len(unit.path) + 8
    children = list(OrgUnit.objects.visible_to(user).active().filter(parent=unit)
                    .order_by("code", "name"))
    people = (
        Person.objects.visible_to(user).filter(subtree_filter(unit.path, "unit__path"),
                                               status=Status.ACTIVE)
        .annotate(branch=Substr("unit__path", 1, width))
    )
    today = timezone.localdate()
    latest = Visit.objects.filter(person=OuterRef("pk")).order_by("-visited_on", "-id")
    rows = (
        people.annotate(
            visited_in_year=Exists(Visit.objects.filter(person=OuterRef("pk"),
                                                        visited_on__year=year)),
            next_due=Subquery(latest.values("next_due")[:1]),
        )
        .values("branch")
        .annotate(
            n=Count("id"),
            visited=Count("id", filter=Q(visited_in_year=True)),
            due=Count("id", filter=Q(next_due__lte=today)),
        )
    )
    by_branch = {r["branch"]: r for r in rows}
    result = []
    for child in children:
        r = by_branch.get(child.path, {})
        result.append(CoverageRow(child, r.get("n", 0), r.get("visited", 0), r.get("due", 0)))
    own = by_branch.get(unit.path[:width])  # people registered at the unit itself (a village)
    if not children and own:
        result.append(CoverageRow(unit, own["n"], own["visited"], own["due"]))
    return result


def never_visited(*, user, unit: OrgUnit) -> QuerySet:
    """Active people of the subtree with no visit at all."""
    return (
        Person.objects.visible_to(user)
        .filter(subtree_filter(unit.path, "unit__path"), status=Status.ACTIVE)
        .exclude(Exists(Visit.objects.filter(person=OuterRef("pk"))))
        .select_related("unit").order_by("unit__path", "name")
    )


def visits_due(*, user, unit: OrgUnit) -> QuerySet:
    """Active people whose latest visit set a next visit that is due today or earlier."""
    today = timezone.localdate()
    latest = Visit.objects.filter(person=OuterRef("pk")).order_by("-visited_on", "-id")
    return (
        Person.objects.visible_to(user)
        .filter(subtree_filter(unit.path, "unit__path"), status=Status.ACTIVE)
        .annotate(next_due=latest.values("next_due")[:1])
        .filter(next_due__lte=today)
        .select_related("unit").order_by("next_due", "unit__path", "name")
    )
