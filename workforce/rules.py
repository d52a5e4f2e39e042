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
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

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


# ---- training --------------------------------------------------------------------------------
#
# Decided as a county clerk would expect:
#
# * a session is organised by a city's, a county's or a township's DPF, and its level is that
#   unit's level; it ends on or after the day it starts; its hours are more than none and no
#   more than a full day's 24 for each day it lasts;
# * attendance is recorded once the session has begun, for workers kept in the organising
#   unit's area (its subtree); a worker attends a session once, never twice;
# * a year's training counts the sessions a worker attended that began in that year; the
#   officers counted are those in post on the last day of the year (today, for this year).

# The yearly minimum number of sessions for each kind of post at each level of unit.
TRAINING_MINIMUMS: dict[tuple[str, int], int] = {
    (PostKind.CHAIR, Level.TOWNSHIP): 1,    # doc3: 年内对镇(街道)理事长全部培训一次
    (PostKind.LIAISON, Level.TOWNSHIP): 2,  # doc4: 对乡村(社区)专职委员的培训不少于2次
    (PostKind.LIAISON, Level.VILLAGE): 2,   # doc4
}


def training_required(kind: str, level: int | None) -> int:
    """The sessions a year an officer in a post of ``kind`` at a unit of ``level`` must
    attend (0: no minimum)."""
    return TRAINING_MINIMUMS.get((kind, level), 0)


def training_shortfall(*, required: int, attended: int) -> int:
    """How many sessions an officer still lacks this year."""
    return max(required - attended, 0)


def training_year_day(year: int, today: dt.date) -> dt.date:
    """The day whose officers a year's training counts: the year's last day, or today for
    the year under way."""
    return min(dt.date(year, 12, 31), today)


def training_session(values: dict) -> dict[str, str]:
    """A session's values: unit_level (the organising unit's level), level, title,
    starts_on, ends_on, hours."""
    from .choices import TRAINING_UNIT_LEVEL

    problems: dict[str, str] = {}
    if not (values.get("title") or "").strip():
        problems["title"] = _("Give the session a title.")
    level, unit_level = values.get("level"), values.get("unit_level")
    if unit_level not in TRAINING_UNIT_LEVEL.values():
        problems["unit"] = _("Trainings are organised by a city's, a county's or a township's "
                             "DPF.")
    elif TRAINING_UNIT_LEVEL.get(level) != unit_level:
        problems["level"] = _("The level is the organising unit's: a county's training is "
                              "organised by a county DPF.")
    starts, ends, hours = values.get("starts_on"), values.get("ends_on"), values.get("hours")
    if starts is None:
        problems["starts_on"] = _("Give the day the session starts.")
    if ends is None:
        problems["ends_on"] = _("Give the day the session ends.")
    elif starts is not None and ends < starts:
        problems["ends_on"] = _("The session cannot end before it starts.")
    if hours is None or hours <= 0:
        problems["hours"] = _("Give the hours of training (more than none).")
    elif starts and ends and ends >= starts and hours > 24 * ((ends - starts).days + 1):
        problems["hours"] = _("More hours than the days of the session hold.")
    return problems


def attendance(*, starts_on: dt.date, today: dt.date, unit_path: str,
               worker_paths: dict[str, str]) -> dict[str, str]:
    """Recording who attended a session of the unit at ``unit_path`` that starts on
    ``starts_on``; ``worker_paths``: {worker name: the path of the unit keeping them}."""
    if starts_on > today:
        return {"workers": _("The session has not begun: record who came once it has.")}
    outside = sorted(name for name, path in worker_paths.items()
                     if not path.startswith(unit_path))
    if outside:
        return {"workers": _("Not workers of the organising unit's area: %(names)s.") % {
            "names": "、".join(outside)}}
    return {}


# ---- yearly appraisal ------------------------------------------------------------------------
#
# * one appraisal per appointment and year, of a year that has begun, for an appointment in
#   force at some time in that year; the score is out of 100;
# * 不称职 is not renewed (doc4: 对考评不称职的不予续聘), so its decision is "do not renew";
#   a commendation is for 优秀 (doc4: 对考评为优秀的，给予一定的精神和物质奖励);
# * "do not renew" is a proposal until an administrator confirms it; an appraisal whose
#   non-renewal is confirmed is not changed any more;
# * confirming ends the appointment as not renewed: on the term's end day when the term has
#   run out, else on the day of the confirmation — an officer found unfit is replaced promptly
#   (doc3: 对考核不胜任的专职委员及时调整), not kept to the end of a term that runs on.

