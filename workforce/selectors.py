"""Reads of the workforce, each starting from ``visible_to(user)``. The computed lists —
vacancies, liaison officers who are neither disabled nor relatives, selection warnings,
terms ending, certificates, visit coverage, quotas — are each a fixed number of queries
whatever the number of units or workers (tests assert it)."""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.scope import SEGMENT_WIDTH, get_visible_or_404, subtree_filter
from orgs.models import Level, OrgProfile, OrgUnit
from people.choices import Status
from people.models import Person, UnitCount

from . import rules
from .choices import Connection, Establishment, PostKind, post_title
from .filters import WorkerFilterSet
from .models import Appointment, Post, SelectionRule, StaffingNorm, Worker

TERM_WARNING_DAYS = 60


def _current_appointments(on=None):
    return Appointment.objects.current(on).select_related("post__unit").order_by(
        "post__kind", "post__unit__path")


def worker_list(*, user, filters=None) -> QuerySet:
    qs = Worker.objects.visible_to(user).select_related("unit").prefetch_related(
        Prefetch("appointments", queryset=_current_appointments(), to_attr="current"))
    return WorkerFilterSet.apply(qs, filters, user=user)


def worker_get(*, user, pk) -> Worker:
    return get_visible_or_404(Worker.objects.select_related("unit", "person__unit"), user,
                              pk=pk)


@dataclass
class WorkerFile:
    worker: Worker
    appointments: list
    current: list
    warnings: list[str]
    certificate: str
    coverage: list = field(default_factory=list)

    @property
    def pk(self):
        return self.worker.pk


def worker_file(*, user, pk) -> WorkerFile:
    """A worker's file: their details, every appointment (current first), what the rules
    warn of, and each liaison post's visit coverage this quarter and year."""
    worker = worker_get(user=user, pk=pk)
    today = timezone.localdate()
    appointments = list(
        Appointment.objects.filter(worker=worker).select_related("post__unit")
        .prefetch_related("grids").order_by("ended_on", "-starts_on"))
    current = [a for a in appointments if a.starts_on <= today
               and (a.ended_on is None or a.ended_on > today)]
    warnings = []
    if any(a.post.kind == PostKind.LIAISON for a in current) \
            and not rules.is_tied(worker.connection):
        warnings.append(_not_tied_message())
    warnings += _selection_warnings(worker, current)
    certificate = rules.certificate_state(number=worker.certificate_number,
                                          valid_until=worker.certificate_valid_until,
                                          today=today)
    coverage = officer_coverage_of([a for a in current if a.post.kind == PostKind.LIAISON],
                                   today=today)
    return WorkerFile(worker, appointments, current, warnings, certificate, coverage)


def _not_tied_message() -> str:
    from django.utils.translation import gettext as _

    return _("A liaison officer should be a disabled person or the relative of one.")


def _selection_rules(units) -> dict[tuple[int, str], SelectionRule]:
    ids = {i for u in units for i in u.ancestor_ids}
    return {(r.unit_id, r.kind): r for r in SelectionRule.objects.filter(unit_id__in=ids)}


def _rule_for(selection: dict, unit, kind: str):
    for unit_id in reversed(unit.ancestor_ids):
        rule = selection.get((unit_id, kind))
        if rule is not None:
            return rule
    return None


def _selection_warnings(worker, appointments, selection=None) -> list[str]:
    selection = selection if selection is not None else _selection_rules(
        [a.post.unit for a in appointments])
    warnings = []
    for appointment in appointments:
        rule = _rule_for(selection, appointment.post.unit, appointment.post.kind)
        if rule is None:
            continue
        warnings += rules.selection_warnings(
            birth_date=worker.birth_date, education=worker.education,
            hired_on=appointment.starts_on, max_age=rule.max_age_at_hiring,
            min_education=rule.min_education)
    return warnings


# ---- staffing: posts required, held, vacant --------------------------------------------------

@dataclass
class Staffing:
    """One kind of post at one unit: how many the norm asks for and allows, how many hold
    it (and who, where asked for), and since when it has been vacant."""

    unit: object  # an OrgUnit, or a UnitRef
    kind: str
    required: int
    allowed: int
    held: int
    holders: list = field(default_factory=list)  # current appointments (post boards only)
    vacant_since: dt.date | None = None
    today: dt.date | None = None

    @property
    def title(self) -> str:
        return post_title(self.kind, self.unit.level)

    @property
    def vacant(self) -> int:
        return max(self.required - self.held, 0)

    @property
    def days_vacant(self) -> int | None:
        return rules.days_vacant(self.vacant_since, self.today) if self.vacant else None


