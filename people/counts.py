"""The kept counts: what the summary table counts of each village's active people
(UnitCount, one row a village), kept by every write that changes it, in that write's
transaction — so a province's table reads one row per village, not two million people.

- **Kept**: every count column of the table (total, certificate held or not, category ×
  grade, grade, gender, household registration, age band). Population and the shares are
  the units' own figures and arithmetic: read live (one row per unit anyway). A grid's
  table stays a live count: people belong to a village and only name their grid, and a
  grid's people are a few dozen.
- **Adding is concurrent-safe**: one ``INSERT … ON CONFLICT (unit_id) DO UPDATE SET
  c = c + excluded.c`` a write (PostgreSQL and SQLite alike), so two transactions adding
  to the same village never lose one another's update.
- **Age bands change with time.** They are kept as counted on one day, CountBase.aged_on
  (the day of the last full rebuild). A read on another day D corrects them by the active
  people whose birthday crossed a band's edge between aged_on and D: a live count over the
  birth dates of those few days (indexed), exact to the day, 29 February included.
- **As of a date.** CountChange is the dated history: +1 when a person begins being
  counted in a unit (registered, moved in, active again), −1 when they end (moved, left
  the register). The counts as of D are today's counts minus the changes dated after D —
  chosen over summing every change up to D because the usual question is today or a
  recent day: reading the changes after D reads little, summing from the beginning would
  read the whole history. A person is counted with their current details (a corrected
  grade corrects the past too: the register keeps no history of details, only of where
  and whether a person is registered). A person's change days never go back: a change
  dated before the person's previous one (a death recorded late, after a move) takes
  effect on that previous day, so the history always adds up; the register's events
  replay to the same history (``history_of``), which is what the check compares with.
"""

import datetime as dt
import functools
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear, Greatest, Substr
from django.utils import timezone

from core.bulk import insert_select
from core.scope import subtree_filter
from orgs.models import Level, OrgUnit
from orgs.reform_selectors import path_on

from .choices import AGE_BANDS, Status
from .models import (
    COUNT_KEYS,
    CountBase,
    CountChange,
    Person,
    PersonEvent,
    UnitCount,
    UnitVisitCount,
    Visit,
    count_column,
)

__all__ = ["COUNT_KEYS"]
COLUMNS = tuple(count_column(k) for k in COUNT_KEYS)
AGE_KEYS = tuple(f"age.{code}" for code, _label, _low, _high in AGE_BANDS)

# The details a person is counted by, kept on their history's rows too (CountChange).
DETAILS = ("has_certificate", "category", "grade", "gender", "hukou", "birth_date")

# What a person is counted as: read from the person's row.
PERSON_VALUES = ("id", "unit_id", "status", "has_certificate", "category", "grade",
                 "gender", "hukou", "birth_date", "registered_on", "status_date")


# ---- what a person is counted as ------------------------------------------------------------

def years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier (28 February for a 29th): people born on or before it
    are at least ``years`` old on ``day`` (as people.filters.birth_date_bounds counts)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def age_key(birth_date: dt.date, on: dt.date) -> str | None:
    """The age band of someone born on ``birth_date``, on ``on`` (None: not born yet)."""
    for key, latest, after in _age_edges(on):
        if birth_date <= latest and (after is None or birth_date > after):
            return key
    return None


@functools.lru_cache(maxsize=64)
def _age_edges(on: dt.date) -> tuple:
    """(key, latest birth date, birth dates after) of each age band on ``on``."""
    return tuple((f"age.{code}", years_before(on, low),
                  None if high is None else years_before(on, high + 1))
                 for code, _label, low, high in AGE_BANDS)


def details_of(values) -> dict:
    """The DETAILS of a person (a Person or a dict of PERSON_VALUES)."""
    return {name: _get(values, name) for name in DETAILS}


def details_changed(person: Person, before: dict | None = None) -> None:
    """The person's details (their row now) on every row of their history; ``before``
    (PERSON_VALUES): only when one of them changed."""
    now = details_of(person)
    if before is None or details_of(before) != now:
        CountChange.objects.filter(person_id=person.pk).update(**now)


def copy_details(person_ids) -> None:
    """The details of the people ``person_ids`` (their rows, as saved) onto every row of
    their history: one UPDATE."""
    if not person_ids:
        return
    own = Person.objects.filter(pk=OuterRef("person_id"))
    CountChange.objects.filter(person_id__in=person_ids).update(
        **{name: Subquery(own.values(name)[:1]) for name in DETAILS})


