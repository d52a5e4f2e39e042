"""A streaming reader of .xlsx/.xlsm sheets, for workbooks too large for calamine.

python-calamine is the fast reader of every spreadsheet format, but it loads a whole sheet
into memory before the first row comes out (about 1 KB a row: a million-row ledger needs
more than a gigabyte; calamine has no lazy API, see tafia/calamine#27 and
dimastbk/python-calamine#42). This module reads the sheet's XML with lxml's ``iterparse``
straight out of the zip, one row at a time, and drops each row once it has been handed out,
so memory does not grow with the number of rows (only the shared-strings table is held,
which any reader must hold). It is about 2.5 times slower than calamine, so
``core.tabular`` uses it only for large sheets and for reading the first rows of any sheet.

openpyxl's read-only mode streams too, but is some 13 times slower than calamine on the
import benchmark's ledger (16 s for 100,000 rows), which is why this is written here.

Values come out as calamine gives them, so that the two readers are interchangeable:
text as ``str``, numbers as ``float``, booleans as ``bool``, cells with a date format as
``datetime.date`` (a whole number), ``datetime.datetime`` or ``datetime.time`` (below one
day), and duration formats such as ``[h]:mm:ss`` as ``datetime.timedelta``; empty cells as
"". Each row is a list from column A to its last cell; rows keep the numbers the sheet shows.
"""

import datetime as dt
import io
import posixpath
import zipfile
import zlib
from collections.abc import Iterator

from lxml import etree

MAIN_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",  # ISO 29500 "strict" workbooks
)
REL_NAMESPACES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
# Excel's built-in number formats that show a date or a time (ids 14–22, 45–47), and the
# built-in ones of the Chinese, Japanese and Korean editions (27–36, 50–58: 2011年3月5日…).
BUILTIN_DATE_FORMATS = frozenset([*range(14, 23), 45, 46, 47, *range(27, 37), *range(50, 59)])
BUILTIN_DURATION_FORMATS = frozenset([46])
# Every XML part is read with entities left unexpanded, no network, and libxml2's own
# limits on the size of a text node and the depth of the tree kept (no huge_tree): a cell
# holds at most 32,767 characters in Excel, so a larger text node is a malformed file.
_SAFE_OPTIONS = {"resolve_entities": False, "no_network": True, "huge_tree": False}
_SAFE = etree.XMLParser(**_SAFE_OPTIONS)


# What reading a damaged zip can raise, beside lxml's own syntax errors.
_BROKEN = (etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError,
           ValueError)


class _NoDoctype:
    """A part's stream, refused if it declares a document type: no part of a workbook has
    one, and a DTD is how entity-expansion attacks are made."""

    def __init__(self, member):
        self.member = member
        self.head = member.read(4096)
        if b"<!DOCTYPE" in self.head.upper() or b"<!ENTITY" in self.head.upper():
            raise XlsxError("a part of the workbook declares a document type (DTD)")

    def read(self, size=-1):
        if self.head:
            if size is None or size < 0:
                data, self.head = self.head + self.member.read(), b""
                return data
            data, self.head = self.head[:size], self.head[size:]
            return data
        return self.member.read(size)

    def close(self):
        self.member.close()


def _iterparse(member, **options):
    """lxml's iterparse with the safe options, on a part without a DTD."""
    return etree.iterparse(_NoDoctype(member), **options, **_SAFE_OPTIONS)


class XlsxError(ValueError):
    """The file is not a workbook this reader understands."""


def _ns(root_tag: str) -> str:
    return root_tag[1:].split("}", 1)[0] if root_tag.startswith("{") else ""


