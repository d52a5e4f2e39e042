"""The statistics overview 统计概况 (doc5: "全市辖4个县区，93个乡镇、7个街道办事处，1125个
行政村、63个社区。常住人口181.5万人，其中残疾人13.64万……"): a unit's divisions, its
population, its disabled people and their share, urban and rural, for the unit and for each
child unit — computed, never typed, as of any day.

The one entry point, kept stable for the pages, the exports and the yearly work report:

    statistics_overview(*, user, unit, as_of=None, year=None) -> StatisticsOverview

- **The people** are the summary table's (reports.selectors.summary_table: the kept counts,
  as of the day, by the tree of that day when a reform changed it since), so the overview
  and the summary table never disagree; ``year`` reads the year's table, frozen when it was
  frozen (summary_table_of_year).
- **The divisions** are one grouped count of the units beneath that existed on the day
  (by level, kind and urban or rural mark, per child branch: the branch is the child's id,
  read off the path of the day), classified by reports.rules.division_key. Each child row
  counts itself too (a township row holds one 乡镇), so the rows add up to the total.
- **The shares** are rounded once, by reports.rules.share.

A fixed number of queries, however many units and people: the summary table's (six at
most, more for a day before a reform) and one for the divisions (two when a reform changed
the tree since the day).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from core.scope import SEGMENT_WIDTH, subtree_filter
from core.snapshots import DataStatus
from orgs import reform_selectors
from orgs.models import Level, OrgUnit, active_q
from people.choices import Hukou

from . import rules
from .selectors import (
    SummaryRow,
    SummaryTable,
    summary_table,
    summary_table_of_year,
)

__all__ = ["OverviewRow", "StatisticsOverview", "division_labels", "statistics_overview"]


@dataclass(frozen=True)
class OverviewRow:
    """The figures of a child unit, or of the whole (``unit`` None: the total)."""

    unit: OrgUnit | None
    name: str
    divisions: tuple[tuple[str, int], ...]  # (rules.DIVISION_KEYS key, number), in order
    population: int | None  # None: not recorded
    population_source: str  # a reports.selectors.PopulationSource, "" without one
    population_rows: int  # in a summed total: how many rows record a population
    people: int  # disabled people active on the register that day
    certified: int  # of them, holding a certificate (持证)
    people_share: Decimal | None  # of the population, rules.share
    urban: int  # urban household registration
    urban_share: Decimal | None  # of the disabled people
    rural: int
    rural_share: Decimal | None

    @property
    def is_total(self) -> bool:
        return self.unit is None

    @property
    def html_id(self) -> str:
        return "r-total" if self.unit is None else f"r-{self.unit.pk}"

    def division(self, key: str) -> int:
        return dict(self.divisions).get(key, 0)

    @property
    def population_missing(self) -> bool:
        return self.population is None


@dataclass(frozen=True)
class StatisticsOverview:
    """What the overview page, its workbook and PDF and the yearly work report show."""

    unit: OrgUnit  # as named that day
    as_of: dt.date
    status: DataStatus  # live, or frozen (and since when)
    year: int | None  # the year asked for (?year=), if any
    division_keys: tuple[str, ...]  # the divisions beneath a unit of this level
    total: OverviewRow
    rows: tuple[OverviewRow, ...]  # one per child unit that existed that day
    paragraph: str  # doc5's wording, from the same figures (rules.overview_paragraph)
    table: SummaryTable  # the summary table the people's figures were read from

    @property
    def division_labels(self) -> tuple[tuple[str, str], ...]:
        """(key, label in the user's language) of each division shown."""
        labels = division_labels()
        return tuple((k, labels[k]) for k in self.division_keys)

    @property
    def total_divisions(self) -> tuple[tuple[str, int], ...]:
        """(label, number) of each division of the whole."""
        labels = division_labels()
        return tuple((labels[k], n) for k, n in self.total.divisions)


def division_labels() -> dict[str, str]:
    return {rules.CITY: _("Cities and prefectures"), rules.COUNTY: _("Counties and districts"),
            rules.TOWNSHIP: _("Townships and towns"), rules.STREET: _("Street offices"),
            rules.VILLAGE: _("Administrative villages"), rules.COMMUNITY: _("Communities")}


def _division_counts(user, unit: OrgUnit, as_of: dt.date, then: str | None) -> dict:
    """{child id: {division key: n}} of the units beneath ``unit`` that existed on
    ``as_of`` (grids aside), each child counting itself. ``then``: the unit's path that day
    (a reform changed the tree since), to read the tree of that day. One query."""
    units = (OrgUnit.objects.visible_to(user).filter(active_q(as_of))
             .filter(level__gt=unit.level, level__lt=Level.GRID).order_by())
    if then is None:
        units, path, field = units.filter(subtree_filter(unit.path)), unit.path, "path"
    else:
        units = (units.annotate(then=reform_selectors.path_on(as_of, ""))
                 .filter(subtree_filter(then, "then")))
        path, field = then, "then"
    found = (units.annotate(branch=Substr(field, len(path) + 1, SEGMENT_WIDTH))
             .values("branch", "level", "kind", "urban_rural").annotate(n=Count("pk")))
    counts: dict[int, dict[str, int]] = {}
    for r in found:
        key = rules.division_key(r["level"], r["kind"], r["urban_rural"])
        if key is None or not r["branch"]:
            continue
        branch = counts.setdefault(int(r["branch"]), {})
        branch[key] = branch.get(key, 0) + r["n"]
    return counts


def _overview_row(row: SummaryRow, keys, divisions: dict[str, int]) -> OverviewRow:
    people = row.total
    urban = row.counts[f"hukou.{Hukou.URBAN.value}"]
    rural = row.counts[f"hukou.{Hukou.RURAL.value}"]
    return OverviewRow(
        unit=row.unit, name=row.name,
        divisions=tuple((k, divisions.get(k, 0)) for k in keys),
        population=row.population, population_source=row.population_source,
        population_rows=row.population_rows, people=people,
        certified=row.counts["certificate.yes"],
        people_share=rules.share(row.people_with_population, row.population),
        urban=urban, urban_share=rules.share(urban, people),
        rural=rural, rural_share=rules.share(rural, people))


def _table(user, unit: OrgUnit, as_of: dt.date | None, year: int | None) -> SummaryTable:
    if year is not None:
        return summary_table_of_year(user=user, unit=unit, year=year)
    return summary_table(user=user, unit=unit, as_of=as_of)


def statistics_overview(*, user, unit: OrgUnit, as_of: dt.date | None = None,
                        year: int | None = None) -> StatisticsOverview:
    """The statistics overview of ``unit`` (404 outside ``user``'s scope) as of ``as_of``
    (today by default; a past day reads the tree of that day), or of ``year`` (its frozen
    figures when frozen, else live as of its last day): its divisions by level and kind,
    population, disabled people and their share, urban and rural with their shares, the
    same per child unit, and doc5's paragraph. A fixed number of queries (module doc)."""
    table = _table(user, unit, as_of, year)
    as_of = table.as_of
    shown = table.unit
    then = None
    exists = True
    if as_of < timezone.localdate() and reform_selectors.changed_since(as_of):
        state = reform_selectors.unit_on(unit, as_of)
        exists, then = state is not None, state.path if state is not None else None
    counts = _division_counts(user, unit, as_of, then) if exists else {}
    keys = rules.division_keys_below(unit.level)
    rows: tuple[OverviewRow, ...] = ()
    if unit.level < Level.VILLAGE:
        rows = tuple(_overview_row(r, keys, counts.get(r.unit.pk, {})) for r in table.rows)
    totals = {k: sum(c.get(k, 0) for c in counts.values()) for k in keys}
    total = _overview_row(table.total, keys, totals)
    paragraph = rules.overview_paragraph(rules.ParagraphFigures(
        region=rules.region_word(unit.level, unit.kind, shown.name),
        divisions=total.divisions, population=total.population,
        population_source=total.population_source, population_rows=total.population_rows,
        rows=len(table.rows), people=total.people, certified=total.certified,
        people_share=total.people_share, urban=total.urban, urban_share=total.urban_share,
        rural=total.rural, rural_share=total.rural_share))
    return StatisticsOverview(unit=shown, as_of=as_of, status=table.data_status,
                              year=table.year if year is not None else None,
                              division_keys=keys, total=total, rows=rows, paragraph=paragraph,
                              table=table)