def is_certified(values) -> bool:
    """Holds a certificate (its number is spelled from the ID, category and grade)."""
    return bool(_get(values, "has_certificate"))


def _get(values, name):
    return values[name] if isinstance(values, dict) else getattr(values, name)


def keys_of(values, on: dt.date) -> list[str]:
    """The count keys an active person (a Person or a dict of PERSON_VALUES) adds to, with
    the age band on ``on``."""
    certified = is_certified(values)
    return _keys(certified, _get(values, "category") if certified else None,
                 _get(values, "grade") if certified else None, _get(values, "gender"),
                 _get(values, "hukou"), age_key(_get(values, "birth_date"), on))


def _keys(certified: bool, category, grade, gender, hukou, age: str | None) -> list[str]:
    keys = ["total"]
    if certified:
        keys += ["certificate.yes", f"category.{category}",
                 f"category.{category}.grade.{grade}", f"grade.{grade}"]
    else:
        keys.append("certificate.no")
    keys += [f"gender.{gender}", f"hukou.{hukou}"]
    if age:
        keys.append(age)
    return keys


def conditions(on: dt.date, prefix: str = "") -> dict[str, Q | None]:
    """The condition of each count key on a person's row (reached by ``prefix``), with the
    age bands on ``on``: the same as keys_of, for grouped queries."""
    p = prefix
    certified = Q(**{f"{p}has_certificate": True})
    found: dict[str, Q | None] = {"total": None, "certificate.yes": certified,
                                  "certificate.no": ~certified}
    for key in COUNT_KEYS:
        parts = key.split(".")
        if parts[0] == "category":
            q = certified & Q(**{f"{p}category": int(parts[1])})
            if len(parts) == 4:
                q &= Q(**{f"{p}grade": int(parts[3])})
            found[key] = q
        elif parts[0] == "grade":
            found[key] = certified & Q(**{f"{p}grade": int(parts[1])})
        elif parts[0] in ("gender", "hukou"):
            found[key] = Q(**{f"{p}{parts[0]}": parts[1]})
    for code, _label, low, high in AGE_BANDS:
        q = Q(**{f"{p}birth_date__lte": years_before(on, low)})
        if high is not None:
            q &= Q(**{f"{p}birth_date__gt": years_before(on, high + 1)})
        found[f"age.{code}"] = q
    assert set(found) == set(COUNT_KEYS)
    return {key: found[key] for key in COUNT_KEYS}


# ---- the base day of the age bands ----------------------------------------------------------

def aged_on() -> dt.date:
    """The day the kept age bands are counted on (created on first use)."""
    base, _created = CountBase.objects.get_or_create(
        pk=1, defaults={"aged_on": timezone.localdate()})
    return base.aged_on


# ---- adding to the kept counts --------------------------------------------------------------

def _table() -> str:
    return connection.ops.quote_name(UnitCount._meta.db_table)


def _upsert_sql(source: str) -> str:
    """Add the rows ``source`` gives (unit_id and every column) to the kept counts."""
    qn = connection.ops.quote_name
    table = _table()
    columns = ", ".join(qn(c) for c in ("unit_id", *COLUMNS))
    add = ", ".join(f"{qn(c)} = {table}.{qn(c)} + excluded.{qn(c)}" for c in COLUMNS)
    return (f"INSERT INTO {table} ({columns}) {source} "  # noqa: S608 - quoted identifiers
            f"ON CONFLICT ({qn('unit_id')}) DO UPDATE SET {add}")


def add(deltas: dict[int, Counter]) -> None:
    """Add ``deltas`` ({unit id: {key: ±n}}) to the kept counts: in one statement on
    PostgreSQL (a column of values a parameter: an import's thousands of villages are not
    thousands × 50 parameters to parse), in statements of ADD_ROWS units on SQLite (its
    limit of parameters a statement)."""
    rows = [(unit_id, *(counter.get(k, 0) for k in COUNT_KEYS))  # in unit order: no deadlock
            for unit_id, counter in sorted(deltas.items()) if any(counter.values())]
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(["%s::bigint[]"] + ["%s::integer[]"] * len(COUNT_KEYS))
            cursor.execute(_upsert_sql(f"SELECT * FROM unnest({arrays})"),  # noqa: S608
                           [list(column) for column in zip(*rows, strict=True)])
            return
        placeholders = "(" + ", ".join(["%s"] * (1 + len(COUNT_KEYS))) + ")"
        for start in range(0, len(rows), ADD_ROWS):
            part = rows[start:start + ADD_ROWS]
            cursor.execute(_upsert_sql("VALUES " + ", ".join([placeholders] * len(part))),
                           [v for row in part for v in row])


