"""Importing a list of administrative divisions at once, in this process (the management
command and the demo; the page runs the same spec as a background job, see
orgs.imports.DivisionImport). Every bad row is reported with its row number, column, cell
text and reason; "all" imports nothing when any row is bad, "valid" the good rows only."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from audit.models import Action
from audit.services import audit_record
from imports.services import run_table

from .imports import DivisionImport

MODE_ALL = "all"
MODE_VALID = "valid"


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # the field
    column_label: str
    value: str
    reason: str


@dataclass
class ImportResult:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    bad_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False


def divisions_import(*, actor, table, mode: str = MODE_ALL, dry_run: bool = False,
                     source: str = "") -> ImportResult:
    """Import a division list; ``table`` yields (row number, cells). ``actor`` None is the
    system (the command, the demo); anyone else imports only inside their subtree."""
    if mode not in (MODE_ALL, MODE_VALID):
        raise ValueError(mode)
    spec = DivisionImport()
    try:
        outcome = run_table(actor=actor, spec=spec, rows=table, mode=mode, dry_run=dry_run,
                            update_existing=True)
    except ValidationError as exc:  # no header row
        return ImportResult(errors=[RowError(1, "code", spec.label("code"), "", exc.messages[0])])
    fields = {c.label: c.field for c in spec.columns}
    errors = sorted((RowError(row, fields.get(label, ""), label, value, reason)
                     for row, label, value, reason in outcome.errors), key=lambda e: e.row)
    blocked = bool(errors) and mode == MODE_ALL
    result = ImportResult(
        total=outcome.total, created=0 if blocked else outcome.created,
        updated=0 if blocked else outcome.updated, bad_rows=outcome.bad_rows, errors=errors,
        applied=outcome.applied,
        unchanged=outcome.unchanged)
    if outcome.applied and (outcome.created or outcome.updated):
        audit_record(actor=actor, action=Action.IMPORT, object_repr=source or "division list",
                     detail={"created": result.created, "updated": result.updated,
                             "unchanged": result.unchanged, "errors": len(errors),
                             "mode": mode})
    return result
