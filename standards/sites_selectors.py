"""The demonstration sites' reads 示范点, the per-township summary of a county and the home
page's reminder: each starts from what the user may see, and the standards' attainment of
many units is computed in one batch (standards/selectors.results), never a query per unit."""

from dataclasses import dataclass, field

from django.urls import reverse

from core.scope import get_visible_or_404
from orgs.models import Level, OrgUnit

from . import rules, selectors, sites_rules
from .choices import SiteKind
from .models import DemoSite, DemoSiteTarget, RulesDocument, Standard

# ---- sites and targets -------------------------------------------------------------------------

def county_of(unit: OrgUnit | None) -> OrgUnit | None:
    """The county a user's unit is in (itself for a county; None above the counties)."""
    if unit is None or unit.level < Level.COUNTY:
        return None
    if unit.level == Level.COUNTY:
        return unit
    return OrgUnit.objects.filter(pk__in=unit.ancestor_ids, level=Level.COUNTY).first()


def unit_or_none(*, user, pk) -> OrgUnit | None:
    """A unit of ``user``'s scope by its id as typed in a query string (None otherwise)."""
    if not str(pk).isdigit():
        return None
    return OrgUnit.objects.visible_to(user).filter(pk=int(pk)).first()


def defaults_of(*, year: int):
    """The national default standards of ``year`` already written."""
    return Standard.objects.filter(region__isnull=True, year=year).order_by("level", "code")



def site_list(*, user, county: OrgUnit, year: int, withdrawn: bool = True):
    """The sites ``county`` designated for ``year`` that ``user`` may see."""
    queryset = (DemoSite.objects.visible_to(user)
                .filter(county=county, year=year)
                .select_related("unit", "unit__parent").order_by("kind", "unit__path", "id"))
    return queryset if withdrawn else queryset.filter(withdrawn_on__isnull=True)


def site_get(*, user, pk) -> DemoSite:
    return get_visible_or_404(
        DemoSite.objects.select_related("unit", "county", "designated_by"),
        user, pk=pk)


def rules_document_get(*, user, pk) -> RulesDocument:
    return get_visible_or_404(RulesDocument.objects.select_related("unit"), user, pk=pk)


def targets_of(*, user, county: OrgUnit, year: int) -> dict[str, int]:
    """{kind: number} set for ``county`` and ``year`` (a kind not set: absent)."""
    return dict(DemoSiteTarget.objects.visible_to(user).filter(county=county, year=year)
                .values_list("kind", "number"))


@dataclass
class SiteLine:
    site: DemoSite
    result_met: int = 0
    result_total: int = 0
    attained: bool = False

    @property
    def standards_url(self) -> str:
        return selectors.unit_url(self.site.unit, self.site.year)


@dataclass
class KindProgress:
    """Of one kind: the target, the sites designated (not withdrawn), and how many of those
    meet every item of their standard this year."""

    kind: str
    label: str
    target: int | None
    designated: int = 0
    attaining: int = 0
    lines: list = field(default_factory=list)

    @property
    def percent(self) -> int | None:
        return rules.attainment_percent(self.designated, self.target or 0)

    @property
    def reached(self) -> bool:
        return self.target is not None and self.designated >= self.target


def _attained(standard_results) -> tuple[bool, int, int]:
    met = sum(r.met for r in standard_results)
    total = sum(r.total for r in standard_results)
    return (bool(standard_results) and all(r.attained for r in standard_results), met, total)


def progress(*, user, county: OrgUnit, year: int) -> list[KindProgress]:
    """Each kind's target and progress in ``county`` for ``year``, with its sites (the
    withdrawn ones too, not counted): a fixed number of queries for any number of sites."""
    targets = targets_of(user=user, county=county, year=year)
    sites = list(site_list(user=user, county=county, year=year))
    active = [s.unit for s in sites if not s.is_withdrawn]
    found = selectors.results(active, year) if active else {}
    out = {kind: KindProgress(kind, label, targets.get(kind)) for kind, label in
           SiteKind.choices}
    for site in sites:
        line = SiteLine(site)
        kp = out[site.kind]
        if not site.is_withdrawn:
            line.attained, line.result_met, line.result_total = _attained(found[site.unit_id])
            kp.designated += 1
            kp.attaining += line.attained
        kp.lines.append(line)
    return list(out.values())


# ---- candidates --------------------------------------------------------------------------------

@dataclass
class Candidate:
    unit: OrgUnit
    kind: str
    met: int
    total: int
    attained: bool
    missing: list = field(default_factory=list)  # the texts of the items it misses
    score: float | None = None  # the 100-point assessment's total, when given

    @property
    def standards_url(self) -> str:
        return reverse("standards:unit", args=[self.unit.pk])


def order_candidates(candidates: list[Candidate],
                     scores: dict[int, float] | None = None) -> list[Candidate]:
    """The hook for the 100-point assessment: ``candidates`` in the order they are
    suggested — those meeting every item of their standard first, then by ``scores``
    ({unit id: points}, e.g. the assessment round's totals) when given, then by the number of
    items met. Each candidate keeps its score."""
    scores = scores or {}
    for c in candidates:
        c.score = scores.get(c.unit.pk)
    return sorted(candidates, key=lambda c: (*sites_rules.order_key(
        attained=c.attained, met=c.met, total=c.total, score=c.score), c.unit.path))


