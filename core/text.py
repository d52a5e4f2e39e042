import unicodedata


def normalise_text(value) -> str:
    """Full-width letters and digits to half-width (NFKC), trimmed; None to ""; 62.0 to "62"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()
