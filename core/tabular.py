"""Reading uploaded tables: .csv (UTF-8, with or without BOM, or GB18030) and .xlsx/.xls/.ods.
Rows come out as lists of cells, with their 1-based row numbers as a spreadsheet shows them,
so errors can point at the row the user sees.

Memory does not grow with the file: a CSV file is read line by line; a workbook sheet is read
by python-calamine (fast, but it holds the whole sheet) up to ``CALAMINE_MAX_XML`` bytes of
sheet XML, and by the streaming reader in ``core.xlsxstream`` above that (and whenever only
the first rows are wanted: finding the header, the preview). A source is the file's bytes or
a seekable binary file (an upload, a stored job file)."""

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import PurePath
from typing import BinaryIO

from django.utils.translation import gettext as _

from . import xlsxstream

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
STREAMED_SUFFIXES = {".xlsx", ".xlsm"}
# About 170,000 rows of a ten-column ledger; calamine then needs some 180 MB.
CALAMINE_MAX_XML = 96 * 1024 * 1024
CHUNK = 1 << 20

Source = bytes | BinaryIO
# A CSV cell may be longer than Excel's 32,767 characters (the import then reports that row),
# up to this many; a longer one means the file is not a ledger (the csv module's default
# limit, 131,072, would be an error without a row).
CSV_MAX_FIELD = 4 * 1024 * 1024
csv.field_size_limit(CSV_MAX_FIELD)


def limits() -> tuple[int, int, int]:
    """(rows, unpacked bytes of a workbook, bytes of its shared strings): what a file may
    hold (settings CANLIAN_IMPORT_MAX_ROWS, …_UNZIPPED_BYTES, …_STRINGS_BYTES; the defaults
    hold a whole province's register)."""
    from django.conf import settings

    return (settings.CANLIAN_IMPORT_MAX_ROWS, settings.CANLIAN_IMPORT_MAX_UNZIPPED_BYTES,
            settings.CANLIAN_IMPORT_MAX_STRINGS_BYTES)


def _megabytes(n: int) -> str:
    return f"{n / (1 << 20):,.0f}"


class TableError(ValueError):
    """The file cannot be read as a table at all (not a row-level problem)."""


def _unreadable(exc: Exception) -> TableError:
    return TableError(_("The spreadsheet cannot be read: %(error)s") % {"error": exc})


def _file(source: Source) -> BinaryIO:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return io.BytesIO(source)
    source.seek(0)
    return source


def _encoding(handle: BinaryIO) -> tuple[str, int]:
    """The text's encoding (UTF-8 with or without BOM, else GB18030) and its number of
    lines, found in one pass over the file without holding it."""
    for encoding in ("utf-8-sig", "gb18030"):
        handle.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        lines = 0
        last = b""
        try:
            while chunk := handle.read(CHUNK):
                decoder.decode(chunk)
                lines += chunk.count(b"\n")
                last = chunk
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        handle.seek(0)
        return encoding, lines + (1 if last and not last.endswith(b"\n") else 0)
    raise TableError(_("The file is neither UTF-8 nor GB18030 text."))


def read_table(source: Source, filename: str, sheet: str | int = 0
               ) -> Iterator[tuple[int, list]]:
    """Yield (row number, cells) for every row of the file."""
    return open_table(source, filename, sheet)[1]


def is_spreadsheet(filename: str) -> bool:
    return PurePath(filename or "").suffix.lower() in SPREADSHEET_SUFFIXES


def _suffix(filename: str) -> str:
    return PurePath(filename or "").suffix.lower()


def _calamine(handle: BinaryIO):
    from python_calamine import CalamineWorkbook

    handle.seek(0)
    if zipfile.is_zipfile(handle):  # .ods (and .xlsx read by calamine) are zips too
        with zipfile.ZipFile(handle) as archive:
            strings = next((n for n in archive.namelist() if n.endswith("sharedStrings.xml")),
                           None)
            _check_sizes(archive, strings)
    handle.seek(0)
    try:
        return CalamineWorkbook.from_filelike(handle)
    except Exception as exc:  # noqa: BLE001 - calamine raises its own error types per format
        raise _unreadable(exc) from exc


def _streamed(handle: BinaryIO) -> xlsxstream.Workbook:
    try:
        workbook = xlsxstream.Workbook(handle)
    except xlsxstream.XlsxError as exc:
        raise _unreadable(exc) from exc
    _check_sizes(workbook.archive, workbook.strings_part)
    return workbook


def _check_sizes(archive, strings_part: str | None) -> None:
    """A workbook is a zip: what it unpacks to is known before anything is read, so a zip
    bomb (a small file unpacking to gigabytes) or one enormous string is refused at once."""
    _rows, most, most_strings = limits()
    infos = archive.infolist()
    unpacked = sum(info.file_size for info in infos)
    if unpacked > most:
        raise TableError(_(
            "The workbook unpacks to %(size)s MB, more than the %(limit)s MB an import may "
            "read. Split it into smaller files.") % {
            "size": _megabytes(unpacked), "limit": _megabytes(most)})
    strings = next((i.file_size for i in infos if i.filename == strings_part), 0)
    if strings > most_strings:
        raise TableError(_(
            "The workbook's text takes %(size)s MB, more than the %(limit)s MB an import may "
            "read: some cells hold far more text than a ledger does.") % {
            "size": _megabytes(strings), "limit": _megabytes(most_strings)})