@dataclass
class UnitRef:
    """What a computed list shows of a unit, read as plain values (a province's 19,000
    units as model objects cost more than the lists themselves)."""

    pk: int
    name: str
    path: str
    level: int
    code: str | None
    valid_from: dt.date | None
    parent_id: int | None
    parent_name: str | None

    @property
    def parent(self):
        return OrgUnit(pk=self.parent_id, name=self.parent_name) if self.parent_id else None

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(self.path[i:i + SEGMENT_WIDTH])
                for i in range(0, len(self.path), SEGMENT_WIDTH)]


def _norms() -> dict[tuple[int | None, int, str], rules.Norm]:
    return rules.with_defaults({
        (n.unit_id, n.level, n.kind): rules.Norm(n.count, n.extra_threshold, n.extra_basis,
                                                 n.extra_required)
        for n in StaffingNorm.objects.all()})


class _NormIndex:
    """The norm of each kind for a unit: the nearest region's, else the everywhere one —
    looked up by the unit's level and the deepest of its ancestors that has a norm of its
    own (there are a handful), so 19,000 units cost 19,000 dictionary reads."""

    def __init__(self, norms: dict):
        self.norms = norms
        self.regions = {region for region, _level, _kind in norms if region is not None}
        self.cache: dict = {}

    def __call__(self, unit) -> dict[str, rules.Norm]:
        region = None
        if self.regions:
            for ancestor in reversed(unit.ancestor_ids):
                if ancestor in self.regions:
                    region = ancestor
                    break
        key = (unit.level, region)
        found = self.cache.get(key)
        if found is None:
            chain = [None] if region is None else [None, *[a for a in unit.ancestor_ids
                                                           if a in self.regions]]
            found = {}
            for candidate in chain:  # nearest last: it wins
                for (r, level, kind), norm in self.norms.items():
                    if r == candidate and level == unit.level:
                        found[kind] = norm
            found = dict(sorted(found.items()))
            self.cache[key] = found
        return found


def _units_of(units, region: OrgUnit | None):
    """``units`` for an IN: their ids when few, else the subtree of ``region`` (one index
    range; None: every unit) — SQLite allows 250,000 parameters, PostgreSQL 65,535, and a
    province has 19,000 units."""
    if len(units) <= 500:
        return [u.pk for u in units]
    qs = OrgUnit.objects.all() if region is None else OrgUnit.objects.filter(
        subtree_filter(region.path))
    return qs.values("pk")


def _people_counts(units, region) -> dict[int, tuple[int, int]]:
    """(active people, certificate holders) per unit of ``units``: a village's from the
    kept counts, a township's as the sum of its villages'."""
    if not units:
        return {}
    wanted = {u.pk for u in units}
    result: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    villages = OrgUnit.objects.filter(level=Level.VILLAGE)
    if len(units) <= 500:
        villages = villages.filter(Q(pk__in=wanted) | Q(parent_id__in=wanted))
    elif region is not None:
        villages = villages.filter(subtree_filter(region.path))
    rows = UnitCount.objects.filter(unit__in=villages.values("pk")).values_list(
        "unit_id", "unit__parent_id", "total", "certificate_yes")
    for unit_id, parent_id, total, certified in rows:
        for pk in (unit_id, parent_id):
            if pk in wanted:
                counted = result[pk]
                counted[0] += total
                counted[1] += certified
    return {pk: (v[0], v[1]) for pk, v in result.items()}


def staffing(units: list, *, on: dt.date | None = None, region: OrgUnit | None = None,
             with_holders: bool = False, only_vacant: bool = False
             ) -> dict[int, list[Staffing]]:
    """What each of ``units`` (townships and villages; others have no norms) must have and
    has: {unit id: [Staffing per kind the norms name]}. ``region``: a unit all of them are
    beneath (None: the whole tree). ``with_holders``: also who holds each post (for a few
    units: a post board). ``only_vacant``: only the vacant posts (the people counts are
    then read only where a norm requires a second post). Four queries whatever the number
    of units."""
    on = on or timezone.localdate()
    units = [u for u in units if u.level in (Level.TOWNSHIP, Level.VILLAGE)]
    if not units:
        return {}
    norms = _norms()
    counted = [n for n in norms.values() if n.extra_threshold is not None
               and (n.extra_required or not only_vacant)]
    counts = _people_counts(units, region) if counted else {}
    scope = _units_of(units, region)
    current = Appointment.objects.current(on).filter(post__unit_id__in=scope)
    held = {(unit_id, kind): n for unit_id, kind, n in (
        current.values("post__unit_id", "post__kind").annotate(n=Count("id")).order_by()
        .values_list("post__unit_id", "post__kind", "n"))}
    holders: dict[tuple[int, str], list] = defaultdict(list)
    if with_holders:
        for appointment in current.select_related("worker", "post").order_by(
                "post__unit_id", "post__kind", "starts_on"):
            holders[(appointment.post.unit_id, appointment.post.kind)].append(appointment)
    last_end = {(unit_id, kind): last for unit_id, kind, last in (
        Appointment.objects.filter(post__unit_id__in=scope, ended_on__lte=on)
        .values("post__unit_id", "post__kind").annotate(last=Max("ended_on")).order_by()
        .values_list("post__unit_id", "post__kind", "last"))}
    norm_for = _NormIndex(norms)
    required_posts = rules.required_posts
    result: dict[int, list[Staffing]] = {}
    for unit in units:
        lines = []
        people, certified = counts.get(unit.pk, (0, 0))
        for kind, norm in norm_for(unit).items():
            key = (unit.pk, kind)
            held_now = held.get(key, 0)
            required, allowed = required_posts(norm, people=people, certificates=certified)
            if only_vacant and held_now >= required:
                continue
            lines.append(Staffing(unit, kind, required, allowed, held_now,
                                  holders.get(key, []), last_end.get(key) or unit.valid_from,
                                  on))
        result[unit.pk] = lines
    return result


