"""The standards' reads: every one starts from what the user may see (``visible_to``), and the
attainment of many units is computed in a fixed number of queries."""

import copy
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from core.scope import get_visible_or_404
from orgs import reform_selectors
from orgs.models import Level, OrgUnit, active_q

from . import indicators, rules
from .choices import ItemKind, StandardStatus
from .indicators import Evidence
from .models import ItemConfirmation, Standard, StandardItem

STANDARD_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)


# ---- the standards themselves ----------------------------------------------------------------

def standards_for(*, user):
    """The standards ``user`` may read: the national ones, those of the regions above the
    user's unit (which apply to it), and those of the regions in the user's scope."""
    unit = getattr(user, "unit", None)
    above = unit.ancestor_ids if unit is not None else []
    visible = Standard.objects.visible_to(user).values("pk")
    if not getattr(user, "is_authenticated", False):
        return Standard.objects.none()
    return (Standard.objects.filter(Q(region__isnull=True) | Q(region_id__in=above)
                                    | Q(pk__in=visible))
            .select_related("region").order_by("-year", "level", "code", "region__path", "id"))


def standard_list(*, user, filters=None):
    queryset = standards_for(user=user)
    return filters.filter_queryset(queryset) if filters is not None else queryset


def standard_get(*, user, pk) -> Standard:
    try:
        return standards_for(user=user).get(pk=pk)
    except (Standard.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def item_get(*, user, pk) -> StandardItem:
    item = StandardItem.objects.select_related("standard__region").filter(pk=pk).first()
    if item is None or not standards_for(user=user).filter(pk=item.standard_id).exists():
        raise Http404
    return item


def confirmation_get(*, user, pk) -> ItemConfirmation:
    return get_visible_or_404(
        ItemConfirmation.objects.select_related("unit", "item__standard", "confirmed_by"),
        user, pk=pk)


def unit_get(*, user, pk) -> OrgUnit:
    """A unit in the user's scope that a standard can apply to (a county, township,
    village or community); anything else is a 404."""
    return get_visible_or_404(OrgUnit.objects.filter(level__in=STANDARD_LEVELS), user, pk=pk)


def region_get(*, user, pk) -> OrgUnit:
    """A unit in the user's scope whose units' attainment is shown (above the villages)."""
    return get_visible_or_404(OrgUnit.objects.filter(level__lte=Level.TOWNSHIP), user, pk=pk)


def county_get(*, user, pk) -> OrgUnit:
    return get_visible_or_404(OrgUnit.objects.filter(level=Level.COUNTY), user, pk=pk)


# ---- which standard applies ------------------------------------------------------------------

def published_for(units, year: int) -> dict[int, list[Standard]]:
    """{unit id: the standards that apply to it in ``year``}: of each code, the published
    one of the nearest region above the unit (or the national one). Two queries for any
    number of units (the standards, their items)."""
    units = list(units)
    regions = {i for u in units for i in u.ancestor_ids}
    standards = list(
        Standard.objects.filter(status=StandardStatus.PUBLISHED, year=year,
                                level__in={u.level for u in units})
        .filter(Q(region__isnull=True) | Q(region_id__in=regions))
        .select_related("region")
        .prefetch_related(Prefetch("items", StandardItem.objects.order_by("order", "id"))))
    result = {}
    for u in units:
        best: dict[str, Standard] = {}
        for s in standards:
            if s.level != u.level or (s.region is not None
                                      and not u.path.startswith(s.region.path)):
                continue
            depth = len(s.region.path) if s.region is not None else -1
            current = best.get(s.code)
            if current is None or depth > (len(current.region.path)
                                          if current.region is not None else -1):
                best[s.code] = s
        result[u.pk] = sorted(best.values(), key=lambda s: (s.code, s.pk))
    return result


# ---- results ---------------------------------------------------------------------------------

@dataclass
class ItemResult:
    item: StandardItem
    evidence: Evidence
    confirmation: ItemConfirmation | None = None

    @property
    def met(self) -> bool:
        return self.evidence.met


@dataclass
class StandardResult:
    standard: Standard
    items: list = field(default_factory=list)

    @property
    def met(self) -> int:
        return sum(1 for r in self.items if r.met)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def attained(self) -> bool:
        return self.total > 0 and self.met == self.total

    @property
    def missing(self) -> list:
        return [r for r in self.items if not r.met]


def results(units, year: int) -> dict[int, list[StandardResult]]:
    """{unit id: each applicable standard with each item's evidence} for ``units`` (already
    read within the user's scope): two queries for the standards, one per indicator used,
    one for the confirmations — never one per unit."""
    units = list(units)
    applicable = published_for(units, year)
    wanted = defaultdict(list)  # indicator key -> the units asked about
    confirmed_items = set()
    for u in units:
        for s in applicable[u.pk]:
            for item in s.items.all():
                if item.kind == ItemKind.COMPUTED:
                    wanted[item.indicator].append(u)
                else:
                    confirmed_items.add(item.pk)
    evidence = {}
    for key, asked in wanted.items():
        unique = list({u.pk: u for u in asked}.values())
        evidence[key] = indicators.evaluate(key, unique, year)
    confirmations = {}
    if confirmed_items:
        confirmations = {(c.unit_id, c.item_id): c for c in ItemConfirmation.objects.filter(
            unit_id__in=[u.pk for u in units], item_id__in=confirmed_items, year=year)}
    out = {}
    for u in units:
        standard_results = []
        for s in applicable[u.pk]:
            result = StandardResult(s)
            for item in s.items.all():
                if item.kind == ItemKind.COMPUTED:
                    result.items.append(ItemResult(item, evidence[item.indicator][u.pk]))
                    continue
                c = confirmations.get((u.pk, item.pk))
                if c is None:
                    result.items.append(ItemResult(item, Evidence(
                        False, _("Not confirmed for %(year)s") % {"year": year})))
                else:
                    text = _("Confirmed by %(name)s on %(day)s") % {
                        "name": c.confirmed_by_name, "day": c.confirmed_on.isoformat()}
                    result.items.append(ItemResult(
                        item, Evidence(True, text, c.get_absolute_url()), c))
            standard_results.append(result)
        out[u.pk] = standard_results
    return out


def unit_results(*, unit: OrgUnit, year: int) -> list[StandardResult]:
    return results([unit], year)[unit.pk]


# ---- attainment of a region ------------------------------------------------------------------

@dataclass
class UnitLine:
    unit: OrgUnit
    township: str
    result: StandardResult

    @property
    def percent(self) -> int | None:
        return rules.attainment_percent(self.result.met, self.result.total)


@dataclass
class Attainment:
    """One standard over a region's units: how many attain every item, and each unit's
    line (the items it misses)."""

    code: str
    name: str
    level: int
    lines: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.lines)

    @property
    def attained(self) -> int:
        return sum(1 for line in self.lines if line.result.attained)

    @property
    def percent(self) -> int | None:
        return rules.attainment_percent(self.attained, self.total)

    @property
    def short(self) -> list:
        return [line for line in self.lines if not line.result.attained]


