"""The rules of the responsibility agreements 目标责任书: pure functions over values, called by
the services, the pages and the demo alike."""

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from orgs.models import Level

from .agreements_choices import AgreementStatus

NUMERALS = "一二三四五六七八九十"


def party_problems(*, party_a_level: int | None, party_b_level: int | None,
                   party_b_in_subtree: bool, party_b_name: str) -> dict:
    """What is wrong with the parties: 乙方 is a unit beneath 甲方, or (for a county and
    above) a department of the work committee named by text; never both."""
    problems = {}
    name = (party_b_name or "").strip()
    if party_a_level is None:
        problems["party_a"] = _("Choose party A.")
    elif party_a_level >= Level.VILLAGE:
        problems["party_a"] = _("A village or community signs agreements as party B only.")
    if party_b_level is None and not name:
        problems["party_b"] = _("Choose party B: a unit beneath party A, or name a "
                                "department.")
    elif party_b_level is not None and name:
        problems["party_b_name"] = _("Party B is a unit or a department, not both.")
    elif party_b_level is not None and not party_b_in_subtree:
        problems["party_b"] = _("Party B must be a unit beneath party A.")
    elif party_b_level is None and party_a_level is not None \
            and party_a_level > Level.COUNTY:
        problems["party_b_name"] = _("Only a county (or a level above) signs agreements with "
                                     "the departments of its work committee.")
    return problems


def year_problem(year: int | None) -> str | None:
    if year is None or not 2000 <= year <= 2100:
        return _("Give a year between 2000 and 2100.")
    return None


def change_problem(status: str) -> str | None:
    """Why an agreement's text and tasks can no longer change (None: they can)."""
    if status != AgreementStatus.DRAFT:
        return _("A signed agreement is not changed: its tasks are what both parties signed.")
    return None


def task_problems(*, text: str, target_value, target_text: str, indicator: str,
                  indicator_levels: dict, party_b_level: int | None) -> dict:
    """What is wrong with a task: it says what is to be done, has a target (a number or a
    text), and its indicator (if any) is computed for 乙方's level."""
    problems = {}
    if not (text or "").strip():
        problems["text"] = _("Say what the task is.")
    if target_value is None and not (target_text or "").strip():
        problems["target_value"] = _("Give a target: a number and its unit, or a text.")
    elif target_value is not None and target_value < 0:
        problems["target_value"] = _("A target cannot be negative.")
    if indicator:
        if indicator not in indicator_levels:
            problems["indicator"] = _("This indicator does not exist.")
        elif party_b_level is None:
            problems["indicator"] = _("An indicator is computed for a unit; party B is a "
                                      "department.")
        elif party_b_level not in indicator_levels[indicator]:
            problems["indicator"] = _("This indicator is not computed for units of party "
                                      "B's level.")
    return problems


def sign_problems(*, status: str, tasks: int, signed_a_on: dt.date | None,
                  signed_b_on: dt.date | None, signatory_a: str, signatory_b: str,
                  year: int, today: dt.date) -> dict:
    problems = {}
    if status != AgreementStatus.DRAFT:
        problems["__all__"] = _("The agreement is signed already.")
        return problems
    if tasks == 0:
        problems["__all__"] = _("An agreement without tasks cannot be signed.")
    if not (signatory_a or "").strip():
        problems["signatory_a"] = _("Give the name of party A's signatory.")
    if not (signatory_b or "").strip():
        problems["signatory_b"] = _("Give the name of party B's signatory.")
    for name, day in (("signed_a_on", signed_a_on), ("signed_b_on", signed_b_on)):
        if day is None:
            problems[name] = _("Give the day it was signed.")
        elif day > today:
            problems[name] = _("The day cannot be in the future.")
        elif day.year not in (year - 1, year):
            problems[name] = _("An agreement for %(year)s is signed late in the year before "
                               "or in %(year)s.") % {"year": year}
    return problems


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_end(year: int, quarter: int) -> dt.date:
    month = quarter * 3
    return (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1))


def quarters_due(year: int, today: dt.date) -> list[int]:
    """The quarters of ``year`` that have ended by ``today`` (each is to be inspected)."""
    return [q for q in range(1, 5) if quarter_end(year, q) < today]


def missing_quarters(*, status: str, year: int, inspected: set, today: dt.date) -> list[int]:
    """The ended quarters of a signed agreement with no inspection recorded."""
    if status != AgreementStatus.SIGNED:
        return []
    return [q for q in quarters_due(year, today) if q not in inspected]


def inspection_problems(*, status: str, year: int, quarter: int | None,
                        inspected_on: dt.date | None, today: dt.date, exists: bool,
                        inspectors: str) -> dict:
    problems = {}
    if status != AgreementStatus.SIGNED:
        problems["__all__"] = _("Only a signed agreement (not yet accepted) is inspected.")
        return problems
    if quarter not in (1, 2, 3, 4):
        problems["quarter"] = _("Choose the quarter.")
    elif exists:
        problems["quarter"] = _("This quarter has its inspection already.")
    if not (inspectors or "").strip():
        problems["inspectors"] = _("Name the inspectors.")
    if inspected_on is None:
        problems["inspected_on"] = _("Give the day of the inspection.")
    elif inspected_on > today:
        problems["inspected_on"] = _("The day cannot be in the future.")
    elif inspected_on.year < year:
        problems["inspected_on"] = _("An inspection of a %(year)s agreement is made in "
                                     "%(year)s or later.") % {"year": year}
    return problems


def acceptance_problems(*, status: str, accepted_on: dt.date | None, today: dt.date,
                        year: int, accepted_by: str, grade: str, results: dict) -> dict:
    """The year-end acceptance: on a signed agreement, from December of its year, a result
    for every task (``results`` {task id: result}) and the overall one."""
    problems = {}
    if status != AgreementStatus.SIGNED:
        problems["__all__"] = _("Only a signed agreement that is not yet closed is accepted.")
        return problems
    if accepted_on is None:
        problems["accepted_on"] = _("Give the day of the acceptance.")
    elif accepted_on > today:
        problems["accepted_on"] = _("The day cannot be in the future.")
    elif accepted_on < dt.date(year, 12, 1):
        problems["accepted_on"] = _("The year-end acceptance is made from December of "
                                    "%(year)s.") % {"year": year}
    if not (accepted_by or "").strip():
        problems["accepted_by"] = _("Say who accepted it.")
    if not grade:
        problems["grade"] = _("Give the overall result.")
    if any(not r for r in results.values()):
        problems["__all__"] = _("Give a result for every task.")
    return problems


def target_met(value: Decimal | None, target: Decimal | None, met: bool) -> bool | None:
    """Whether a computed value reaches its target: None when it cannot be said (no value
    yet); a target without a number is met when the indicator is."""
    if target is None:
        return met
    if value is None:
        return None
    return value >= target


def numeral(n: int) -> str:
    """一, 二 … 十, 十一 … 九十九: the numbering of an agreement's tasks."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else NUMERALS[tens - 1]
    return f"{head}十{NUMERALS[ones - 1] if ones else ''}"
