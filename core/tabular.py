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
    return open_table(data, filename, sheet)[1]


def is_spreadsheet(filename: str) -> bool:
    return PurePath(filename or "").suffix.lower() in SPREADSHEET_SUFFIXES


def sheet_names(data: bytes, filename: str) -> list[str]:
    """The sheets of a workbook (one nameless sheet for a CSV file)."""
    if not is_spreadsheet(filename):
        return []
    from python_calamine import CalamineWorkbook

    try:
        return list(CalamineWorkbook.from_filelike(io.BytesIO(data)).sheet_names)
    except Exception as exc:  # noqa: BLE001 - calamine raises its own error types per format
        raise TableError(_("The spreadsheet cannot be read: %(error)s") % {"error": exc}) from exc


def open_table(data: bytes, filename: str, sheet: str | int = 0
               ) -> tuple[int, Iterator[tuple[int, list]]]:
    """(number of rows, iterator of (row number, cells)). Rows stream: a CSV is read line by
    line; a workbook sheet is parsed by calamine and handed out row by row."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        return _open_spreadsheet(data, sheet)
    if suffix in {".csv", ".txt", ""}:
        text = _decode(data)
        height = text.count("\n") + (0 if text.endswith("\n") else 1)
        return height, enumerate(csv.reader(io.StringIO(text)), start=1)
    raise TableError(_("Upload a .csv or .xlsx file."))


def _open_spreadsheet(data: bytes, sheet: str | int) -> tuple[int, Iterator[tuple[int, list]]]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        worksheet = (
            workbook.get_sheet_by_index(sheet) if isinstance(sheet, int)
            else workbook.get_sheet_by_name(sheet)
        )
    except Exception as exc:  # noqa: BLE001 - calamine raises its own error types per format
        raise TableError(_("The spreadsheet cannot be read: %(error)s") % {"error": exc}) from exc
    if worksheet.end is None:
        return 0, iter(())
    # iter_rows starts at row 1 (empty rows above the data included, so numbers match the
    # sheet) but at the first used column; the empty columns to its left are put back.
    pad = [""] * (worksheet.start[1] if worksheet.start else 0)
    rows = ((number, pad + row) for number, row in enumerate(worksheet.iter_rows(), start=1))
    return worksheet.end[0] + 1, rows
