"""The 100-point assessment's reads: every one starts from what the user may see, and the
results of a whole round — every unit's items, totals, rank and grade — are computed in a
fixed number of queries, whatever the number of units (``round_results``). The
demonstration sites read the ranking through ``assessment_ranking``."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.http import Http404

from core.scope import get_visible_or_404

from . import assessment_measures as measures
from . import assessment_rules as rules
from .choices import Grade
from .models import (
    AssessmentItem,
    AssessmentRound,
    AssessmentScheme,
    AssessmentScore,
    AssessmentSheet,
)

# ---- schemes and rounds ----------------------------------------------------------------------


def _regions_q(user, field_name: str) -> Q:
    """The rows of a county above the user's unit (its scheme applies to them) or in the
    user's scope."""
    unit = getattr(user, "unit", None)
    above = unit.ancestor_ids if unit is not None else []
    return Q(**{f"{field_name}__in": above})


def schemes_for(*, user):
    if not getattr(user, "is_authenticated", False):
        return AssessmentScheme.objects.none()
    visible = AssessmentScheme.objects.visible_to(user).values("pk")
    return (AssessmentScheme.objects.filter(_regions_q(user, "region_id") | Q(pk__in=visible))
            .select_related("region").order_by("-year", "level", "region__path", "id"))


def scheme_list(*, user, filters=None):
    queryset = schemes_for(user=user)
    return filters.filter_queryset(queryset) if filters is not None else queryset


