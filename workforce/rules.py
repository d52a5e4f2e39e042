"""The workforce's rules, written once (like people/rules.py): pure functions over values,
each returning ``{field: message}`` (and what follows from the values), called by the
services, the import and the demo alike — one bad value, one message wherever it is typed.

Decided as a county clerk would expect:

* a worker's ID number is checked with the register's rules (people.identity); birth date
  and gender are read from it;
* a worker said to be a disabled person is linked to their register entry, a relative to
  the disabled relative's entry and the relation; the entry must exist (the service finds
  it by ID number in the user's scope);
* a liaison officer who is neither is allowed but listed as an exception (doc3 asks all of
  them to be); selection conditions (age at hiring, schooling) are warnings, never refusals;
* a post has one holder at a time; an appointment's term ends after it starts; an ended
  appointment says why; nothing is deleted;
* the grids a worker answers for are grids of the post's own village or community.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from orgs.models import Level
from people.choices import Education
from people.identity import birth_date_of, gender_of, normalise_id, validate_id

from .choices import POST_LEVELS, Connection, PostKind


@dataclass
class Checked:
    problems: dict[str, str] = field(default_factory=dict)
    derived: dict = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.problems.setdefault(name, message)

    @property
    def ok(self) -> bool:
        return not self.problems


# ---- a worker --------------------------------------------------------------------------------

def worker(values: dict, *, today: dt.date) -> Checked:
    """The rules of a worker's identity, tie to disability and work certificate. ``values``:
    name, id_number, connection, has_person (their entry or their relative's was found),
    relation, certificate_number, certificate_issued_on, certificate_valid_until."""
    result = Checked()
    v = values
    if not (v.get("name") or "").strip():
        result.add("name", _("The name is missing."))
    try:
        number = validate_id(normalise_id(v.get("id_number") or ""), today=today)
    except ValidationError as exc:
        result.add("id_number", exc.messages[0])
    else:
        result.derived.update(id_number=number, birth_date=birth_date_of(number),
                              gender=gender_of(number))
    connection = v.get("connection") or Connection.NONE
    if connection == Connection.DISABLED and not v.get("has_person"):
        result.add("connection", _("A disabled worker is linked to their entry in the "
                                   "register: register them first, or give their ID number "
                                   "as it is registered."))
    if connection == Connection.RELATIVE:
        if not v.get("has_person"):
            result.add("relative_id_number", _("Give the ID number of the disabled relative "
                                               "as it is registered in your area."))
        if not v.get("relation"):
            result.add("relation", _("Say how the worker is related to the disabled person."))
    issued, until = v.get("certificate_issued_on"), v.get("certificate_valid_until")
    if (issued or until) and not (v.get("certificate_number") or "").strip():
        result.add("certificate_number", _("Certificate dates need the certificate's number."))
    if issued and until and until <= issued:
        result.add("certificate_valid_until", _("The certificate must be valid after the day "
                                                "it was issued."))
    if issued and issued > today:
        result.add("certificate_issued_on", _("The issue date is in the future."))
    return result


def is_tied(connection: str) -> bool:
    """Whether a worker is a disabled person or a relative of one (doc3)."""
    return connection in (Connection.DISABLED, Connection.RELATIVE)


def certificate_state(*, number: str, valid_until: dt.date | None, today: dt.date) -> str:
    """"missing", "expired" or "valid" (持证上岗)."""
    if not number:
        return "missing"
    if valid_until is not None and valid_until < today:
        return "expired"
    return "valid"


# ---- posts and appointments ------------------------------------------------------------------

# The kinds of post each level's organisation has.
KINDS_AT = {
    Level.PROVINCE: (PostKind.CHAIR, PostKind.VICE_CHAIR, PostKind.STAFF),
    Level.CITY: (PostKind.CHAIR, PostKind.VICE_CHAIR, PostKind.STAFF),
    Level.COUNTY: (PostKind.CHAIR, PostKind.VICE_CHAIR, PostKind.STAFF, PostKind.COUNSELLOR),
    Level.TOWNSHIP: (PostKind.CHAIR, PostKind.VICE_CHAIR, PostKind.LIAISON,
                     PostKind.COUNSELLOR, PostKind.STAFF),
    Level.VILLAGE: (PostKind.CHAIR, PostKind.VICE_CHAIR, PostKind.LIAISON,
                    PostKind.COUNSELLOR),
}


def post(*, kind: str, unit_level: int | None) -> dict[str, str]:
    """A post of ``kind`` at a unit of ``unit_level``."""
    if unit_level not in POST_LEVELS:
        return {"unit": _("Grids have no posts: appoint the worker in the village or "
                          "community and name the grids they answer for.")}
    if kind not in KINDS_AT[unit_level]:
        return {"kind": _("A unit of this level has no such post.")}
    return {}


def appointment(values: dict, *, today: dt.date) -> dict[str, str]:
    """An appointment's dates and grids. ``values``: starts_on, term_ends_on, ended_on,
    end_reason, post_open (the post has another holder now), unit_id (the post's unit),
    grid_parents (the parent id and level of each grid named)."""
    problems: dict[str, str] = {}
    starts, term, ended = values.get("starts_on"), values.get("term_ends_on"), \
        values.get("ended_on")
    if starts is None:
        problems["starts_on"] = _("Give the day the appointment starts.")
    if starts and term and term <= starts:
        problems["term_ends_on"] = _("The term must end after it starts.")
    if starts and ended and ended < starts:
        problems["ended_on"] = _("An appointment cannot end before it starts.")
    if ended and ended > today:
        problems["ended_on"] = _("The end is in the future: record it on the day.")
    if ended and not values.get("end_reason"):
        problems["end_reason"] = _("Say why the appointment ended.")
    if values.get("post_open"):
        problems["post"] = _("This post is held by someone else: end that appointment "
                             "first.")
    for parent_id, level in values.get("grid_parents", ()):
        if level != Level.GRID or parent_id != values.get("unit_id"):
            problems["grids"] = _("A worker answers only for grids of the post's own village "
                                  "or community.")
    return problems


def end(*, starts_on: dt.date, ended_on: dt.date | None, reason: str,
        today: dt.date) -> dict[str, str]:
    """Ending an appointment on ``ended_on`` for ``reason``."""
    if ended_on is None:
        return {"ended_on": _("Give the day the appointment ended.")}
    return appointment({"starts_on": starts_on, "ended_on": ended_on, "end_reason": reason},
                       today=today)


# ---- selection conditions (warnings) ---------------------------------------------------------

EDUCATION_RANK = {
    Education.NONE: 0, Education.PRIMARY: 1, Education.SPECIAL: 1, Education.JUNIOR: 2,
    Education.SENIOR: 3, Education.VOCATIONAL: 3, Education.COLLEGE: 4,
    Education.UNIVERSITY: 5,
}


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month,
                                                                  birth_date.day))


def selection_warnings(*, birth_date: dt.date, education: str, hired_on: dt.date,
                       max_age: int | None, min_education: str) -> list[str]:
    """What an appointment breaks of the county's selection conditions (as warnings)."""
    warnings = []
    if max_age is not None and age_on(birth_date, hired_on) > max_age:
        warnings.append(_("%(age)s years old when hired (the limit is %(max)s)") % {
            "age": age_on(birth_date, hired_on), "max": max_age})
    if min_education:
        if not education:
            warnings.append(_("schooling not recorded (at least %(min)s is asked)") % {
                "min": Education(min_education).label})
        elif EDUCATION_RANK.get(education, 0) < EDUCATION_RANK.get(min_education, 0):
            warnings.append(_("%(has)s (at least %(min)s is asked)") % {
                "has": Education(education).label, "min": Education(min_education).label})
    return warnings


# ---- staffing norms and vacancies ------------------------------------------------------------

@dataclass(frozen=True)
class Norm:
    """A staffing norm as values (see models.StaffingNorm)."""

    count: int = 1
    extra_threshold: int | None = None
    extra_basis: str = "people"
    extra_required: bool = False


# The reports' norms, everywhere (level, kind, count, a second one allowed from N people):
# one chair and one liaison officer per township DPF and per village association (doc3,
# doc4); a second liaison officer allowed where a village has 100 registered disabled
# people (research.md: Beijing). Stored as StaffingNorm rows by a migration, so that
# administrators change them; where a row is missing, these stand.
DEFAULT_NORMS = (
    (4, "chair", 1, None),
    (4, "liaison", 1, None),
    (5, "chair", 1, None),
    (5, "liaison", 1, 100),
)


def with_defaults(norms: dict) -> dict:
    """``norms`` ({(region, level, kind): Norm}) with DEFAULT_NORMS where no norm applies
    everywhere for a level and kind."""
    merged = dict(norms)
    for level, kind, count, threshold in DEFAULT_NORMS:
        merged.setdefault((None, level, kind), Norm(count, threshold))
    return merged


def required_posts(norm: Norm, *, people: int, certificates: int) -> tuple[int, int]:
    """(required, allowed) posts of a norm's kind at a unit with ``people`` registered
    active disabled people of whom ``certificates`` hold a certificate."""
    required = allowed = norm.count
    if norm.extra_threshold is not None:
        counted = certificates if norm.extra_basis == "certificates" else people
        if counted >= norm.extra_threshold:
            allowed += 1
            if norm.extra_required:
                required += 1
    return required, allowed


def days_vacant(since: dt.date | None, today: dt.date) -> int | None:
    """Days a post has been vacant since ``since`` (None: never held, not known)."""
    if since is None:
        return None
    return max((today - since).days, 0)


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def share(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` as a fraction (None when there is no whole)."""
    return part / whole if whole else None
