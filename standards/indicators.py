"""The computed items of the standards: a registry of indicators, each ``(units, year) ->
{unit id: Evidence}`` for many units at once in a fixed number of queries (never a query per
unit). A standard's computed item names its indicator by key; a new check is one function
here, registered with ``@indicator(...)``.

A unit's own rows count for the organisation items (its profile, its chair, its plan, its
ledgers); the people and the liaison officers are counted over its subtree (a township's
register and roster are its villages'). "In force" means on the last day of the year, or
today for the current year."""

import datetime as dt
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.scope import path_upper_bound
from ledgers.models import AnnualPlan
from ledgers.registry import ledgers
from orgs.models import Level, OrgProfile, OrgUnit, active_q
from people.choices import Status
from people.models import Person
from workforce.choices import PostKind
from workforce.models import Appointment, SubsidyPolicy
from workforce.rules import Held, PolicyTerms, covers


@dataclass(frozen=True)
class Evidence:
    """Whether a unit meets an item, in a short sentence, and where the rows it rests on are."""

    met: bool
    text: str
    url: str = ""


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    levels: frozenset
    evaluate: Callable  # evaluate(units, year) -> {unit id: Evidence}


_INDICATORS: dict[str, Indicator] = {}


def indicator(key: str, label, levels):
    """Register the decorated ``(units, year) -> {unit id: Evidence}`` as ``key``."""

    def register(function):
        _INDICATORS[key] = Indicator(key, label, frozenset(levels), function)
        return function

    return register


def indicators() -> list[Indicator]:
    return sorted(_INDICATORS.values(), key=lambda i: i.key)


def get(key: str) -> Indicator | None:
    return _INDICATORS.get(key)


def choices() -> list[tuple[str, str]]:
    return [(i.key, i.label) for i in indicators()]


def evaluate(key: str, units, year: int) -> dict[int, Evidence]:
    """``key``'s evidence for each of ``units`` (an unknown key: not met, said so)."""
    units = list(units)
    found = get(key)
    if found is None:
        return {u.pk: Evidence(False, _("Unknown indicator %(key)s.") % {"key": key})
                for u in units}
    if not units:
        return {}
    return found.evaluate(units, year)


def as_of(year: int) -> dt.date:
    """The day an item of ``year`` is judged on: the year's last day, or today."""
    return min(timezone.localdate(), dt.date(year, 12, 31))


def _unit_url(unit) -> str:
    return reverse("orgs:unit_detail", args=[unit.pk])


def _board_url(unit) -> str:
    return reverse("workforce:board_unit", args=[unit.pk])


def _subtree_counts(rows, units) -> dict[int, int]:
    """{unit id: the sum of ``rows``' counts at the unit or beneath it}; ``rows`` are (unit
    path, count) pairs."""
    ordered = sorted(rows)
    paths = [path for path, _n in ordered]
    sums = [0]
    for _path, n in ordered:
        sums.append(sums[-1] + n)
    result = {}
    for unit in units:
        lo = bisect_left(paths, unit.path)
        hi = bisect_left(paths, path_upper_bound(unit.path))
        result[unit.pk] = sums[hi] - sums[lo]
    return result


def _span(units, field: str) -> Q:
    """The one path range holding the subtrees of every unit of ``units``."""
    low = min(u.path for u in units)
    high = max(path_upper_bound(u.path) for u in units)
    return Q(**{f"{field}__gte": low, f"{field}__lt": high})


def _current(on):
    """Every appointment in force on ``on`` (the callers narrow it to their units)."""
    return Appointment.objects.current(on)


def _profiles(units) -> dict[int, OrgProfile]:
    return {p.unit_id: p for p in OrgProfile._base_manager.filter(
        unit_id__in=[u.pk for u in units])}


# ---- the organisation's profile --------------------------------------------------------------

ORG_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)


@indicator("organisation", gettext_lazy("Has its organisation (DPF or association)"),
           ORG_LEVELS)
def has_organisation(units, year):
    profiles = _profiles(units)
    return {u.pk: Evidence(True, _("Organisation recorded"), _unit_url(u)) if u.pk in profiles
            else Evidence(False, _("No organisation is recorded"), _unit_url(u))
            for u in units}


