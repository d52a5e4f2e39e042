"""Reads behind the reports. Each starts from what the user may see.

The summary table (残疾人基本情况汇总表) is computed, never typed. It reads the kept counts
(people.counts: one row per village, kept by every write) summed per child unit, so the
table costs the same few queries for a province of two million people as for a village,
and can be read as of any day. The grouped count over the people themselves
(``summary_table_live``) stays as the reference the check compares the kept counts with.
"""

import copy
import datetime as dt
from dataclasses import dataclass, field, replace

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import snapshots
from core.scope import SEGMENT_WIDTH, subtree_filter
from core.snapshots import DataStatus
from imports.models import ImportJob
from orgs import reform_selectors
from orgs.models import Level, OrgUnit, active_q
from people import counts as people_counts
from people import selectors as people_selectors
from people.choices import AGE_BANDS, Category, Gender, Grade, Hukou, Status
from people.filters import OPEN_NEED, birth_date_bounds, need_overdue_cutoff
from people.models import Need, Person, UnitCount, UnitVisitCount


@dataclass(frozen=True)
class Column:
    """One column of numbers. ``key`` names it for every rendering (HTML, xlsx, tests)."""

    key: str
    label: str
    # "count"; "population"; "share" (of the population); "part" (the share of the row's
    # disabled people that the count column ``of`` holds).
    kind: str = "count"
    group: str = ""  # the key of the group header above it, if any
    of: str = ""  # for a "part": the count column it is the share of

    @property
    def html_id(self) -> str:
        return "c-" + self.key.replace(".", "-")

    @property
    def headers(self) -> str:
        """The ids of the header cells over a data cell of this column (HTML ``headers``)."""
        if not self.group:
            return self.html_id
        return f"g-{self.group.replace('.', '-')} {self.html_id}"


@dataclass(frozen=True)
class ColumnGroup:
    """Columns sharing a header above them (a category over its grades). A group of one
    column with the group's own key is a single column spanning both header rows."""

    key: str
    label: str
    columns: tuple[Column, ...]

    @property
    def single(self) -> bool:
        return len(self.columns) == 1 and self.columns[0].key == self.key

    @property
    def html_id(self) -> str:
        return "g-" + self.key.replace(".", "-")


def _group(key: str, label, columns) -> ColumnGroup:
    columns = tuple(columns)
    if not (len(columns) == 1 and columns[0].key == key):
        columns = tuple(replace(c, group=key) for c in columns)
    return ColumnGroup(key, label, columns)


HUKOU_SHARE_LABELS = {Hukou.URBAN: _("Urban, share"), Hukou.RURAL: _("Rural, share")}


def _layout() -> tuple[ColumnGroup, ...]:
    """The columns of the table in the order of the paper form."""
    certified = tuple(Column(f"grade.{g.value}", g.label) for g in Grade)
    return tuple(_group(*spec) for spec in (
        ("total", _("Disabled people, total"), (Column("total", _("Disabled people, total")),)),
        ("certificate", _("Certificate held"), (
            Column("certificate.yes", _("With certificate")),
            Column("certificate.no", _("Without certificate")),
        )),
        *(
            (f"category.{c.value}", c.label, (
                Column(f"category.{c.value}", _("Subtotal")),
                *(Column(f"category.{c.value}.grade.{g.value}", g.label) for g in Grade),
            ))
            for c in Category
        ),
        ("grade", _("All categories, by grade"), certified),
        ("gender", _("Gender"), (Column(f"gender.{g.value}", g.label) for g in Gender)),
        ("age", _("Age"),
         (Column(f"age.{code}", label) for code, label, _lo, _hi in AGE_BANDS)),
        ("hukou", _("Household registration"), (
            column
            for h in Hukou
            for column in (Column(f"hukou.{h.value}", h.label),
                           Column(f"hukou.{h.value}.share", HUKOU_SHARE_LABELS[h],
                                  kind="part", of=f"hukou.{h.value}"))
        )),
        ("population", _("Population"),
         (Column("population", _("Population"), kind="population"),)),
        ("share", _("Share of the population"),
         (Column("share", _("Share of the population"), kind="share"),)),
    ))


