"""The 100-point assessment's rules 百分制目标考核: pure functions over values — an item's
points by its scoring method, a unit's total with its bonus and veto, ranks with ties,
grades by the scheme's bands, who is commended and criticised, and what a scheme, a round
and a score sheet may do next. Called by the services, the selectors and the demo alike."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from .choices import StandardStatus

ZERO = Decimal("0")
HUNDRED = Decimal("100")
TENTH = Decimal("0.1")

# The scoring methods.
MANUAL = "manual"          # points given by hand (on site, a household visit), 0 to max
INDICATOR = "indicator"    # computed: max × a share (0–1) or a check met (1) or not (0)
PRO_RATA = "pro_rata"      # value / target × max, capped (at max + the item's bonus)
DEDUCTION = "deduction"    # max − a fixed deduction per miss or late report, floored at 0
VETO = "veto"              # any case caps (or zeroes) the total; no points of its own
METHODS = (MANUAL, INDICATOR, PRO_RATA, DEDUCTION, VETO)

# The grades, best first; a scheme sets where each begins.
EXCELLENT, GOOD, PASS, FAIL = "excellent", "good", "pass", "fail"

# The round's steps.
ROUND_OPEN, ROUND_CONFIRMED = "open", "confirmed"


def points(value) -> Decimal:
    """A number of points, to one decimal place."""
    return Decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Scored:
    """An item's points: ``base`` counts towards the 100, ``bonus`` is above the item's
    maximum (the scheme's bonus cap applies to the sum), ``vetoed`` a veto item's case."""

    base: Decimal = ZERO
    bonus: Decimal = ZERO
    vetoed: bool = False


def score_item(*, method: str, max_points, value, target=None, per_miss=None,
               bonus_max=ZERO) -> Scored:
    """The points of an item scored by ``method`` for ``value`` (None: not scored yet,
    zero points). ``value`` means, by method: the points given (manual), a share 0–1
    (indicator), the amount reached (pro rata, against ``target``), the number of misses
    (deduction, ``per_miss`` each), the number of cases (veto)."""
    top = Decimal(max_points)
    if value is None:
        return Scored()
    value = Decimal(value)
    if method == VETO:
        return Scored(vetoed=value > 0)
    if method == MANUAL:
        return Scored(points(min(max(value, ZERO), top)))
    if method == INDICATOR:
        share = min(max(value, ZERO), Decimal(1))
        return Scored(points(top * share))
    if method == PRO_RATA:
        if not target or Decimal(target) <= 0:
            return Scored()
        raw = max(value, ZERO) / Decimal(target) * top
        extra = Decimal(bonus_max or 0)
        return Scored(points(min(raw, top)), points(min(max(raw - top, ZERO), extra)))
    if method == DEDUCTION:
        lost = max(value, ZERO) * Decimal(per_miss or 0)
        return Scored(points(max(top - lost, ZERO)))
    return Scored()


def total(scored, *, bonus_cap=ZERO, veto_caps=()) -> Decimal:
    """A unit's total: the items' base points, plus their bonus up to the scheme's
    ``bonus_cap``; then capped at the lowest cap of the veto items that caught a case
    (``veto_caps``, 0 zeroes the total)."""
    scored = list(scored)
    base = sum((s.base for s in scored), ZERO)
    bonus = min(sum((s.bonus for s in scored), ZERO), Decimal(bonus_cap or 0))
    result = base + bonus
    caps = [Decimal(c) for c in veto_caps]
    if caps:
        result = min(result, min(caps))
    return points(max(result, ZERO))


def grade(score, *, excellent_from, good_from, pass_from) -> str:
    """The grade of ``score`` by the scheme's bands (优秀, 良好, 合格, 不合格)."""
    if score is None:
        return ""
    score = Decimal(score)
    if score >= Decimal(excellent_from):
        return EXCELLENT
    if score >= Decimal(good_from):
        return GOOD
    if score >= Decimal(pass_from):
        return PASS
    return FAIL


def ranks(scores: dict) -> dict:
    """{key: rank} for {key: score}, highest first; equal scores share a rank and the next
    rank skips (1, 2, 2, 4). A key without a score (None) has no rank."""
    ordered = sorted((s for s in scores.values() if s is not None), reverse=True)
    first = {}
    for n, s in enumerate(ordered, start=1):
        first.setdefault(s, n)
    return {key: (first[s] if s is not None else None) for key, s in scores.items()}


def commended(ranked: dict, *, share_percent) -> set:
    """The keys commended: those whose rank falls in the top ``share_percent`` of the ranked
    units (rounded down, at least one when the share is above 0); a tie at the border is
    commended whole."""
    count = sum(1 for r in ranked.values() if r is not None)
    share = Decimal(share_percent or 0)
    if not count or share <= 0:
        return set()
    places = max(int(count * share / HUNDRED), 1)
    return {key for key, r in ranked.items() if r is not None and r <= places}


def criticised(ranked: dict, *, count, spared=frozenset()) -> set:
    """The keys criticised: the lowest ``count`` ranks (a tie at the border criticised
    whole), never one that is commended (``spared``)."""
    ranked_keys = [(r, key) for key, r in ranked.items() if r is not None]
    if not count or not ranked_keys:
        return set()
    ranked_keys.sort(reverse=True)
    border = ranked_keys[min(count, len(ranked_keys)) - 1][0]
    return {key for r, key in ranked_keys if r >= border and key not in spared}


# ---- what a scheme may do --------------------------------------------------------------------

def scheme_change_problem(status: str) -> str | None:
    if status == StandardStatus.PUBLISHED:
        return _("A published scheme is not changed: copy it for a new year and change the "
                 "copy.")
    return None


def publish_problem(*, max_total, items: int) -> str | None:
    """Why a scheme cannot be published (None: it can): its items' maxima must sum to 100."""
    if items == 0:
        return _("A scheme without items cannot be published.")
    if Decimal(max_total) != HUNDRED:
        return _("The items' maximum points add up to %(total)s, not 100: a scheme is "
                 "published when they add up to 100.") % {"total": points(max_total)}
    return None


def bands_problems(*, excellent_from, good_from, pass_from) -> dict:
    problems = {}
    values = [excellent_from, good_from, pass_from]
    if any(v is None for v in values):
        problems["excellent_from"] = _("Give where each grade begins.")
    elif not (HUNDRED >= Decimal(excellent_from) > Decimal(good_from) > Decimal(pass_from)
              > ZERO):
        problems["excellent_from"] = _("The grades begin at falling scores between 0 and "
                                       "100: excellent above good, good above pass.")
    return problems


def item_problems(*, text: str, method: str, max_points, measure: str, target, per_miss,
                  bonus_max, veto_cap, scheme_bonus_cap, measures: set) -> dict:
    """What is wrong with an item; ``measures``: the keys of the computed measures."""
    problems = {}
    if not (text or "").strip():
        problems["text"] = _("Say what the item assesses.")
    if method not in METHODS:
        problems["method"] = _("Choose how the item is scored.")
        return problems
    if measure and measure not in measures:
        problems["measure"] = _("This measure does not exist.")
    if method == INDICATOR and not measure:
        problems["measure"] = _("An item computed from an indicator names the indicator.")
    if method == VETO:
        if max_points not in (None, "") and Decimal(max_points) != 0:
            problems["max_points"] = _("A veto item has no points of its own: give 0.")
        if veto_cap is None or not ZERO <= Decimal(veto_cap) <= HUNDRED:
            problems["veto_cap"] = _("Give the score the total is capped at when the veto "
                                     "applies (0 zeroes it).")
    elif max_points is None or not ZERO < Decimal(max_points) <= HUNDRED:
        problems["max_points"] = _("Give the item's maximum points, above 0 and at most 100.")
    if method == PRO_RATA and (target is None or Decimal(target) <= 0):
        problems["target"] = _("An item scored pro rata names its target, above 0.")
    if method == DEDUCTION and (per_miss is None or Decimal(per_miss) <= 0):
        problems["per_miss"] = _("Give the points deducted per miss, above 0.")
    if bonus_max and Decimal(bonus_max) > 0:
        if method != PRO_RATA:
            problems["bonus_max"] = _("Only an item scored pro rata earns bonus points.")
        elif not scheme_bonus_cap or Decimal(scheme_bonus_cap) <= 0:
            problems["bonus_max"] = _("This scheme allows no bonus points (its bonus cap "
                                      "is 0).")
    return problems


def copy_problems(*, year, exists: bool) -> dict:
    if year is None or not 2000 <= year <= 2100:
        return {"year": _("Give a year between 2000 and 2100.")}
    if exists:
        return {"year": _("This county already has a scheme for that year and level.")}
    return {}


# ---- what a round and its score sheets may do ------------------------------------------------

def round_problem(*, scheme_status: str, exists: bool) -> str | None:
    if scheme_status != StandardStatus.PUBLISHED:
        return _("A round is held on a published scheme.")
    if exists:
        return _("This scheme already has its round.")
    return None


def share_problems(*, commend_percent, criticise_count) -> dict:
    problems = {}
    if commend_percent is None or not ZERO <= Decimal(commend_percent) <= HUNDRED:
        problems["commend_percent"] = _("Give a share between 0 and 100 %.")
    if criticise_count is None or criticise_count < 0:
        problems["criticise_count"] = _("Give a number of units, 0 or more.")
    return problems


def self_score_problem(*, round_status: str, inspected: bool) -> str | None:
    """Why a unit may not score itself now: the round is confirmed, or the inspectors have
    already scored it (the self-score comes first)."""
    if round_status == ROUND_CONFIRMED:
        return _("The round is confirmed: its scores are frozen.")
    if inspected:
        return _("The inspectors have scored this unit: its self-score is no longer "
                 "changed.")
    return None


def inspect_problem(*, round_status: str, self_scored: bool) -> str | None:
    """Why the inspectors may not score a unit now: the round is confirmed, or the unit has
    not scored itself yet (each unit scores itself first)."""
    if round_status == ROUND_CONFIRMED:
        return _("The round is confirmed: its scores are frozen.")
    if not self_scored:
        return _("The unit has not scored itself yet: each unit scores itself first, then "
                 "the inspectors.")
    return None


def confirm_problem(*, round_status: str, sheets: int, inspected: int) -> str | None:
    if round_status == ROUND_CONFIRMED:
        return _("The round is already confirmed.")
    if not sheets:
        return _("The round has no units.")
    if inspected < sheets:
        return _("%(n)s of %(total)s units are not scored by the inspectors yet.") % {
            "n": sheets - inspected, "total": sheets}
    return None


def value_problem(*, method: str, max_points, value) -> str | None:
    """What is wrong with a value typed for a hand-scored item."""
    if value is None:
        return _("Give a value for every item.")
    value = Decimal(value)
    if value < 0:
        return _("A value is 0 or more.")
    if method == MANUAL and value > Decimal(max_points):
        return _("At most %(max)s points.") % {"max": points(max_points)}
    return None


def gain(*, method: str, max_points, value, target=None, per_miss=None) -> str:
    """What would raise an item below its maximum, in a short sentence."""
    top = Decimal(max_points)
    if method == INDICATOR:
        return _("Raise the share towards 100 %% (now %(now)s %%).") % {
            "now": points(Decimal(value or 0) * HUNDRED)}
    if method == PRO_RATA and target:
        missing = max(Decimal(target) - Decimal(value or 0), ZERO)
        return _("Reach the target of %(target)s (%(missing)s more).") % {
            "target": points(target), "missing": points(missing)}
    if method == DEDUCTION:
        return _("Each miss avoided gives back %(each)s points (%(n)s misses now).") % {
            "each": points(per_miss or 0), "n": points(value or 0).normalize()}
    return _("Up to %(max)s points: see the item's criteria.") % {"max": points(top)}
