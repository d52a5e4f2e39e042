"""Reads of the register; every one starts from what the user may see."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, F, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import Action, AuditLog
from audit.services import entry_text
from core.scope import SEGMENT_WIDTH, get_visible_or_404, subtree_filter
from orgs.models import OrgUnit

from .choices import Status, TransferStatus
from .filters import JobSeekerFilterSet, NeedFilterSet, PersonFilterSet
from .models import (
    JobSeeker,
    Need,
    Person,
    PersonEvent,
    Transfer,
    UnitCount,
    UnitVisitCount,
    Visit,
)

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


# The numbers that are no longer columns of their own (stored sealed: people.models).
NUMBER_LABELS = {"id_number": gettext_lazy("ID number"),
                 "certificate_number": gettext_lazy("Certificate number")}


def _field(name):
    """The person's field an entry names; None for one that no longer exists (or never
    was one: its values show as they were recorded)."""
    try:
        field = Person._meta.get_field(str(name))
    except FieldDoesNotExist:
        return None
    return field if field.concrete else None


def _pair(value) -> tuple:
    """(old, new) of one recorded change; a value not stored as a pair is the new one."""
    if isinstance(value, list | tuple) and len(value) == 2:
        return value[0], value[1]
    return None, value


def _ref_id(value):
    """The primary key a recorded relation names: an audit_ref's id, or an old entry's
    bare key ("12"); None for a name (an old move's entry) or anything else."""
    if isinstance(value, dict):
        value = value.get("id")
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _related_names(entries) -> dict:
    """{(model, pk): today's name} of every related object the entries name, one query
    per related model."""
    wanted: dict = {}
    for entry in entries:
        if not isinstance(entry.changes, dict):
            continue
        for name, value in entry.changes.items():
            field = _field(name)
            if field is None or not field.is_relation:
                continue
            for side in _pair(value):
                pk = _ref_id(side)
                if pk is not None:
                    wanted.setdefault(field.related_model, set()).add(pk)
    return {(model, pk): str(obj) for model, pks in wanted.items()
            for pk, obj in model._default_manager.in_bulk(pks).items()}


def _readable(field, value, names: dict) -> str:
    """Any value an audit entry holds, as people read it: a choice's label, yes or no, a
    related object's name as recorded (and today's, when it changed), a list of values."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, list | tuple):
        return "、".join(_readable(field, item, names) for item in value)
    if isinstance(value, dict) and "sealed" in value:
        return entry_text(value)  # an ID or certificate number, masked
    if field is not None and field.is_relation:
        pk = _ref_id(value)
        recorded = value.get("name") if isinstance(value, dict) else None
        today = names.get((field.related_model, pk)) if pk is not None else None
        if recorded and today and today != str(recorded):
            return _("%(then)s (now %(now)s)") % {"then": recorded, "now": today}
        if recorded or today:
            return str(recorded or today)
        return str(value if not isinstance(value, dict) else value.get("id", "—"))
    if isinstance(value, dict):
        return "；".join(f"{key}: {_readable(None, item, names)}" for key, item in value.items())
    if field is not None and field.choices:
        for key, label in field.flatchoices:
            if str(key) == str(value):
                return str(label)
    if value in ("True", "False") or isinstance(value, bool):
        return _("yes") if value in ("True", True) else _("no")
    return str(value)


def person_history(*, user, person: Person, limit: int = 50) -> list[Version]:
    """The versions of a person — every audited change, newest first — as people read
    them: field labels and choice labels instead of codes, the units recorded by name.
    Whatever an entry holds renders (old entries recorded a move's units by name, a unit
    by its bare key). Two queries: the entries, then the units they name."""
    entries = list(AuditLog.objects.visible_to(user).filter(
        content_type=ContentType.objects.get_for_model(Person),
        object_id=str(person.pk),
        action__in=[Action.CREATE, Action.UPDATE, Action.MOVE],
    ).order_by("-at", "-id")[:limit])
    names = _related_names(entries)
    versions = []
    for entry in entries:
        changes = []
        recorded = entry.changes if isinstance(entry.changes, dict) else {}
        for name, value in recorded.items():
            field = _field(name)
            label = (str(field.verbose_name) if field is not None
                     else str(NUMBER_LABELS.get(name, name)))
            old, new = _pair(value)
            changes.append((label, _readable(field, old, names), _readable(field, new, names)))
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


@dataclass(frozen=True)
class TransferLine:
    """One transfer as the user may see it. ``person`` is the person's name for the unit
    holding them (or that held them) and, once the transfer is done, for the unit receiving
    them; to a unit that asked for them, until the holder accepts, it is only the ID number
    it typed, masked. ``named`` says which."""

    transfer: Transfer
    person: str
    named: bool


def _line(transfer: Transfer, path: str | None) -> TransferLine:
    holds = path is None or transfer.from_unit.path.startswith(path)
    named = holds or transfer.status == TransferStatus.DONE
    return TransferLine(transfer, transfer.person.name if named
                        else transfer.person.masked_id, named)


def _transfers(user) -> QuerySet:
    return Transfer.objects.visible_to(user).select_related("person", "from_unit", "to_unit",
                                                            "requested_by")


def transfers_pending(*, user) -> QuerySet:
    """The requests waiting for the user's decision: asked of units of their subtree, which
    hold the person (so they are named)."""
    if not user.unit_id:
        return Transfer.objects.none()
    return _transfers(user).filter(subtree_filter(user.unit.path, "from_unit__path"),
                                   status=TransferStatus.REQUESTED)


def transfer_list(*, user) -> dict[str, list[TransferLine]]:
    """Transfers seen from the user's units: arriving, leaving and waiting for a decision.
    A person asked for is named only once the holding unit accepts (``TransferLine``)."""
    qs = _transfers(user)
    path = user.unit.path if user.unit_id else None
    if path is None:
        groups = {"incoming": qs, "outgoing": qs.none(), "pending": qs.none()}
    else:
        mine_to = subtree_filter(path, "to_unit__path")
        mine_from = subtree_filter(path, "from_unit__path")
        groups = {
            "pending": transfers_pending(user=user),
            "incoming": qs.filter(mine_to).exclude(mine_from),
            "outgoing": qs.filter(mine_from).exclude(mine_to).exclude(
                status=TransferStatus.REQUESTED),
        }
    return {name: [_line(t, path) for t in group] for name, group in groups.items()}


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
    visited in ``year``, and how many visits are due. The people from the kept counts
    (UnitCount: a row a village), the visited of any year from the kept visit counts
    (UnitVisitCount: a row a village and year), the due from the people's kept visit facts
    (an index range on ``person_visit_due_idx``), each grouped by unit and summed by branch
    here: four queries, none reading the visits, none per person."""
    today = timezone.localdate()
    width = len(unit.path) + SEGMENT_WIDTH
    children = list(OrgUnit.objects.visible_to(user).active().filter(parent=unit)
                    .order_by("code", "name"))
    branch_of = {pk: path[:width] for pk, path in
                 OrgUnit.objects.visible_to(user).filter(subtree_filter(unit.path))
                 .order_by().values_list("pk", "path")}
    by_branch: dict[str, dict] = {}

    def add(rows, key):
        for unit_id, n in rows:
            if unit_id in branch_of:
                total = by_branch.setdefault(branch_of[unit_id],
                                             {"n": 0, "visited": 0, "due": 0})
                total[key] += n

    in_unit = (lambda qs: qs) if unit.pk == getattr(user, "unit_id", None) else \
        (lambda qs: qs.within(unit))
    add(in_unit(UnitCount.objects.visible_to(user)).filter(total__gt=0).order_by()
        .values_list("unit_id", "total"), "n")
    add(in_unit(UnitVisitCount.objects.visible_to(user)).filter(year=year, visited__gt=0)
        .order_by().values_list("unit_id", "visited"), "visited")
    add(in_unit(Person.objects.visible_to(user))
        .filter(status=Status.ACTIVE, next_visit_due__lte=today).order_by()
        # Counting the unit column (never empty), which the index holds, not the id.
        .values("unit_id").annotate(n=Count("unit_id")).values_list("unit_id", "n"), "due")
    result = []
    for child in children:
        r = by_branch.get(child.path, {})
        result.append(CoverageRow(child, r.get("n", 0), r.get("visited", 0), r.get("due", 0)))
    own = by_branch.get(unit.path[:width])  # people registered at the unit itself (a village)
    if not children and own:
        result.append(CoverageRow(unit, own["n"], own["visited"], own["due"]))
    return result


def never_visited(*, user, unit: OrgUnit) -> QuerySet:
    """Active people of the subtree with no visit at all (no kept last visit)."""
    return (
        Person.objects.visible_to(user).within(unit)
        .filter(status=Status.ACTIVE, last_visited_on__isnull=True)
        .select_related("unit").order_by("unit__path", "name", "id")
    )


def visits_due(*, user, unit: OrgUnit) -> QuerySet:
    """Active people whose latest visit set a next visit that is due today or earlier, the
    longest due first: an index range on ``person_visit_due_idx``. Each person carries
    ``next_due`` (their kept ``next_visit_due``) as before."""
    today = timezone.localdate()
    return (
        Person.objects.visible_to(user).within(unit)
        .filter(status=Status.ACTIVE, next_visit_due__lte=today)
        .annotate(next_due=F("next_visit_due"))
        .select_related("unit").order_by("next_visit_due", "unit__path", "name", "id")
    )


def visit_facts_stale(*, people: QuerySet | None = None) -> QuerySet:
    """The people (of ``people``, everyone by default) whose kept visit facts differ from
    what their visits say now: empty while every write of visits keeps them."""
    from django.db.models import DateField, Subquery, Value
    from django.db.models.functions import Coalesce

    none = Value(dt.date(1, 1, 1), output_field=DateField())  # compares an empty one too
    latest = Visit.objects.filter(person=OuterRef("pk")).order_by("-visited_on", "-id")
    qs = (Person.objects.all() if people is None else people).alias(
        kept_last=Coalesce("last_visited_on", none),
        kept_next=Coalesce("next_visit_due", none),
        live_last=Coalesce(Subquery(latest.values("visited_on")[:1]), none),
        live_next=Coalesce(Subquery(latest.values("next_due")[:1]), none))
    return qs.exclude(kept_last=F("live_last"), kept_next=F("live_next"))


# ---- one transfer as the API answers it (api2) -----------------------------------------------
def transfer_line(*, user, pk) -> TransferLine:
    """A transfer in ``user``'s scope (else 404) as their list shows it (``TransferLine``:
    the person named only to the unit holding them, or once they arrived)."""
    transfer = get_visible_or_404(_transfers(user), user, pk=pk)
    return _line(transfer, user.unit.path if user.unit_id else None)