COLUMN_GROUPS = _layout()
COLUMNS: tuple[Column, ...] = tuple(c for g in COLUMN_GROUPS for c in g.columns)
COUNT_KEYS: tuple[str, ...] = tuple(c.key for c in COLUMNS if c.kind == "count")
COLUMNS_BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}
assert set(COUNT_KEYS) == set(people_counts.COUNT_KEYS), "the table and the kept counts disagree"


def _aggregates(as_of: dt.date) -> dict:
    """One conditional count per count column, keyed like the column (dots made safe)."""
    certified = Q(has_certificate=True)
    conditions: dict[str, Q | None] = {
        "total": None,
        "certificate.yes": certified,
        "certificate.no": Q(has_certificate=False),
    }
    for c in Category:
        conditions[f"category.{c.value}"] = certified & Q(category=c.value)
        for g in Grade:
            conditions[f"category.{c.value}.grade.{g.value}"] = (
                certified & Q(category=c.value, grade=g.value)
            )
    for g in Grade:
        conditions[f"grade.{g.value}"] = certified & Q(grade=g.value)
    for g in Gender:
        conditions[f"gender.{g.value}"] = Q(gender=g.value)
    for code, _label, low, high in AGE_BANDS:
        conditions[f"age.{code}"] = birth_date_bounds(low, high, as_of)
    for h in Hukou:
        conditions[f"hukou.{h.value}"] = Q(hukou=h.value)
    assert set(conditions) == set(COUNT_KEYS), "the layout and the counts disagree"
    return {_alias(key): Count("id", filter=q) for key, q in conditions.items()}


def _alias(key: str) -> str:
    return "n_" + key.replace(".", "_").replace("-", "_").replace("+", "plus")


@dataclass(frozen=True)
class Cell:
    column: Column
    value: int | float | None

    @property
    def percent(self) -> float | None:
        """A share as a percentage, for the page (the workbook keeps the fraction)."""
        return None if self.value is None else self.value * 100


class PopulationSource:
    """Where a row's population comes from."""

    OWN = "own"  # the unit records its own population
    SUM = "sum"  # the total of a unit that records none: the sum of the rows that do


@dataclass
class SummaryRow:
    """One line of the table: a child unit, or the total (``unit`` is None)."""

    unit: OrgUnit | None
    name: str
    counts: dict[str, int]
    population: int | None
    # The people set against ``population`` for the share: all the row's people when the
    # population is the unit's own; in a total summed from its rows, those of such rows.
    people_with_population: int = 0
    population_source: str = ""  # a PopulationSource, or "" when there is no population
    population_rows: int = 0  # in a summed total: how many rows record a population

    @property
    def is_total(self) -> bool:
        return self.unit is None

    @property
    def total(self) -> int:
        return self.counts["total"]

    @property
    def share(self) -> float | None:
        if not self.population:
            return None
        return self.people_with_population / self.population

    def part(self, key: str) -> float | None:
        """The share of the row's disabled people that count column ``key`` holds."""
        return self.counts[key] / self.total if self.total else None

    def value(self, key: str) -> int | float | None:
        if key == "population":
            return self.population
        if key == "share":
            return self.share
        column = COLUMNS_BY_KEY[key]
        if column.kind == "part":
            return self.part(column.of)
        return self.counts[key]

    @property
    def hukou_parts(self) -> list[tuple[str, int, float | None]]:
        """(label, count, percentage of the row's people) for each household registration."""
        parts = []
        for h in Hukou:
            part = self.part(f"hukou.{h.value}")
            parts.append((str(h.label), self.counts[f"hukou.{h.value}"],
                          None if part is None else part * 100))
        return parts

    @property
    def share_percent(self) -> float | None:
        return None if self.share is None else self.share * 100

    @property
    def cells(self) -> list[Cell]:
        return [Cell(column, self.value(column.key)) for column in COLUMNS]

    @property
    def html_id(self) -> str:
        return "r-total" if self.unit is None else f"r-{self.unit.pk}"


