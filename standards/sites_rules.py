"""The demonstration sites' rules 示范点: pure functions over values, called by the services,
the selectors and the demo alike."""

import datetime as dt

from django.utils.translation import gettext as _

from orgs.models import Kind, Level

from .choices import SiteKind

# doc4: a county designates 2–4 demonstration townships, at least 2 communities and 50
# villages a year — the targets a county starts from.
DEFAULT_TARGETS = {SiteKind.TOWNSHIP: 2, SiteKind.COMMUNITY: 2, SiteKind.VILLAGE: 50}


def site_kind(level: int, unit_kind: str) -> str | None:
    """What a unit of ``level`` and ``unit_kind`` can be designated as (None: nothing)."""
    if level == Level.TOWNSHIP:
        return SiteKind.TOWNSHIP
    if level == Level.VILLAGE:
        return SiteKind.COMMUNITY if unit_kind == Kind.COMMUNITY else SiteKind.VILLAGE
    return None


def kind_level(kind: str) -> int:
    """The level of the units designated as ``kind``."""
    return Level.TOWNSHIP if kind == SiteKind.TOWNSHIP else Level.VILLAGE


def year_problem(year) -> str | None:
    if year is None or not 2000 <= year <= 2100:
        return _("Give a year between 2000 and 2100.")
    return None


def target_problems(*, year, kind: str, number) -> dict:
    problems = {}
    if kind not in SiteKind.values:
        problems["kind"] = _("Choose the kind of demonstration site.")
    problem = year_problem(year)
    if problem:
        problems["year"] = problem
    if number is None or number < 0 or number > 10000:
        problems["number"] = _("Give a number between 0 and 10000.")
    return problems


def designate_problems(*, in_county: bool, kind: str | None, year, designated_on,
                       document_number: str, today: dt.date, already: bool) -> dict:
    """What is wrong with designating a unit: ``in_county`` whether it lies in the
    designating county, ``kind`` what it can be (site_kind), ``already`` whether it is a
    site of ``year`` already."""
    problems = {}
    if not in_county:
        problems["unit"] = _("Choose a township, community or village of the county.")
    elif kind is None:
        problems["unit"] = _("Only a township, a community or a village is designated as a "
                             "demonstration site.")
    elif already:
        problems["unit"] = _("This unit is already a demonstration site of %(year)s.") % {
            "year": year}
    problem = year_problem(year)
    if problem:
        problems["year"] = problem
    if designated_on is None:
        problems["designated_on"] = _("Give the day of the designation.")
    elif designated_on > today:
        problems["designated_on"] = _("The day cannot be in the future.")
    if not (document_number or "").strip():
        problems["document_number"] = _("Give the number of the designating document.")
    return problems


def withdraw_problems(*, withdrawn: bool, designated_on: dt.date, withdrawn_on,
                      today: dt.date) -> dict:
    problems = {}
    if withdrawn:
        problems["withdrawn_on"] = _("This site is already withdrawn.")
    elif withdrawn_on is None:
        problems["withdrawn_on"] = _("Give the day of the withdrawal.")
    elif withdrawn_on > today:
        problems["withdrawn_on"] = _("The day cannot be in the future.")
    elif withdrawn_on < designated_on:
        problems["withdrawn_on"] = _("A site is withdrawn on or after the day it was "
                                     "designated.")
    return problems


def rules_document_problems(*, title: str, adopted_on, year, today: dt.date,
                            files: int) -> dict:
    problems = {}
    if not (title or "").strip():
        problems["title"] = _("Give the rules' title.")
    problem = year_problem(year)
    if problem:
        problems["year"] = problem
    if adopted_on is None:
        problems["adopted_on"] = _("Give the day the rules were adopted.")
    elif adopted_on > today:
        problems["adopted_on"] = _("The day cannot be in the future.")
    if files == 0:
        problems["attachments"] = _("Attach the rules document (a PDF or a photo).")
    return problems


def order_key(*, attained: bool, met: int, total: int, score=None) -> tuple:
    """How candidates are ordered (the smallest first): those meeting every item first, then
    the highest assessment score (when there is one), then the most items met."""
    return (not attained, -(score if score is not None else -1), -met, total - met)