@indicator("plaque", gettext_lazy("Plaque displayed (the organisation's profile)"), ORG_LEVELS)
def plaque(units, year):
    profiles = _profiles(units)
    result = {}
    for u in units:
        profile = profiles.get(u.pk)
        met = profile is not None and profile.has_plaque
        result[u.pk] = Evidence(met, _("The profile says the plaque is displayed") if met
                                else _("The profile does not say a plaque is displayed"),
                                _unit_url(u))
    return result


@indicator("office", gettext_lazy("Has an office (an office address in the profile)"),
           ORG_LEVELS)
def office(units, year):
    profiles = _profiles(units)
    result = {}
    for u in units:
        address = profiles[u.pk].address.strip() if u.pk in profiles else ""
        result[u.pk] = Evidence(bool(address), address or _("No office address is recorded"),
                                _unit_url(u))
    return result


@indicator("funds", gettext_lazy("Has office funds (a yearly amount in the profile)"),
           ORG_LEVELS)
def funds(units, year):
    profiles = _profiles(units)
    result = {}
    for u in units:
        amount = profiles[u.pk].office_funds_per_year if u.pk in profiles else None
        met = bool(amount and amount > 0)
        result[u.pk] = Evidence(met, _("%(amount)s yuan a year") % {"amount": amount} if met
                                else _("No office funds are recorded"), _unit_url(u))
    return result


# ---- posts and subsidies (workforce) ---------------------------------------------------------

@indicator("chair_appointed",
           gettext_lazy("Chair appointed with an appointing document"), ORG_LEVELS)
def chair_appointed(units, year):
    on = as_of(year)
    documents = defaultdict(list)
    held = set()
    for unit_id, number in (_current(on).filter(post__kind=PostKind.CHAIR,
                                                post__unit_id__in=[u.pk for u in units])
                            .values_list("post__unit_id", "document_number")):
        held.add(unit_id)
        if number:
            documents[unit_id].append(number)
    result = {}
    for u in units:
        if documents.get(u.pk):
            result[u.pk] = Evidence(True, "、".join(documents[u.pk]), _board_url(u))
        elif u.pk in held:
            result[u.pk] = Evidence(False, _("The chair's appointment names no document"),
                                    _board_url(u))
        else:
            result[u.pk] = Evidence(False, _("No chair is in post"), _board_url(u))
    return result


@indicator("liaison_officers",
           gettext_lazy("Liaison officers in post (at the unit or beneath it)"), ORG_LEVELS)
def liaison_officers(units, year):
    rows = (_current(as_of(year)).filter(_span(units, "post__unit__path"),
                                         post__kind=PostKind.LIAISON)
            .order_by().values("post__unit__path").annotate(n=Count("pk"))
            .values_list("post__unit__path", "n"))
    counts = _subtree_counts(list(rows), units)
    return {u.pk: Evidence(counts[u.pk] > 0, _("%(n)s liaison officers in post")
                           % {"n": counts[u.pk]}, _board_url(u)) for u in units}


@indicator("subsidy", gettext_lazy("The liaison officer's subsidy is set by a policy"),
           (Level.TOWNSHIP, Level.VILLAGE))
def subsidy(units, year):
    on = as_of(year)
    by_id = {u.pk: u for u in units}
    appointments = list(_current(on).filter(post__kind=PostKind.LIAISON,
                                            post__unit_id__in=list(by_id))
                        .values_list("pk", "post__unit_id", "starts_on", "ended_on"))
    regions = {i for u in units for i in u.ancestor_ids}
    policies = [PolicyTerms(p.pk, p.post_kind, p.unit_level, p.unit_kind, p.unit.path, p.kind,
                            p.monthly_amount, p.valid_from, p.valid_to)
                for p in SubsidyPolicy._base_manager.select_related("unit").filter(
                    post_kind=PostKind.LIAISON, unit_id__in=regions, valid_from__lte=on)
                .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=dt.date(year, 1, 1)))]
    officers = defaultdict(list)
    for pk, unit_id, starts_on, ended_on in appointments:
        u = by_id[unit_id]
        officers[unit_id].append(Held(pk, PostKind.LIAISON, u.level, u.kind, u.path, starts_on,
                                      ended_on))
    result = {}
    for u in units:
        if not officers.get(u.pk):
            result[u.pk] = Evidence(False, _("No liaison officer is in post"), _board_url(u))
            continue
        covering = [t for h in officers[u.pk] for t in policies if covers(t, h)]
        if covering:
            best = covering[0]
            result[u.pk] = Evidence(True, _("%(amount)s yuan a month") % {
                "amount": best.monthly_amount},
                reverse("workforce:policy_edit", args=[best.key]))
        else:
            result[u.pk] = Evidence(False, _("No subsidy policy covers the liaison officer"),
                                    reverse("workforce:policy_list"))
    return result


