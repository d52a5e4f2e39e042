"""Rules of the division codes (national statistical division codes, 2023 edition)."""

from django.utils.translation import gettext as _

from .models import CODE_LENGTH, LEVEL_BY_CODE_LENGTH, Kind, Level, UrbanRural


def kind_from_code(code: str | None, level: int) -> str:
    """What the code says a unit is: township digits 001-099 a street, 100-199 a town,
    200-399 a township (xiang); village digits 001-199 a community, 200-399 a village."""
    if not code or not (code.isascii() and code.isdigit()):
        return ""
    if level == Level.TOWNSHIP and len(code) == 9:
        n = int(code[6:9])
        if 1 <= n <= 99:
            return Kind.STREET
        if 100 <= n <= 199:
            return Kind.TOWN
        if 200 <= n <= 399:
            return Kind.TOWNSHIP
        return Kind.OTHER
    if level == Level.VILLAGE and len(code) == 12:
        n = int(code[9:12])
        if 1 <= n <= 199:
            return Kind.COMMUNITY
        if 200 <= n <= 399:
            return Kind.VILLAGE
        return Kind.OTHER
    return ""


KINDS_BY_LEVEL = {
    Level.TOWNSHIP: {Kind.STREET, Kind.TOWN, Kind.TOWNSHIP, Kind.OTHER},
    Level.VILLAGE: {Kind.COMMUNITY, Kind.VILLAGE, Kind.OTHER},
}


def urban_rural_from_kind(kind: str) -> str:
    if kind in (Kind.STREET, Kind.COMMUNITY):
        return UrbanRural.URBAN
    if kind in (Kind.TOWNSHIP, Kind.VILLAGE):
        return UrbanRural.RURAL
    return ""


def code_problem(code: str, level: int | None = None, parent_code: str | None = None) -> str:
    """Why ``code`` is not a valid code (for ``level``, under ``parent_code``); "" if it is."""
    if not (code.isascii() and code.isdigit()):
        return _("A division code has digits only.")
    if len(code) not in LEVEL_BY_CODE_LENGTH:
        return _("A division code has 2, 4, 6, 9 or 12 digits (15 for a grid), not %(n)d.") % {
            "n": len(code)
        }
    if level is not None and CODE_LENGTH.get(level) != len(code):
        return _("A code of %(n)d digits does not fit this level, which has %(m)d.") % {
            "n": len(code),
            "m": CODE_LENGTH[level],
        }
    if len(code) >= 9 and code.endswith("000"):
        return _("The last three digits of a township, village or grid code cannot be 000.")
    if parent_code and not code.startswith(parent_code):
        return _("The code does not begin with its parent's code %(parent)s.") % {
            "parent": parent_code
        }
    return ""


def unit_search_key(name: str) -> str:
    """What a unit is found by in the public search besides its name: the lowercase pinyin
    of the whole name and its initials, space-separated (东山根社区 → "dongshangenshequ
    dsgsq"). A place name is read as a phrase (pypinyin's phrase table gives 会宁 hui, not
    kuai), unlike a person's name (people/pinyin.py); orgs sits below people, so the two
    keys are made apart."""
    from pypinyin import Style, lazy_pinyin

    name = "".join(name.split())
    if not name:
        return ""
    parts = [p.lower() for p in lazy_pinyin(name, style=Style.NORMAL, errors="ignore") if p]
    full = "".join(parts)
    initials = "".join(p[0] for p in parts)
    return " ".join(dict.fromkeys(w for w in (full, initials) if w))[:200]