ADD_ROWS = 500  # units a statement on SQLite (500 × 51 parameters, within its 32,766)


def add_people(people) -> None:
    """Add the active people of ``people`` (a Person queryset) to the kept counts, grouped
    by unit in the database: one INSERT … SELECT (an import's batch, the demo, a rebuild).
    The sums are written once per base day (_sums_sql): built by the ORM, fifty filtered
    counts cost more to compile than an import's batch takes to count."""
    inner, params = (people.filter(status=Status.ACTIVE).order_by()
                     .values(*SUMMED).query.sql_with_params())
    sums, sum_params = _sums_sql(aged_on())
    qn = connection.ops.quote_name
    select = (f"SELECT {qn('unit_id')}, {sums} FROM ({inner}) {qn('p')} "  # noqa: S608
              f"WHERE 1 = 1 GROUP BY {qn('unit_id')} "
              f"ORDER BY {qn('unit_id')}")  # rows locked in one order: no deadlock
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(select), (*sum_params, *params))  # in the order written


SUMMED = ("unit_id", "has_certificate", "category", "grade", "gender", "hukou",
          "birth_date")


@functools.lru_cache(maxsize=8)
def _sums_sql(base: dt.date) -> tuple[str, tuple]:
    """``SUM(CASE WHEN … THEN 1 ELSE 0 END)`` of every count column, in COLUMNS order, over
    the SUMMED columns of people (as keys_of and conditions count them, ages on ``base``)."""
    qn = connection.ops.quote_name
    certified = qn("has_certificate")  # a boolean column: true on PostgreSQL, 1 on SQLite
    parts, params = [], []
    for key in COUNT_KEYS:
        bits = key.split(".")
        if key == "total":
            condition = "1 = 1"
        elif bits[0] == "certificate":
            condition = certified if bits[1] == "yes" else f"NOT {certified}"
        elif bits[0] == "category":
            condition = f"{certified} AND {qn('category')} = %s"
            params.append(int(bits[1]))
            if len(bits) == 4:
                condition += f" AND {qn('grade')} = %s"
                params.append(int(bits[3]))
        elif bits[0] == "grade":
            condition = f"{certified} AND {qn('grade')} = %s"
            params.append(int(bits[1]))
        elif bits[0] in ("gender", "hukou"):
            condition = f"{qn(bits[0])} = %s"
            params.append(bits[1])
        else:
            low, high = next((lo, hi) for code, _l, lo, hi in AGE_BANDS if key == f"age.{code}")
            condition = f"{qn('birth_date')} <= %s"
            params.append(years_before(base, low))
            if high is not None:
                condition += f" AND {qn('birth_date')} > %s"
                params.append(years_before(base, high + 1))
        parts.append(f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)")
    return ", ".join(parts), tuple(params)


def record_new_people(people) -> None:
    """Count the people of ``people`` just written in bulk (the demo, a benchmark's
    register): their history (history_of_new_people) and the kept counts (add_people)."""
    history_of_new_people(people)
    add_people(people)


def history_of_new_people(people) -> None:
    """The history of the people of ``people`` just written in bulk (an import's batch,
    by the keys it was written with): counted from their registration, and for those
    written with a status other than active no longer from the day they left (as the
    import's event says: the status date, or the registration's), each row with the
    person's DETAILS as written. Two INSERT … SELECT, in the database: nothing is read
    into Python, no row crosses the connection (measured on SQLite, 98,000 people: 0.3 s
    of CPU where building the rows in Python and sending them took 0.9 s)."""
    people = people.order_by()
    begin = people.annotate(day=F("registered_on"), n=Value(1, IntegerField()))
    _insert_changes(begin.values_list("id", "unit_id", "day", "n", *DETAILS))
    end = people.exclude(status=Status.ACTIVE).annotate(
        day=Greatest(F("registered_on"), Coalesce(F("status_date"), F("registered_on"))),
        n=Value(-1, IntegerField()))
    _insert_changes(end.values_list("id", "unit_id", "day", "n", *DETAILS))


def _insert_changes(rows) -> None:
    """INSERT … SELECT the history rows (person, unit, day, n, the DETAILS) the queryset
    gives."""
    insert_select(CountChange, ("person_id", "unit_id", "day", "n", *DETAILS), rows)