def scheme_get(*, user, pk) -> AssessmentScheme:
    try:
        return schemes_for(user=user).get(pk=pk)
    except (AssessmentScheme.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def scheme_item_get(*, user, pk) -> AssessmentItem:
    item = AssessmentItem.objects.select_related("category__scheme__region").filter(
        pk=pk).first()
    if item is None or not schemes_for(user=user).filter(
            pk=item.category.scheme_id).exists():
        raise Http404
    return item


def round_get(*, user, pk) -> AssessmentRound:
    try:
        round_ = AssessmentRound.objects.select_related("scheme__region").get(pk=pk)
    except (AssessmentRound.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if not schemes_for(user=user).filter(pk=round_.scheme_id).exists():
        raise Http404
    return round_


def sheet_get(*, user, pk) -> AssessmentSheet:
    return get_visible_or_404(
        AssessmentSheet.objects.select_related("round__scheme__region", "unit"), user, pk=pk)


def scheme_outline(scheme: AssessmentScheme) -> list:
    """[(category, [items])] of ``scheme``, in order (two queries)."""
    items = defaultdict(list)
    for item in AssessmentItem.objects.filter(category__scheme=scheme).order_by(
            "category__order", "order", "id"):
        items[item.category_id].append(item)
    return [(c, items[c.pk]) for c in scheme.categories.order_by("order", "id")]


def max_total(outline) -> Decimal:
    return sum((i.max_points for _c, items in outline for i in items), Decimal(0))


def may_change(user, scheme: AssessmentScheme) -> bool:
    return (scheme.is_draft and user.has_perm("standards.change_assessmentscheme")
            and AssessmentScheme.objects.visible_to(user).filter(pk=scheme.pk).exists())


# ---- the results of a round ------------------------------------------------------------------

@dataclass
class ItemLine:
    """An item on a unit's sheet: the values and points of the self-score, the inspectors'
    and the final one (the inspectors'), with its evidence and what would raise it."""

    item: AssessmentItem
    self_value: Decimal | None = None
    inspector_value: Decimal | None = None
    final_value: Decimal | None = None
    self: rules.Scored = field(default_factory=rules.Scored)
    inspector: rules.Scored = field(default_factory=rules.Scored)
    final: rules.Scored = field(default_factory=rules.Scored)
    evidence_text: str = ""
    evidence_url: str = ""
    reason: str = ""

    @property
    def computed(self) -> bool:
        return self.item.computed

    @property
    def points(self) -> Decimal:
        return self.final.base + self.final.bonus

    @property
    def below_max(self) -> bool:
        if self.item.method == rules.VETO:
            return self.final.vetoed
        return self.final.base < self.item.max_points

    @property
    def gain(self) -> str:
        if self.item.method == rules.VETO:
            return self.item.criteria or self.item.text
        return rules.gain(method=self.item.method, max_points=self.item.max_points,
                          value=self.final_value, target=self.item.target,
                          per_miss=self.item.per_miss)


@dataclass
class UnitResult:
    sheet: AssessmentSheet
    lines: list = field(default_factory=list)
    self_total: Decimal | None = None
    inspector_total: Decimal | None = None
    rank: int | None = None
    grade: str = ""
    commended: bool = False
    criticised: bool = False
    vetoed: bool = False

    @property
    def unit(self):
        return self.sheet.unit

    @property
    def final_total(self) -> Decimal | None:
        return self.inspector_total

    @property
    def grade_label(self) -> str:
        return Grade(self.grade).label if self.grade else ""

    @property
    def to_gain(self) -> list:
        return [line for line in self.lines if line.below_max]


def _scored(item, value):
    return rules.score_item(method=item.method, max_points=item.max_points, value=value,
                            target=item.target, per_miss=item.per_miss,
                            bonus_max=item.bonus_max)


def _total(scheme, items, scored):
    caps = [item.veto_cap for item, s in zip(items, scored, strict=True) if s.vetoed]
    return rules.total(scored, bonus_cap=scheme.bonus_cap, veto_caps=caps)


def round_results(round_: AssessmentRound) -> list[UnitResult]:
    """Every unit of the round with its items' values, points and evidence, its self-,
    inspectors' and final totals, rank, grade, commendation and criticism, in the order of
    the ranking (the unranked last, by unit). While the round is open the computed items
    are computed from the data (one query or a few per measure used); once confirmed,
    read as they were kept. Four queries plus the measures', whatever the number of
    units."""
    scheme = round_.scheme
    items = list(AssessmentItem.objects.filter(category__scheme=scheme).select_related(
        "category").order_by("category__order", "category_id", "order", "id"))
    sheets = list(AssessmentSheet.objects.filter(round=round_).select_related("unit")
                  .order_by("unit__path"))
    scores = {(s.sheet_id, s.item_id): s
              for s in AssessmentScore.objects.filter(sheet__round=round_)}
    computed = {}
    if not round_.confirmed:
        units = [s.unit for s in sheets]
        for key in {i.measure for i in items if i.computed}:
            computed[key] = measures.evaluate(key, units, scheme.year)
    results = []
    for sheet in sheets:
        result = UnitResult(sheet)
        for item in items:
            score = scores.get((sheet.pk, item.pk))
            line = ItemLine(item)
            if score is not None:
                line.self_value, line.inspector_value = score.self_value, score.inspector_value
                line.reason = score.reason
            if round_.confirmed and score is not None:
                line.final_value = score.final_value
                line.evidence_text, line.evidence_url = score.evidence_text, score.evidence_url
                if item.computed:
                    line.self_value = line.inspector_value = score.final_value
            elif item.computed:
                found = computed[item.measure].get(sheet.unit_id)
                if found is not None:
                    line.self_value = line.inspector_value = line.final_value = found.value
                    line.evidence_text, line.evidence_url = found.text, found.url
            else:
                line.final_value = line.inspector_value
            line.self = _scored(item, line.self_value)
            line.inspector = _scored(item, line.inspector_value)
            line.final = _scored(item, line.final_value)
            result.lines.append(line)
        if sheet.self_scored_at is not None:
            result.self_total = _total(scheme, items, [ln.self for ln in result.lines])
        if sheet.inspected_at is not None:
            result.inspector_total = _total(scheme, items, [ln.final for ln in result.lines])
            result.vetoed = any(ln.final.vetoed for ln in result.lines)
        results.append(result)
    ranked = rules.ranks({r.sheet.pk: r.final_total for r in results})
    top = rules.commended(ranked, share_percent=round_.commend_percent)
    low = rules.criticised(ranked, count=round_.criticise_count, spared=top)
    for r in results:
        r.rank = ranked[r.sheet.pk]
        r.grade = rules.grade(r.final_total, excellent_from=scheme.excellent_from,
                              good_from=scheme.good_from, pass_from=scheme.pass_from)
        r.commended, r.criticised = r.sheet.pk in top, r.sheet.pk in low
    results.sort(key=lambda r: (r.rank is None, r.rank or 0, r.unit.path))
    return results


def round_results_for(*, user, round_: AssessmentRound) -> list[UnitResult]:
    """The round's results the user may read: every unit's for the county (and above), the
    user's own unit's (with its rank among all) for a township or a village."""
    results = round_results(round_)
    visible = set(AssessmentSheet.objects.visible_to(user).filter(round=round_)
                  .values_list("pk", flat=True))
    return [r for r in results if r.sheet.pk in visible]


def sheet_result(sheet: AssessmentSheet) -> UnitResult:
    """One unit's breakdown (its rank needs the whole round: the same fixed queries)."""
    return next(r for r in round_results(sheet.round) if r.sheet.pk == sheet.pk)


def assessment_ranking(round_: AssessmentRound) -> list[UnitResult]:
    """The units of ``round_`` ranked, best first, each with ``unit``, ``final_total``,
    ``rank``, ``grade``, ``commended`` and ``criticised`` — for the demonstration sites'
    candidates. The caller has read the round within the user's scope."""
    return [r for r in round_results(round_) if r.rank is not None]


def rounds_of(scheme: AssessmentScheme):
    return AssessmentRound.objects.filter(scheme=scheme)


def round_for(*, county, level: int, year: int) -> AssessmentRound | None:
    """The round of ``county``'s scheme for its units of ``level`` in ``year`` (None when
    there is none); the caller has read ``county`` within the user's scope."""
    return (AssessmentRound.objects.select_related("scheme__region")
            .filter(scheme__region=county, scheme__level=level, scheme__year=year).first())
