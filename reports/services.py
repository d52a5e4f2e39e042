"""Writes of the reports: taking an export is recorded, because an export carries the
register's figures out of the system."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.models import Action
from audit.services import audit_record
from core import snapshots
from core.actors import require
from orgs.models import OrgUnit

from .exports import TITLE, summary_filename, summary_table_xlsx
from .selectors import (
    SUMMARY_KIND,
    summary_payload,
    summary_table,
    summary_table_of_year,
    summary_tables_of_subtree,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Export:
    filename: str
    content: bytes
    content_type: str


@transaction.atomic
def summary_table_export(*, actor, unit: OrgUnit, as_of: dt.date | None = None,
                         year: int | None = None) -> Export:
    """The summary table of ``unit`` as a workbook, with the audit entry saying who took
    which unit's figures. Scope comes from the actor, so there is no export without one.
    ``year``: the table of that year, frozen when it was frozen (summary_table_of_year)."""
    require(actor, "people.export_person")
    if year is not None:
        table = summary_table_of_year(user=actor, unit=unit, year=year)
    else:
        table = summary_table(user=actor, unit=unit, as_of=as_of)
    export = Export(
        filename=summary_filename(table),
        content=summary_table_xlsx(table),
        content_type=XLSX,
    )
    audit_record(
        actor=actor, action=Action.EXPORT, obj=table.unit, unit=table.unit,
        object_repr=f"{table.unit.name}{TITLE}",
        detail={
            "report": "summary_table",
            "format": "xlsx",
            "as_of": table.as_of.isoformat(),
            "frozen": table.data_status.frozen,
            "rows": len(table.rows),
            "people": table.total.total,
            "filename": export.filename,
        },
    )
    return export


@transaction.atomic
def summary_tables_freeze(*, actor, unit: OrgUnit, year: int, as_of: dt.date | None = None,
                          note: str = "") -> list:
    """Freeze the summary tables of ``year`` (as of its last day, or ``as_of``) of ``unit``
    and of every unit beneath it, in one transaction and one audit entry: later changes
    to the register never change them. Refused when any of them is frozen already. The
    same few queries for a county as for a village (summary_tables_of_subtree)."""
    require(actor, snapshots.FREEZE, unit)
    as_of = as_of or snapshots.year_end(year)
    problems = snapshots.freeze_problems(year=year, as_of=as_of,
                                         today=timezone.localdate())
    if problems:
        raise ValidationError(problems)
    tables = summary_tables_of_subtree(unit=unit, as_of=as_of)
    return snapshots.snapshots_freeze(
        actor=actor, kind=SUMMARY_KIND, unit=unit, year=year, as_of=as_of, note=note,
        payloads={t.unit: summary_payload(t) for t in tables}, report=TITLE)


# ---- the dashboard (工作看板) ------------------------------------------------------------------

PDF = "application/pdf"


@transaction.atomic
def dashboard_export(*, actor, unit: OrgUnit, fmt: str) -> Export:
    """The dashboard of ``unit`` as a workbook (``fmt`` "xlsx") or a PDF ("pdf"), with the
    audit entry saying who took which unit's figures (reports/dashboard_exports.py)."""
    from .dashboard_exports import (
        dashboard_filename,
        dashboard_pdf,
        dashboard_title,
        dashboard_xlsx,
    )
    from .dashboard_selectors import dashboard

    require(actor, "people.export_person")
    board = dashboard(user=actor, unit=unit)
    if fmt == "pdf":
        content, content_type = dashboard_pdf(board), PDF
    else:
        fmt, content, content_type = "xlsx", dashboard_xlsx(board), XLSX
    export = Export(filename=dashboard_filename(board, fmt), content=content,
                    content_type=content_type)
    audit_record(
        actor=actor, action=Action.EXPORT, obj=unit, unit=unit,
        object_repr=dashboard_title(board),
        detail={"report": "dashboard", "format": fmt, "as_of": board.today.isoformat(),
                "frozen": False, "people": board.people.value, "filename": export.filename},
    )
    return export