def key_ranges(keys, ranges=()) -> list[list[int]]:
    """``keys`` as ranges of consecutive keys ([first, last] each, in order), merged with
    ``ranges`` (those kept so far): an import's keys are one range, or a few (when another
    writer took some of the sequence meanwhile), so a statement about them has a few
    parameters, not one per key, and reads ranges of the primary key's index."""
    merged: list[list[int]] = []
    for first, last in sorted([*(list(r) for r in ranges), *([k, k] for k in keys)]):
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return merged


def in_ranges(ranges: list[list[int]]) -> Q:
    """The condition on the primary key of ``ranges`` (key_ranges; not empty)."""
    condition = Q()
    for first, last in ranges:
        condition |= Q(pk__range=(first, last)) if first != last else Q(pk=first)
    return condition


# ---- what the register's writes call --------------------------------------------------------

def _last_day(person_id: int, registered_on: dt.date) -> dt.date:
    last = CountChange.objects.filter(person_id=person_id).aggregate(day=Max("day"))["day"]
    return max(d for d in (last, registered_on) if d is not None)


def person_registered(person: Person) -> None:
    """A person was registered (active): counted in their unit from their registration."""
    if person.status != Status.ACTIVE:
        return
    add({person.unit_id: Counter(keys_of(person, aged_on()))})
    CountChange.objects.create(person=person, unit_id=person.unit_id,
                               day=person.registered_on, n=1, **details_of(person))


def person_changed(before: dict, person: Person) -> None:
    """A person's details changed (``before``: PERSON_VALUES as they were): what they are
    counted as moves from the old keys to the new (and their history's rows say them)."""
    details_changed(person, before)
    if before["status"] != Status.ACTIVE or person.status != Status.ACTIVE:
        return
    base = aged_on()
    delta = Counter(keys_of(person, base))
    delta.subtract(keys_of(before, base))
    add({person.unit_id: delta})


def person_status_changed(person: Person, old_status: str, on: dt.date) -> None:
    """A person left the register (moved out, deceased, certificate cancelled) or became
    active again, on ``on``: no longer counted, or counted again, from that day."""
    was, now = old_status == Status.ACTIVE, person.status == Status.ACTIVE
    if was == now:
        return
    sign = 1 if now else -1
    delta = Counter({k: sign for k in keys_of(person, aged_on())})
    add({person.unit_id: delta})
    add_visited(Counter({(person.unit_id, year): sign
                         for year in visit_years([person.pk]).get(person.pk, ())}))
    CountChange.objects.create(person=person, unit_id=person.unit_id, n=sign,
                               day=max(on, _last_day(person.pk, person.registered_on)),
                               **details_of(person))


def person_moved(person: Person, from_unit_id: int, on: dt.date) -> None:
    """A person moved from ``from_unit_id`` to their (new) unit on ``on``."""
    people_moved([person], from_unit_ids={person.pk: from_unit_id}, on=on)


def people_moved(people: Iterable[Person], *, from_unit_ids: dict[int, int],
                 on: dt.date) -> None:
    """People moved, each from ``from_unit_ids[pk]`` to their (new, saved) unit, on ``on``:
    their counts move with them from that day. A transfer calls this; so will the reforms,
    when units merge, split or move and their people go to another unit (a unit that only
    moves under another parent keeps its people and counts: nothing to do; its ancestors'
    tables follow its path)."""
    base, deltas, changes = aged_on(), defaultdict(Counter), []
    people = [p for p in people if p.status == Status.ACTIVE
              and from_unit_ids[p.pk] != p.unit_id]
    last = dict(CountChange.objects.filter(person__in=people).values("person_id")
                .annotate(day=Max("day")).values_list("person_id", "day")) if people else {}
    for person in people:
        keys = keys_of(person, base)
        deltas[from_unit_ids[person.pk]].subtract(keys)
        deltas[person.unit_id].update(keys)
        day = max(d for d in (on, last.get(person.pk), person.registered_on) if d)
        details = details_of(person)
        changes += [CountChange(person=person, unit_id=from_unit_ids[person.pk], day=day, n=-1,
                                **details),
                    CountChange(person=person, unit_id=person.unit_id, day=day, n=1,
                                **details)]
    add(deltas)
    CountChange.objects.bulk_create(changes)
    visited = Counter()
    unit_of = {p.pk: p.unit_id for p in people}
    for pk, years in (visit_years(list(unit_of)).items() if unit_of else ()):
        for year in years:
            visited[(from_unit_ids[pk], year)] -= 1
            visited[(unit_of[pk], year)] += 1
    add_visited(visited)