SCORE_MAX = 100


def appraisal(values: dict, *, today: dt.date) -> dict[str, str]:
    """``values``: year, score, grade, decision, starts_on and ended_on (the appointment's),
    confirmed (its non-renewal is confirmed already)."""
    from .choices import Decision, Grade

    problems: dict[str, str] = {}
    year, score = values.get("year"), values.get("score")
    if values.get("confirmed"):
        problems["decision"] = _("The non-renewal has been confirmed: the appraisal is "
                                 "closed.")
    if year is None or year > today.year:
        problems["year"] = _("Appraise a year that has begun.")
    else:
        starts, ended = values.get("starts_on"), values.get("ended_on")
        if (starts and starts > dt.date(year, 12, 31)) or (ended and ended < dt.date(year, 1,
                                                                                   1)):
            problems["year"] = _("The officer was not in this post in %(year)s.") % {
                "year": year}
    if score is None or not 0 <= score <= SCORE_MAX:
        problems["score"] = _("The score is out of 100: from 0 to 100.")
    grade, decision = values.get("grade"), values.get("decision")
    if grade not in Grade.values:
        problems["grade"] = _("Choose the grade.")
    if decision not in Decision.values:
        problems["decision"] = _("Choose the decision.")
    elif grade == Grade.INCOMPETENT and decision != Decision.NOT_RENEW:
        problems["decision"] = _("An officer graded incompetent is not renewed (doc4): "
                                 "choose “do not renew”.")
    elif decision == Decision.COMMEND and grade != Grade.EXCELLENT:
        problems["decision"] = _("A commendation is for an officer graded excellent.")
    return problems


def non_renewal_end_day(*, term_ends_on: dt.date | None, starts_on: dt.date,
                        today: dt.date) -> dt.date:
    """The day a confirmed non-renewal ends the appointment (see above)."""
    if term_ends_on is not None and term_ends_on <= today:
        return max(term_ends_on, starts_on)
    return today


def non_renewal_confirmation(*, decision: str, confirmed: bool,
                             appointment_open: bool) -> dict[str, str]:
    from .choices import Decision

    if decision != Decision.NOT_RENEW:
        return {"decision": _("This appraisal does not propose a non-renewal.")}
    if confirmed:
        return {"decision": _("The non-renewal has been confirmed already.")}
    if not appointment_open:
        return {"decision": _("The appointment has ended already.")}
    return {}


# ---- awards ----------------------------------------------------------------------------------
#
# * a round is organised by a county's, a city's or a township's DPF for a year that has
#   begun; units of its area (the organiser too) nominate workers kept in their own area,
#   each worker once per round, with a reason; nothing is nominated or decided after the
#   list is published, and it is published once every nomination is decided;
# * a village liaison officer selected in a published round of this year or the last
#   (PREFERRED_YEARS) is preferred for a township post (doc4: 对村(社区)优秀专职委员给予
#   优先竞聘上一级工作专职委员岗位).

PREFERRED_YEARS = 2
DEFAULT_AWARD_TITLE = "优秀残疾人工作专职委员"


def award_round(*, unit_level: int | None, year: int | None, title: str,
                today: dt.date) -> dict[str, str]:
    problems: dict[str, str] = {}
    if unit_level not in (Level.CITY, Level.COUNTY, Level.TOWNSHIP):
        problems["unit"] = _("Selections are organised by a city's, a county's or a "
                             "township's DPF.")
    if year is None or year > today.year:
        problems["year"] = _("Choose a year that has begun.")
    if not (title or "").strip():
        problems["title"] = _("Give the selection a title.")
    return problems


def nomination(*, published: bool, round_path: str, unit_path: str, worker_path: str,
               reason: str, nominated_already: bool) -> dict[str, str]:
    problems: dict[str, str] = {}
    if published:
        problems["worker"] = _("The list is published: nominations are closed.")
    elif not unit_path.startswith(round_path):
        problems["unit"] = _("Only units of the organiser's area nominate.")
    elif not worker_path.startswith(unit_path):
        problems["worker"] = _("A unit nominates workers of its own area.")
    elif nominated_already:
        problems["worker"] = _("This worker is nominated in this round already.")
    if not (reason or "").strip():
        problems["reason"] = _("Say why the worker is nominated.")
    return problems