def _units_within(user, unit: OrgUnit | None, levels) -> list[UnitRef]:
    qs = OrgUnit.objects.visible_to(user).active().filter(level__in=levels)
    if unit is not None:
        qs = qs.within(unit)
    return [UnitRef(*row) for row in qs.order_by().values_list(
        "id", "name", "path", "level", "code", "valid_from", "parent_id", "parent__name")]


def vacancies(*, user, unit: OrgUnit | None = None, kind: str = "",
              on: dt.date | None = None) -> list[Staffing]:
    """Every post the norms ask for that nobody holds, in ``user``'s scope (beneath
    ``unit``), longest vacant first (never held: first of all)."""
    units = _units_within(user, unit, (Level.TOWNSHIP, Level.VILLAGE))
    region = unit or (None if user.is_superuser else user.unit)
    lines = [line for per_unit in staffing(units, on=on, region=region,
                                           only_vacant=True).values()
             for line in per_unit if line.vacant and (not kind or line.kind == kind)]
    far_past = dt.date.min
    lines.sort(key=lambda s: (s.vacant_since or far_past, s.unit.path, s.kind))
    return lines


def counts_by_child(items, *, user, unit: OrgUnit | None) -> list[tuple]:
    """(child unit, total) for each unit directly beneath ``unit`` (the user's own unit when
    none), from ``items``: (a unit's path, a number) pairs; most first, units without any
    left out. One query (the children)."""
    top = unit or user.unit
    if top is None:
        return []
    children = {c.path: c for c in OrgUnit.objects.filter(parent=top).only(
        "id", "name", "path", "level")}
    if not children:
        return []
    width = len(next(iter(children)))
    counted: Counter = Counter()
    for path, n in items:
        child = children.get(path[:width])
        if child is not None:
            counted[child.pk] += n
    by_pk = {c.pk: c for c in children.values()}
    return [(by_pk[pk], n) for pk, n in counted.most_common()]


def vacancy_counts(lines: list[Staffing], *, user, unit: OrgUnit | None) -> list[tuple]:
    """(child unit, vacant posts) beneath ``unit`` (counts_by_child)."""
    return counts_by_child(((s.unit.path, s.vacant) for s in lines), user=user, unit=unit)


def post_board(*, user, unit: OrgUnit) -> list[tuple[OrgUnit, list[Staffing], list]]:
    """The post board of ``unit``: the unit itself and the units directly beneath it, each
    with the posts the norms ask for (holders or the vacancy) and its other posts' holders."""
    units = [unit] + list(OrgUnit.objects.visible_to(user).active().filter(parent=unit)
                          .exclude(level=Level.GRID).order_by("path"))
    lines = staffing(units, region=unit, with_holders=True)
    others: dict[int, list] = defaultdict(list)
    normed = {(u_pk, s.kind) for u_pk, ls in lines.items() for s in ls}
    for appointment in (Appointment.objects.current().filter(post__unit__in=units)
                        .select_related("worker", "post").order_by("post__kind", "starts_on")):
        if (appointment.post.unit_id, appointment.post.kind) not in normed:
            others[appointment.post.unit_id].append(appointment)
    return [(u, lines.get(u.pk, []), others.get(u.pk, [])) for u in units]


# ---- exceptions and warnings -----------------------------------------------------------------