def people_handed_over(people, *, to_unit_id: int, on: dt.date) -> int:
    """A reform hands ``people`` (a queryset of people still at their old unit) to the unit
    ``to_unit_id`` on ``on``: the history of the active ones says so — −1 where they were,
    +1 there, each on that day or their last change's if later — in two INSERT … SELECT,
    whatever their number. The kept counts are recounted afterwards (units_recount) for
    every unit the reform touched. Returns how many active people it counted."""
    last = (CountChange.objects.filter(person_id=OuterRef("pk")).order_by()
            .values("person_id").annotate(m=Max("day")).values("m"))
    day = Value(on, output_field=DateField())
    active = people.filter(status=Status.ACTIVE).order_by().annotate(
        day=Greatest(day, F("registered_on"), Coalesce(Subquery(last), day)))
    out = active.annotate(n=Value(-1, output_field=IntegerField()))
    _insert_changes(out.values_list("id", "unit_id", "day", "n", *DETAILS))
    into = active.annotate(to=Value(to_unit_id, output_field=IntegerField()),
                           n=Value(1, output_field=IntegerField()))
    _insert_changes(into.values_list("id", "to", "day", "n", *DETAILS))
    return active.count()


def people_updated_in_bulk(pairs: list[tuple[dict, Person]], status_days: dict[int, dt.date]
                           ) -> None:
    """An import's update mode changed these people (``pairs``: PERSON_VALUES before, the
    person after); ``status_days``: the day of each status change."""
    base, deltas, changes = aged_on(), defaultdict(Counter), []
    moving = [p.pk for before, p in pairs if before["status"] != p.status]
    last = dict(CountChange.objects.filter(person_id__in=moving).values("person_id")
                .annotate(day=Max("day")).values_list("person_id", "day")) if moving else {}
    copy_details([p.pk for before, p in pairs if details_of(before) != details_of(p)])
    for before, person in pairs:
        was, now = before["status"] == Status.ACTIVE, person.status == Status.ACTIVE
        if was:
            deltas[person.unit_id].subtract(keys_of(before, base))
        if now:
            deltas[person.unit_id].update(keys_of(person, base))
        if was != now:
            day = max(d for d in (status_days[person.pk], last.get(person.pk),
                                  person.registered_on) if d)
            changes.append(CountChange(person=person, unit_id=person.unit_id, day=day,
                                       n=1 if now else -1, **details_of(person)))
    add(deltas)
    CountChange.objects.bulk_create(changes)
    signs = {p.pk: (1 if p.status == Status.ACTIVE else -1, p.unit_id) for _b, p in pairs
             if (_b["status"] == Status.ACTIVE) != (p.status == Status.ACTIVE)}
    visited = Counter()
    for pk, years in (visit_years(list(signs)).items() if signs else ()):
        sign, unit_id = signs[pk]
        for year in years:
            visited[(unit_id, year)] += sign
    add_visited(visited)


# ---- the kept visit counts (UnitVisitCount) --------------------------------------------------

def visit_years(person_ids) -> dict[int, set[int]]:
    """{person id: the years they were visited in} of ``person_ids``. One query."""
    found: dict[int, set[int]] = defaultdict(set)
    rows = (Visit.objects.filter(person_id__in=person_ids).order_by()
            .annotate(year=ExtractYear("visited_on")).values_list("person_id", "year")
            .distinct())
    for person_id, year in rows:
        found[person_id].add(year)
    return dict(found)


def add_visited(deltas: Counter) -> None:
    """Add ``deltas`` ({(unit id, year): ±n}) to the kept visit counts, in one statement
    (concurrent-safe as ``add`` is)."""
    rows = sorted((unit_id, year, n) for (unit_id, year), n in deltas.items() if n)
    if not rows:
        return
    qn = connection.ops.quote_name
    table = qn(UnitVisitCount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({qn('unit_id')}, {qn('year')}, {qn('visited')}) "  # noqa: S608
            f"VALUES {', '.join(['(%s, %s, %s)'] * len(rows))} "
            f"ON CONFLICT ({qn('unit_id')}, {qn('year')}) DO UPDATE SET "
            f"{qn('visited')} = {table}.{qn('visited')} + excluded.{qn('visited')}",
            [v for row in rows for v in row])