@dataclass
class SummaryTable:
    unit: OrgUnit
    as_of: dt.date
    rows: list[SummaryRow]
    total: SummaryRow
    groups: tuple[ColumnGroup, ...] = field(default=COLUMN_GROUPS)
    # Live or frozen, and as of when (core.snapshots); None: live as of ``as_of``.
    status: DataStatus | None = None
    year: int | None = None  # the year of a frozen table (or of a live one asked by year)

    @property
    def columns(self) -> tuple[Column, ...]:
        return COLUMNS

    @property
    def data_status(self) -> DataStatus:
        return self.status or DataStatus.live(self.as_of)


def _row(unit: OrgUnit, found: dict | None) -> SummaryRow:
    counts = {key: (found or {}).get(key, 0) for key in COUNT_KEYS}
    population = unit.population or None  # 0 means "not known" for a share
    return SummaryRow(
        unit=unit, name=unit.name, counts=counts, population=population,
        people_with_population=counts["total"] if population else 0,
        population_source=PopulationSource.OWN if population else "",
    )


def _total_row(unit: OrgUnit, rows: list[SummaryRow]) -> SummaryRow:
    """The sum of the rows; its population is the unit's own when the unit records one
    (set against all its people), else the sum of the rows that record one (set against
    their people only)."""
    counts = {key: sum(r.counts[key] for r in rows) for key in COUNT_KEYS}
    total = SummaryRow(unit=None, name=str(_("Total")), counts=counts, population=None)
    with_population = [r for r in rows if r.population]
    if unit.population:
        total.population, total.population_source = unit.population, PopulationSource.OWN
        total.people_with_population = counts["total"]
    elif with_population:
        total.population = sum(r.population for r in with_population)
        total.population_source = PopulationSource.SUM
        total.people_with_population = sum(r.total for r in with_population)
        total.population_rows = len(with_population)
    return total


def _table_units(user, unit: OrgUnit, on: dt.date | None = None
                 ) -> tuple[OrgUnit, list[OrgUnit]]:
    """The unit (404 outside the user's scope) and its children that exist on ``on``
    (today by default), in code order."""
    units_q = Q(pk=unit.pk)
    if unit.level < Level.VILLAGE:
        units_q |= Q(parent_id=unit.pk) & active_q(on)
    units = list(
        OrgUnit.objects.visible_to(user).filter(units_q)
        .order_by(F("code").asc(nulls_last=True), "name", "pk")
    )
    unit = next((u for u in units if u.pk == unit.pk), None)
    if unit is None:
        raise Http404
    return unit, [u for u in units if u.pk != unit.pk]


def _table(unit: OrgUnit, as_of: dt.date, children, counts_of) -> SummaryTable:
    if unit.level >= Level.VILLAGE:
        rows = [_row(unit, counts_of(unit))]
    else:
        rows = [_row(child, counts_of(child)) for child in children]
    return SummaryTable(unit=unit, as_of=as_of, rows=rows, total=_total_row(unit, rows))


def summary_table(*, user, unit: OrgUnit, as_of: dt.date | None = None) -> SummaryTable:
    """The summary table of ``unit``: a row per child unit that existed on ``as_of`` (one
    abolished since included, one begun since left out) and a total row, counting
    the people active on ``as_of`` (today by default) where they were registered that day,
    with their ages on that day. A village (or grid) is a single row: grids are not a level
    people are registered at. The total is the sum of the rows, so the printed table always
    adds up; only its population is the unit's own when the unit records one (_total_row).

    Read from the kept counts (people.counts.counts_as_of): six queries at most whatever
    the size of the unit. A grid's table counts its people live (people name their grid;
    the counts are kept per village), and only today's register."""
    as_of = as_of or timezone.localdate()
    unit, children = _table_units(user, unit, as_of)
    if unit.level == Level.GRID:
        return summary_table_live(user=user, unit=unit, as_of=as_of)
    if as_of < timezone.localdate() and reform_selectors.changed_since(as_of):
        return _summary_table_then(user, unit, as_of)
    if unit.level >= Level.VILLAGE:
        found = people_counts.counts_as_of(unit, as_of)
        return _table(unit, as_of, children, lambda _u: found.get(""))
    by_branch = people_counts.counts_as_of(unit, as_of, width=len(unit.path) + SEGMENT_WIDTH)
    return _table(unit, as_of, children, lambda child: by_branch.get(child.path))


