import re
import unicodedata

# Control characters (pasted from other systems) mean nothing in a ledger; neither a workbook
# nor PostgreSQL text can hold all of them.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalise_text(value) -> str:
    """Full-width letters and digits to half-width (NFKC), trimmed; None to ""; 62.0 to "62"."""
    if value is None:
        return ""
    if type(value) is str and value.isascii() and value.isprintable():
        return value.strip()  # NFKC leaves printable ASCII as it is
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return CONTROL.sub("", unicodedata.normalize("NFKC", str(value))).strip()


def mask_digits(value) -> str:
    """620422********1234: the first 6 and the last 4 characters of a number (a resident ID,
    a certificate number), stars between — enough to tell rows apart, not enough to use.
    A value of 10 characters or fewer is all stars; None or "" is ""."""
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    if len(text) <= 10:
        return "*" * 8
    return f"{text[:6]}{'*' * 8}{text[-4:]}"


# A resident ID (15 or 18 characters, the last maybe X) or a certificate number (the ID and
# two digits) inside a longer text.
_LONG_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{15,17}[\dXx]?\d{0,2}(?![0-9A-Za-z])")


def mask_numbers(text) -> str:
    """``text`` with every ID-like number in it masked by ``mask_digits`` (a note, a
    message quoting the number)."""
    text = "" if text is None else str(text)
    return _LONG_NUMBER.sub(lambda m: mask_digits(m.group()), text)
