"""Reading one spreadsheet cell as the value it means. Real ledgers are typed by hand in
Excel: dates arrive as serial numbers or in half a dozen spellings, numbers as floats, and
long digit strings mangled into scientific notation. Each reader returns the value or raises
CellError with a reason in the user's language; none of them guesses."""

import datetime as dt
import functools
import re

from django.utils import translation
from django.utils.translation import gettext as _

from .text import CONTROL, normalise_text

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01, with Excel's leap-year bug
_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
_SCIENTIFIC = re.compile(r"^\d+(\.\d+)?[eE]\+?\d+$")
_CONTROL = CONTROL


class CellError(ValueError):
    """A cell that cannot be read; ``str(error)`` is the reason."""


def is_blank(value) -> bool:
    if value is None:
        return True
    if type(value) is not str:
        return False
    if value.isprintable():  # the common case, without the regular expression
        return not value.strip()
    return not _CONTROL.sub("", value).strip()


def is_blank_row(values) -> bool:
    """No cell of the row holds anything (most rows: the first cell says so at once)."""
    for value in values:
        if value is None or value == "":
            continue
        if type(value) is not str or not is_blank(value):
            return False
    return True


def printable(value):
    """``value`` with control characters removed if it is text (for writing a workbook)."""
    return _CONTROL.sub("", value) if isinstance(value, str) else value


def text(value) -> str:
    """Any cell as trimmed text; 13909430000.0 as "13909430000"."""
    if type(value) is str:
        return value.strip() if value.isprintable() else _CONTROL.sub("", value).strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else _CONTROL.sub("", str(value)).strip()


def date(value) -> dt.date | None:
    """A date from a date cell, an Excel serial number, or 2011-3-5, 2011/3/5, 2011.3.5,
    2011年3月5日, 20110305."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 18000101 <= value <= 21001231 and float(value).is_integer():
            return date(str(int(value)))
        if 1 <= value < 80000:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise CellError(_("“%(value)s” is not a date.") % {"value": text(value)})
    raw = normalise_text(value)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(raw)
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError as exc:
                raise CellError(_("“%(value)s” is not a real date.") % {"value": raw}) from exc
    if raw.isascii() and raw.replace(".", "", 1).isdigit():
        number = float(raw)
        if 1 <= number < 80000:
            return EXCEL_EPOCH + dt.timedelta(days=int(number))
    raise CellError(_("“%(value)s” is not a date; write it as 2011-03-05.") % {"value": raw})


def long_number(value) -> str:
    """A long identifier (an ID or certificate number). Excel stores a typed 18-digit
    number as a float with 15 significant digits: the last digits are gone, so such a cell
    is refused rather than guessed."""
    if is_blank(value):
        return ""
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a number.") % {"value": value})
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (not value.is_integer() or abs(value) >= 1e15):
            raise CellError(_(
                "Excel has turned this number into %(value)s and lost its last digits. "
                "Format the column as text and type the number again."
            ) % {"value": f"{value:.6g}"})
        if abs(int(value)) >= 10**15:
            raise CellError(_(
                "Excel has stored this number as a number and its last digits may be lost. "
                "Format the column as text and type the number again."
            ))
        return str(int(value))
    raw = normalise_text(value)
    if not raw.isdigit() and _SCIENTIFIC.match(raw):
        raise CellError(_(
            "Excel has turned this number into %(value)s and lost its last digits. "
            "Format the column as text and type the number again."
        ) % {"value": raw})
    return raw


# A reader of a closed list (categories, grades, 男/女…) sees the same few cell values again and
# again: each value is read once per process. (Cells are str, numbers, dates or None: all
# hashable. Errors are not remembered; a bad value is read, and reported, every time.)
closed_list = functools.lru_cache(maxsize=4096, typed=True)


def choice_reader(choices, words: dict, name):
    """A reader for a closed list: the usual words, the Chinese labels (whatever language is
    active when the reader first runs) and the stored codes. ``name`` says what the list is
    in an error ("“x” is not a known status.")."""
    lookup: dict[str, str] = {}

    @closed_list
    def read(value):
        if is_blank(value):
            return ""
        if not lookup:
            with translation.override("zh-hans"):
                lookup.update({"".join(str(label).split()): v for v, label in choices})
            lookup.update({str(v): v for v, _label in choices})
            lookup.update(words)
        word = text(value).replace(" ", "")
        found = lookup.get(word)
        if found is None:
            raise CellError(_("“%(value)s” is not a known %(what)s.")
                            % {"value": word, "what": name})
        return found
    return read


@closed_list
def yes_no(value) -> bool:
    """是/否, 有/无, √/×, 1/0, yes/no…; blank is no."""
    if is_blank(value):
        return False
    word = text(value).replace(" ", "").lower()
    if word in {"是", "有", "1", "y", "yes", "true", "√", "✓", "享受"}:
        return True
    if word in {"否", "无", "0", "n", "no", "false", "×", "不享受"}:
        return False
    raise CellError(_("“%(value)s” is neither 是 nor 否.") % {"value": word})