def _summary_table_then(user, unit: OrgUnit, as_of: dt.date) -> SummaryTable:
    """The table as of a day before a reform changed the tree: the unit and its children
    as they stood that day (their names then; units since merged or abolished included,
    units made since left out), counted by that day's tree. Two queries more."""
    then, children = reform_selectors.children_on(user=user, unit=unit, on=as_of)
    if then is None:  # the unit did not exist yet
        return SummaryTable(unit=unit, as_of=as_of, rows=[], total=_total_row(unit, []))
    shown = _as_then(then)
    if unit.level >= Level.VILLAGE:
        found = people_counts.counts_as_of(unit, as_of, then=then.path)
        return _table(shown, as_of, [], lambda _u: found.get(""))
    by_branch = people_counts.counts_as_of(unit, as_of, width=len(then.path) + SEGMENT_WIDTH,
                                           then=then.path)
    rows = [_row(_as_then(child), by_branch.get(child.path)) for child in children]
    return SummaryTable(unit=shown, as_of=as_of, rows=rows, total=_total_row(shown, rows))


def _as_then(state) -> OrgUnit:
    """A copy of the unit with its name and code of that day (for showing, never saved)."""
    unit = copy.copy(state.unit)
    unit.name, unit.code = state.name, state.code
    return unit


def summary_table_live(*, user, unit: OrgUnit, as_of: dt.date | None = None) -> SummaryTable:
    """The same table counted over the people themselves: today's register, with ages on
    ``as_of``. One grouped query whatever the size — but it reads every person of the
    unit: the reference the kept counts are checked against (and a grid's table)."""
    as_of = as_of or timezone.localdate()
    unit, children = _table_units(user, unit)
    people = Person.objects.visible_to(user).filter(status=Status.ACTIVE).order_by()
    aggregates = _aggregates(as_of)

    def keyed(found):
        return {key: found.get(_alias(key)) or 0 for key in COUNT_KEYS} if found else None

    if unit.level == Level.GRID:
        # People belong to a village and name their grid; a grid's table counts those.
        found = keyed(people.filter(grid=unit).aggregate(**aggregates))
        return _table(unit, as_of, children, lambda _u: found)
    if unit.level >= Level.VILLAGE:
        found = keyed(people.filter(unit=unit).aggregate(**aggregates))
        return _table(unit, as_of, children, lambda _u: found)
    by_branch = {r["branch"]: keyed(r) for r in _grouped_live(people, unit, aggregates)}
    return _table(unit, as_of, children, lambda child: by_branch.get(child.path))


def _grouped_live(people, unit: OrgUnit, aggregates: dict):
    width = len(unit.path) + SEGMENT_WIDTH
    return (people.filter(subtree_filter(unit.path, "unit__path"))
            .annotate(branch=Substr("unit__path", 1, width))
            .values("branch").annotate(**aggregates))


def live_counts_by_unit(*, unit: OrgUnit | None, as_of: dt.date) -> dict[int, dict]:
    """{village id: counts} of today's register counted over the people (ages on
    ``as_of``): the reference of manage.py rebuild_counts --check. One query."""
    people = Person.objects.filter(status=Status.ACTIVE).order_by()
    if unit is not None:
        people = people.within(unit)
    found = people.values("unit_id").annotate(**_aggregates(as_of))
    return {r["unit_id"]: {key: r[_alias(key)] for key in COUNT_KEYS} for r in found}


# ---- the home page ---------------------------------------------------------------------------

@dataclass(frozen=True)
class UnitFigures:
    """The key figures of a unit's subtree: its active people, how many were visited this
    year and how many are due a visit, and the needs still open (and overdue)."""

    unit: OrgUnit | None
    people: int
    visited: int
    due: int
    open_needs: int
    overdue_needs: int

    @property
    def not_visited(self) -> int:
        return self.people - self.visited

    @property
    def visited_share(self) -> float | None:
        return self.visited / self.people if self.people else None

    @property
    def visited_percent(self) -> float | None:
        share = self.visited_share
        return None if share is None else share * 100