def visits_added(people, new: Q) -> None:
    """Visits were just written for ``people`` (ids, or a queryset of ids), those matching
    ``new`` (a condition on the visit: its id, or an import's own created_at): each active
    person visited for the first time in a year now adds one to their unit's year. One
    grouped read of those people's visits (by the index of a person's visits)."""
    rows = (Visit.objects.filter(person_id__in=people, person__status=Status.ACTIVE)
            .order_by().annotate(year=ExtractYear("visited_on"))
            .values("person__unit_id", "person_id", "year")
            .annotate(new=Count("id", filter=new), old=Count("id", filter=~new))
            .filter(new__gt=0, old=0).values_list("person__unit_id", "year"))
    add_visited(Counter(rows.iterator(chunk_size=20_000)))


def visited_by_unit(unit: OrgUnit | None, *, live: bool = False, unit_ids=None
                    ) -> dict[tuple[int, int], int]:
    """{(unit id, year): active people visited that year} of ``unit``'s subtree (or of the
    units ``unit_ids``; everything when both are None): the kept counts, or (``live``)
    counted over the visits themselves — the reference the check compares with, and what
    a recount writes. One query."""
    if not live:
        rows = UnitVisitCount.objects.filter(visited__gt=0).order_by()
        if unit is not None:
            rows = rows.filter(subtree_filter(unit.path, "unit__path"))
        if unit_ids is not None:
            rows = rows.filter(unit_id__in=unit_ids)
        return {(u, y): n for u, y, n in rows.values_list("unit_id", "year", "visited")}
    visits = Visit.objects.filter(person__status=Status.ACTIVE).order_by()
    if unit is not None:
        visits = visits.filter(subtree_filter(unit.path, "person__unit__path"))
    if unit_ids is not None:
        visits = visits.filter(person__unit_id__in=unit_ids)
    rows = (visits.annotate(year=ExtractYear("visited_on")).values("person__unit_id", "year")
            .annotate(n=Count("person_id", distinct=True))
            .values_list("person__unit_id", "year", "n"))
    return {(u, y): n for u, y, n in rows}


def recount_visited(unit: OrgUnit | None = None, unit_ids=None) -> None:
    """Recount the kept visit counts of ``unit``'s subtree (or of the units ``unit_ids``;
    everything when both are None) from the visits."""
    kept = UnitVisitCount.objects.all()
    if unit is not None:
        kept = kept.filter(subtree_filter(unit.path, "unit__path"))
    if unit_ids is not None:
        kept = kept.filter(unit_id__in=unit_ids)
    found = visited_by_unit(unit, live=True, unit_ids=unit_ids)
    kept.delete()
    UnitVisitCount.objects.bulk_create(
        [UnitVisitCount(unit_id=u, year=y, visited=n) for (u, y), n in sorted(found.items())],
        batch_size=10_000)


def person_values(person: Person) -> dict:
    return {name: getattr(person, name) for name in PERSON_VALUES}


# ---- reading --------------------------------------------------------------------------------

def _grouped_sums(rows, width: int | None, sums: dict, path: str = "unit__path") -> dict:
    """{group: {key: n}} of ``rows``: grouped by the first ``width`` characters of the
    unit's path (``path``: a branch), by unit id when ``width`` is 0, or one group "" when
    None."""
    if width is None:
        found = [rows.aggregate(**sums) | {"group": ""}]
    elif width == 0:
        found = rows.values(group=F("unit_id")).annotate(**sums)
    else:
        found = rows.annotate(group=Substr(path, 1, width)).values(
            "group").annotate(**sums)
    return {r["group"]: Counter({k: r[c] or 0 for k, c in zip(COUNT_KEYS, COLUMNS,
                                                                strict=True) if c in r})
            for r in found}


def _in_tree(rows, unit: OrgUnit, on: dt.date, then: str | None):
    """``rows`` (tied to a unit by ``unit``) of ``unit``'s subtree, and the path to group
    them by: today's tree, or with ``then`` (the unit's path on ``on``) the tree as it stood
    on ``on`` (orgs.reform_selectors.path_on: a reform changed it since)."""
    if then is None:
        return rows.filter(subtree_filter(unit.path, "unit__path")), "unit__path"
    return (rows.annotate(then=path_on(on, "unit")).filter(subtree_filter(then, "then")),
            "then")


