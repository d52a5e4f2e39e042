"""The standards' rules: pure functions over values, called by the forms' services, the
defaults and the demo alike."""

import datetime as dt

from django.utils.translation import gettext as _

from .choices import ItemKind, StandardStatus


def item_problems(*, text: str, kind: str, indicator: str, level: int,
                  indicator_levels: dict) -> dict:
    """What is wrong with an item of a standard for units of ``level``; ``indicator_levels``
    is {indicator key: the levels it is computed for} (standards/indicators.py)."""
    problems = {}
    if not (text or "").strip():
        problems["text"] = _("Say what the item asks for.")
    if kind not in ItemKind.values:
        problems["kind"] = _("Choose whether the item is computed or confirmed.")
    elif kind == ItemKind.COMPUTED:
        if not indicator:
            problems["indicator"] = _("Choose the indicator a computed item is checked by.")
        elif indicator not in indicator_levels:
            problems["indicator"] = _("This indicator does not exist.")
        elif level not in indicator_levels[indicator]:
            problems["indicator"] = _("This indicator is not computed for units of this "
                                      "level.")
    return problems


def item_indicator(kind: str, indicator: str) -> str:
    """The indicator an item keeps: a confirmed item has none."""
    return indicator if kind == ItemKind.COMPUTED else ""


def change_problem(status: str) -> str | None:
    """Why a standard can no longer be changed (None: it can)."""
    if status == StandardStatus.PUBLISHED:
        return _("A published standard is not changed: copy it for a new year and change "
                 "the copy.")
    return None


def copy_problems(*, year: int | None, exists: bool) -> dict:
    problems = {}
    if year is None or not 2000 <= year <= 2100:
        problems["year"] = _("Give a year between 2000 and 2100.")
    elif exists:
        problems["year"] = _("This region already has this standard for that year.")
    return problems


def publish_problem(items: int) -> str | None:
    if items == 0:
        return _("A standard without items cannot be published.")
    return None


def confirmation_problems(*, kind: str, confirmed_on: dt.date | None, year: int,
                          today: dt.date, item_level: int, unit_level: int) -> dict:
    """What is wrong with confirming an item of ``kind`` (of a standard for units of
    ``item_level``) for a unit of ``unit_level`` and ``year`` on ``confirmed_on``."""
    problems = {}
    if item_level != unit_level:
        problems["item"] = _("This item belongs to a standard for units of another level.")
    elif kind != ItemKind.CONFIRMED:
        problems["item"] = _("This item is computed from the data; it is not confirmed by "
                             "hand.")
    if confirmed_on is None:
        problems["confirmed_on"] = _("Give the day it was confirmed.")
    elif confirmed_on > today:
        problems["confirmed_on"] = _("The day cannot be in the future.")
    elif confirmed_on.year < year:
        problems["confirmed_on"] = _("A confirmation for %(year)s is made in %(year)s or "
                                     "later.") % {"year": year}
    return problems


def attainment_percent(met: int, total: int) -> int | None:
    """The share of ``total`` that is ``met``, in whole per cent (None for no units)."""
    if not total:
        return None
    return round(100 * met / total)
