"""The reads of the work record book, the meetings and the annual plans: each starts from
``visible_to`` (core/scope.py); the plan's flags come from rules.plan_flags."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from core.scope import get_visible_or_404
from orgs.models import OrgUnit
from workforce.models import Worker

from . import rules
from .models import AnnualPlan, Meeting, PlanFulfilment, PlanItem, WorkEntry
from .records_filters import AnnualPlanFilterSet, MeetingFilterSet, WorkEntryFilterSet
from .registry import KEEPING_LEVELS, ledgers

# The plan status page lists at most so many units (narrowed by a unit).
STATUS_LIMIT = 500


# ---- the work record book --------------------------------------------------------------------

def workentry_list(*, user, filters=None) -> QuerySet:
    qs = (WorkEntry.objects.visible_to(user).select_related("unit", "created_by")
          .annotate(note_count=Count("notes")))
    return WorkEntryFilterSet.apply(qs, filters, user=user)


def workentry_get(*, user, pk) -> WorkEntry:
    return get_visible_or_404(WorkEntry.objects.select_related("unit", "created_by"), user,
                              pk=pk)


def workentry_notes(entry: WorkEntry) -> list:
    return list(entry.notes.order_by("written_at", "id"))


# ---- meetings ----------------------------------------------------------------------------

def meeting_list(*, user, filters=None) -> QuerySet:
    qs = Meeting.objects.visible_to(user).select_related("unit")
    return MeetingFilterSet.apply(qs, filters, user=user)


def meeting_get(*, user, pk) -> Meeting:
    return get_visible_or_404(Meeting.objects.select_related("unit", "created_by"), user,
                              pk=pk)


def meeting_attendees(meeting: Meeting, *, user) -> list[Worker]:
    """The workers recorded as attending whom ``user`` may see, in the order of the tree."""
    return list(meeting.attendees.filter(pk__in=Worker.objects.visible_to(user).values("pk"))
                .select_related("unit").order_by("unit__path", "name", "id"))


def meeting_candidates(*, user, meeting: Meeting) -> list[Worker]:
    """The workers ``user`` may tick as attending: those kept in the meeting's unit's area."""
    return list(Worker.objects.visible_to(user).within(meeting.unit).select_related("unit")
                .order_by("unit__path", "name", "id"))


# ---- the annual plan ---------------------------------------------------------------------

def _items():
    return PlanItem.objects.annotate(fulfilled_n=Count("fulfilments")).order_by("id")


def plan_items_prefetch() -> Prefetch:
    """A plan's items with the count of what fulfils each (for the flags)."""
    return Prefetch("items", queryset=_items())


def item_state(item: PlanItem) -> rules.ItemState:
    fulfilled = getattr(item, "fulfilled_n", None)
    if fulfilled is None:  # read without _items (one query)
        fulfilled = item.fulfilments.count()
    return rules.ItemState(kind=item.kind, influential=item.influential, title=item.title,
                           due_on=item.due_on, fulfilled=fulfilled > 0)


@dataclass
class PlanFlags:
    minimum: list[str] = field(default_factory=list)
    unfulfilled: list[str] = field(default_factory=list)

    @property
    def all(self) -> list[str]:
        return self.minimum + self.unfulfilled


def plan_flags(plan: AnnualPlan, *, today=None) -> PlanFlags:
    """What ``plan`` is flagged for (its ``items`` read with _items, as the list's are)."""
    today = today or timezone.localdate()
    states = [item_state(item) for item in plan.items.all()]
    reasons = [rules.item_unfulfilled(s, year=plan.year, today=today) for s in states]
    return PlanFlags(minimum=rules.plan_minimum_problems(states),
                     unfulfilled=[r for r in reasons if r])


def plan_list(*, user, filters=None) -> QuerySet:
    qs = (AnnualPlan.objects.visible_to(user).select_related("unit")
          .prefetch_related(Prefetch("items", queryset=_items())))
    return AnnualPlanFilterSet.apply(qs, filters, user=user)


def plan_get(*, user, pk) -> AnnualPlan:
    return get_visible_or_404(
        AnnualPlan.objects.select_related("unit", "created_by")
        .prefetch_related(Prefetch("items", queryset=_items())), user, pk=pk)


def planitem_get(*, user, pk) -> PlanItem:
    return get_visible_or_404(PlanItem.objects.select_related("plan__unit"), user, pk=pk)


def fulfilment_get(*, user, pk) -> PlanFulfilment:
    return get_visible_or_404(PlanFulfilment.objects.select_related("item__plan__unit"), user,
                              pk=pk)


@dataclass
class Fulfilled:
    """A link to an entry fulfilling an item: the link, the entry (None when it is gone or
    out of the user's sight), its ledger's title and its date."""

    link: PlanFulfilment
    entry: object
    ledger_title: str
    date: object


def _ledger_of_model():
    return {ledger.model: ledger for ledger in ledgers()}