def counts_as_of(unit: OrgUnit, on: dt.date, *, width: int | None = None,
                 then: str | None = None) -> dict:
    """The counts of the active people in ``unit``'s subtree on ``on`` (their age bands
    on that day), grouped as _grouped_sums says ({"": counts} by default; a table passes
    the width of its rows' paths). Four queries at most, however many units and people:
    the base day; the kept rows; the birthdays that crossed a band's edge between the base
    day and ``on`` (none on the base day); the history's changes after ``on``. ``then``:
    the unit's path on ``on``, to count and group by the tree of that day (a reform changed
    it since: orgs.reform_selectors.changed_since); the width is of those paths."""
    base = aged_on()
    kept, path = _in_tree(UnitCount.objects.order_by(), unit, on, then)
    total: dict = defaultdict(Counter, _grouped_sums(
        kept, width, {c: Sum(c) for c in COLUMNS}, path))
    if on != base:
        for group, counter in _age_correction(unit, base, on, width, then).items():
            total[group].update(counter)
    # The changes after ``on``, on the rows' own copy of the details (no look-up of a
    # person), summed by group and what they count as (the age band on ``on``): a few
    # hundred combinations a group, spelled into count keys here.
    after, path = _in_tree(CountChange.objects.filter(day__gt=on).order_by(), unit, on, then)
    found = conditions(on)
    age = Case(*(When(found[key], then=Value(key)) for key in AGE_KEYS), default=Value(""),
               output_field=CharField())
    if width is None:
        group = Value("", output_field=CharField())
    elif width == 0:
        group = F("unit_id")
    else:
        group = Substr(path, 1, width)
    rows = (after.annotate(group=group, age=age)
            .values("group", "has_certificate", "category", "grade", "gender", "hukou", "age")
            .annotate(change=Sum("n")))
    for r in rows:
        if r["change"]:
            total[r["group"]].subtract(dict.fromkeys(_keys(
                bool(r["has_certificate"]), r["category"], r["grade"], r["gender"],
                r["hukou"], r["age"]), r["change"]))
    return dict(total)


def _age_correction(unit, base: dt.date, on: dt.date, width, then=None) -> dict:
    """The age bands on ``on`` minus those on ``base`` of today's active people whose
    birthday crossed a band's edge in between (a few days of birth dates per edge). One
    query, a UNION ALL of a part per edge: each a range of ``person_birth_date_idx`` (birth
    date, status, unit) read from the index alone — the ranges joined by OR would be a
    bitmap scan visiting every one of those people's rows."""
    low, high = sorted((base, on))
    on_day, on_base = conditions(on), conditions(base)
    sums = {}  # counting the unit column (never empty), which the index holds; not the id
    for key in AGE_KEYS:
        sums[count_column(key)] = Count("unit_id", filter=on_day[key])
        sums["base_" + count_column(key)] = Count("unit_id", filter=on_base[key])
    # Born in (the edge on the earlier day, the edge on the later day]: crossed it. The
    # ranges merged where they overlap (days years apart), so each person is read once.
    ranges: list[list[dt.date]] = []
    for earliest, latest in sorted((years_before(low, start), years_before(high, start))
                                   for _code, _label, start, _end in AGE_BANDS):
        if earliest >= latest:
            continue
        if ranges and earliest <= ranges[-1][1]:
            ranges[-1][1] = max(ranges[-1][1], latest)
        else:
            ranges.append([earliest, latest])
    parts = []
    for earliest, latest in ranges:
        people, path = _in_tree(Person.objects.filter(
            birth_date__gt=earliest, birth_date__lte=latest, status=Status.ACTIVE).order_by(),
            unit, on, then)
        if width is None:
            group = Value("")
        elif width == 0:
            group = F("unit_id")
        else:
            group = Substr(path, 1, width)
        parts.append(people.annotate(group=group).values("group").annotate(**sums))
    found: dict = defaultdict(Counter)
    if not parts:
        return found
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    for r in rows:  # a group once per edge: added up here
        found[r["group"]].update({k: r[count_column(k)] - r["base_" + count_column(k)]
                                  for k in AGE_KEYS})
    return dict(found)


def kept_counts_by_unit(unit: OrgUnit | None, on: dt.date) -> dict[int, Counter]:
    """{village id: counts on ``on``} from the kept counts, for the check."""
    roots = [unit] if unit is not None else list(OrgUnit.objects.filter(parent=None))
    found: dict[int, Counter] = {}
    for root in roots:
        found.update(counts_as_of(root, on, width=0))
    return {pk: c for pk, c in found.items() if any(c.values())}


# ---- the register's own history, and rebuilding from it ---------------------------------------