@dataclass
class Home:
    """What a user's home page shows: ``kind`` is "village", "township", "admin" or "leader"."""

    kind: str
    unit: OrgUnit
    figures: UnitFigures
    overdue_cutoff: dt.date
    due: list = field(default_factory=list)  # people due a visit, the longest due first
    needs: list = field(default_factory=list)  # open needs, the oldest first
    units: list[UnitFigures] = field(default_factory=list)  # a township's villages
    transfers: list = field(default_factory=list)  # waiting for the user's decision
    transfers_waiting: int = 0
    failed_jobs: list = field(default_factory=list)
    failed_jobs_count: int = 0
    # Signed responsibility agreements of the user's area with an ended quarter not inspected
    # (standards.agreements_selectors.missing_inspections), to the level above (甲方).
    agreement_reminders: list = field(default_factory=list)
    standards: object = None  # a township's or village's items not met (standards' Reminder)

    SHOWN = 8  # rows of each list on the page; the figure links to the whole list

    @property
    def is_officer(self) -> bool:
        return self.kind in ("village", "township")


def _in_unit(queryset, user, unit: OrgUnit):
    """``queryset`` (already visible_to ``user``) narrowed to ``unit``'s subtree: no second
    condition for the user's own unit (a province user's is then no condition at all)."""
    return queryset if unit.pk == getattr(user, "unit_id", None) else queryset.within(unit)


def _summed(rows, unit: OrgUnit, grouped: bool, **sums) -> dict:
    """``sums`` of kept rows (tied to a unit), over the subtree or (``grouped``) per child
    branch ({branch path: sums})."""
    if not grouped:
        return rows.aggregate(**sums)
    width = len(unit.path) + SEGMENT_WIDTH
    return {r["branch"]: r for r in rows.annotate(branch=Substr("unit__path", 1, width))
            .values("branch").annotate(**sums)}


def _people_figures(user, unit: OrgUnit, *, grouped: bool):
    """Active people, visited this year, due a visit: for the subtree, or (``grouped``) per
    child branch. Three queries, none reading the people one by one: the people from the
    kept counts (people.UnitCount, one row a village), the visited from the kept visit
    counts (people.UnitVisitCount, a row a village and year), the due from the people's
    kept visit facts (an index range on ``person_visit_due_idx``)."""
    today = timezone.localdate()
    kept = UnitCount.objects.visible_to(user).filter(subtree_filter(unit.path, "unit__path"))
    people = _summed(kept.order_by(), unit, grouped, people=Sum("total"))
    visits = (UnitVisitCount.objects.visible_to(user)
              .filter(subtree_filter(unit.path, "unit__path"), year=today.year).order_by())
    visited = _summed(visits, unit, grouped, visited=Sum("visited"))
    due = (_in_unit(Person.objects.visible_to(user), user, unit)
           .filter(status=Status.ACTIVE, next_visit_due__lte=today).order_by())
    if not grouped:
        return {"people": people["people"] or 0, "visited": visited["visited"] or 0,
                "due": due.count()}
    width = len(unit.path) + SEGMENT_WIDTH
    due_by = dict(due.annotate(branch=Substr("unit__path", 1, width)).values("branch")
                  .annotate(n=Count("unit_id")).values_list("branch", "n"))
    return {branch: {"people": people.get(branch, {}).get("people") or 0,
                     "visited": visited.get(branch, {}).get("visited") or 0,
                     "due": due_by.get(branch, 0)}
            for branch in set(people) | set(visited) | set(due_by)}


