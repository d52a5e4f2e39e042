"""Writing lists to .xlsx the way county offices print them: Chinese headers, column widths,
a frozen header row, ID numbers as text (never numbers Excel would mangle), dates as dates.

Every workbook the system writes (list exports, blank templates, the rejected rows of an
import) goes through ``StreamingSheet``, the one place that decides how a value becomes a
cell: text is always text — a name or an address beginning with ``=`` is never a live
formula — control characters are dropped, and each style is built once, not per cell."""

import datetime as dt
import io
from collections.abc import Iterable
from copy import copy
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
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


class StreamingSheet:
    """One sheet written as its rows come (openpyxl's write-only mode: memory stays flat)."""

    def __init__(self, title: str):
        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet(printable(title)[:31] or "Sheet")

    def style(self, *, bold=False, size=11, fill=None, center=False, number_format=None):
        """A cell style, built once: pass it to ``cell`` for every cell that wears it."""
        template = WriteOnlyCell(self.sheet)
        template.font = Font(name=FONT, bold=bold, size=size)
        if fill is not None:
            template.fill = fill
        if center:
            template.alignment = Alignment(horizontal="center", vertical="center",
                                           wrap_text=True)
        if number_format:
            template.number_format = number_format
        return template._style

    def cell(self, value, style=None) -> WriteOnlyCell:
        c = WriteOnlyCell(self.sheet, value=printable(value))
        if c.data_type in ("f", "e"):
            c.data_type = "s"  # text that looks like a formula or an error stays text
        if style is not None:
            c._style = copy(style)
        return c

    def append(self, values: Iterable) -> None:
        """A row of plain values (text kept as text, control characters dropped)."""
        row = []
        for value in values:
            if type(value) is str:
                value = printable(value)
                if value[:1] == "=" or value in ERROR_CODES:
                    value = self.cell(value)
            row.append(value)
        self.sheet.append(row)

    def append_cells(self, row: list) -> None:
        self.sheet.append(row)

    def save(self, target) -> None:
        self.workbook.save(target)


def write_xlsx(*, title: str, columns: list[XlsxColumn], rows: Iterable[Iterable],
               sheet_title: str = "") -> bytes:
    """One sheet: a title line, the header row (frozen), then ``rows`` as they come."""
    out = StreamingSheet(sheet_title or title)
    sheet = out.sheet
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "1:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    title_style = out.style(bold=True, size=14)
    header_style = out.style(bold=True, fill=HEADER_FILL, center=True)
    id_style = out.style(number_format="@")
    date_style = out.style(number_format="yyyy-mm-dd")
    out.append_cells([out.cell(title, title_style)])
    out.append_cells([out.cell(c.header, header_style) for c in columns])
    kinds = [c.kind for c in columns]
    cell = out.cell
    for row in rows:
        values = []
        for kind, value in zip(kinds, row, strict=False):
            if kind == "id":
                values.append(cell(None if value is None else str(value), id_style))
            elif kind == "date" and isinstance(value, dt.date):
                values.append(cell(value, date_style))
            elif type(value) is str:
                value = printable(value)
                values.append(cell(value) if value[:1] == "=" or value in ERROR_CODES
                              else value)
            else:
                values.append(value)
        out.append_cells(values)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def blank_template(spec) -> bytes:
    """An empty ledger whose header row the importer recognises, ID columns formatted as
    text so what officers type is kept."""
    columns = [XlsxColumn(c.label, width=22 if c.kind == "id" else 14, kind=c.kind)
               for c in spec.columns]
    # Pre-formatted empty rows: an ID typed into them stays text, not a mangled number.
    blank_rows = ([None] * len(columns) for _ in range(TEMPLATE_ROWS))
    return write_xlsx(title=spec.ledger_name, columns=columns, rows=blank_rows)