def liaison_officers(*, user, unit: OrgUnit | None = None, on=None) -> QuerySet:
    """The current appointments to liaison posts in scope, with worker and unit."""
    qs = Appointment.objects.visible_to(user).current(on).filter(post__kind=PostKind.LIAISON)
    if unit is not None:
        qs = qs.filter(post__unit__in=OrgUnit.objects.within(unit).values("pk"))
    return qs.select_related("worker", "post__unit").order_by("post__unit__path", "id")


def untied_officers(*, user, unit: OrgUnit | None = None) -> QuerySet:
    """Liaison officers who are neither disabled nor a relative of a disabled person."""
    return liaison_officers(user=user, unit=unit).filter(worker__connection=Connection.NONE)


def selection_exceptions(*, user, unit: OrgUnit | None = None) -> list[tuple]:
    """(appointment, warnings) for every current appointment that breaks its county's
    selection conditions."""
    appointments = list(Appointment.objects.visible_to(user).current()
                        .select_related("worker", "post__unit").order_by("post__unit__path"))
    if unit is not None:
        appointments = [a for a in appointments if a.post.unit.path.startswith(unit.path)]
    selection = _selection_rules([a.post.unit for a in appointments])
    if not selection:
        return []
    found = []
    for appointment in appointments:
        warnings = _selection_warnings(appointment.worker, [appointment], selection)
        if warnings:
            found.append((appointment, warnings))
    return found


def terms_ending(*, user, within_days: int = TERM_WARNING_DAYS,
                 unit: OrgUnit | None = None) -> QuerySet:
    """Current appointments whose term ends within ``within_days`` (or has ended without
    the appointment being closed)."""
    today = timezone.localdate()
    qs = Appointment.objects.visible_to(user).filter(
        ended_on__isnull=True, term_ends_on__lte=today + dt.timedelta(days=within_days))
    if unit is not None:
        qs = qs.filter(post__unit__in=OrgUnit.objects.within(unit).values("pk"))
    return qs.select_related("worker", "post__unit").order_by("term_ends_on", "id")


def certificate_gaps(*, user, unit: OrgUnit | None = None) -> list[tuple]:
    """(appointment, "missing" or "expired") for every liaison officer without a valid
    work certificate (持证上岗)."""
    today = timezone.localdate()
    found = []
    for appointment in liaison_officers(user=user, unit=unit).filter(
            Q(worker__certificate_number="")
            | Q(worker__certificate_valid_until__lt=today)):
        worker = appointment.worker
        found.append((appointment, rules.certificate_state(
            number=worker.certificate_number, valid_until=worker.certificate_valid_until,
            today=today)))
    return found


# ---- visit coverage of each liaison officer --------------------------------------------------

@dataclass
class OfficerCoverage:
    appointment: Appointment
    people: int
    quarter: int
    year: int

    @property
    def quarter_share(self):
        return rules.share(self.quarter, self.people)

    @property
    def year_share(self):
        return rules.share(self.year, self.people)


def officer_coverage_of(appointments: list[Appointment], *, today=None) -> list[OfficerCoverage]:
    """For each liaison appointment: the active people in its unit (or only in the grids it
    answers for), and how many were visited this quarter and this year — from the
    register's kept visit facts (Person.last_visited_on), three queries in all."""
    today = today or timezone.localdate()
    if not appointments:
        return []
    quarter, year = rules.quarter_start(today), dt.date(today.year, 1, 1)
    grids = defaultdict(set)
    for appointment_id, grid_id in Appointment.grids.through.objects.filter(
            appointment_id__in=[a.pk for a in appointments]).values_list(
            "appointment_id", "orgunit_id"):
        grids[appointment_id].add(grid_id)
    visited = {"n": Count("id"), "q": Count("id", filter=Q(last_visited_on__gte=quarter)),
               "y": Count("id", filter=Q(last_visited_on__gte=year))}
    active = Person.objects.filter(status=Status.ACTIVE).order_by()
    unit_ids = sorted({a.post.unit_id for a in appointments})
    by_unit = {row["unit_id"]: row for row in active.filter(unit_id__in=unit_ids)
               .values("unit_id").annotate(**visited)}
    grid_ids = sorted({g for gs in grids.values() for g in gs})
    by_grid = {row["grid_id"]: row for row in active.filter(grid_id__in=grid_ids)
               .values("grid_id").annotate(**visited)} if grid_ids else {}
    result = []
    for appointment in appointments:
        own = grids.get(appointment.pk)
        rows = [by_grid.get(g) for g in own] if own else [by_unit.get(appointment.post.unit_id)]
        rows = [r for r in rows if r]
        result.append(OfficerCoverage(appointment, sum(r["n"] for r in rows),
                                      sum(r["q"] for r in rows), sum(r["y"] for r in rows)))
    return result