def history_of(person: dict, events: list) -> list[tuple[int, dt.date, int]]:
    """The history (unit, day, ±1) the register's events give a person (PERSON_VALUES;
    ``events``: their (kind, on, unit_id) in the order recorded): what the writes above
    record, replayed. Registered active in the unit of their first event (the unit at the
    time) or their own; a transfer is a move-out followed by a move-in."""
    kinds = PersonEvent.Kind
    unit = events[0][2] if events else person["unit_id"]
    rows, active, last = [(unit, person["registered_on"], 1)], True, person["registered_on"]
    i = 0
    while i < len(events):
        kind, on, event_unit = events[i]
        day = max(on, last)
        if kind == kinds.MOVED_OUT and i + 1 < len(events) and events[i + 1][0] == kinds.MOVED_IN:
            kind, on, event_unit = events[i + 1]
            i += 1
            day = max(on, last)
            if active and event_unit != unit:
                rows += [(unit, day, -1), (event_unit, day, 1)]
                last = day
            unit = event_unit
        elif kind == kinds.MOVED_IN:
            if active and event_unit != unit:
                rows += [(unit, day, -1), (event_unit, day, 1)]
                last = day
            unit = event_unit
        elif kind == kinds.REACTIVATED:
            if not active:
                rows.append((unit, day, 1))
                active, last = True, day
        elif active:  # moved out of the area, deceased, certificate cancelled
            rows.append((unit, day, -1))
            active, last = False, day
        i += 1
    return rows


def _people_with_events(people, chunk: int = 5000):
    """(person values, [(kind, on, unit_id)]) for each of ``people``, in chunks."""
    ids = list(people.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        rows = {p["id"]: p for p in Person.objects.filter(pk__in=part).values(*PERSON_VALUES)}
        events = defaultdict(list)
        for person_id, kind, on, unit_id in (PersonEvent.objects.filter(person_id__in=part)
                                             .order_by("person_id", "id")
                                             .values_list("person_id", "kind", "on", "unit_id")):
            events[person_id].append((kind, on, unit_id))
        for pk in part:
            yield rows[pk], events.get(pk, [])


def villages_within(unit: OrgUnit | None):
    units = OrgUnit.objects.filter(level=Level.VILLAGE)
    return units.within(unit) if unit is not None else units


def people_within(unit: OrgUnit | None):
    return Person.objects.within(unit) if unit is not None else Person.objects.all()


def rebuild(unit: OrgUnit | None = None) -> None:
    """Recount the kept counts of ``unit``'s subtree (everything when None) from the
    register, and rewrite its people's history from their events. A whole rebuild also
    moves the age bands' day to today. On PostgreSQL the register's people are locked
    against writes meanwhile (reads go on), so nothing written during it is lost; the
    caller holds the transaction."""
    lock_people()
    if unit is None:
        CountBase.objects.update_or_create(pk=1, defaults={"aged_on": timezone.localdate()})
        UnitCount.objects.all().delete()
        CountChange.objects.all().delete()
    else:
        UnitCount.objects.filter(subtree_filter(unit.path, "unit__path")).delete()
        CountChange.objects.filter(subtree_filter(unit.path, "person__unit__path")).delete()
    people = people_within(unit)
    add_people(people)
    recount_visited(unit)
    batch = []
    for person, events in _people_with_events(people):
        batch += [CountChange(person_id=person["id"], unit_id=u, day=d, n=n,
                              **details_of(person))
                  for u, d, n in history_of(person, events)]
        if len(batch) >= 10_000:
            CountChange.objects.bulk_create(batch)
            batch = []
    CountChange.objects.bulk_create(batch)


def units_recount(units: Iterable[OrgUnit]) -> None:
    """Recount the kept counts of these units from the register (for the reforms: after
    units merge or split and people were moved between them by people_moved, or to
    repair). Their history is left as it is."""
    ids = [u.pk for u in units]
    if not ids:  # a reform that touched no village (a street renamed, streets abolished)
        return
    UnitCount.objects.filter(unit_id__in=ids).delete()
    add_people(Person.objects.filter(unit_id__in=ids))
    recount_visited(unit_ids=ids)


def lock_people() -> None:
    """PostgreSQL: no writes to the register until the transaction ends (a rebuild or a
    check reads it whole); SQLite has one writer anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {connection.ops.quote_name(Person._meta.db_table)} "
                           "IN SHARE MODE")


def live_history_counts(unit: OrgUnit | None, on: dt.date) -> dict[int, Counter]:
    """{unit id: counts} on ``on`` from the register's own history (its events replayed),
    not from the kept counts: the reference the check compares the history with."""
    counts: dict[int, Counter] = defaultdict(Counter)
    for person, events in _people_with_events(people_within(unit)):
        where = Counter()
        for u, d, n in history_of(person, events):
            if d <= on:
                where[u] += n
        for u, n in where.items():
            if n:
                counts[u].update({k: n for k in keys_of(person, on)})
    return dict(counts)