SORTS = {
    "unit": lambda line: line.unit.path,
    "met": lambda line: (line.percent or 0, line.unit.path),
    "missing": lambda line: (len(line.result.missing), line.unit.path),
}


def region_units(*, user, region: OrgUnit, year: int) -> list[OrgUnit]:
    """The units at or beneath ``region`` that a standard applies to, existing in ``year``
    (one query)."""
    on = indicators.as_of(year)
    if reform_selectors.changed_since(on):
        return _units_then(user, region, on)
    return list(OrgUnit.objects.visible_to(user).within(region).filter(
        active_q(on), level__in=STANDARD_LEVELS).select_related("parent").order_by("path"))


def _units_then(user, region: OrgUnit, on) -> list[OrgUnit]:
    """region_units by the tree of ``on``, which a reform changed since: the units beneath
    ``region`` then, with their names and parents of that day (copies, for showing)."""
    states = reform_selectors.tree_on(user=user, root=region, on=on)
    then = {}
    for state in states:
        unit = copy.copy(state.unit)
        unit.name, unit.code = state.name, state.code
        parent = then.get(state.parent_id)
        if parent is not None:
            unit.parent = parent
        then[unit.pk] = unit
    return [then[s.pk] for s in states if s.level in STANDARD_LEVELS]


def attainment(*, user, region: OrgUnit, year: int, sort: str = "unit") -> list[Attainment]:
    """Each standard that applies beneath ``region`` in ``year``: its attainment rate and
    each unit's line, sorted by ``sort`` ("unit", "met", "missing"; "-" first for
    descending). A fixed number of queries, whatever the number of units."""
    units = region_units(user=user, region=region, year=year)
    found = results(units, year)
    by_code: dict[tuple, Attainment] = {}
    for u in units:
        township = u.parent.name if u.level == Level.VILLAGE and u.parent_id else ""
        for result in found[u.pk]:
            s = result.standard
            key = (s.level, s.code)
            if key not in by_code:
                by_code[key] = Attainment(s.code, s.name, s.level)
            by_code[key].lines.append(UnitLine(u, township, result))
    descending = sort.startswith("-")
    order = SORTS.get(sort.lstrip("-"), SORTS["unit"])
    out = []
    for key in sorted(by_code):
        a = by_code[key]
        a.lines.sort(key=order, reverse=descending)
        out.append(a)
    return out


