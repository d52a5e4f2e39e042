"""Writing lists to .xlsx the way county offices print them: Chinese headers, column widths,
a frozen header row, ID numbers as text (never numbers Excel would mangle), dates as dates."""

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .cells import printable

FONT = "WenQuanYi Micro Hei"
HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
TEMPLATE_ROWS = 300


@dataclass(frozen=True)
class XlsxColumn:
    header: str  # Chinese, whatever the UI language: these are Chinese ledgers
    width: float = 14
    kind: str = "text"  # text | id (kept as text) | date | number


def write_xlsx(*, title: str, columns: list[XlsxColumn], rows: Iterable[Iterable],
               sheet_title: str = "") -> bytes:
    """One sheet: a title line, the header row (frozen), then ``rows`` as they come."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet((sheet_title or title)[:31])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "1:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    from openpyxl.cell import WriteOnlyCell

    def cell(value, *, bold=False, fill=None, number_format=None):
        c = WriteOnlyCell(sheet, value=printable(value))
        c.font = Font(name=FONT, bold=bold, size=14 if bold and fill is None else 11)
        if fill is not None:
            c.fill = fill
            c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if number_format:
            c.number_format = number_format
        return c

    sheet.append([cell(title, bold=True)])
    sheet.append([cell(c.header, bold=True, fill=HEADER_FILL) for c in columns])
    for row in rows:
        out = []
        for column, value in zip(columns, row, strict=False):
            if column.kind == "id":
                out.append(cell(None if value is None else str(value), number_format="@"))
            elif column.kind == "date" and isinstance(value, dt.date):
                out.append(cell(value, number_format="yyyy-mm-dd"))
            else:
                out.append(cell(value))
        sheet.append(out)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def blank_template(spec) -> bytes:
    """An empty ledger whose header row the importer recognises, ID columns formatted as
    text so what officers type is kept."""
    columns = [
        XlsxColumn(c.label, width=22 if c.read.__name__ in ("read_id",) else 14,
                   kind="id" if c.read.__name__ == "read_id" else "text")
        for c in spec.columns
    ]
    # Pre-formatted empty rows: an ID typed into them stays text, not a mangled number.
    blank_rows = ([None] * len(columns) for _ in range(TEMPLATE_ROWS))
    return write_xlsx(title=spec.ledger_name, columns=columns, rows=blank_rows)
