"""Writes of the reports: taking an export is recorded, because an export carries the
register's figures out of the system."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from audit.models import Action
from audit.services import audit_record
from core.actors import require
from orgs.models import OrgUnit

from .exports import TITLE, summary_filename, summary_table_xlsx
from .selectors import summary_table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Export:
    filename: str
    content: bytes
    content_type: str


@transaction.atomic
def summary_table_export(*, actor, unit: OrgUnit, as_of: dt.date | None = None) -> Export:
    """The summary table of ``unit`` as a workbook, with the audit entry saying who took
    which unit's figures. Scope comes from the actor, so there is no export without one."""
    require(actor, "people.export_person")
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
            "rows": len(table.rows),
            "people": table.total.total,
            "filename": export.filename,
        },
    )
    return export