def _need_figures(user, unit: OrgUnit, *, grouped: bool):
    """Open needs and the overdue among them (as need_list counts them). One query: for
    the subtree an index range on ``need_open_idx``."""
    needs = _in_unit(Need.objects.visible_to(user), user, unit).filter(OPEN_NEED).order_by()
    cutoff = need_overdue_cutoff()
    # Counting a column the index holds (never empty), not the id: read from the index alone.
    counts = {"open": Count("status"),
              "overdue": Count("status", filter=Q(registered_on__lt=cutoff))}
    if not grouped:
        return needs.aggregate(**counts)
    width = len(unit.path) + SEGMENT_WIDTH
    return {r["branch"]: r for r in needs.annotate(branch=Substr("person__unit__path", 1, width))
            .values("branch").annotate(**counts)}


def _figures(unit, people: dict | None, needs: dict | None) -> UnitFigures:
    people, needs = people or {}, needs or {}
    return UnitFigures(unit=unit, people=people.get("people", 0),
                       visited=people.get("visited", 0), due=people.get("due", 0),
                       open_needs=needs.get("open", 0), overdue_needs=needs.get("overdue", 0))


def unit_figures(*, user, unit: OrgUnit) -> UnitFigures:
    """The key figures of ``unit`` (in the user's scope). Four queries, whatever the size
    of the unit."""
    return _figures(unit, _people_figures(user, unit, grouped=False),
                    _need_figures(user, unit, grouped=False))


def child_unit_figures(*, user, unit: OrgUnit) -> list[UnitFigures]:
    """The key figures of each active child of ``unit`` (a township's villages). Five
    queries, however many children."""
    children = list(OrgUnit.objects.visible_to(user)
                    .active().filter(parent=unit, level__lt=Level.GRID)
                    .order_by(F("code").asc(nulls_last=True), "name", "pk"))
    people = _people_figures(user, unit, grouped=True)
    needs = _need_figures(user, unit, grouped=True)
    return [_figures(child, people.get(child.path), needs.get(child.path)) for child in children]


HOME_KINDS = {"village_officer": "village", "township_officer": "township", "admin": "admin",
              "leader": "leader"}


def home_page(*, user) -> Home:
    """Everything the home page of ``user`` (who has a unit and reads the register) shows,
    in a fixed number of queries: the figures of their unit, and by role the work waiting —
    a liaison officer's visits due and open needs (a township officer's also per village),
    an administrator's transfer requests to decide and failed imports of their area."""
    unit = user.unit
    kind = HOME_KINDS.get(user.role, "leader")
    home = Home(kind=kind, unit=unit, figures=unit_figures(user=user, unit=unit),
                overdue_cutoff=need_overdue_cutoff())
    if home.is_officer:
        home.due = list(people_selectors.visits_due(user=user, unit=unit)[:Home.SHOWN])
        home.needs = list(people_selectors.need_list(user=user).within(unit)[:Home.SHOWN])
    if kind == "township":
        home.units = child_unit_figures(user=user, unit=unit)
    if kind == "admin":
        pending = people_selectors.transfers_pending(user=user)
        home.transfers_waiting = pending.count()
        home.transfers = list(pending[:Home.SHOWN])
        failed = (ImportJob.objects.visible_to(user).filter(status=ImportJob.Status.FAILED)
                  .select_related("created_by").order_by("-created_at", "-id"))
        home.failed_jobs_count = failed.count()
        home.failed_jobs = list(failed[:Home.SHOWN])
    from standards.agreements_selectors import missing_inspections

    home.agreement_reminders = missing_inspections(user=user)
    if home.is_officer and user.has_perm("standards.view_standard"):
        from standards.sites_selectors import standards_reminder

        home.standards = standards_reminder(unit=unit, year=timezone.localdate().year)
    return home


# ---- a reform's comparison: the old units beside the new ------------------------------------

@dataclass
class ComparisonRow:
    """A unit the reform made or continued, its people on its first day, and the units it
    came from with theirs the day before."""

    unit: OrgUnit
    after: int | None
    before: list  # (predecessor, people the day before)

    @property
    def before_total(self) -> int | None:
        known = [n for _u, n in self.before if n is not None]
        return sum(known) if known else None


@dataclass
class Comparison:
    reform: object
    day_before: dt.date
    rows: list
    total_before: int
    total_after: int