def candidates(*, user, county: OrgUnit, year: int, kind: str | None = None,
               scores: dict[int, float] | None = None) -> list[Candidate]:
    """The units of ``county`` not yet designated for ``year`` (of ``kind``, or all), with
    how many items of their level's standards they meet, ordered by order_candidates. The
    standards of every unit are computed in one batch: the number of queries does not grow
    with the number of units."""
    units = [u for u in selectors.region_units(user=user, region=county, year=year)
             if u.level in (Level.TOWNSHIP, Level.VILLAGE)]
    taken = set(site_list(user=user, county=county, year=year, withdrawn=False)
                .values_list("unit_id", flat=True))
    units = [u for u in units if u.pk not in taken
             and (kind is None or sites_rules.site_kind(u.level, u.kind) == kind)]
    found = selectors.results(units, year) if units else {}
    out = []
    for u in units:
        attained, met, total = _attained(found[u.pk])
        out.append(Candidate(u, sites_rules.site_kind(u.level, u.kind), met, total, attained,
                             [r.item.text for s in found[u.pk] for r in s.missing]))
    if scores is None:
        scores = assessment_scores(county=county, year=year)
    return order_candidates(out, scores)


def assessment_scores(*, county: OrgUnit, year: int) -> dict[int, float]:
    """{unit id: final score} of the county's confirmed or ongoing assessment rounds of
    ``year`` (townships, villages and communities), for ordering the candidates: the units
    that meet every item and score highest first. A few queries a level."""
    from .assessment_selectors import assessment_ranking, round_for

    found: dict[int, float] = {}
    for level in (Level.TOWNSHIP, Level.VILLAGE):
        round_ = round_for(county=county, level=level, year=year)
        if round_ is not None:
            found.update({r.unit.pk: float(r.final_total) for r in assessment_ranking(round_)
                          if r.final_total is not None})
    return found


# ---- the per-township summary of a county --------------------------------------------------

@dataclass
class MissingItem:
    text: str
    units: list = field(default_factory=list)


@dataclass
class TownshipStandard:
    """One standard over one township's villages and communities (or the township itself for
    a township's standard): the rate, and each missing item with the units missing it."""

    code: str
    name: str
    total: int = 0
    attained: int = 0
    missing: dict = field(default_factory=dict)  # item text -> MissingItem

    @property
    def percent(self) -> int | None:
        return rules.attainment_percent(self.attained, self.total)

    @property
    def missing_items(self) -> list[MissingItem]:
        return sorted(self.missing.values(), key=lambda m: (-len(m.units), m.text))


@dataclass
class TownshipRow:
    township: OrgUnit
    standards: dict = field(default_factory=dict)  # code -> TownshipStandard

    def of(self, code: str) -> TownshipStandard | None:
        return self.standards.get(code)


@dataclass
class TownshipSummary:
    codes: list  # (code, name) of the standards shown, in order
    rows: list

    def cells(self):
        """Each row with (name, its standard) in the order of ``codes`` (None where none
        applies)."""
        return [(row, [(name, row.standards.get(code)) for code, name in self.codes])
                for row in self.rows]


def township_summary(*, user, county: OrgUnit, year: int) -> TownshipSummary:
    """The attainment of each standard per township of ``county``: a village standard's
    rate among the township's villages and communities, a township standard's for the
    township itself; the missing items with their units. One batch for every unit."""
    units = selectors.region_units(user=user, region=county, year=year)
    found = selectors.results(units, year)
    townships = {u.pk: TownshipRow(u) for u in units if u.level == Level.TOWNSHIP}
    codes = {}
    for u in units:
        row = townships.get(u.pk if u.level == Level.TOWNSHIP else u.parent_id)
        if row is None:
            continue
        for result in found[u.pk]:
            s = result.standard
            codes.setdefault(s.code, (s.level, s.name))
            cell = row.standards.setdefault(s.code, TownshipStandard(s.code, s.name))
            cell.total += 1
            cell.attained += result.attained
            for r in result.missing:
                cell.missing.setdefault(r.item.text, MissingItem(r.item.text)).units.append(u)
    ordered = sorted(codes.items(), key=lambda kv: (kv[1][0], kv[0]))
    return TownshipSummary([(code, name) for code, (_level, name) in ordered],
                           sorted(townships.values(), key=lambda r: r.township.path))


# ---- the home page's reminder --------------------------------------------------------------

@dataclass
class Reminder:
    unit: OrgUnit
    year: int
    missing: int
    total: int
    url: str


def standards_reminder(*, unit: OrgUnit, year: int) -> Reminder | None:
    """How many items of ``unit``'s standards (a township's or village's) are not met in
    ``year``, for its home page; None for other units. A fixed number of queries."""
    if unit is None or unit.level not in (Level.TOWNSHIP, Level.VILLAGE):
        return None
    found = selectors.unit_results(unit=unit, year=year)
    total = sum(r.total for r in found)
    missing = sum(len(r.missing) for r in found)
    return Reminder(unit, year, missing, total, selectors.unit_url(unit, year))