COVERAGE_PAGE = 500  # officers per page of the coverage list


def officer_coverage(*, user, unit: OrgUnit | None = None,
                     limit: int | None = COVERAGE_PAGE) -> list[OfficerCoverage]:
    """The coverage of the liaison officers in scope, by unit (the first ``limit``)."""
    officers = liaison_officers(user=user, unit=unit)
    return officer_coverage_of(list(officers[:limit] if limit else officers))


# ---- quotas ----------------------------------------------------------------------------------

@dataclass
class QuotaLine:
    profile: OrgProfile
    administrative: int
    institutional: int

    @property
    def unit(self):
        return self.profile.unit

    def state(self, quota: int, filled: int) -> str:
        return "over" if filled > quota else ("vacant" if filled < quota else "filled")

    @property
    def administrative_state(self):
        return self.state(self.profile.quota_administrative, self.administrative)

    @property
    def institutional_state(self):
        return self.state(self.profile.quota_institutional, self.institutional)

    @property
    def states(self) -> list[str]:
        """The state of each quota in words ("administrative: 1 vacant")."""
        from django.utils.translation import gettext as _

        words = []
        for kind, quota, filled in (
                (_("administrative"), self.profile.quota_administrative, self.administrative),
                (_("institutional"), self.profile.quota_institutional, self.institutional)):
            if not quota and not filled:
                continue
            if filled > quota:
                words.append(_("%(kind)s: %(n)s over the quota") % {"kind": kind,
                                                                  "n": filled - quota})
            elif filled < quota:
                words.append(_("%(kind)s: %(n)s vacant") % {"kind": kind, "n": quota - filled})
            else:
                words.append(_("%(kind)s: filled") % {"kind": kind})
        return words


def quotas(*, user, unit: OrgUnit | None = None) -> list[QuotaLine]:
    """Each organisation with an approved quota (编制) against the staff in posts on it."""
    profiles = OrgProfile.objects.visible_to(user).select_related("unit").filter(
        Q(quota_administrative__gt=0) | Q(quota_institutional__gt=0)).order_by("unit__path")
    if unit is not None:
        profiles = profiles.filter(unit__in=OrgUnit.objects.within(unit).values("pk"))
    profiles = list(profiles)
    filled = Counter()
    for row in (Appointment.objects.current()
                .filter(post__unit_id__in=[p.unit_id for p in profiles])
                .exclude(post__establishment=Establishment.NONE)
                .values("post__unit_id", "post__establishment").annotate(n=Count("id"))
                .order_by()):
        filled[(row["post__unit_id"], row["post__establishment"])] = row["n"]
    return [QuotaLine(p, filled[(p.unit_id, Establishment.ADMINISTRATIVE)],
                      filled[(p.unit_id, Establishment.INSTITUTIONAL)]) for p in profiles]


def post_get(*, user, pk) -> Post:
    return get_visible_or_404(Post.objects.select_related("unit"), user, pk=pk)


def appointment_get(*, user, pk) -> Appointment:
    return get_visible_or_404(Appointment.objects.select_related("worker", "post__unit"),
                              user, pk=pk)


def norms_for(*, user) -> list[StaffingNorm]:
    """The norms that apply in ``user``'s scope: everywhere, and their regions'."""
    unit = user.unit
    ids = unit.ancestor_ids if unit is not None else []
    return list(StaffingNorm.objects.filter(Q(unit__isnull=True) | Q(unit_id__in=ids))
                .select_related("unit").order_by("level", "kind", "unit__path")) \
        + list(StaffingNorm.objects.visible_to(user).exclude(unit_id__in=ids)
               .select_related("unit").order_by("level", "kind", "unit__path"))


def norm_get(*, user, pk) -> StaffingNorm:
    """A norm ``user`` may see: one that applies everywhere, or one of a region in scope or
    above it."""
    from django.http import Http404

    norm = StaffingNorm.objects.select_related("unit").filter(pk=pk).first()
    if norm is None or norm not in norms_for(user=user):
        raise Http404
    return norm


def selection_rules_for(*, user) -> list[SelectionRule]:
    """The selection conditions of the counties in scope, and of the user's own county."""
    unit = user.unit
    ids = unit.ancestor_ids if unit is not None else []
    return list(SelectionRule.objects.filter(Q(unit_id__in=ids) | Q(
        pk__in=SelectionRule.objects.visible_to(user).values("pk")))
        .select_related("unit").order_by("unit__path", "kind"))


# ---- training, appraisal and awards (issue 13, second part) ---------------------------------

def training_list(*, user, filters=None) -> QuerySet:
    from .filters import TrainingFilterSet

    qs = _training_sessions(user).select_related("unit").annotate(
        attendees=Count("attendances"))
    return TrainingFilterSet.apply(qs, filters, user=user)