# ---- the register and the ledgers ------------------------------------------------------------

@indicator("people_data", gettext_lazy("Disabled people in the register (the unit's subtree)"),
           ORG_LEVELS)
def people_data(units, year):
    rows = (Person._base_manager.filter(_span(units, "unit__path"), status=Status.ACTIVE)
            .order_by().values("unit__path").annotate(n=Count("pk"))
            .values_list("unit__path", "n"))
    counts = _subtree_counts(list(rows), units)
    base = reverse("people:person_list")
    return {u.pk: Evidence(counts[u.pk] > 0, _("%(n)s people in the register")
                           % {"n": counts[u.pk]}, f"{base}?unit={u.pk}") for u in units}


@indicator("annual_plan", gettext_lazy("An annual work plan for the year (targets)"),
           ORG_LEVELS)
def annual_plan(units, year):
    plans = dict(AnnualPlan._base_manager.filter(unit_id__in=[u.pk for u in units], year=year)
                 .values_list("unit_id", "pk"))
    return {u.pk: Evidence(True, _("Annual plan %(year)s") % {"year": year},
                           reverse("ledgers:annualplan_detail", args=[plans[u.pk]]))
            if u.pk in plans else
            Evidence(False, _("No annual plan for %(year)s") % {"year": year},
                     reverse("ledgers:annualplan_list"))
            for u in units}


@indicator("archive", gettext_lazy("Ledger entries this year (the work archive)"),
           (Level.TOWNSHIP, Level.VILLAGE))
def archive(units, year):
    totals = defaultdict(int)
    ids = [u.pk for u in units]
    for ledger in ledgers():  # one query per declared ledger, whatever the number of units
        for unit_id, n in ledger.counts(ids, year).items():
            totals[unit_id] += n
    return {u.pk: Evidence(totals[u.pk] > 0, _("%(n)s ledger entries in %(year)s")
                           % {"n": totals[u.pk], "year": year},
                           reverse("ledgers:book_unit", args=[u.pk]) + f"?year={year}")
            for u in units}


# ---- 三个百分之百: a county's coverage -----------------------------------------------------------

@dataclass
class Share:
    """Of ``total`` units, those with what is counted; ``missing`` the others."""

    total: int = 0
    missing: list = None

    def __post_init__(self):
        self.missing = [] if self.missing is None else self.missing

    @property
    def met(self) -> int:
        return self.total - len(self.missing)

    @property
    def percent(self) -> int | None:
        return None if not self.total else round(100 * self.met / self.total)

    @property
    def complete(self) -> bool:
        return self.total > 0 and not self.missing


@dataclass
class Coverage:
    """三个百分之百 of one county: townships with a DPF, villages and communities with an
    association, both with a liaison officer in post (at the unit itself)."""

    unit: OrgUnit
    townships: Share
    villages: Share
    liaison: Share