def _parse(archive: zipfile.ZipFile, name: str):
    try:
        with archive.open(name) as member:
            return etree.parse(_NoDoctype(member), _SAFE).getroot()
    except XlsxError:
        raise
    except _BROKEN as exc:
        raise XlsxError(f"{name}: {exc}") from exc


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _rels(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """{relationship id: (type, part path)} of a part."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    if rels_name not in archive.NameToInfo:
        return {}
    found = {}
    for rel in _parse(archive, rels_name).iter(PACKAGE_RELS):
        found[rel.get("Id")] = (rel.get("Type", ""), _resolve(part, rel.get("Target", "")))
    return found


def is_date_format(code: str) -> tuple[bool, bool]:
    """(shows a date or time, is a duration) for a custom number format code: only its
    first section counts; text in quotes, escaped characters and [colours] are skipped;
    [h], [m] or [s] make it a duration."""
    in_quote = escaped = False
    bracket = ""
    in_bracket = False
    for char in code:
        if escaped:
            escaped = False
        elif in_quote:
            in_quote = char != '"'
        elif in_bracket:
            if char == "]":
                in_bracket = False
                if bracket and set(bracket.lower()) <= {"h", "m", "s"}:
                    return True, True
            else:
                bracket += char
        elif char == '"':
            in_quote = True
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_bracket, bracket = True, ""
        elif char == ";":
            break
        elif char in "dmyhsDMYHS":
            return True, False
    return False, False


class Workbook:
    """An .xlsx file: its sheets, shared strings and date styles."""

    def __init__(self, source):
        """``source``: the file's bytes or a seekable binary file."""
        if isinstance(source, (bytes, bytearray)):
            source = io.BytesIO(source)
        try:
            self.archive = zipfile.ZipFile(source)
            root = _parse(self.archive, self._workbook_part())
        except (zipfile.BadZipFile, KeyError, OSError, etree.XMLSyntaxError) as exc:
            raise XlsxError(str(exc)) from exc
        ns = _ns(root.tag)
        rels = _rels(self.archive, self.part)
        self.sheets: list[tuple[str, str]] = []
        for sheet in root.iter(f"{{{ns}}}sheet"):
            rel_id = next((sheet.get(f"{{{r}}}id") for r in REL_NAMESPACES
                           if sheet.get(f"{{{r}}}id")), None)
            if rel_id in rels:
                self.sheets.append((sheet.get("name", ""), rels[rel_id][1]))
        pr = root.find(f"{{{ns}}}workbookPr")
        self.epoch = dt.datetime(1904, 1, 1) if pr is not None and \
            pr.get("date1904") in ("1", "true") else None
        self.strings_part = next((p for t, p in rels.values() if t.endswith("/sharedStrings")),
                                 None)
        self.styles_part = next((p for t, p in rels.values() if t.endswith("/styles")), None)
        self._strings: list[str] | None = None
        self._styles: dict[int, bool] | None = None

    def _workbook_part(self) -> str:
        for _type, target in _rels(self.archive, "").values():
            if target.endswith(".xml") and _type.endswith("/officeDocument"):
                self.part = target
                return target
        self.part = "xl/workbook.xml"
        return self.part

    @property
    def sheet_names(self) -> list[str]:
        return [name for name, _part in self.sheets]

    def strings(self) -> list[str]:
        """The shared-strings table (rich text joined, phonetic guides left out)."""
        if self._strings is None:
            self._strings = []
            if self.strings_part and self.strings_part in self.archive.NameToInfo:
                try:
                    with self.archive.open(self.strings_part) as member:
                        self._strings = list(_shared_strings(member))
                except XlsxError:
                    raise
                except _BROKEN as exc:
                    raise XlsxError(str(exc)) from exc
        return self._strings

    def date_styles(self) -> dict[int, bool]:
        """{cell style index: is a duration} for the styles that show dates or times."""
        if self._styles is None:
            self._styles = {}
            if self.styles_part and self.styles_part in self.archive.NameToInfo:
                root = _parse(self.archive, self.styles_part)
                ns = _ns(root.tag)
                custom = {}
                for fmt in root.iter(f"{{{ns}}}numFmt"):
                    custom[int(fmt.get("numFmtId", "0"))] = is_date_format(
                        fmt.get("formatCode", ""))
                xfs = root.find(f"{{{ns}}}cellXfs")
                for index, xf in enumerate(xfs if xfs is not None else ()):
                    fmt_id = int(xf.get("numFmtId", "0") or 0)
                    if fmt_id in custom:
                        is_date, duration = custom[fmt_id]
                    else:
                        is_date = fmt_id in BUILTIN_DATE_FORMATS
                        duration = fmt_id in BUILTIN_DURATION_FORMATS
                    if is_date:
                        self._styles[index] = duration
        return self._styles

    def sheet_part(self, sheet: str | int) -> str:
        if isinstance(sheet, int):
            if not 0 <= sheet < len(self.sheets):
                raise XlsxError(f"no sheet {sheet}")
            return self.sheets[sheet][1]
        for name, part in self.sheets:
            if name == sheet:
                return part
        raise XlsxError(f"no sheet named {sheet}")

    def dimension(self, sheet: str | int) -> int:
        """The last row the sheet's <dimension> names (0 when it does not say)."""
        try:
            with self.archive.open(self.sheet_part(sheet)) as member:
                for _event, element in _iterparse(member, events=("start",)):
                    tag = element.tag.rsplit("}", 1)[-1]
                    if tag == "dimension":
                        last = element.get("ref", "").rsplit(":", 1)[-1]
                        digits = "".join(c for c in last if c.isdigit())
                        return int(digits) if digits else 0
                    if tag == "sheetData":
                        return 0
        except XlsxError:
            raise
        except _BROKEN as exc:
            raise XlsxError(str(exc)) from exc
        return 0

    def rows(self, sheet: str | int = 0) -> Iterator[tuple[int, list]]:
        """(row number, cells) for every row of the sheet that has a cell."""
        part = self.sheet_part(sheet)
        if part not in self.archive.NameToInfo:
            raise XlsxError(f"missing part {part}")
        try:
            strings, styles = self.strings, self.date_styles()
            member = self.archive.open(part)
        except XlsxError:
            raise
        except _BROKEN as exc:
            raise XlsxError(str(exc)) from exc
        return _rows(member, strings, styles, self.epoch)


def _shared_strings(member) -> Iterator[str]:
    try:
        yield from _strings_of(member)
    except XlsxError:
        raise
    except _BROKEN as exc:
        raise XlsxError(str(exc)) from exc


def _strings_of(member) -> Iterator[str]:
    ns = None
    for _event, si in _iterparse(member, events=("end",)):
        if ns is None:
            ns = _ns(si.tag)
            T, R, SI = f"{{{ns}}}t", f"{{{ns}}}r", f"{{{ns}}}si"
        if si.tag != SI:
            continue
        yield _inline(si, T, R)  # a shared string is built as an inline one
        si.clear()
        parent = si.getparent()
        while parent is not None and si.getprevious() is not None:
            del parent[0]


def column_index(ref: str) -> int:
    """0 for A1, 26 for AA7."""
    number = 0
    for char in ref:
        code = ord(char)
        if 65 <= code <= 90:
            number = number * 26 + code - 64
        else:
            break
    return number - 1


DIGITS = "0123456789"


def _inline(element, T, R) -> str:
    """The text of an <is> (inline string): one <t>, or rich-text runs <r><t>."""
    if len(element) == 1:
        text = element[0].text
        if text is not None or element[0].tag == T:
            return text or ""
    parts = []
    for part in element:
        if part.tag == T:
            parts.append(part.text or "")
        elif part.tag == R:
            parts.extend(t.text or "" for t in part if t.tag == T)
    return "".join(parts)


def _to_date(value: float, duration: bool, epoch):
    if duration:
        return dt.timedelta(days=value)
    if epoch is None:
        # Excel's 1900 system counts a 29 February 1900 that never was (serial 60).
        epoch = dt.datetime(1899, 12, 31) if value < 60 else dt.datetime(1899, 12, 30)
    moment = epoch + dt.timedelta(days=value)
    if value < 1 and epoch.year != 1904:
        return moment.time()
    if value == int(value):
        return moment.date()
    # Round to the microsecond the way a displayed time would.
    return moment.replace(microsecond=round(moment.microsecond / 1000) * 1000 % 1_000_000)


def _rows(member, strings, date_styles: dict[int, bool], epoch) -> Iterator[tuple[int, list]]:
    head = member.peek(4096) if hasattr(member, "peek") else b""
    ns = next((n for n in MAIN_NAMESPACES if n.encode() in head), MAIN_NAMESPACES[0])
    ROW, V, IS, T, R = (f"{{{ns}}}{t}" for t in ("row", "v", "is", "t", "r"))
    shared = None
    number = 0
    columns: dict[str, int] = {}
    context = _iterparse(member, events=("end",), tag=ROW)
    try:
        for _event, row in context:
            ref = row.get("r")
            number = int(ref) if ref else number + 1
            cells: list = []
            for c in row:
                ref = c.get("r")
                if ref:
                    index = columns.get(ref.rstrip(DIGITS))
                    if index is None:
                        index = columns[ref.rstrip(DIGITS)] = column_index(ref)
                    if index > len(cells):
                        cells.extend([""] * (index - len(cells)))
                count = len(c)
                if not count:
                    cells.append("")
                    continue
                kind = c.get("t")
                child = c[0]
                if count > 1:  # a formula (<f>) before its value, or extensions
                    child = next((x for x in c if x.tag in (V, IS)), None)
                    if child is None:
                        cells.append("")
                        continue
                if kind == "inlineStr":
                    cells.append(_inline(child, T, R))
                    continue
                text = child.text
                if text is None:
                    value = ""
                elif kind is None or kind == "n":
                    value = float(text)
                    if date_styles:
                        style = c.get("s")
                        if style and int(style) in date_styles:
                            value = _to_date(value, date_styles[int(style)], epoch)
                elif kind == "s":
                    if shared is None:
                        shared = strings()
                    value = shared[int(text)]
                elif kind == "b":
                    value = text.strip() in ("1", "true")
                else:  # str (a formula's text), e (an error such as #N/A)
                    value = text
                cells.append(value)
            while cells and cells[-1] == "":
                cells.pop()
            yield number, cells
            row.clear()
            parent = row.getparent()
            while row.getprevious() is not None:
                del parent[0]
    except XlsxError:
        raise
    except _BROKEN as exc:
        raise XlsxError(str(exc)) from exc
    finally:
        member.close()