def sheet_names(source: Source, filename: str) -> list[str]:
    """The sheets of a workbook (none for a CSV file)."""
    suffix = _suffix(filename)
    if suffix in STREAMED_SUFFIXES:
        return _streamed(_file(source)).sheet_names
    if suffix in SPREADSHEET_SUFFIXES:
        return list(_calamine(_file(source)).sheet_names)
    return []


def open_table(source: Source, filename: str, sheet: str | int = 0, *, head: bool = False
               ) -> tuple[int, Iterator[tuple[int, list]]]:
    """(number of rows, iterator of (row number, cells)). ``head``: only the first rows will
    be read, so a workbook is streamed whatever its size."""
    height, rows = _open(source, filename, sheet, head=head)
    return height, _at_most(rows, limits()[0])


def _open(source: Source, filename: str, sheet: str | int, *, head: bool):
    suffix = _suffix(filename)
    handle = _file(source)
    if suffix in STREAMED_SUFFIXES:
        workbook = _streamed(handle)
        try:
            part = workbook.sheet_part(sheet)
            if head or workbook.archive.getinfo(part).file_size > CALAMINE_MAX_XML:
                return workbook.dimension(sheet), _guard(workbook.rows(sheet))
        except (xlsxstream.XlsxError, KeyError) as exc:
            raise _unreadable(exc) from exc
        return _open_calamine(handle, sheet)
    if suffix in SPREADSHEET_SUFFIXES:
        return _open_calamine(handle, sheet)
    if suffix in {".csv", ".txt", ""}:
        encoding, lines = _encoding(handle)
        return lines, _csv_rows(handle, encoding)
    raise TableError(_("Upload a .csv or .xlsx file."))


def _at_most(rows: Iterator[tuple[int, list]], most: int) -> Iterator[tuple[int, list]]:
    """The rows, and a TableError past the ``most``-th (a file larger than a province's
    register is not a ledger: it is refused before it ties up the system)."""
    for count, row in enumerate(rows, start=1):
        if count > most:
            raise TableError(_(
                "The file has more than %(n)s rows, more than an import may read. Split it "
                "into smaller files.") % {"n": f"{most:,}"})
        yield row


def table_height(source: Source, filename: str, sheet: str | int = 0) -> int:
    """The number of rows the sheet says it has (0 when a workbook does not say), without
    reading the rows: the total of an import's progress bar."""
    suffix = _suffix(filename)
    handle = _file(source)
    if suffix in STREAMED_SUFFIXES:
        try:
            return _streamed(handle).dimension(sheet)
        except xlsxstream.XlsxError as exc:
            raise _unreadable(exc) from exc
    return open_table(handle, filename, sheet)[0]  # .xls/.ods (small), or a CSV's lines


def rows_later(source: Source, filename: str, sheet: str | int = 0
               ) -> Iterator[tuple[int, list]]:
    """The rows, with the file opened only when the first row is asked for (by the process
    that reads them, so the one that started the import never holds the sheet)."""
    yield from open_table(source, filename, sheet)[1]


def _csv_rows(handle: BinaryIO, encoding: str) -> Iterator[tuple[int, list]]:
    text = io.TextIOWrapper(handle, encoding=encoding, newline="")
    reader = csv.reader(text)
    number = 0
    try:
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise TableError(_(
                    "Line %(line)d of the file cannot be read as CSV (%(error)s): a cell "
                    "longer than %(n)s characters, or a stray quote.") % {
                    "line": reader.line_num, "error": exc, "n": f"{CSV_MAX_FIELD:,}"}) from exc
            number += 1  # rows as a spreadsheet shows them (a quoted cell may span lines)
            yield number, cells
    finally:
        text.detach()  # the caller's file stays open


def _guard(rows: Iterator[tuple[int, list]]) -> Iterator[tuple[int, list]]:
    """A file that turns out broken half-way is a TableError, as at the start."""
    try:
        yield from rows
    except xlsxstream.XlsxError as exc:
        raise _unreadable(exc) from exc


def _open_calamine(handle: BinaryIO, sheet: str | int) -> tuple[int, Iterator[tuple[int, list]]]:
    workbook = _calamine(handle)
    try:
        worksheet = (
            workbook.get_sheet_by_index(sheet) if isinstance(sheet, int)
            else workbook.get_sheet_by_name(sheet)
        )
    except Exception as exc:  # noqa: BLE001 - calamine raises its own error types per format
        raise _unreadable(exc) from exc
    if worksheet.end is None:
        return 0, iter(())
    # iter_rows starts at row 1 (empty rows above the data included, so numbers match the
    # sheet) but at the first used column; the empty columns to its left are put back.
    pad = [""] * (worksheet.start[1] if worksheet.start else 0)
    rows = enumerate(worksheet.iter_rows(), start=1)
    if pad:
        rows = ((number, pad + row) for number, row in rows)
    return worksheet.end[0] + 1, rows
