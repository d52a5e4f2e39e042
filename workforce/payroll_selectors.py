"""Reads of subsidies and payroll, each starting from ``visible_to(user)``. A run's inputs
(every appointment of its subtree in the period, every policy that may cover them) are two
queries whatever the number of officers; a sheet's lines one more."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import translation

from core.scope import get_visible_or_404, subtree_filter
from orgs.models import OrgUnit

from . import rules
from .choices import LineKind, RunStatus, post_title
from .models import Appointment, PayrollLine, PayrollRun, SubsidyPolicy, Worker


def policy_list(*, user) -> list[SubsidyPolicy]:
    """The policies of the user's area and those of the regions above it, which apply in
    it too (``own``: of the user's area, so theirs to change)."""
    own = SubsidyPolicy.objects.visible_to(user)
    above = getattr(getattr(user, "unit", None), "ancestor_ids", [])[:-1]
    policies = list(SubsidyPolicy.objects.filter(
        Q(pk__in=own.values("pk")) | Q(unit_id__in=above)).select_related("unit").order_by(
        "-valid_from", "post_kind", "unit_level", "id"))
    for policy in policies:
        policy.own = policy.unit_id not in above
    return policies


def policy_get(*, user, pk) -> SubsidyPolicy:
    return get_visible_or_404(SubsidyPolicy.objects.select_related("unit"), user, pk=pk)


def run_list(*, user) -> QuerySet:
    return (PayrollRun.objects.visible_to(user).select_related("unit", "confirmed_by")
            .annotate(total=Sum("lines__amount"), workers=Count("lines__worker",
                                                                 distinct=True))
            .order_by("-period_start", "-id"))


def run_get(*, user, pk) -> PayrollRun:
    return get_visible_or_404(PayrollRun.objects.select_related("unit", "confirmed_by"),
                              user, pk=pk)


def run_lines(run: PayrollRun, *, batch: int | None = None,
              part: OrgUnit | None = None) -> QuerySet:
    """A run's lines in the order of the sheet: by township, unit, worker (``part``: only
    those of a unit of the run's area and beneath it)."""
    lines = PayrollLine.objects.filter(run=run).select_related(
        "unit__parent", "worker", "policy").order_by(
        "batch", "unit__path", "worker__name", "worker_id", "id")
    if part is not None:
        lines = lines.filter(PayrollLine.objects.scope_q(part.path))
    return lines if batch is None else lines.filter(batch=batch)


def run_parts(run: PayrollRun) -> list[OrgUnit]:
    """The units just beneath the run's unit, to print the sheet one of them at a time."""
    return list(OrgUnit.objects.filter(parent=run.unit).order_by("path"))


def run_part(*, user, run: PayrollRun, pk) -> OrgUnit:
    """A unit of the run's area (and the user's), or 404."""
    return get_visible_or_404(OrgUnit.objects.filter(subtree_filter(run.unit.path)), user,
                              pk=pk)


@dataclass
class RunSummary:
    lines: int
    workers: int
    total: Decimal
    adjustments: int
    batches: list[int]
    without_account: int


def run_summary(run: PayrollRun) -> RunSummary:
    """The totals of a run (three queries whatever its size)."""
    agg = PayrollLine.objects.filter(run=run).aggregate(
        lines=Count("id"), workers=Count("worker", distinct=True), total=Sum("amount"),
        adjustments=Count("id", filter=Q(line_kind=LineKind.ADJUSTMENT)))
    batches = sorted(set(PayrollLine.objects.filter(run=run).values_list("batch", flat=True)))
    without = Worker.objects.filter(payroll_lines__run=run, bank_cipher="").distinct().count()
    return RunSummary(agg["lines"], agg["workers"], agg["total"] or Decimal("0.00"),
                      agg["adjustments"], batches, without)


def worker_subsidy(*, user, worker: Worker) -> list[PayrollLine] | None:
    """The confirmed subsidy lines of ``worker`` for their own file: shown to whoever reads
    payroll in their scope, and to the worker themselves (their login); None to others."""
    own = worker.user_id is not None and worker.user_id == getattr(user, "pk", None)
    if not own and not user.has_perm("workforce.view_payrollrun"):
        return None
    return list(PayrollLine.objects.visible_to(user).filter(
        worker=worker, run__status=RunStatus.CONFIRMED).select_related("run", "unit")
        .order_by("-run__period_start", "batch", "id")[:60])


def confirmed_overlap(*, unit: OrgUnit, cycle: str, start, end) -> QuerySet:
    """Confirmed runs of ``cycle`` whose period meets ``start``–``end`` and whose subtree
    contains ``unit`` or lies beneath it."""
    return PayrollRun.objects.filter(
        Q(unit_id__in=unit.ancestor_ids) | PayrollRun.objects.scope_q(unit.path),
        status=RunStatus.CONFIRMED, cycle=cycle, period_start__lte=end,
        period_end__gte=start)


@dataclass
class PayrollInputs:
    held: list[rules.Held]
    terms: list[rules.PolicyTerms]
    # appointment id → (worker id, post's unit id, the post's title)
    posts: dict[int, tuple[int, int, str]]


def payroll_inputs(*, unit: OrgUnit, cycle: str, start, end) -> PayrollInputs:
    """Everything a run computes from: the appointments of ``unit``'s subtree held at some
    time from ``start`` to ``end``, and the policies of ``cycle`` in force then whose region
    is above ``unit`` or beneath it (two queries)."""
    rows = (Appointment.objects.within(unit).filter(starts_on__lte=end)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=start))
            .order_by().values_list(
                "id", "worker_id", "post__unit_id", "post__kind", "post__title",
                "post__unit__level", "post__unit__kind", "post__unit__path", "starts_on",
                "ended_on"))
    held, posts = [], {}
    with translation.override("zh-hans"):
        titles = {}
        for pk, worker_id, unit_id, kind, title, level, unit_kind, path, starts, ended in rows:
            held.append(rules.Held(pk, kind, level, unit_kind, path, starts, ended))
            if not title:
                title = titles.get((kind, level))
                if title is None:
                    title = titles[(kind, level)] = post_title(kind, level)
            posts[pk] = (worker_id, unit_id, title)
    policies = (SubsidyPolicy.objects.filter(
        Q(unit_id__in=unit.ancestor_ids) | SubsidyPolicy.objects.scope_q(unit.path),
        cycle=cycle, valid_from__lte=end).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=start)).values_list(
        "id", "post_kind", "unit_level", "unit_kind", "unit__path", "kind", "monthly_amount",
        "valid_from", "valid_to"))
    terms = [rules.PolicyTerms(*row) for row in policies]
    return PayrollInputs(held, terms, posts)