def award_publication(*, published: bool, undecided: int, selected: int) -> dict[str, str]:
    if published:
        return {"round": _("The list is published already.")}
    if undecided:
        return {"round": _("Decide every nomination first (%(n)s left).") % {"n": undecided}}
    if not selected:
        return {"round": _("Nobody is selected: there is no list to publish.")}
    return {}


def preferred_since(today: dt.date) -> int:
    """The first year whose published selections make a village officer preferred."""
    return today.year - PREFERRED_YEARS + 1


# ---- subsidies and payroll -------------------------------------------------------------------
#
# Payroll, as written in the README ("Payroll"): a worker is paid under a policy for every
# day they hold a post the policy covers while the policy is in force. A month wholly
# covered pays the monthly amount; a part month pays monthly amount × days covered ÷ days
# in that month, rounded to the fen (half up) month by month. An appointment is held from
# its first day up to the day before it ended (ended_on is the first day out of the post);
# a policy is in force from its first to its last day, both included. Where two policies
# of the same kind cover the same post on the same day, the one of the nearest region
# wins (then the later start, then the later entry); policies of different kinds add up.
# A half-yearly run adds the six months of a half-year up.

MONEY = Decimal("0.01")
MAX_ADJUSTMENT = Decimal("100000")

# The kinds of unit (orgs.Kind) at each level a policy may single out.
UNIT_KINDS_AT = {
    Level.TOWNSHIP: ("street", "town", "township"),
    Level.VILLAGE: ("community", "village"),
}


def policy(values: dict) -> dict[str, str]:
    """A subsidy policy. ``values``: name, post_kind, unit_level, unit_kind, region_level,
    monthly_amount, valid_from, valid_to, cycle."""
    problems: dict[str, str] = {}
    v = values
    if not (v.get("name") or "").strip():
        problems["name"] = _("Give the policy a name, as the document calls it.")
    level = v.get("unit_level")
    if level not in UNIT_KINDS_AT:
        problems["unit_level"] = _("Subsidies are for posts of townships and of villages or "
                                   "communities.")
    elif v.get("post_kind") not in KINDS_AT[level]:
        problems["post_kind"] = _("A unit of this level has no such post.")
    elif v.get("unit_kind") and v["unit_kind"] not in UNIT_KINDS_AT[level]:
        problems["unit_kind"] = _("Units of this level are not of that kind.")
    region_level = v.get("region_level")
    if region_level is not None and level in UNIT_KINDS_AT and region_level > level:
        problems["unit"] = _("The region must contain the units whose posts are paid.")
    amount = v.get("monthly_amount")
    if amount is None or amount <= 0:
        problems["monthly_amount"] = _("Give the amount a month, more than 0 yuan.")
    elif amount != amount.quantize(MONEY):
        problems["monthly_amount"] = _("Give the amount in yuan and fen (two decimals).")
    start, end = v.get("valid_from"), v.get("valid_to")
    if start is None:
        problems["valid_from"] = _("Give the day the policy applies from.")
    elif end is not None and end < start:
        problems["valid_to"] = _("The policy cannot end before it starts.")
    if start is not None and v.get("cycle") == "half_yearly" and start.day != 1:
        problems["valid_from"] = _("A half-yearly policy starts on the first of a month.")
    return problems


def period_bounds(cycle: str, year: int, part: int) -> tuple[dt.date, dt.date]:
    """The first and last day of a payroll period: month ``part`` (1–12) of ``year``, or
    its half-year ``part`` (1: January–June, 2: July–December)."""
    if cycle == "half_yearly":
        first = dt.date(year, 1 if part == 1 else 7, 1)
        return first, dt.date(year, 6, 30) if part == 1 else dt.date(year, 12, 31)
    first = dt.date(year, part, 1)
    return first, _month_end(first)


