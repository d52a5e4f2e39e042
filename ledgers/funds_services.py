"""Writes to the funds ledger (经费台账): keyword-only, the actor first, checked against
ledgers/funds_rules.py, ``full_clean``, one transaction, an audit entry each.

An entry is written by users who may write for its unit (the paying unit of a transfer):
the unit beneath that receives a transfer sees it but cannot change it. A changed entry is
refused when someone else saved it after the form was opened (core/versions.py); an
entry is never deleted, it is voided with a reason and then counts nowhere."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit.models import Action
from audit.services import audit_record, audit_ref, diff_fields
from core.actors import require, user_of
from core.versions import check_version
from orgs.models import OrgUnit

from . import funds_rules as rules
from .funds_choices import FundFlow
from .models import FundEntry

FUND_FIELDS = ("kind", "flow", "amount", "occurred_on", "year", "counterpart", "summary",
               "party", "voucher", "note")
TEXT_FIELDS = {"summary", "party", "voucher", "note"}


def _assign(entry: FundEntry, fields: dict) -> None:
    unknown = set(fields) - set(FUND_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    for name, value in fields.items():
        if name in TEXT_FIELDS:
            value = (value or "").strip()
        elif name == "amount" and value is not None:
            parsed, _problem = rules.parse_amount(value)
            value = parsed if parsed is not None else value
        setattr(entry, name, value)
    if entry.year in (None, "") and entry.occurred_on is not None:
        entry.year = entry.occurred_on.year
    if entry.flow != FundFlow.TRANSFER and "counterpart" not in fields:
        entry.counterpart = None


def _values(entry: FundEntry) -> dict:
    values = {name: getattr(entry, name) for name in FUND_FIELDS if name != "counterpart"}
    values["counterpart"] = audit_ref(entry.counterpart) if entry.counterpart_id else None
    return values


def _check(actor, entry: FundEntry) -> None:
    counterpart = entry.counterpart if entry.counterpart_id else None
    if counterpart is not None and not OrgUnit.objects.visible_to(actor).filter(
            pk=counterpart.pk).exists():
        raise PermissionDenied
    problems = rules.entry_problems(
        {name: getattr(entry, name) for name in FUND_FIELDS}, unit_path=entry.unit.path,
        counterpart_path=counterpart.path if counterpart is not None else None,
        today=timezone.localdate())
    if problems:
        raise ValidationError({name: [message] for name, message in problems.items()})
    entry.full_clean(exclude=["unit", "counterpart", "created_by"])


def may_write(actor, entry: FundEntry) -> bool:
    """Whether ``actor`` may change or void ``entry`` (its paying unit is theirs)."""
    return actor is not None and actor.has_perm("ledgers.change_fundentry") \
        and OrgUnit.objects.visible_to(actor).filter(pk=entry.unit_id).exists()


@transaction.atomic
def fund_entry_create(*, actor, unit: OrgUnit, **fields) -> FundEntry:
    """Record money ``unit`` received, spent or transferred down to ``counterpart``."""
    require(actor, "ledgers.add_fundentry", unit)
    entry = FundEntry(unit=unit, created_by=user_of(actor), year=None)
    _assign(entry, fields)
    _check(actor, entry)
    entry.save()
    audit_record(actor=actor, action=Action.CREATE, obj=entry,
                 changes=diff_fields({}, {"unit": audit_ref(unit), **_values(entry)}))
    return entry


@transaction.atomic
def fund_entry_update(*, actor, fundentry: FundEntry, expected_version: int | None = None,
                      started_from: dict | None = None, **fields) -> FundEntry:
    """Change an entry (its unit stays); refused when voided or stale."""
    require(actor, "ledgers.change_fundentry", fundentry.unit)
    # No select_related: PostgreSQL locks no row of the nullable side of an outer join.
    entry = FundEntry.objects.select_for_update().get(pk=fundentry.pk)
    check_version(entry, expected_version=expected_version, started_from=started_from)
    if entry.voided:
        raise ValidationError(rules.void_problems(reason="", voided=True)["reason"])
    before = _values(entry)
    _assign(entry, fields)
    _check(actor, entry)
    changes = diff_fields(before, _values(entry))
    if changes:
        entry.version += 1
        entry.save()
        audit_record(actor=actor, action=Action.UPDATE, obj=entry, changes=changes)
    return entry


@transaction.atomic
def fund_entry_void(*, actor, fundentry: FundEntry, reason: str,
                    expected_version: int | None = None,
                    started_from: dict | None = None) -> FundEntry:
    """Void an entry (the delete of the funds ledger): it stays, marked, with why and by
    whom, and counts in no total."""
    require(actor, "ledgers.change_fundentry", fundentry.unit)
    entry = FundEntry.objects.select_for_update().get(pk=fundentry.pk)
    check_version(entry, expected_version=expected_version, started_from=started_from)
    problems = rules.void_problems(reason=reason, voided=entry.voided)
    if problems:
        raise ValidationError({name: [message] for name, message in problems.items()})
    entry.voided, entry.void_reason = True, reason.strip()[:200]
    entry.voided_at, entry.voided_by = timezone.now(), user_of(actor)
    entry.version += 1
    entry.save()
    audit_record(actor=actor, action=Action.DELETE, obj=entry,
                 detail={"voided": entry.void_reason, "amount": str(entry.amount)})
    return entry
