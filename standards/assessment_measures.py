"""What the assessment's computed items are computed from: a registry of measures, each
``(units, year) -> {unit id: Measure}`` for many units at once in a fixed number of queries
(never a query per unit), like the standards' indicators — and every indicator of
standards/indicators.py is a measure too (1 when met, 0 when not). A new measure is one
function here, registered with ``@measure(...)``.

The people, the visits, the needs and the liaison officers are counted over a unit's
subtree (a township's are its villages'); the ledgers, the trainings and the standards at
the unit itself."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.scope import SEGMENT_WIDTH
from ledgers.models import Petition
from ledgers.petitions_choices import OPEN
from ledgers.registry import ledgers
from people.choices import NeedStatus, Status
from people.models import Need, Person, Visit
from workforce.choices import PostKind
from workforce.models import TrainingSession

from . import indicators
from .indicators import _span, _subtree_counts, as_of


@dataclass(frozen=True)
class Measure:
    """A unit's value for a measure (a share 0–1, a count), what it means in a short
    sentence, and where the rows it rests on are."""

    value: Decimal
    text: str
    url: str = ""


@dataclass(frozen=True)
class MeasureDef:
    key: str
    label: str
    evaluate: Callable  # evaluate(units, year) -> {unit id: Measure}
    share: bool = False  # a share 0–1 (shown in per cent)


_MEASURES: dict[str, MeasureDef] = {}


def measure(key: str, label, *, share: bool = False):
    def register(function):
        _MEASURES[key] = MeasureDef(key, label, function, share)
        return function

    return register


def _from_indicator(key: str):
    def evaluate(units, year):
        return {pk: Measure(Decimal(1 if e.met else 0), e.text, e.url)
                for pk, e in indicators.evaluate(key, units, year).items()}
    return evaluate


def measures() -> list[MeasureDef]:
    found = dict(_MEASURES)
    for i in indicators.indicators():
        found.setdefault(i.key, MeasureDef(i.key, i.label, _from_indicator(i.key), True))
    return sorted(found.values(), key=lambda m: m.key)


def keys() -> set[str]:
    return {m.key for m in measures()}


def choices() -> list[tuple[str, str]]:
    return [(m.key, m.label) for m in measures()]


def evaluate(key: str, units, year: int) -> dict[int, Measure]:
    units = list(units)
    found = next((m for m in measures() if m.key == key), None)
    if found is None:
        return {u.pk: Measure(Decimal(0), _("Unknown measure %(key)s.") % {"key": key})
                for u in units}
    if not units:
        return {}
    return found.evaluate(units, year)


def _share(n: int, of: int) -> Decimal:
    return Decimal(n) / Decimal(of) if of else Decimal(0)


def _percent(value: Decimal) -> str:
    return f"{(value * 100).quantize(Decimal('0.1'))}"


# ---- the register: visits and needs ----------------------------------------------------------

@measure("visit_rate", gettext_lazy("Visit rate: people in the register visited this year"),
         share=True)
def visit_rate(units, year):
    people = (Person._base_manager.filter(_span(units, "unit__path"), status=Status.ACTIVE)
              .order_by().values("unit__path").annotate(n=Count("pk"))
              .values_list("unit__path", "n"))
    visited = (Person._base_manager.filter(_span(units, "unit__path"), status=Status.ACTIVE)
               .filter(pk__in=Visit.objects.filter(visited_on__year=year).values("person_id"))
               .order_by().values("unit__path").annotate(n=Count("pk"))
               .values_list("unit__path", "n"))
    total = _subtree_counts(list(people), units)
    seen = _subtree_counts(list(visited), units)
    base = reverse("people:person_list")
    result = {}
    for u in units:
        value = _share(seen[u.pk], total[u.pk])
        result[u.pk] = Measure(value, _("%(seen)s of %(total)s people visited (%(p)s %%)") % {
            "seen": seen[u.pk], "total": total[u.pk], "p": _percent(value)},
            f"{base}?unit={u.pk}")
    return result


@measure("needs_met", gettext_lazy("Needs met: of the needs closed this year, the share met"),
         share=True)
def needs_met(units, year):
    closed = Need.objects.filter(_span(units, "person__unit__path"), closed_on__year=year,
                                 status__in=[NeedStatus.MET, NeedStatus.UNMET])
    rows = list(closed.order_by().values("person__unit__path", "status")
                .annotate(n=Count("pk")).values_list("person__unit__path", "status", "n"))
    total = _subtree_counts([(p, n) for p, _s, n in rows], units)
    met = _subtree_counts([(p, n) for p, s, n in rows if s == NeedStatus.MET], units)
    result = {}
    for u in units:
        value = _share(met[u.pk], total[u.pk]) if total[u.pk] else Decimal(1)
        result[u.pk] = Measure(value, _("%(met)s of %(total)s needs closed this year were "
                                        "met") % {"met": met[u.pk], "total": total[u.pk]},
                               reverse("people:person_list") + f"?unit={u.pk}")
    return result


# ---- the workforce ---------------------------------------------------------------------------

@measure("liaison_count", gettext_lazy("Liaison officers in post (at the unit or beneath it)"))
def liaison_count(units, year):
    rows = (indicators._current(as_of(year)).filter(_span(units, "post__unit__path"),
                                                     post__kind=PostKind.LIAISON)
            .order_by().values("post__unit__path").annotate(n=Count("pk"))
            .values_list("post__unit__path", "n"))
    counts = _subtree_counts(list(rows), units)
    return {u.pk: Measure(Decimal(counts[u.pk]), _("%(n)s liaison officers in post")
                          % {"n": counts[u.pk]},
                          reverse("workforce:board_unit", args=[u.pk])) for u in units}


@measure("trainings", gettext_lazy("Trainings held by the unit this year"))
def trainings(units, year):
    counts = dict(TrainingSession.objects.filter(unit_id__in=[u.pk for u in units],
                                                 starts_on__year=year)
                  .order_by().values("unit_id").annotate(n=Count("pk"))
                  .values_list("unit_id", "n"))
    return {u.pk: Measure(Decimal(counts.get(u.pk, 0)), _("%(n)s trainings in %(year)s") % {
        "n": counts.get(u.pk, 0), "year": year}) for u in units}


# ---- the ledgers -----------------------------------------------------------------------------

@measure("ledger_entries", gettext_lazy("Ledger entries kept this year (at the unit)"))
def ledger_entries(units, year):
    totals = defaultdict(int)
    ids = [u.pk for u in units]
    for ledger in ledgers():  # one query per declared ledger, whatever the number of units
        for unit_id, n in ledger.counts(ids, year).items():
            totals[unit_id] += n
    return {u.pk: Measure(Decimal(totals[u.pk]), _("%(n)s ledger entries in %(year)s") % {
        "n": totals[u.pk], "year": year},
        reverse("ledgers:book_unit", args=[u.pk]) + f"?year={year}") for u in units}


@measure("late_petitions",
         gettext_lazy("Letters and visits answered late or overdue this year (the subtree)"))
def late_petitions(units, year):
    today = as_of(year)
    late = (Petition.objects.filter(_span(units, "unit__path"), received_on__year=year)
            .filter(Q(status__in=sorted(OPEN), deadline__lt=today)
                    | Q(replied_on__isnull=False, replied_on__gt=F("deadline"))))
    rows = late.order_by().values("unit__path").annotate(n=Count("pk")).values_list(
        "unit__path", "n")
    counts = _subtree_counts(list(rows), units)
    return {u.pk: Measure(Decimal(counts[u.pk]), _("%(n)s letters and visits answered late")
                          % {"n": counts[u.pk]},
                          reverse("ledgers:petition_overdue")) for u in units}


@measure("escalated_petitions",
         gettext_lazy("Petitions over the unit's head: its people's letters and visits "
                      "registered above it this year"))
def escalated_petitions(units, year):
    """A petition of a registered person of the unit's subtree, received this year at a
    unit above it (the county, the city…): the case went over the unit's head."""
    by_path = {u.path: u.pk for u in units}
    counts = defaultdict(int)
    for at, home in (Petition.objects.filter(_span(units, "person__unit__path"),
                                             received_on__year=year)
                     .values_list("unit__path", "person__unit__path")):
        for cut in range(SEGMENT_WIDTH, len(home) + 1, SEGMENT_WIDTH):
            pk = by_path.get(home[:cut])
            if pk is not None and not at.startswith(home[:cut]):
                counts[pk] += 1
    return {u.pk: Measure(Decimal(counts[u.pk]), _("%(n)s petitions registered above the "
                                                   "unit") % {"n": counts[u.pk]},
                          reverse("ledgers:petition_list")) for u in units}


# ---- the standards ---------------------------------------------------------------------------

@measure("standards_attainment",
         gettext_lazy("Standards attainment: the share of the standards' items met"),
         share=True)
def standards_attainment(units, year):
    from .selectors import results

    found = results(units, year)
    out = {}
    for u in units:
        met = sum(r.met for r in found[u.pk])
        total = sum(r.total for r in found[u.pk])
        value = _share(met, total)
        out[u.pk] = Measure(value, _("%(met)s of %(total)s items met") % {
            "met": met, "total": total}, reverse("standards:unit", args=[u.pk])
            + f"?year={year}")
    return out
