"""Reads of the register; every one starts from what the user may see."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from core.scope import get_visible_or_404, subtree_filter
from core.text import normalise_text
from orgs.models import OrgUnit

from .choices import AGE_BANDS, NeedStatus, Status
from .identity import normalise_id
from .models import JobSeeker, Need, Person, PersonEvent, Transfer, Visit
from .pinyin import normalise_query

REGISTERED = "registered"  # the kind of a history's registration entry
OPEN_NEED = Q(status__in=[NeedStatus.OPEN, NeedStatus.IN_PROGRESS])


def birth_date_bounds(min_age: int, max_age: int | None, today: dt.date) -> Q:
    """People aged ``min_age``..``max_age`` (inclusive) on ``today``, as birth-date bounds."""
    def years_before(years):
        try:
            return today.replace(year=today.year - years)
        except ValueError:  # 29 February
            return today.replace(year=today.year - years, day=28)

    q = Q(birth_date__lte=years_before(min_age))
    if max_age is not None:
        q &= Q(birth_date__gt=years_before(max_age + 1))
    return q


def person_get(*, user, pk) -> Person:
    return get_visible_or_404(Person.objects.select_related("unit", "grid", "registered_by"),
                              user, pk=pk)


def person_list(*, user, q: str = "", unit: OrgUnit | None = None, category=None, grade=None,
                gender: str = "", age_band: str = "", status: str = "",
                certificate: str = "", open_needs: bool = False,
                not_visited_this_year: bool = False, visit_due: bool = False,
                need_type: str = "") -> QuerySet:
    """The people the user may see, searched and filtered. Query count is fixed: one for
    the page, one for the count."""
    qs = Person.objects.visible_to(user).select_related("unit", "grid")
    if unit is not None:
        qs = qs.filter(subtree_filter(unit.path, "unit__path"))
    query = normalise_text(q)
    if query:
        compact = normalise_id(query)
        if compact[:1].isdigit() and len(compact) >= 6:
            if len(compact) == 20:
                qs = qs.filter(certificate_number=compact)
            elif len(compact) == 18:
                qs = qs.filter(Q(id_number=compact) | Q(certificate_number__startswith=compact))
            else:
                qs = qs.filter(Q(id_number__startswith=compact) | Q(id_number__endswith=compact))
        elif query.isascii():
            qs = qs.filter(search_key__contains=normalise_query(query))
        else:
            qs = qs.filter(name__contains=query)
    if category:
        qs = qs.filter(category=category)
    if grade:
        qs = qs.filter(grade=grade)
    if gender:
        qs = qs.filter(gender=gender)
    if age_band:
        band = next((b for b in AGE_BANDS if b[0] == age_band), None)
        if band:
            qs = qs.filter(birth_date_bounds(band[2], band[3], timezone.localdate()))
    if status:
        qs = qs.filter(status=status)
    if certificate == "yes":
        qs = qs.filter(certificate_number__isnull=False)
    elif certificate == "no":
        qs = qs.filter(certificate_number__isnull=True)
    if open_needs or need_type:
        needs = Need.objects.filter(OPEN_NEED, person=OuterRef("pk"))
        if need_type:
            needs = needs.filter(type=need_type)
        qs = qs.filter(Exists(needs))
    if not_visited_this_year:
        year = timezone.localdate().year
        qs = qs.exclude(Exists(Visit.objects.filter(person=OuterRef("pk"),
                                                    visited_on__year=year)))
    if visit_due:  # as visits_due: the latest visit set a next one, due today or earlier
        latest = Visit.objects.filter(person=OuterRef("pk")).order_by("-visited_on", "-id")
        qs = qs.annotate(latest_next_due=Subquery(latest.values("next_due")[:1])) \
            .filter(latest_next_due__lte=timezone.localdate())
    return qs.order_by("unit__path", "name", "id")


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
    from django.contrib.contenttypes.models import ContentType

    from accounts.models import Action, AuditLog

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


def need_list(*, user, unit: OrgUnit | None = None, type: str = "", status: str = "open",
              overdue_only: bool = False, q: str = "") -> QuerySet:
    """Needs of the user's subtree, oldest first; ``status="open"`` means open or in
    progress. Each carries ``overdue`` (open longer than the configured days)."""
    qs = Need.objects.visible_to(user).select_related("person__unit", "registered_by")
    if unit is not None:
        qs = qs.filter(subtree_filter(unit.path, "person__unit__path"))
    if type:
        qs = qs.filter(type=type)
    query = normalise_text(q)
    if query:
        qs = qs.filter(person__search_key__contains=normalise_query(query)) if query.isascii() \
            else qs.filter(person__name__contains=query)
    if status == "open":
        qs = qs.filter(OPEN_NEED)
    elif status:
        qs = qs.filter(status=status)
    cutoff = timezone.localdate() - dt.timedelta(days=settings.CANLIAN_NEED_OVERDUE_DAYS)
    if overdue_only:
        qs = qs.filter(OPEN_NEED, registered_on__lt=cutoff)
    return qs.order_by("registered_on", "id")


def need_overdue_cutoff() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=settings.CANLIAN_NEED_OVERDUE_DAYS)


def need_get(*, user, pk) -> Need:
    return get_visible_or_404(Need.objects.select_related("person__unit"), user, pk=pk)


def jobseeker_list(*, user, status: str = "") -> QuerySet:
    qs = JobSeeker.objects.visible_to(user).select_related("person__unit")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-registered_on", "-id")


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
    children = list(OrgUnit.objects.visible_to(user).filter(parent=unit, valid_to__isnull=True)
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