def _training_sessions(user) -> QuerySet:
    """The sessions ``user`` may read: those organised in their area, and those of the units
    above them (a county's training is for its whole area); they change only their own."""
    from .models import TrainingSession

    own = TrainingSession.objects.visible_to(user)
    unit = getattr(user, "unit", None)
    if unit is None or getattr(user, "is_superuser", False):
        return own
    return TrainingSession.objects.filter(Q(pk__in=own.values("pk"))
                                          | Q(unit_id__in=unit.ancestor_ids[:-1]))


def training_read(*, user, pk):
    """A session ``user`` may read (see _training_sessions), or 404."""
    from django.http import Http404

    session = _training_sessions(user).select_related("unit").filter(pk=pk).first()
    if session is None:
        raise Http404
    return session


def training_get(*, user, pk):
    """A session of ``user``'s own area (to change it or record who came), or 404."""
    from .models import TrainingSession

    return get_visible_or_404(TrainingSession.objects.select_related("unit"), user, pk=pk)


def training_attendances(session, *, user=None) -> list:
    """Who attended ``session``, with their unit, in the order of the tree (only the workers
    ``user`` may see, when given: a county's session seen from a village)."""
    from .models import Attendance

    qs = Attendance.objects.filter(session=session)
    if user is not None:
        qs = qs.filter(worker__in=Worker.objects.visible_to(user).values("pk"))
    return list(qs.select_related("worker__unit")
                .order_by("worker__unit__path", "worker__name", "worker_id"))


def attendance_candidates(*, user, session) -> list[Worker]:
    """The workers ``user`` may tick for ``session``: those kept in the organising unit's
    area, with their current posts, in the order of the tree."""
    return list(Worker.objects.visible_to(user).within(session.unit).select_related("unit")
                .prefetch_related(Prefetch("appointments", queryset=_current_appointments(),
                                           to_attr="current"))
                .order_by("unit__path", "name", "id"))


@dataclass(frozen=True)
class TrainingUnit:
    """What a training line needs of a unit (no model instance: a province has 19,000)."""

    pk: int
    name: str
    path: str
    level: int
    parent_name: str


@dataclass
class TrainingNeed:
    """An officer's training in a year against the minimum their post asks for (plain
    values: a province's 20,000 officers are read as rows, not model instances)."""

    appointment_id: int
    worker_id: int
    worker_name: str
    title: str
    unit: UnitRef
    required: int
    attended: int

    @property
    def missing(self) -> int:
        return rules.training_shortfall(required=self.required, attended=self.attended)

    @property
    def worker_url(self) -> str:
        from django.urls import reverse

        return reverse("workforce:worker_detail", args=[self.worker_id])


def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _minimum_q() -> Q:
    q = Q(pk__in=[])
    for kind, level in rules.TRAINING_MINIMUMS:
        q |= Q(post__kind=kind, post__unit__level=level)
    return q


def training_needs(*, user, year: int, unit: OrgUnit | None = None,
                   today: dt.date | None = None) -> list[TrainingNeed]:
    """Every officer in ``user``'s scope (beneath ``unit``) whose post has a yearly training
    minimum (rules.TRAINING_MINIMUMS), in post on the year's last day (today for this year),
    with the sessions they attended that year. One query whatever the number of units."""
    from .models import Attendance

    today = today or timezone.localdate()
    on = rules.training_year_day(year, today)
    qs = Appointment.objects.visible_to(user).current(on).filter(_minimum_q())
    if unit is not None:
        qs = qs.filter(post__unit__in=OrgUnit.objects.within(unit).values("pk"))
    first, last = _year_bounds(year)
    # Each officer's sessions of the year, counted beside their row: an index lookup per
    # officer (attendance_worker_idx), one query in all, the same plan on either database.
    attended = Subquery(
        Attendance.objects.filter(worker_id=OuterRef("worker_id"),
                                  session__starts_on__gte=first, session__starts_on__lte=last)
        .order_by().values("worker_id").annotate(n=Count("id")).values("n")[:1])
    rows = qs.annotate(attended=Coalesce(attended, 0)).order_by(
        "post__unit__path", "post__kind", "id").values_list(
        "id", "worker_id", "worker__name", "post__kind", "post__title", "post__unit_id",
        "post__unit__name", "post__unit__path", "post__unit__level",
        "post__unit__parent__name", "attended")
    units: dict[int, UnitRef] = {}
    titles: dict[tuple, str] = {}
    needs = []
    for pk, worker_id, name, kind, title, unit_id, unit_name, path, level, parent, n in rows:
        ref = units.get(unit_id)
        if ref is None:
            ref = units[unit_id] = TrainingUnit(unit_id, unit_name, path, level, parent or "")
        if not title:
            title = titles.get((kind, level))
            if title is None:
                title = titles[(kind, level)] = post_title(kind, level)
        needs.append(TrainingNeed(pk, worker_id, name, title, ref,
                                  rules.training_required(kind, level), n))
    return needs