def reform_comparison(*, user, pk) -> Comparison:
    """A reform's successors, each with the people counted in it on the reform's first day
    beside those counted the day before in the units it came from (people are registered in
    villages and communities: units of other levels show their succession without counts).
    Read from the kept counts by each day's tree: five queries a day, whatever the size."""
    reform = reform_selectors.reform_get(user=user, pk=pk)
    first, before = reform.effective_on, reform.effective_on - dt.timedelta(days=1)

    def totals(day) -> dict[int, int]:
        state = reform_selectors.unit_on(reform.unit, day)
        if state is None:
            return {}
        then = state.path if reform_selectors.changed_since(day) else None
        found = people_counts.counts_as_of(reform.unit, day, width=0, then=then)
        return {pk: c.get("total", 0) for pk, c in found.items()}

    then, now = totals(before), totals(first)
    rows: dict[int, ComparisonRow] = {}
    for s in reform_selectors.reform_successions(reform):
        row = rows.setdefault(s.successor_id, ComparisonRow(
            s.successor, now.get(s.successor_id) if s.successor.level == Level.VILLAGE
            else None, []))
        row.before.append((s.predecessor, then.get(s.predecessor_id)
                           if s.predecessor.level == Level.VILLAGE else None))
    return Comparison(reform=reform, day_before=before,
                      rows=sorted(rows.values(), key=lambda r: (r.unit.path, r.unit.pk)),
                      total_before=sum(then.values()), total_after=sum(now.values()))


# ---- frozen year-end tables (冻结数据) -------------------------------------------------------

SUMMARY_KIND = "reports.summary"


def _on(unit: OrgUnit, day: dt.date) -> bool:
    """Whether ``unit`` exists on ``day`` (orgs.models.active_q, for a unit in hand)."""
    return ((unit.valid_from is None or unit.valid_from <= day)
            and (unit.valid_to is None or unit.valid_to > day))


def summary_tables_of_subtree(*, unit: OrgUnit, as_of: dt.date) -> list[SummaryTable]:
    """The summary table as of ``as_of`` of ``unit`` and of every unit beneath it that
    existed that day (grids excepted), from one computation: the kept counts per village
    (people.counts.counts_as_of, width 0) summed up the tree in Python. Five queries
    whatever the number of units. ``unit`` was read within the caller's scope."""
    then = None
    if reform_selectors.changed_since(as_of):
        # A reform changed the tree since: the units as they stood that day, by its tree.
        states = [s for s in reform_selectors.tree_on(user=None, root=unit, on=as_of)
                  if s.level < Level.GRID]
        units = []
        for state in states:
            copied = copy.copy(state.unit)
            copied.name, copied.code = state.name, state.code
            copied.path, copied.parent_id = state.path, state.parent_id
            units.append(copied)
        if not units:
            return []
        then = units[0].path
        unit = units[0]
        units.sort(key=lambda u: (u.code is None, u.code or "", u.name, u.pk))
    else:
        units = list(OrgUnit.objects.within(unit).filter(level__lt=Level.GRID)
                     .order_by(F("code").asc(nulls_last=True), "name", "pk"))
    by_village = people_counts.counts_as_of(unit, as_of, width=0, then=then)
    paths = {u.pk: u.path for u in units}
    sums: dict[str, dict] = {}
    for village_id, counts in by_village.items():
        path = paths.get(village_id)
        if path is None:
            continue
        for end in range(len(unit.path), len(path) + 1, SEGMENT_WIDTH):
            branch = sums.setdefault(path[:end], dict.fromkeys(COUNT_KEYS, 0))
            for key in COUNT_KEYS:
                branch[key] += counts.get(key, 0)
    children: dict[int, list[OrgUnit]] = {}
    for u in units:
        if u.parent_id is not None and _on(u, as_of):
            children.setdefault(u.parent_id, []).append(u)
    tables = []
    for u in units:
        if not _on(u, as_of) and u.pk != unit.pk:
            continue
        if u.level >= Level.VILLAGE:
            rows = [_row(u, sums.get(u.path))]
        else:
            rows = [_row(child, sums.get(child.path)) for child in children.get(u.pk, [])]
        table = SummaryTable(unit=u, as_of=as_of, rows=rows, total=_total_row(u, rows))
        if u.pk == unit.pk:
            tables.insert(0, table)  # the unit's own first
        else:
            tables.append(table)
    return tables


