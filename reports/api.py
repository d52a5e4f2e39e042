"""Reports in the API (mounted at /api/v1/reports/ by the api app): the summary table of a
unit in scope (counts, no one named), from reports.selectors like the page."""

import datetime as dt
from typing import Annotated

from django.utils.translation import gettext_lazy as _
from ninja import Field, Path, Query, Router, Schema

from core.api import MAX_ID, READ_ERRORS, need
from orgs import selectors as org_selectors

from . import selectors

router = Router()

Pk = Annotated[int, Path(ge=1, le=MAX_ID)]


class ColumnOut(Schema):
    key: str
    label: str
    kind: str


class RowOut(Schema):
    unit_id: int | None = Field(description="Empty for the total row")
    name: str
    values: dict[str, float | int | None]


class SummaryOut(Schema):
    unit_id: int
    unit_name: str
    as_of: dt.date
    columns: list[ColumnOut]
    rows: list[RowOut]
    total: RowOut


class AsOf(Schema):
    as_of: dt.date | None = Field(None, ge=dt.date(1949, 10, 1), le=dt.date(2100, 12, 31),
                                  description="The day to count as of (today by default)")


def _row(row, columns) -> dict:
    return {"unit_id": row.unit.pk if row.unit is not None else None, "name": str(row.name),
            "values": {c.key: row.value(c.key) for c in columns}}


@router.get("/summary/{int:pk}", response={200: SummaryOut, **READ_ERRORS},
            summary=_("The summary table of a unit"))
def summary_table(request, pk: Pk, query: Query[AsOf]):
    """A row per child unit and a total, as of a day (today by default): the same numbers
    as the summary table page and its workbook."""
    need(request, "people.view_person")
    unit = org_selectors.unit_get(user=request.user, pk=pk)
    table = selectors.summary_table(user=request.user, unit=unit, as_of=query.as_of)
    columns = table.columns
    return {"unit_id": table.unit.pk, "unit_name": table.unit.name, "as_of": table.as_of,
            "columns": [{"key": c.key, "label": str(c.label), "kind": c.kind} for c in columns],
            "rows": [_row(r, columns) for r in table.rows], "total": _row(table.total, columns)}