def training_shortfalls(*, user, year: int, unit: OrgUnit | None = None,
                        today: dt.date | None = None) -> list[TrainingNeed]:
    """The officers short of their yearly training minimum."""
    return [n for n in training_needs(user=user, year=year, unit=unit, today=today)
            if n.missing]


def child_counts(lines, *, user, unit: OrgUnit | None, weight=lambda line: 1) -> list[tuple]:
    """(child unit, count) for each unit directly beneath ``unit`` (the user's own when
    none) that ``lines`` (each with a ``unit``) fall in, most first. One query."""
    top = unit or user.unit
    if top is None:
        return []
    children = {c.path: c for c in OrgUnit.objects.filter(parent=top).only(
        "id", "name", "path", "level")}
    if not children:
        return []
    width = len(next(iter(children)))
    counted: Counter = Counter()
    for line in lines:
        child = children.get(line.unit.path[:width])
        if child is not None:
            counted[child.pk] += weight(line)
    by_pk = {c.pk: c for c in children.values()}
    return [(by_pk[pk], n) for pk, n in counted.most_common()]


@dataclass
class TrainingYear:
    year: int
    sessions: list
    required: int

    @property
    def attended(self) -> int:
        return len(self.sessions)

    @property
    def missing(self) -> int:
        return rules.training_shortfall(required=self.required, attended=self.attended)


@dataclass
class WorkerRecord:
    """A worker's training record, appraisals and awards (on their file)."""

    years: list
    appraisals: list
    awards: list
    preferred: bool


def worker_record(*, worker: Worker, today: dt.date | None = None) -> WorkerRecord:
    """Four queries: the sessions attended, the current posts, the appraisals, the
    selections."""
    from .choices import NominationDecision
    from .models import Appraisal, Attendance, Nomination

    today = today or timezone.localdate()
    by_year: dict[int, list] = defaultdict(list)
    for attendance in (Attendance.objects.filter(worker=worker)
                       .select_related("session__unit").order_by("-session__starts_on")):
        by_year[attendance.session.starts_on.year].append(attendance.session)
    current = list(Appointment.objects.current(today).filter(worker=worker)
                   .select_related("post__unit"))
    required = max((rules.training_required(a.post.kind, a.post.unit.level)
                    for a in current), default=0)
    years = sorted(set(by_year) | ({today.year} if required else set()), reverse=True)
    appraisals = list(Appraisal.objects.filter(appointment__worker=worker)
                      .select_related("appointment__post__unit").order_by("-year"))
    awards = list(Nomination.objects.filter(worker=worker, decision=NominationDecision.SELECTED,
                                            round__published_on__isnull=False)
                  .select_related("round__unit").order_by("-round__year"))
    return WorkerRecord(
        [TrainingYear(y, by_year.get(y, []), required if y == today.year else 0)
         for y in years], appraisals, awards,
        bool(preferred_worker_ids([worker.pk], today=today, current=current)))


def preferred_worker_ids(worker_ids, *, today: dt.date | None = None, current=None) -> set:
    """Those of ``worker_ids`` preferred for a township post: village liaison officers now,
    selected in a list published this year or last (rules.PREFERRED_YEARS). One query (two
    without ``current``, the workers' current appointments)."""
    from .choices import NominationDecision
    from .models import Nomination

    today = today or timezone.localdate()
    worker_ids = list(worker_ids)
    if not worker_ids:
        return set()
    selected = set(Nomination.objects.filter(
        worker_id__in=worker_ids, decision=NominationDecision.SELECTED,
        round__published_on__isnull=False, round__year__gte=rules.preferred_since(today))
        .values_list("worker_id", flat=True))
    if not selected:
        return set()
    if current is None:
        current = Appointment.objects.current(today).filter(
            worker_id__in=selected).select_related("post__unit")
    return {a.worker_id for a in current if a.worker_id in selected
            and a.post.kind == PostKind.LIAISON and a.post.unit.level == Level.VILLAGE}


def board_preferred(board) -> set:
    """The holders on a post board (selectors.post_board) preferred for a township post."""
    ids = {a.worker_id for _unit, lines, others in board
           for a in [h for s in lines for h in s.holders] + list(others)}
    return preferred_worker_ids(ids)


# ---- appraisals ------------------------------------------------------------------------------