def coverage(*, county: OrgUnit, year: int) -> indicators.Coverage:
    """三个百分之百 of ``county`` (already read within the user's scope)."""
    return indicators.coverage([county], indicators.as_of(year))[county.pk]


def evidence_url(result: ItemResult) -> str:
    return result.evidence.url or ""


def confirm_url(unit: OrgUnit, item: StandardItem, year: int) -> str:
    return reverse("standards:confirm", args=[unit.pk]) + f"?item={item.pk}&year={year}"


def unit_url(unit: OrgUnit, year: int) -> str:
    return reverse("standards:unit", args=[unit.pk]) + f"?year={year}"


def may_change(user, standard: Standard) -> bool:
    """Whether ``user`` may change ``standard``'s items: a draft of a region in their scope
    (a national one: the province's administrators only)."""
    if not standard.is_draft or not user.has_perm("standards.change_standard"):
        return False
    unit = getattr(user, "unit", None)
    if user.is_superuser:
        return True
    if unit is None:
        return False
    if standard.region is None:
        return unit.parent_id is None
    return standard.region.path.startswith(unit.path)


# ---- frozen year-end attainment (冻结数据, issue 17) --------------------------------------------

ATTAINMENT_KIND = "standards.attainment"


@dataclass
class FrozenItem:
    text: str


@dataclass
class FrozenMiss:
    """An item a unit missed, as it was worded when frozen (``item.text``, like ItemResult)."""

    item: FrozenItem


@dataclass
class FrozenResult:
    """A unit's result of one standard as frozen: the items met, of how many, the missed."""

    met: int
    total: int
    missing: list = field(default_factory=list)

    @property
    def attained(self) -> bool:
        return self.total > 0 and self.met == self.total


def attainment_payload(attainments: list[Attainment]) -> dict:
    """What a frozen attainment keeps to be shown again exactly: each standard's name and
    each unit's line (its name, code and township then, the items met and missed)."""
    return {"standards": [
        {"code": a.code, "name": a.name, "level": a.level, "lines": [
            {"id": line.unit.pk, "name": line.unit.name, "code": line.unit.code or "",
             "path": line.unit.path, "township": line.township, "met": line.result.met,
             "total": line.result.total,
             "missing": [r.item.text for r in line.result.missing]}
            for line in a.lines]}
        for a in attainments]}


def attainments_of_subtree(*, user, region: OrgUnit, year: int) -> dict[OrgUnit, list]:
    """{unit: its attainment} for ``region`` and every county and township beneath it, from
    one computation (attainment of ``region``): a unit's lines are those beneath it."""
    attainments = attainment(user=user, region=region, year=year)
    regions = [region] + [u for u in region_units(user=user, region=region, year=year)
                          if u.level <= Level.TOWNSHIP and u.pk != region.pk]
    out = {}
    for r in regions:
        found = []
        for a in attainments:
            lines = [line for line in a.lines if line.unit.path.startswith(r.path)]
            if lines:
                found.append(Attainment(a.code, a.name, a.level, lines))
        out[r] = found
    return out


def frozen_attainment(snapshot, sort: str = "unit") -> list[Attainment]:
    """The attainment a frozen set keeps, sorted like the live one."""
    descending = sort.startswith("-")
    order = SORTS.get(sort.lstrip("-"), SORTS["unit"])
    out = []
    for s in snapshot.payload["standards"]:
        lines = [UnitLine(OrgUnit(pk=d["id"], name=d["name"], code=d["code"] or None,
                                  path=d["path"]), d["township"],
                          FrozenResult(d["met"], d["total"],
                                       [FrozenMiss(FrozenItem(text)) for text in d["missing"]]))
                 for d in s["lines"]]
        lines.sort(key=order, reverse=descending)
        out.append(Attainment(s["code"], s["name"], s["level"], lines))
    return out


def attainment_of_year(*, user, region: OrgUnit, year: int, sort: str = "unit"):
    """(the attainment, its core.snapshots.DataStatus): the frozen attainment of ``year``
    when ``region``'s was frozen, else the live one as of the year's last day (or today)."""
    from core import snapshots

    snapshot = snapshots.snapshot_get(user=user, kind=ATTAINMENT_KIND, unit=region, year=year)
    if snapshot is not None:
        return frozen_attainment(snapshot, sort), snapshots.DataStatus.of(snapshot)
    return (attainment(user=user, region=region, year=year, sort=sort),
            snapshots.DataStatus.live(indicators.as_of(year)))