def coverage(counties, on: dt.date) -> dict[int, Coverage]:
    """The coverage of each of ``counties`` on ``on``: three queries for them all."""
    counties = list(counties)
    result = {c.pk: Coverage(c, Share(), Share(), Share()) for c in counties}
    if not counties:
        return result
    units = list(OrgUnit._base_manager.filter(
        _span(counties, "path"), active_q(on), level__in=[Level.TOWNSHIP, Level.VILLAGE])
        .order_by("path"))
    ids = [u.pk for u in units]
    with_profile = set(OrgProfile._base_manager.filter(unit_id__in=ids)
                       .values_list("unit_id", flat=True))
    with_liaison = set(_current(on).filter(post__kind=PostKind.LIAISON, post__unit_id__in=ids)
                       .values_list("post__unit_id", flat=True))
    for u in units:
        county = next((result[i] for i in u.ancestor_ids if i in result), None)
        if county is None:
            continue
        share = county.townships if u.level == Level.TOWNSHIP else county.villages
        share.total += 1
        if u.pk not in with_profile:
            share.missing.append(u)
        county.liaison.total += 1
        if u.pk not in with_liaison:
            county.liaison.missing.append(u)
    return result


def _share_evidence(units, year, which: str, noun: str) -> dict[int, Evidence]:
    found = coverage(units, as_of(year))
    result = {}
    for u in units:
        share = getattr(found[u.pk], which)
        text = _("%(met)s of %(total)s %(noun)s (%(percent)s %%)") % {
            "met": share.met, "total": share.total, "noun": noun,
            "percent": share.percent if share.percent is not None else "—"}
        result[u.pk] = Evidence(share.complete, text,
                                reverse("standards:coverage", args=[u.pk]) + f"#{which}")
    return result


@indicator("township_dpf_share", gettext_lazy("Every township has a DPF"), (Level.COUNTY,))
def township_dpf_share(units, year):
    return _share_evidence(units, year, "townships", _("townships"))


@indicator("village_association_share",
           gettext_lazy("Every village and community has an association"), (Level.COUNTY,))
def village_association_share(units, year):
    return _share_evidence(units, year, "villages", _("villages and communities"))


@indicator("liaison_share",
           gettext_lazy("Every township, village and community has a liaison officer"),
           (Level.COUNTY,))
def liaison_share(units, year):
    return _share_evidence(units, year, "liaison", _("townships, villages and communities"))


# ---- measured indicators: a number to hold against a target (responsibility agreements) -------

@dataclass(frozen=True)
class Measure(Evidence):
    """Evidence with a number (``value``, in ``unit``: "%", "次", "条"), which a target of a
    responsibility agreement is held against; ``met`` says whether there is any at all."""

    value: Decimal | None = None
    unit: str = ""


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _year_span(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), as_of(year)


@indicator("visit_rate", gettext_lazy("Visit rate: people in the register visited this year "
                                      "(%)"), ORG_LEVELS)
def visit_rate(units, year):
    start, end = _year_span(year)
    rows = list(Person._base_manager.filter(_span(units, "unit__path"), status=Status.ACTIVE)
                .order_by().values("unit__path")
                .annotate(n=Count("pk", distinct=True),
                          seen=Count("pk", distinct=True,
                                     filter=Q(visits__visited_on__gte=start,
                                              visits__visited_on__lte=end)))
                .values_list("unit__path", "n", "seen"))
    people = _subtree_counts([(p, n) for p, n, _s in rows], units)
    seen = _subtree_counts([(p, s) for p, _n, s in rows], units)
    base = reverse("people:visit_coverage")
    result = {}
    for u in units:
        value = _percent(seen[u.pk], people[u.pk])
        result[u.pk] = Measure(
            value is not None, _("%(seen)s of %(n)s people visited") % {
                "seen": seen[u.pk], "n": people[u.pk]}, base, value, "%")
    return result


@indicator("liaison_coverage", gettext_lazy("Villages and communities with a liaison officer "
                                            "in post (%)"), ORG_LEVELS)
def liaison_coverage(units, year):
    on = as_of(year)
    villages = list(OrgUnit._base_manager.filter(_span(units, "path"), active_q(on),
                                                 level=Level.VILLAGE)
                    .values_list("pk", "path"))
    filled = set(_current(on).filter(_span(units, "post__unit__path"),
                                     post__kind=PostKind.LIAISON)
                 .values_list("post__unit_id", flat=True))
    total = _subtree_counts([(path, 1) for _pk, path in villages], units)
    held = _subtree_counts([(path, 1) for pk, path in villages if pk in filled], units)
    result = {}
    for u in units:
        value = _percent(held[u.pk], total[u.pk])
        result[u.pk] = Measure(
            value is not None, _("%(held)s of %(n)s villages and communities") % {
                "held": held[u.pk], "n": total[u.pk]}, _board_url(u), value, "%")
    return result


