"""The reads of the responsibility agreements: every one starts from ``visible_to`` (甲方 or
乙方 in the user's subtree); the indicators of many agreements' tasks and the missing
inspections are read in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from core.scope import get_visible_or_404
from orgs.models import Level, OrgUnit

from . import agreements_rules as rules
from . import indicators
from .agreements_choices import AgreementStatus
from .models import Agreement, AgreementFinding, AgreementInspection, AgreementTask


def agreements_for(*, user):
    return (Agreement.objects.visible_to(user).select_related("party_a", "party_b")
            .order_by("-year", "party_a__path", "party_b__path", "party_b_name", "id"))


def agreement_list(*, user, filters=None):
    queryset = agreements_for(user=user)
    return filters.filter_queryset(queryset) if filters is not None else queryset


def agreement_get(*, user, pk) -> Agreement:
    found = agreements_for(user=user).select_related("department__committee__unit")
    return get_visible_or_404(found, user, pk=pk)


def task_get(*, user, pk) -> AgreementTask:
    return get_visible_or_404(AgreementTask.objects.select_related(
        "agreement__party_a", "agreement__party_b"), user, pk=pk)


def inspection_get(*, user, pk) -> AgreementInspection:
    return get_visible_or_404(AgreementInspection.objects.select_related(
        "agreement__party_a", "agreement__party_b", "recorded_by"), user, pk=pk)


def may_manage(user, agreement: Agreement) -> bool:
    """Whether ``user`` manages ``agreement``: holds the right and sees its 甲方 (乙方 only
    reads it)."""
    return user.has_perm("standards.change_agreement") and OrgUnit.objects.visible_to(user) \
        .filter(pk=agreement.party_a_id).exists()


@dataclass
class TaskLine:
    """A task with its computed value against its target (``reached``: True, False, or
    None when it cannot be said)."""

    task: AgreementTask
    number: str
    evidence: indicators.Evidence | None = None
    reached: bool | None = None
    findings: list = field(default_factory=list)  # per inspection, in quarter order

    @property
    def value(self):
        return getattr(self.evidence, "value", None)

    @property
    def value_unit(self) -> str:
        return getattr(self.evidence, "unit", "") or self.task.target_unit


def task_lines(agreements) -> dict[int, list[TaskLine]]:
    """{agreement id: its tasks, each with its indicator's value for 乙方}: one query per
    indicator used (indicators.evaluate is batched over the units), whatever the number of
    agreements; the tasks come prefetched (``agreements`` from with_tasks)."""
    agreements = list(agreements)
    wanted = defaultdict(dict)  # indicator -> {unit id: unit}
    for a in agreements:
        for t in a.tasks.all():
            if t.indicator and a.party_b_id:
                wanted[t.indicator][a.party_b_id] = a.party_b
    values = {}  # (indicator, unit id) -> Evidence
    for key, units in wanted.items():
        year_units = defaultdict(list)
        for a in agreements:
            if a.party_b_id in units:
                year_units[a.year].append(a.party_b)
        for year, group in year_units.items():
            unique = list({u.pk: u for u in group}.values())
            for unit_id, evidence in indicators.evaluate(key, unique, year).items():
                values[(key, unit_id, year)] = evidence
    result = {}
    for a in agreements:
        lines = []
        for n, t in enumerate(a.tasks.all(), start=1):
            line = TaskLine(t, rules.numeral(n))
            evidence = values.get((t.indicator, a.party_b_id, a.year)) if t.indicator else None
            if evidence is not None:
                line.evidence = evidence
                line.reached = rules.target_met(getattr(evidence, "value", None),
                                                t.target_value, evidence.met)
            lines.append(line)
        result[a.pk] = lines
    return result


def with_tasks(queryset):
    return queryset.prefetch_related(Prefetch("tasks", AgreementTask.objects.order_by(
        "order", "id")))


def agreement_page(*, agreement: Agreement) -> dict:
    """What the agreement's page shows: its numbered tasks with their values, and each
    inspection with its findings, the quarters missing."""
    agreement = with_tasks(Agreement.objects.filter(pk=agreement.pk)
                           .select_related("party_a", "party_b")).get()
    lines = task_lines([agreement])[agreement.pk]
    inspections = list(agreement.inspections.order_by("quarter", "id").prefetch_related(
        Prefetch("findings", AgreementFinding.objects.all())))
    by_task = {line.task.pk: line for line in lines}
    for inspection in inspections:
        found = {f.task_id: f for f in inspection.findings.all()}
        for task_id, line in by_task.items():
            line.findings.append(found.get(task_id))
    missing = rules.missing_quarters(status=agreement.status, year=agreement.year,
                                     inspected={i.quarter for i in inspections},
                                     today=timezone.localdate())
    return {"agreement": agreement, "lines": lines, "inspections": inspections,
            "missing": missing}


@dataclass(frozen=True)
class Reminder:
    """A signed agreement whose ended quarters have no inspection."""

    agreement: Agreement
    quarters: tuple


def missing_inspections(*, user, today=None) -> list[Reminder]:
    """The signed agreements whose 甲方 is in the user's subtree (the level above) with an
    ended quarter that has no inspection: two queries (one when there are none), however
    many agreements."""
    today = today or timezone.localdate()
    unit = getattr(user, "unit", None)
    if unit is None or unit.level >= Level.VILLAGE \
            or not user.has_perm("standards.view_agreement"):
        return []  # a village or community is never 甲方
    managed = OrgUnit.objects.visible_to(user).values("pk")
    signed = list(Agreement.objects.visible_to(user)
                  .filter(status=AgreementStatus.SIGNED, year__lte=today.year,
                          party_a_id__in=managed)
                  .select_related("party_a", "party_b")
                  .order_by("year", "party_a__path", "party_b__path", "party_b_name", "id"))
    if not signed:
        return []
    inspected = defaultdict(set)
    for agreement_id, quarter in (AgreementInspection.objects
                                  .filter(agreement_id__in=[a.pk for a in signed])
                                  .values_list("agreement_id", "quarter")):
        inspected[agreement_id].add(quarter)
    reminders = []
    for a in signed:
        missing = rules.missing_quarters(status=a.status, year=a.year,
                                         inspected=inspected[a.pk], today=today)
        if missing:
            reminders.append(Reminder(a, tuple(missing)))
    return reminders


def print_context(*, agreement: Agreement) -> dict:
    agreement = with_tasks(Agreement.objects.filter(pk=agreement.pk)
                           .select_related("party_a", "party_b")).get()
    lines = [TaskLine(t, rules.numeral(n)) for n, t in enumerate(agreement.tasks.all(), 1)]
    return {"agreement": agreement, "lines": lines,
            "copies": ["甲方留存", "乙方留存"]}


