"""Reads behind the reports. Each starts from what the user may see.

The summary table (残疾人基本情况汇总表) is computed, never typed: one grouped query counts
the active people of every child unit at once, so the table costs the same two queries for a
county of thirty townships as for a village.
"""

import datetime as dt
from dataclasses import dataclass, field, replace

from django.db.models import Count, F, Q
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scope import SEGMENT_WIDTH, subtree_filter
from orgs.models import Level, OrgUnit
from people.choices import AGE_BANDS, Category, Gender, Grade, Hukou, Status
from people.filters import birth_date_bounds
from people.models import Person


@dataclass(frozen=True)
class Column:
    """One column of numbers. ``key`` names it for every rendering (HTML, xlsx, tests)."""

    key: str
    label: str
    kind: str = "count"  # "count", "population" or "share"
    group: str = ""  # the key of the group header above it, if any

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
        ("hukou", _("Household registration"),
         (Column(f"hukou.{h.value}", h.label) for h in Hukou)),
        ("population", _("Population"),
         (Column("population", _("Population"), kind="population"),)),
        ("share", _("Share of the population"),
         (Column("share", _("Share of the population"), kind="share"),)),
    ))


COLUMN_GROUPS = _layout()
COLUMNS: tuple[Column, ...] = tuple(c for g in COLUMN_GROUPS for c in g.columns)
COUNT_KEYS: tuple[str, ...] = tuple(c.key for c in COLUMNS if c.kind == "count")


def _aggregates(as_of: dt.date) -> dict:
    """One conditional count per count column, keyed like the column (dots made safe)."""
    certified = Q(certificate_number__isnull=False)
    conditions: dict[str, Q | None] = {
        "total": None,
        "certificate.yes": certified,
        "certificate.no": Q(certificate_number__isnull=True),
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
        """The share as a percentage, for the page (the workbook keeps the fraction)."""
        return None if self.value is None else self.value * 100


@dataclass
class SummaryRow:
    """One line of the table: a child unit, or the total (``unit`` is None)."""

    unit: OrgUnit | None
    name: str
    counts: dict[str, int]
    population: int | None
    # The people set against ``population`` for the share: all of a unit's own people
    # when it records its population; in the total, only those of such units.
    people_with_population: int = 0

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

    def value(self, key: str) -> int | float | None:
        if key == "population":
            return self.population
        if key == "share":
            return self.share
        return self.counts[key]

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

    @property
    def columns(self) -> tuple[Column, ...]:
        return COLUMNS


def _row(unit: OrgUnit, found: dict | None) -> SummaryRow:
    counts = {key: (found or {}).get(_alias(key), 0) for key in COUNT_KEYS}
    population = unit.population or None  # 0 means "not known" for a share
    return SummaryRow(
        unit=unit, name=unit.name, counts=counts, population=population,
        people_with_population=counts["total"] if population else 0,
    )


def _total_row(rows: list[SummaryRow]) -> SummaryRow:
    counts = {key: sum(r.counts[key] for r in rows) for key in COUNT_KEYS}
    with_population = [r for r in rows if r.population]
    return SummaryRow(
        unit=None, name=str(_("Total")), counts=counts,
        population=sum(r.population for r in with_population) if with_population else None,
        people_with_population=sum(r.total for r in with_population),
    )


def summary_table(*, user, unit: OrgUnit, as_of: dt.date | None = None) -> SummaryTable:
    """The summary table of ``unit``: a row per active child unit and a total row, counting
    active people only. A village (or grid) is a single row: grids are not a level people
    are registered at. ``as_of`` is the day ages are counted on; the register is today's.
    The total is the sum of the rows, so the printed table always adds up.

    Two queries whatever the size: the unit with its children, and the grouped counts."""
    as_of = as_of or timezone.localdate()
    leaf = unit.level >= Level.VILLAGE
    units_q = Q(pk=unit.pk)
    if not leaf:
        units_q |= Q(parent_id=unit.pk, valid_to__isnull=True)
    units = list(
        OrgUnit.objects.visible_to(user).filter(units_q)
        .order_by(F("code").asc(nulls_last=True), "name", "pk")
    )
    unit = next((u for u in units if u.pk == unit.pk), None)
    if unit is None:
        raise Http404
    children = [u for u in units if u.pk != unit.pk]

    people = Person.objects.visible_to(user).filter(status=Status.ACTIVE).order_by()
    aggregates = _aggregates(as_of)
    if unit.level == Level.GRID:
        # People belong to a village and name their grid; a grid's table counts those.
        rows = [_row(unit, people.filter(grid=unit).aggregate(**aggregates))]
    elif leaf:
        rows = [_row(unit, people.filter(unit=unit).aggregate(**aggregates))]
    else:
        width = len(unit.path) + SEGMENT_WIDTH
        grouped = (
            people.filter(subtree_filter(unit.path, "unit__path"))
            .annotate(branch=Substr("unit__path", 1, width))
            .values("branch")
            .annotate(**aggregates)
        )
        by_branch = {r["branch"]: r for r in grouped}
        rows = [_row(child, by_branch.get(child.path)) for child in children]
    return SummaryTable(unit=unit, as_of=as_of, rows=rows, total=_total_row(rows))