def item_fulfilments(items, *, user) -> dict[int, list[Fulfilled]]:
    """{item pk: what fulfils it}: the links, then the entries read once per ledger (within
    the user's scope)."""
    links = list(PlanFulfilment.objects.filter(item__in=[i.pk for i in items])
                 .order_by("item_id", "id"))
    by_type = defaultdict(set)
    for link in links:
        by_type[link.content_type_id].add(link.object_id)
    known = _ledger_of_model()
    entries = {}
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        for entry in model._default_manager.visible_to(user).filter(pk__in=ids):
            entries[(type_id, entry.pk)] = entry
    result: dict[int, list[Fulfilled]] = defaultdict(list)
    for link in links:
        entry = entries.get((link.content_type_id, link.object_id))
        ledger = known.get(type(entry)) if entry is not None else None
        result[link.item_id].append(Fulfilled(
            link=link, entry=entry, ledger_title=str(ledger.title) if ledger else "",
            date=getattr(entry, ledger.date_field, None) if ledger else None))
    return dict(result)


def fulfilment_candidates(*, user, item: PlanItem, ledger, limit: int = 200) -> list:
    """The entries of ``ledger`` that could fulfil ``item``: the plan's unit's own, dated in
    the plan's year, that the user may see, newest first."""
    plan = item.plan
    qs = ledger.year_entries([plan.unit_id], plan.year).filter(
        pk__in=ledger.model._default_manager.visible_to(user).values("pk"))
    return list(qs.order_by(f"-{ledger.date_field}", "-pk")[:limit])


@dataclass
class UnitPlan:
    unit: OrgUnit
    plan: AnnualPlan | None
    flags: PlanFlags | None


def plan_status(*, user, year: int, unit: OrgUnit | None = None, today=None) -> list[UnitPlan]:
    """Every keeping unit (township, village) of the user's area (or of ``unit``'s), with its
    plan for ``year`` and that plan's flags: who has none, whose lacks its minimum content,
    whose has unfulfilled items. At most STATUS_LIMIT units; three queries."""
    today = today or timezone.localdate()
    units = OrgUnit.objects.visible_to(user).active().filter(level__in=KEEPING_LEVELS)
    if unit is not None:
        units = units.within(unit)
    units = list(units.select_related("parent").order_by("path")[:STATUS_LIMIT])
    plans = {p.unit_id: p for p in AnnualPlan.objects.visible_to(user).filter(
        year=year, unit__in=[u.pk for u in units]).prefetch_related(
        Prefetch("items", queryset=_items()))}
    rows = []
    for one in units:
        plan = plans.get(one.pk)
        rows.append(UnitPlan(unit=one, plan=plan,
                             flags=plan_flags(plan, today=today) if plan else None))
    return rows


# ---- the ledger book's shortfalls (ledgers/declared.py) ------------------------------------

def plan_shortfalls(units, year: int, counts: dict) -> dict[int, list[str]]:
    """What each unit's plan of ``year`` lacks (no plan, its minimum content, items left
    unfulfilled): {unit id: sentences}, two queries for any number of units."""
    from django.utils.translation import gettext as _

    ids = [unit.pk for unit in units if counts.get(unit.pk)]
    plans = {plan.unit_id: plan for plan in AnnualPlan.objects.filter(
        unit_id__in=ids, year=year).prefetch_related(Prefetch("items", queryset=_items()))}
    out = {}
    for unit in units:
        plan = plans.get(unit.pk)
        out[unit.pk] = plan_flags(plan).all if plan else \
            [_("No annual plan for %(year)s.") % {"year": year}]
    return out


def workbook_shortfalls(units, year: int, counts: dict) -> dict[int, list[str]]:
    """The months of ``year`` (those already over) without a work record, per unit: one
    query for any number of units."""
    from django.utils.translation import gettext as _

    today = timezone.localdate()
    dates = defaultdict(list)
    ids = [unit.pk for unit in units if counts.get(unit.pk)]
    for unit_id, day in WorkEntry.objects.filter(
            unit_id__in=ids, written_on__year=year).values_list("unit_id", "written_on"):
        dates[unit_id].append(day)
    out = {}
    for unit in units:
        if not counts.get(unit.pk):
            out[unit.pk] = [_("No entry in the work record book in %(year)s.")
                            % {"year": year}] if today.year >= year else []
            continue
        months = rules.months_without_entries(dates[unit.pk], year=year, today=today)
        out[unit.pk] = [_("No entry in %(n)s months: %(months)s.") % {
            "n": len(months), "months": "、".join(f"{m}月" for m in months)}] if months else []
    return out


def meeting_shortfalls(unit, year: int, count: int) -> list[str]:
    from django.utils.translation import gettext as _

    if not count and timezone.localdate().year >= year:
        return [_("No meeting recorded in %(year)s.") % {"year": year}]
    return []
