"""The register's rules, written once.

Pure functions over values — no database, no request, no form — each returning what is
wrong as ``{field: message}`` and what follows from the values (``derived``: the birth date
and gender an ID number spells, the category and grade a certificate number ends with, the
default status of a need…). The services (so every form and, later, the API), the import
specs and the demo all call them, so one bad value gets one message wherever it is typed.

Where the paths once disagreed, each rule was decided once, as a county clerk would expect:

* a birth date or gender that differs from the ID number is an error, never silently
  replaced (an empty one is read from the ID);
* a certificate number without category and grade is enough: both are its last two digits
  (given ones must agree with them);
* the certificate's issue date may be unknown (many paper ledgers lack it);
* a certificate must be valid after its issue date, whoever typed it;
* a category and grade may be known before the certificate is issued (assessed, awaiting
  the certificate); certificate dates without a certificate number are an error.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from orgs.models import Level

from .choices import Hukou, JobStatus, NeedStatus, Status, VisitMode
from .identity import birth_date_of, certificate_problems, gender_of, normalise_id, validate_id


@dataclass
class Checked:
    """What a rule found: ``problems`` {field: message} (empty when all is well) and the
    values that follow from the ones given (``derived``, to store with them)."""

    problems: dict[str, str] = field(default_factory=dict)
    derived: dict = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.problems.setdefault(name, message)

    @property
    def ok(self) -> bool:
        return not self.problems


# ---- a person and their certificate ----------------------------------------------------------

def person(values: dict, *, today: dt.date, unit_kind: str = "") -> Checked:
    """The rules of a person's identity and certificate. ``values`` holds what was typed
    (missing or empty means not given): id_number, gender, birth_date, certificate_number,
    category, grade, certificate_issued_on, certificate_valid_until, hukou, status,
    status_date, registered_on. ``unit_kind`` (community or village) gives the household
    registration when none is given."""
    result = Checked()
    v, derived = values, result.derived

    number = normalise_id(v.get("id_number") or "")
    if number:
        try:
            number = validate_id(number, today=today)
        except ValidationError as exc:
            result.add("id_number", exc.messages[0])
            number = ""
            id_ok = False
        else:
            id_ok = True
            derived["id_number"] = number
            birth, gender = birth_date_of(number), gender_of(number)
            if v.get("birth_date") and v["birth_date"] != birth:
                result.add("birth_date", _(
                    "The birth date differs from the one in the ID number (%(date)s)."
                ) % {"date": birth.isoformat()})
            if v.get("gender") and v["gender"] != gender:
                result.add("gender", _("The gender differs from the ID number."))
            derived["birth_date"], derived["gender"] = birth, gender
    else:
        id_ok = False
        derived["id_number"] = None
        if not v.get("birth_date"):
            result.add("birth_date", _("Without an ID number, type the birth date."))
        if not v.get("gender"):
            result.add("gender", _("Without an ID number, choose the gender."))
    birth = derived.get("birth_date") or v.get("birth_date")
    if birth and birth > today:
        result.add("birth_date", _("The birth date is in the future."))

    cert = normalise_id(v.get("certificate_number") or "")
    issued, valid_until = v.get("certificate_issued_on"), v.get("certificate_valid_until")
    if cert:
        derived["certificate_number"] = cert
        if not number and "id_number" not in result.problems:
            result.add("certificate_number",
                       _("A certificate number needs the holder's ID number."))
        found = certificate_problems(cert, id_number=number if id_ok else None,
                                     category=v.get("category"), grade=v.get("grade"))
        for name, message in found.items():
            result.add(name, message)
        if not found:
            # Category and grade are the certificate number's last two digits.
            derived["category"], derived["grade"] = int(cert[18]), int(cert[19])
        if issued and valid_until and valid_until <= issued:
            result.add("certificate_valid_until",
                       _("The certificate must be valid after its issue."))
    else:
        # A category and grade without a certificate: assessed, the certificate not yet
        # issued (counted in the summary table only once it is).
        derived["certificate_number"] = None
        if issued or valid_until:
            result.add("certificate_number",
                       _("Type the certificate number, or leave its dates empty."))

    if not v.get("hukou"):
        derived["hukou"] = Hukou.URBAN if unit_kind == "community" else Hukou.RURAL

    for name, message in status_date(status=v.get("status") or "", since=v.get("status_date"),
                                     registered_on=v.get("registered_on"),
                                     today=today).items():
        result.add(name, message)
    return result


def status_date(*, status: str, since: dt.date | None, registered_on: dt.date | None,
                today: dt.date) -> dict[str, str]:
    """A date of leaving the register goes with a status that is not active, is not in the
    future and does not come before the registration date given with it."""
    if not since:
        return {}
    if status in ("", None, Status.ACTIVE):
        return {"status_date": _(
            "A status date goes with a status of moved out, deceased or certificate "
            "cancelled.")}
    return _not_future_nor_before_registration(since, registered_on, today)


def status_change(*, status: str, on: dt.date, note: str, current: str,
                  today: dt.date) -> dict[str, str]:
    """A change of status from ``current`` on the date ``on`` (the status page). (The
    registration date is not compared: people are registered here on the day they are
    typed in, often long after the paper ledger registered them.)"""
    problems: dict[str, str] = {}
    if status not in Status.values:
        problems["status"] = _("Choose a status.")
    elif status == current:
        problems["status"] = _("The person already has this status.")
    found = _not_future_nor_before_registration(on, None, today) if on else {}
    if found:
        problems["on"] = found["status_date"]
    if status == Status.MOVED_OUT and not (note or "").strip():
        problems["note"] = _("Say where the person moved to.")
    return problems


def _not_future_nor_before_registration(day, registered_on, today) -> dict[str, str]:
    if day > today:
        return {"status_date": _("The date is in the future.")}
    if registered_on and day < registered_on:
        return {"status_date": _(
            "The status changed before the person was registered (登记日期 %(date)s).")
            % {"date": registered_on.isoformat()}}
    return {}


def place(*, unit_level: int | None, grid_parent_id: int | None, grid_level: int | None,
          unit_id: int | None) -> dict[str, str]:
    """A person is registered in a village or community, and a grid is one of its grids."""
    problems = {}
    if unit_level is not None and unit_level != Level.VILLAGE:
        problems["unit"] = _("A person is registered in a village or community.")
    if grid_level is not None and (grid_level != Level.GRID or grid_parent_id != unit_id):
        problems["grid"] = _("The grid must belong to the person's village or community.")
    return problems


# ---- needs, visits, job seeking -------------------------------------------------------------

def need(values: dict, *, today: dt.date) -> Checked:
    """A service need: a met need says when and what was done; one that cannot be met says
    why (and is closed today unless a date is given); an open one has no closing date."""
    result = Checked()
    v = values
    status = v.get("status") or NeedStatus.OPEN
    result.derived["status"] = status
    closed_on = v.get("closed_on")
    if status == NeedStatus.MET:
        if not closed_on:
            result.add("closed_on", _("Type the date the need was met."))
        if not (v.get("outcome") or "").strip():
            result.add("outcome", _("Say what was done."))
    elif status == NeedStatus.UNMET:
        if not (v.get("unmet_reason") or "").strip():
            result.add("unmet_reason", _("Say why the need cannot be met."))
        if not closed_on:
            closed_on = result.derived["closed_on"] = today
    else:
        closed_on = result.derived["closed_on"] = None
    registered = v.get("registered_on")
    if registered and registered > today:
        result.add("registered_on", _("The date is in the future."))
    if closed_on and closed_on > today:
        result.add("closed_on", _("The date is in the future."))
    elif closed_on and registered and closed_on < registered:
        result.add("closed_on", _("A need cannot be closed before it was registered."))
    return result


def visit(values: dict, *, today: dt.date) -> Checked:
    """A visit is not in the future, and the next one comes after it."""
    result = Checked()
    v = values
    result.derived["mode"] = v.get("mode") or VisitMode.HOME
    visited, next_due = v.get("visited_on"), v.get("next_due")
    if visited and visited > today:
        result.add("visited_on", _("The date is in the future."))
    if next_due and visited and next_due <= visited:
        result.add("next_due", _("The next visit must come after this one."))
    return result


def jobseeker(values: dict, *, today: dt.date) -> Checked:
    """A placement names the employer and the date; dates are not in the future."""
    result = Checked()
    v = values
    status = v.get("status") or JobStatus.SEEKING
    result.derived["status"] = status
    if status == JobStatus.PLACED:
        if not (v.get("employer") or "").strip():
            result.add("employer", _("Name the employer."))
        if not v.get("placed_on"):
            result.add("placed_on", _("Type the date of placement."))
    for name in ("registered_on", "placed_on"):
        if v.get(name) and v[name] > today:
            result.add(name, _("The date is in the future."))
    return result