@dataclass
class AppraisalLine:
    appointment: Appointment
    appraisal: object | None

    @property
    def unit(self):
        return self.appointment.post.unit


def appraisal_year(*, user, year: int, unit: OrgUnit | None = None) -> list[AppraisalLine]:
    """Every appointment in ``user``'s scope (beneath ``unit``) in force at some time in
    ``year``, with its appraisal of that year or None. Two queries."""
    from .models import Appraisal

    first, last = _year_bounds(year)
    qs = Appointment.objects.visible_to(user).filter(starts_on__lte=last).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=first))
    if unit is not None:
        qs = qs.filter(post__unit__in=OrgUnit.objects.within(unit).values("pk"))
    appraisals = {a.appointment_id: a for a in Appraisal.objects.filter(
        year=year, appointment__in=qs.values("pk"))}
    return [AppraisalLine(a, appraisals.get(a.pk)) for a in
            qs.select_related("worker", "post__unit__parent")
            .order_by("post__unit__path", "post__kind", "id")]


def appraisals_awaiting(*, user, unit: OrgUnit | None = None) -> list:
    """Appraisals proposing a non-renewal that no administrator has confirmed, of
    appointments still open."""
    from .choices import Decision
    from .models import Appraisal

    qs = Appraisal.objects.visible_to(user).filter(
        decision=Decision.NOT_RENEW, confirmed_on__isnull=True,
        appointment__ended_on__isnull=True)
    if unit is not None:
        qs = qs.filter(appointment__post__unit__in=OrgUnit.objects.within(unit).values("pk"))
    return list(qs.select_related("appointment__worker", "appointment__post__unit")
                .order_by("year", "appointment__post__unit__path"))


def appraisal_get(*, user, pk):
    from .models import Appraisal

    return get_visible_or_404(Appraisal.objects.select_related(
        "appointment__worker", "appointment__post__unit"), user, pk=pk)


def appraisal_of(*, appointment, year: int):
    from .models import Appraisal

    return Appraisal.objects.filter(appointment=appointment, year=year).first()


# ---- awards ----------------------------------------------------------------------------------

def _award_rounds(user) -> QuerySet:
    """The rounds ``user`` may read: those of their area, and those of the units above them
    (open: to nominate; published: anyone in an organiser's area reads the list). Below the
    organiser, a user sees only their own area's nominations (award_page)."""
    from .models import AwardRound

    own = AwardRound.objects.visible_to(user)
    unit = getattr(user, "unit", None)
    if unit is None or getattr(user, "is_superuser", False):
        return own
    return AwardRound.objects.filter(
        Q(pk__in=own.values("pk")) | Q(unit_id__in=unit.ancestor_ids))


def award_list(*, user) -> list:
    return list(_award_rounds(user).select_related("unit").annotate(
        nominated=Count("nominations")).order_by("-year", "unit__path", "id"))


def award_get(*, user, pk):
    from django.http import Http404

    award = _award_rounds(user).select_related("unit").filter(pk=pk).first()
    if award is None:
        raise Http404
    return award


def award_organised_by_scope(*, user, award) -> bool:
    """Whether ``award``'s organiser is in ``user``'s area (they see every nomination)."""
    from .models import AwardRound

    return AwardRound.objects.visible_to(user).filter(pk=award.pk).exists()


@dataclass
class AwardPage:
    award: object
    organiser: bool          # the organiser is in the user's area
    nominations: list        # the ones the user may see
    selected: list           # the published list (empty until published)
    visible_workers: set


def award_page(*, user, award) -> AwardPage:
    from .choices import NominationDecision
    from .models import Nomination

    organiser = award_organised_by_scope(user=user, award=award)
    all_nominations = Nomination.objects.filter(round=award).select_related(
        "worker", "unit").order_by("unit__path", "id")
    nominations = list(all_nominations if organiser else
                       all_nominations.filter(pk__in=Nomination.objects.visible_to(user)
                                              .values("pk")))
    selected = list(all_nominations.filter(decision=NominationDecision.SELECTED)) \
        if award.published_on else []
    ids = {n.worker_id for n in nominations + selected}
    visible = set(Worker.objects.visible_to(user).filter(pk__in=ids)
                  .values_list("pk", flat=True)) if ids else set()
    return AwardPage(award, organiser, nominations, selected, visible)


def nomination_candidates(*, user, award) -> QuerySet:
    """The workers ``user`` may nominate in ``award``: those of their area inside the
    organiser's, holding a post now."""
    return (Worker.objects.visible_to(user).within(award.unit)
            .filter(pk__in=Appointment.objects.current().values("worker_id"))
            .select_related("unit").order_by("unit__path", "name", "id"))
