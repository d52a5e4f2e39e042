"""Writes of subsidies and payroll: policies, runs (computed as a preview, then
confirmed and locked), adjustments. Each checks permission and scope (core.actors.require),
applies workforce/rules.py, writes in one transaction and records its audit entry.

Two people confirming the same period at once cannot both succeed: the confirmation locks
the rows of the run's unit and of every unit above it (``select_for_update``, top down),
so two runs whose subtrees overlap are confirmed one after the other, and the second finds
the first; a unique constraint on (unit, cycle, period) for confirmed runs stands behind
it."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import audit_record, audit_ref, diff_fields
from core.actors import require, user_of
from core.versions import check_version
from imports.engine.fastinsert import insert_columns, insert_rows
from orgs.models import OrgUnit
from people.identity import normalise_id

from . import payroll_selectors as selectors
from . import rules
from .choices import LineKind, RunStatus
from .models import PayrollLine, PayrollRun, SubsidyPolicy, Worker

POLICY_FIELDS = ("name", "post_kind", "unit_level", "unit_kind", "kind", "funding", "cycle",
                 "monthly_amount", "valid_from", "valid_to", "document_number")
LINE_BATCH = 2000


def _errors(problems: dict[str, str]) -> None:
    if problems:
        raise ValidationError({name: [message] for name, message in problems.items()})


def _policy_values(policy: SubsidyPolicy) -> dict:
    return {name: getattr(policy, name) for name in POLICY_FIELDS}


def _check_policy(policy: SubsidyPolicy) -> None:
    _errors(rules.policy({**_policy_values(policy), "region_level": policy.unit.level}))


@transaction.atomic
def policy_create(*, actor, unit: OrgUnit, **fields) -> SubsidyPolicy:
    """A subsidy policy for posts beneath ``unit``."""
    unknown = set(fields) - set(POLICY_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    require(actor, "workforce.add_subsidypolicy", unit)
    policy = SubsidyPolicy(unit=unit)
    for name, value in fields.items():
        setattr(policy, name, "" if value is None and name in ("unit_kind", "document_number")
                else value)
    _check_policy(policy)
    policy.save()
    audit_record(actor=actor, action=Action.CREATE, obj=policy, changes=diff_fields(
        {}, {"unit": audit_ref(unit), **_policy_values(policy)}))
    return policy


@transaction.atomic
def policy_update(*, actor, policy: SubsidyPolicy, expected_version: int | None = None,
                  started_from: dict | None = None, **fields) -> SubsidyPolicy:
    """Change a policy. Confirmed runs keep the amounts they were confirmed with."""
    require(actor, "workforce.change_subsidypolicy", policy)
    unknown = set(fields) - set(POLICY_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    policy = SubsidyPolicy.objects.select_for_update(of=("self",)).select_related("unit").get(
        pk=policy.pk)
    check_version(policy, expected_version=expected_version, started_from=started_from)
    before = _policy_values(policy)
    for name, value in fields.items():
        setattr(policy, name, "" if value is None and name in ("unit_kind", "document_number")
                else value)
    _check_policy(policy)
    changes = diff_fields(before, _policy_values(policy))
    if changes:
        policy.version += 1
        policy.save()
        audit_record(actor=actor, action=Action.UPDATE, obj=policy, changes=changes)
    return policy


# ---- runs ------------------------------------------------------------------------------------

def _refuse_locked(unit: OrgUnit, cycle: str, start, end, *, exclude=None) -> None:
    overlap = selectors.confirmed_overlap(unit=unit, cycle=cycle, start=start, end=end)
    if exclude is not None:
        overlap = overlap.exclude(pk=exclude)
    other = overlap.select_related("unit").first()
    if other is not None:
        raise ValidationError({"part": _(
            "%(period)s is confirmed already for %(unit)s (batch %(batch)s) and locked: "
            "correct it with an adjustment line.") % {
            "period": other.period_label, "unit": other.unit.name, "batch": other.batch}})


def _compute(run: PayrollRun) -> dict:
    """Compute ``run``'s lines and write them (the platform's fastest insert: a county's
    20,000 lines in one COPY on PostgreSQL); returns their totals."""
    inputs = selectors.payroll_inputs(unit=run.unit, cycle=run.cycle, start=run.period_start,
                                      end=run.period_end)
    pays = rules.subsidy_pay(inputs.held, inputs.terms, start=run.period_start,
                             end=run.period_end)
    fields = insert_columns(PayrollLine)
    names = [f.attname for f in fields]
    template = [None] * len(fields)
    for name, value in (("run_id", run.pk), ("line_kind", LineKind.COMPUTED), ("batch", 1),
                        ("reason", ""), ("created_at", timezone.now())):
        template[names.index(name)] = value
    at = [names.index(name) for name in (
        "unit_id", "worker_id", "appointment_id", "policy_id", "subsidy_kind", "post_title",
        "monthly_amount", "days", "basis", "amount")]
    rows, workers, total = [], set(), Decimal("0.00")
    for pay in pays:
        worker_id, unit_id, title = inputs.posts[pay.held]
        row = template.copy()
        for i, value in zip(at, (unit_id, worker_id, pay.held, pay.policy, pay.kind, title,
                                 pay.monthly_amount, pay.days, pay.basis, pay.amount),
                            strict=True):
            row[i] = value
        rows.append(tuple(row))
        workers.add(worker_id)
        total += pay.amount
    insert_rows(PayrollLine, fields, rows)
    return {"lines": len(rows), "workers": len(workers), "total": str(total)}


@transaction.atomic
def payroll_run(*, actor, unit: OrgUnit, cycle: str, year: int, part: int) -> PayrollRun:
    """Compute the subsidies of a period for ``unit``'s subtree, as a preview (a run not yet
    confirmed). Refused for a period confirmed already for this subtree or one that
    overlaps it."""
    require(actor, "workforce.add_payrollrun", unit)
    start, end = rules.period_bounds(cycle, year, part)
    _errors(rules.run_period(cycle=cycle, start=start, today=timezone.localdate()))
    _refuse_locked(unit, cycle, start, end)
    run = PayrollRun.objects.create(unit=unit, cycle=cycle, period_start=start,
                                    period_end=end, created_by=user_of(actor))
    totals = _compute(run)
    audit_record(actor=actor, action=Action.CREATE, obj=run, changes=diff_fields({}, {
        "unit": audit_ref(unit), "cycle": cycle, "period_start": start,
        "period_end": end}), detail=totals)
    return run


@transaction.atomic
def payroll_refresh(*, actor, run: PayrollRun) -> PayrollRun:
    """Compute a preview again (after appointments or policies changed)."""
    require(actor, "workforce.add_payrollrun", run)
    run = PayrollRun.objects.select_for_update(of=("self",)).select_related("unit").get(pk=run.pk)
    if run.is_locked:
        raise ValidationError(_("This run is confirmed and locked: correct it with an "
                                "adjustment line."))
    run.lines.all().delete()
    totals = _compute(run)
    run.version += 1
    run.save(update_fields=["version"])
    audit_record(actor=actor, action=Action.UPDATE, obj=run, detail=totals)
    return run


def _lock_units(unit: OrgUnit) -> None:
    """Lock the rows of ``unit`` and every unit above it, top down (the confirmation's
    mutex for every subtree that overlaps this one)."""
    list(OrgUnit.objects.select_for_update().filter(pk__in=unit.ancestor_ids)
         .order_by("path").values_list("pk", flat=True))


@transaction.atomic
def payroll_confirm(*, actor, run: PayrollRun, expected_version: int | None = None,
                    started_from: dict | None = None) -> PayrollRun:
    """Confirm a preview as it stands: the run is locked from now on and gets its batch
    number. Refused when this period is confirmed already for an overlapping subtree."""
    require(actor, "workforce.confirm_payrollrun", run)
    run = PayrollRun.objects.select_related("unit").get(pk=run.pk)
    _lock_units(run.unit)
    run = PayrollRun.objects.select_for_update(of=("self",)).select_related("unit").get(pk=run.pk)
    check_version(run, expected_version=expected_version, started_from=started_from)
    if run.is_locked:
        raise ValidationError(_("This run is confirmed already."))
    _refuse_locked(run.unit, run.cycle, run.period_start, run.period_end, exclude=run.pk)
    sequence = PayrollRun.objects.filter(status=RunStatus.CONFIRMED, cycle=run.cycle,
                                         period_start=run.period_start).count() + 1
    run.status = RunStatus.CONFIRMED
    run.batch = f"{run.period_start:%Y%m}-{sequence:02d}"
    run.confirmed_by, run.confirmed_at = user_of(actor), timezone.now()
    run.version += 1
    try:
        with transaction.atomic():
            run.save()
    except IntegrityError as exc:  # the constraint behind the lock
        raise ValidationError(_("This period has just been confirmed by someone else.")) \
            from exc
    summary = selectors.run_summary(run)
    audit_record(actor=actor, action=Action.UPDATE, obj=run, changes={
        "status": [RunStatus.DRAFT, RunStatus.CONFIRMED], "batch": ["", run.batch]},
        detail={"lines": summary.lines, "workers": summary.workers,
                "total": str(summary.total)})
    return run


@transaction.atomic
def payroll_adjust(*, actor, run: PayrollRun, id_number: str, subsidy_kind: str,
                   amount: Decimal | None, reason: str) -> PayrollLine:
    """A correction of a confirmed run: a line of its own, with the reason, paid in a
    batch of its own. The run's computed lines never change."""
    require(actor, "workforce.add_payrollline", run)
    run = PayrollRun.objects.select_for_update(of=("self",)).select_related("unit").get(pk=run.pk)
    if not run.is_locked:
        raise ValidationError(_("A preview is not corrected: compute it again, then "
                                "confirm it."))
    problems = rules.adjustment(amount=amount, reason=reason)
    worker = Worker.objects.visible_to(actor).with_id(normalise_id(id_number or "")).first()
    line = None
    if worker is None:
        problems.setdefault("id_number", _("No worker with this ID number in your area."))
    else:
        line = run.lines.filter(worker=worker).order_by("id").first()
        if line is None and not Worker.objects.within(run.unit).filter(pk=worker.pk).exists():
            problems.setdefault("id_number", _("This worker is not in this run's area."))
    _errors(problems)
    batch = (run.lines.aggregate(last=Max("batch"))["last"] or 1) + 1
    adjustment = PayrollLine.objects.create(
        run=run, unit_id=line.unit_id if line else worker.unit_id, worker=worker,
        appointment_id=line.appointment_id if line else None, line_kind=LineKind.ADJUSTMENT,
        subsidy_kind=subsidy_kind, post_title=line.post_title if line else "",
        amount=amount, batch=batch, reason=reason.strip(), created_by=user_of(actor))
    audit_record(actor=actor, action=Action.CREATE, obj=adjustment, unit=run.unit, changes={
        "run": [None, audit_ref(run)], "worker": [None, audit_ref(worker)],
        "amount": [None, str(amount)], "reason": ["", adjustment.reason],
        "batch": [None, batch]})
    return adjustment
