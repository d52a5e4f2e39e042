"""Taking the statistics overview out of the system (a workbook or a PDF) is recorded, as
the summary table's export is (reports.services)."""

import datetime as dt

from django.db import transaction

from audit.models import Action
from audit.services import audit_record
from core.actors import require
from core.pdf import PDF
from orgs.models import OrgUnit

from . import overview_exports
from .overview_selectors import statistics_overview
from .services import XLSX, Export

FORMATS = ("xlsx", "pdf")


@transaction.atomic
def overview_export(*, actor, unit: OrgUnit, fmt: str, as_of: dt.date | None = None,
                    year: int | None = None) -> Export:
    """The statistics overview of ``unit`` as of ``as_of`` (or of ``year``) as a workbook
    (``fmt`` "xlsx") or a PDF ("pdf"), with the audit entry saying who took which unit's
    figures. Scope comes from the actor."""
    require(actor, "people.export_person")
    if fmt not in FORMATS:
        raise ValueError(fmt)
    found = statistics_overview(user=actor, unit=unit, as_of=as_of, year=year)
    if fmt == "xlsx":
        content, content_type = overview_exports.overview_xlsx(found), XLSX
    else:
        content, content_type = overview_exports.overview_pdf(found), PDF
    export = Export(filename=overview_exports.overview_filename(found, fmt), content=content,
                    content_type=content_type)
    audit_record(
        actor=actor, action=Action.EXPORT, obj=unit, unit=unit,
        object_repr=f"{found.unit.name}{overview_exports.TITLE}",
        detail={"report": "statistics_overview", "format": fmt,
                "as_of": found.as_of.isoformat(), "frozen": found.status.frozen,
                "rows": len(found.rows), "people": found.total.people,
                "filename": export.filename})
    return export
