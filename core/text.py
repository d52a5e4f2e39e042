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
