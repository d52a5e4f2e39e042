"""Resident ID numbers (GB 11643-1999, checked by python-stdnum's cn.ric) and second-generation
disability certificate numbers (the holder's 18-character ID + category digit + grade digit)."""

import datetime as dt
import functools
import operator
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import numdb
from stdnum.cn import ric

from audit.services import sealed_value
from core.text import mask_digits, normalise_text

from .choices import Category, Gender, Grade

_SPACES = re.compile(r"[\s\-]+")


def normalise_id(raw) -> str:
    """Full-width to half-width, no spaces or dashes, a lowercase x made uppercase."""
    if isinstance(raw, str) and raw.isascii() and raw.isalnum():
        return raw.upper()  # the common case, without the cost of NFKC
    return _SPACES.sub("", normalise_text(raw)).upper()


def validate_id(raw, *, today: dt.date | None = None) -> str:
    """The normalised ID, or a ValidationError saying what is wrong with it (``today``: the
    date a birth may not be after, when the caller checks many numbers)."""
    number = normalise_id(raw)
    if not number:
        raise ValidationError(_("The ID number is missing."), code="required")
    if len(number) != 18:
        raise ValidationError(
            _("An ID number has 18 characters; this one has %(n)d.") % {"n": len(number)},
            code="length",
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(
            _("An ID number is 17 digits followed by a digit or X."), code="format"
        )
    # The checks of stdnum's cn.ric.validate, in its order (the check character and birth date
    # computed here, faster, and compared with stdnum's in the tests); the region lookup is
    # cached per region code (a file has thousands of rows from a few regions).
    if check_character(number[:17]) != number[17]:
        raise ValidationError(
            _("The check character of the ID number is wrong: a digit was probably mistyped."),
            code="checksum",
        )
    birth = _birth_date(number[6:14])
    if birth is None:
        raise ValidationError(
            _("The birth date in the ID number (digits 7–14) is not a real date."),
            code="birth_date",
        )
    if not region_known(number[:6]):
        raise ValidationError(
            _("The region code in the ID number (digits 1–6) is not a known region."),
            code="region",
        )
    if birth > (today or dt.date.today()):
        raise ValidationError(_("The birth date in the ID number is in the future."),
                              code="birth_date")
    return number


# GB 11643's check character is ISO 7064 MOD 11-2: digit i (from the left) weighs
# 2^(17-i) mod 11. python-stdnum's ric.calc_check_digit computes the same (the tests compare
# them); this is several times faster, which counts on a million-row import.
_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
# The digits are summed as their ASCII codes (an encoded digit is its value + 48: no int()
# per character); the 48s add up to a constant taken off again.
_ASCII_OFFSET = 48 * sum(_WEIGHTS)


def check_character(first17: str) -> str:
    return "10X98765432"[
        (sum(map(operator.mul, first17.encode("ascii"), _WEIGHTS)) - _ASCII_OFFSET) % 11]


@functools.lru_cache(maxsize=8192)
def region_known(code: str) -> bool:
    """Is ``code`` a county code in stdnum's table at any time? (stdnum's validate also
    insists the region existed in the holder's birth year; but an ID takes the code of
    where it was issued, often years later — 会宁县 became 620422 in 1985, and people
    born before then hold 620422 numbers — so any time is accepted.)"""
    results = numdb.get("cn/loc").info(code)
    return any(props.get("county") for _part, props in results)


@functools.lru_cache(maxsize=65536)
def _birth_date(digits: str) -> dt.date | None:
    """The birth date digits 7–14 spell (YYYYMMDD), if it is a real date; remembered: a
    ledger has far fewer birth dates than rows. (stdnum's ric.get_birth_date reads the same
    digits the same way, with more work per call.)"""
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def birth_date_of(id_number: str) -> dt.date:
    return _birth_date(id_number[6:14]) or ric.get_birth_date(id_number)


def gender_of(id_number: str) -> str:
    return Gender.MALE if int(id_number[16]) % 2 else Gender.FEMALE


def mask_id(id_number: str | None) -> str:
    """620422********1234: enough to tell people apart in a list, not enough to use."""
    return mask_digits(id_number)


# Recorded in the audit log sealed (audit.services.sealed_value), shown masked: the log is
# kept for years, and no table holds a number as itself, not even masked (620422********1234
# beside a birth date is the whole number).
MASKED_FIELDS = ("id_number", "certificate_number")


def masked_changes(changes: dict) -> dict:
    """An audit entry's changes ({field: [old, new]}) with the ID and certificate numbers
    sealed (a change of a middle digit is still recorded, and shown masked)."""
    return {name: [sealed_value(v) for v in values] if name in MASKED_FIELDS else values
            for name, values in changes.items()}


def certificate_number(id_number: str, category: int, grade: int) -> str:
    return f"{id_number}{int(category)}{int(grade)}"


def certificate_problems(number: str, *, id_number: str | None, category, grade) -> dict:
    """{field: message} for every part of the certificate number that disagrees."""
    number = normalise_id(number)
    problems: dict[str, str] = {}
    if len(number) != 20:
        problems["certificate_number"] = _(
            "A certificate number has 20 characters (the 18-character ID, the category digit "
            "and the grade digit); this one has %(n)d."
        ) % {"n": len(number)}
        return problems
    if id_number and number[:18] != id_number:
        problems["certificate_number"] = _(
            "The first 18 characters of the certificate number (%(cert)s) are not the ID "
            "number (%(id)s)."
        ) % {"cert": number[:18], "id": id_number}
    cat_digit, grade_digit = number[18], number[19]
    if cat_digit not in "1234567":
        problems["category"] = _(
            "Character 19 of the certificate number must be the category, 1 to 7; it is %(d)s."
        ) % {"d": cat_digit}
    elif category and int(cat_digit) != int(category):
        problems["category"] = _(
            "Character 19 of the certificate number says category %(num)s (%(numlabel)s), "
            "but the category chosen is %(chosen)s."
        ) % {"num": cat_digit, "numlabel": Category(int(cat_digit)).label,
             "chosen": Category(int(category)).label}
    if grade_digit not in "1234":
        problems["grade"] = _(
            "Character 20 of the certificate number must be the grade, 1 to 4; it is %(d)s."
        ) % {"d": grade_digit}
    elif grade and int(grade_digit) != int(grade):
        problems["grade"] = _(
            "Character 20 of the certificate number says %(num)s, but the grade chosen is "
            "%(chosen)s."
        ) % {"num": Grade(int(grade_digit)).label, "chosen": Grade(int(grade)).label}
    return problems
