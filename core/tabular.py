"""Reading uploaded tables: .csv (UTF-8, with or without BOM, or GB18030) and .xlsx/.xls/.ods
(python-calamine). Rows come out as lists of strings, with their 1-based row numbers as a
spreadsheet shows them, so errors can point at the row the user sees."""

import csv
import io
from collections.abc import Iterator
from pathlib import PurePath

from django.utils.translation import gettext as _

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}


class TableError(ValueError):
    """The file cannot be read as a table at all (not a row-level problem)."""


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError(_("The file is neither UTF-8 nor GB18030 text."))


def read_table(data: bytes, filename: str, sheet: str | int = 0) -> Iterator[tuple[int, list]]:
    """Yield (row number, cells) for every row of the file."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        yield from _read_spreadsheet(data, sheet)
    elif suffix in {".csv", ".txt", ""}:
        text = _decode(data)
        yield from enumerate(csv.reader(io.StringIO(text)), start=1)
    else:
        raise TableError(_("Upload a .csv or .xlsx file."))


def _read_spreadsheet(data: bytes, sheet: str | int) -> Iterator[tuple[int, list]]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        worksheet = (
            workbook.get_sheet_by_index(sheet) if isinstance(sheet, int)
            else workbook.get_sheet_by_name(sheet)
        )
        # Keep the empty area above and left of the data, so row numbers match the sheet.
        rows = worksheet.to_python(skip_empty_area=False)
    except Exception as exc:  # noqa: BLE001 - calamine raises its own error types per format
        raise TableError(_("The spreadsheet cannot be read: %(error)s") % {"error": exc}) from exc
    yield from enumerate(rows, start=1)