_ROW_FIELDS = ("population", "people_with_population", "population_source", "population_rows")


def _row_payload(row: SummaryRow) -> dict:
    unit = row.unit
    return {"id": unit.pk if unit else None, "code": unit.code if unit else "",
            "name": row.name, "counts": dict(row.counts),
            **{name: getattr(row, name) for name in _ROW_FIELDS}}


def summary_payload(table: SummaryTable) -> dict:
    """What a frozen table keeps to be rendered again exactly: the unit's name as it was,
    and every row's name, numbers and population."""
    return {"unit": {"id": table.unit.pk, "name": table.unit.name, "code": table.unit.code},
            "rows": [_row_payload(r) for r in table.rows],
            "total": _row_payload(table.total)}


def _frozen_row(data: dict) -> SummaryRow:
    unit = None
    if data["id"] is not None:
        # The unit as it was named then (an unsaved copy: its id leads to its own table).
        unit = OrgUnit(pk=data["id"], name=data["name"], code=data["code"] or None)
    counts = {key: data["counts"].get(key, 0) for key in COUNT_KEYS}
    return SummaryRow(unit=unit, name=data["name"], counts=counts,
                      **{name: data[name] for name in _ROW_FIELDS})


def frozen_summary_table(snapshot, unit: OrgUnit) -> SummaryTable:
    """The table a frozen set keeps, as it was: ``unit`` (read now, for its links) under
    the name it had."""
    payload = snapshot.payload
    shown = OrgUnit(pk=unit.pk, name=payload["unit"]["name"], code=unit.code,
                    level=unit.level, path=unit.path, parent_id=unit.parent_id)
    total = _frozen_row(payload["total"])
    total.unit, total.name = None, str(_("Total"))
    return SummaryTable(unit=shown, as_of=snapshot.as_of,
                        rows=[_frozen_row(r) for r in payload["rows"]], total=total,
                        status=DataStatus.of(snapshot), year=snapshot.year)


def summary_table_of_year(*, user, unit: OrgUnit, year: int) -> SummaryTable:
    """The summary table of ``year``: the frozen one when ``unit``'s was frozen, else the
    live table as of the year's last day (today for this year)."""
    unit, _children = _table_units(user, unit)  # 404 outside the scope
    snapshot = snapshots.snapshot_get(user=user, kind=SUMMARY_KIND, unit=unit, year=year)
    if snapshot is not None:
        return frozen_summary_table(snapshot, unit)
    table = summary_table(user=user, unit=unit,
                          as_of=min(snapshots.year_end(year), timezone.localdate()))
    table.year = year
    return table


def summary_freeze_preview(*, user, unit: OrgUnit, year: int) -> dict:
    """What the freeze page shows before the user confirms: how many units' tables would
    be frozen, and how many of them are frozen already for ``year`` (then none can be).
    Three queries."""
    unit, _children = _table_units(user, unit)
    units = (OrgUnit.objects.visible_to(user).within(unit).filter(level__lt=Level.GRID)
             .filter(Q(pk=unit.pk) | active_q(snapshots.year_end(year))))
    return {"unit": unit, "year": year, "units": units.count(),
            "frozen": len(snapshots.frozen_units(kind=SUMMARY_KIND, year=year,
                                                  units=units.values("pk")))}


SNAPSHOT_PAGES = {
    SUMMARY_KIND: ("reports:summary_unit", _("Summary table of disabled people")),
    "standards.attainment": ("standards:attainment", _("Attainment of the standards")),
}


def snapshot_link(snapshot) -> tuple[str, str]:
    """(the report's name, the page showing the frozen set) of a frozen set."""
    from django.urls import reverse

    url_name, label = SNAPSHOT_PAGES.get(snapshot.kind, ("", snapshot.kind))
    if not url_name:
        return str(label), ""
    return str(label), reverse(url_name, args=[snapshot.unit_id]) + f"?year={snapshot.year}"