@indicator("trainings_held", gettext_lazy("Trainings held this year (at the unit or beneath "
                                          "it)"), ORG_LEVELS)
def trainings_held(units, year):
    from workforce.models import TrainingSession

    rows = (TrainingSession._base_manager.filter(_span(units, "unit__path"),
                                                 starts_on__year=year)
            .order_by().values("unit__path").annotate(n=Count("pk"))
            .values_list("unit__path", "n"))
    counts = _subtree_counts(list(rows), units)
    base = reverse("workforce:training_list")
    return {u.pk: Measure(counts[u.pk] > 0, _("%(n)s trainings in %(year)s") % {
        "n": counts[u.pk], "year": year}, base, Decimal(counts[u.pk]), "次") for u in units}


@indicator("ledger_entries", gettext_lazy("Ledger entries this year (at the unit or beneath "
                                          "it)"), ORG_LEVELS)
def ledger_entries(units, year):
    beneath = dict(OrgUnit._base_manager.filter(_span(units, "path")).values_list("pk", "path"))
    totals = defaultdict(int)
    for ledger in ledgers():  # one query per declared ledger, whatever the number of units
        for unit_id, n in ledger.counts(list(beneath), year).items():
            totals[beneath[unit_id]] += n
    counts = _subtree_counts(list(totals.items()), units)
    return {u.pk: Measure(counts[u.pk] > 0, _("%(n)s ledger entries in %(year)s") % {
        "n": counts[u.pk], "year": year},
        reverse("ledgers:book_unit", args=[u.pk]) + f"?year={year}",
        Decimal(counts[u.pk]), "条") for u in units}


@indicator("needs_met", gettext_lazy("Needs registered this year that were met (%)"),
           ORG_LEVELS)
def needs_met(units, year):
    from people.choices import NeedStatus
    from people.models import Need

    start, end = _year_span(year)
    rows = list(Need._base_manager.filter(_span(units, "person__unit__path"),
                                          registered_on__gte=start, registered_on__lte=end)
                .order_by().values("person__unit__path")
                .annotate(n=Count("pk"), met=Count("pk", filter=Q(status=NeedStatus.MET)))
                .values_list("person__unit__path", "n", "met"))
    total = _subtree_counts([(p, n) for p, n, _m in rows], units)
    met = _subtree_counts([(p, m) for p, _n, m in rows], units)
    base = reverse("people:need_list")
    result = {}
    for u in units:
        value = _percent(met[u.pk], total[u.pk])
        result[u.pk] = Measure(value is not None, _("%(met)s of %(n)s needs met") % {
            "met": met[u.pk], "n": total[u.pk]}, f"{base}?unit={u.pk}", value, "%")
    return result


# ---- has rules 有制度: a rules document attached (issue 16, second part) ---------------------

@indicator("rules_attached",
           gettext_lazy("Has rules (a rules document attached for the year)"), ORG_LEVELS)
def rules_attached(units, year):
    """Met by a rules document of the year (standards' RulesDocument) with a file attached;
    the evidence is the file. Two queries for any number of units."""
    from django.contrib.contenttypes.models import ContentType

    from ledgers.models import Attachment

    from .models import RulesDocument

    documents = dict(RulesDocument._base_manager.filter(
        unit_id__in=[u.pk for u in units], year=year).values_list("pk", "unit_id"))
    first = {}
    for pk, owner_id in (Attachment._base_manager.filter(
            owner_type=ContentType.objects.get_for_model(RulesDocument),
            owner_id__in=list(documents)).order_by("owner_id", "id")
            .values_list("pk", "owner_id")):
        first.setdefault(documents[owner_id], pk)
    return {u.pk: Evidence(True, _("Rules document for %(year)s attached") % {"year": year},
                           reverse("ledgers:attachment_file", args=[first[u.pk]]))
            if u.pk in first else
            Evidence(False, _("No rules document for %(year)s is attached") % {"year": year},
                     reverse("standards:rules_add", args=[u.pk]) + f"?year={year}")
            for u in units}