def _month_end(day: dt.date) -> dt.date:
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def months_of(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The calendar months from ``start`` to ``end`` as (first day, last day)."""
    months, day = [], dt.date(start.year, start.month, 1)
    while day <= end:
        months.append((day, _month_end(day)))
        day = _month_end(day) + dt.timedelta(days=1)
    return months


def run_period(*, cycle: str, start: dt.date, today: dt.date) -> dict[str, str]:
    """A payroll run for the period starting ``start``: not a period still to come."""
    if start > today:
        return {"part": _("This period has not begun: run it when it has.")}
    return {}


def adjustment(*, amount: Decimal | None, reason: str) -> dict[str, str]:
    """A correction of a confirmed run: an amount (negative to take back) and why."""
    problems = {}
    if amount is None or amount == 0:
        problems["amount"] = _("Give the amount to add (or, negative, to take back).")
    elif abs(amount) > MAX_ADJUSTMENT or amount != amount.quantize(MONEY):
        problems["amount"] = _("Give an amount in yuan and fen, at most 100,000.")
    if not (reason or "").strip():
        problems["reason"] = _("Say why the amount is corrected.")
    return problems


@dataclass(frozen=True)
class PolicyTerms:
    """A subsidy policy as values (see models.SubsidyPolicy)."""

    key: int
    post_kind: str
    unit_level: int
    unit_kind: str
    region_path: str
    kind: str
    monthly_amount: Decimal
    valid_from: dt.date
    valid_to: dt.date | None


@dataclass(frozen=True)
class Held:
    """An appointment as values: the post's kind, its unit's level, kind and path, and the
    days held (``ended_on``: the first day out of the post, or None)."""

    key: int
    post_kind: str
    unit_level: int
    unit_kind: str
    unit_path: str
    starts_on: dt.date
    ended_on: dt.date | None


@dataclass(frozen=True)
class Pay:
    held: int
    policy: int
    kind: str
    monthly_amount: Decimal
    days: int
    amount: Decimal
    basis: str


def covers(terms: PolicyTerms, held: Held) -> bool:
    """Whether a policy is for the post ``held`` (ignoring dates)."""
    return (terms.post_kind == held.post_kind and terms.unit_level == held.unit_level
            and (not terms.unit_kind or terms.unit_kind == held.unit_kind)
            and held.unit_path.startswith(terms.region_path))


def month_amount(monthly: Decimal, days: int, days_in_month: int) -> Decimal:
    """A month's pay for ``days`` of its ``days_in_month`` (the whole amount for all)."""
    if days >= days_in_month:
        return monthly
    return (monthly * days / days_in_month).quantize(MONEY, rounding=ROUND_HALF_UP)


def _in_force(terms: PolicyTerms, day: dt.date) -> bool:
    return terms.valid_from <= day and (terms.valid_to is None or terms.valid_to >= day)


def subsidy_pay(held: list[Held], policies: list[PolicyTerms], *, start: dt.date,
                end: dt.date) -> list[Pay]:
    """What each appointment of ``held`` earns under ``policies`` from ``start`` to ``end``
    (both included), by the rule above: one Pay per appointment and policy paid."""
    by_post: dict[tuple[str, int], list[PolicyTerms]] = defaultdict(list)
    for terms in policies:
        if terms.valid_from <= end and (terms.valid_to is None or terms.valid_to >= start):
            by_post[(terms.post_kind, terms.unit_level)].append(terms)
    months = months_of(start, end)
    one_day = dt.timedelta(days=1)
    result = []
    for h in held:
        candidates = [t for t in by_post.get((h.post_kind, h.unit_level), ()) if covers(t, h)]
        if not candidates:
            continue
        first = max(h.starts_on, start)
        last = end if h.ended_on is None else min(h.ended_on - one_day, end)
        if first > last:
            continue
        days: dict[int, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
        for month_first, month_last in months:
            x, y = max(first, month_first), min(last, month_last)
            if x > y:
                continue
            cuts = {x, y + one_day}
            for t in candidates:
                for cut in (t.valid_from, t.valid_to + one_day if t.valid_to else None):
                    if cut is not None and x < cut <= y:
                        cuts.add(cut)
            cuts = sorted(cuts)
            for s, e in zip(cuts, cuts[1:], strict=False):
                winners: dict[str, PolicyTerms] = {}
                for t in candidates:
                    if not _in_force(t, s):
                        continue
                    best = winners.get(t.kind)
                    if best is None or (len(t.region_path), t.valid_from, t.key) > (
                            len(best.region_path), best.valid_from, best.key):
                        winners[t.kind] = t
                for t in winners.values():
                    days[t.key][month_first] += (e - s).days
        terms_by_key = {t.key: t for t in candidates}
        for key, per_month in days.items():
            t = terms_by_key[key]
            amount, parts, full = Decimal("0.00"), [], 0
            for month_first, count in sorted(per_month.items()):
                in_month = _month_end(month_first).day
                amount += month_amount(t.monthly_amount, count, in_month)
                if count >= in_month:
                    full += 1
                else:
                    parts.append(f"{t.monthly_amount}×{count}/{in_month}")
            if full:
                parts.insert(0, f"{t.monthly_amount}×{full}")
            result.append(Pay(h.key, key, t.kind, t.monthly_amount,
                              sum(per_month.values()), amount, " + ".join(parts)))
    return result
