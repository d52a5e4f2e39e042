"""The home page's figures and the coverage table, read from the kept counts (people.UnitCount,
people.UnitVisitCount) and the kept visit facts, against the same figures counted live over
the people and their visits, after any sequence of writes: registrations, visits recorded
on a page and imported (this year, last year, earlier; several in one year), status changes
and moves of visited people, people imports. And their queries do not grow."""

import datetime as dt
import io
import os
from contextlib import contextmanager

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.actors import SYSTEM
from imports import services as imports
from orgs import services as org_services
from orgs.models import Level
from people import counts
from people import services as people_services
from people.choices import Status
from people.filters import OPEN_NEED, need_overdue_cutoff
from people.models import Need, Person, UnitVisitCount, Visit
from people.selectors import visit_coverage
from people.tests.factories import make_id, make_person
from reports.management.commands.rebuild_counts import check_counts
from reports.selectors import child_unit_figures, unit_figures

TODAY = timezone.localdate()
DAYS = (TODAY, TODAY.replace(month=1, day=1), dt.date(TODAY.year - 1, 12, 31),
        dt.date(TODAY.year - 1, 6, 1), dt.date(TODAY.year - 2, 3, 1))
UNITS = st.sampled_from(["community", "village", "other_village"])
DUE = st.sampled_from((None, -30, -1, 0, 1, 60))  # days from today of the next visit set

REGISTER = st.tuples(st.just("register"), UNITS)
VISIT = st.tuples(st.just("visit"), st.integers(0, 3), st.sampled_from(DAYS), DUE)
IMPORT_VISITS = st.tuples(st.just("import_visits"), st.lists(
    st.tuples(st.integers(0, 3), st.sampled_from(DAYS), DUE), min_size=1, max_size=4))
STATUS = st.tuples(st.just("status"), st.integers(0, 3), st.sampled_from(Status.values))
MOVE = st.tuples(st.just("move"), st.integers(0, 3), UNITS)
NEED = st.tuples(st.just("need"), st.integers(0, 3), st.sampled_from((0, 10, 45, 400)))
IMPORT_PEOPLE = st.tuples(st.just("import_people"), st.integers(1, 3))
OPERATIONS = st.lists(st.one_of(REGISTER, REGISTER, VISIT, VISIT, IMPORT_VISITS, STATUS,
                                STATUS, MOVE, NEED, IMPORT_PEOPLE), min_size=1, max_size=14)
PROPERTY = settings(
    max_examples=int(os.environ.get("COUNTS_PROPERTY_EXAMPLES", 20)), deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _xlsx(header, rows) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(actor, kind, data):
    job = imports.job_create(actor=actor, kind=kind,
                             upload=SimpleUploadedFile("台账.xlsx", data))
    job = imports.job_configure(actor=actor, job=job, sheet=job.sheet,
                                header_row=job.header_row, mapping=job.mapping, mode="valid",
                                update_existing=False, dry_run=False)
    imports.job_start(actor=actor, job=job)
    return imports.job_run(job.pk)


def _due(days):
    return None if days is None else TODAY + dt.timedelta(days=days)


def perform(tree, operation, serial=[0]) -> None:  # noqa: B006 - a counter for names
    kind, *args = operation
    people = list(Person.objects.order_by("pk"))
    serial[0] += 1
    try:
        with transaction.atomic():
            if kind == "register":
                make_person(unit=getattr(tree, args[0]), name=f"甲{serial[0]}",
                            birth=dt.date(1950, 1, 1) + dt.timedelta(days=serial[0]))
            elif kind == "import_people":
                rows = [[f"导入{serial[0]}{i}",
                         make_id(birth=dt.date(1960, 1, 1) + dt.timedelta(days=serial[0] * 7 + i)),
                         "农村", tree.village.name] for i in range(args[0])]
                _upload(tree.county_admin, "people",
                        _xlsx(["姓名", "身份证号", "户籍", "所属村（社区）"], rows))
            elif kind == "import_visits" and people:
                rows = [[people[i % len(people)].id_number, day.isoformat(), "刘专委", "入户", "",
                         _due(due).isoformat() if due is not None else None]
                        for i, day, due in args[0]]
                _upload(tree.county_admin, "visits", _xlsx(
                    ["身份证号", "走访日期", "走访人", "走访方式", "走访情况", "下次走访日期"],
                    rows))
            elif people:
                person = people[args[0] % len(people)]
                if kind == "visit":
                    people_services.visit_record(actor=SYSTEM, person=person, visited_on=args[1],
                                                 worker_name="刘专委", mode="home",
                                                 next_due=_due(args[2]))
                elif kind == "status":
                    people_services.person_set_status(actor=SYSTEM, person=person,
                                                      status=args[1], on=TODAY, note="兰州")
                elif kind == "move":
                    people_services.person_move(actor=SYSTEM, person=person,
                                                to_unit=getattr(tree, args[1]))
                elif kind == "need":
                    people_services.need_create(
                        actor=SYSTEM, person=person, type="rehabilitation",
                        registered_on=TODAY - dt.timedelta(days=args[1]))
    except ValidationError:
        pass


def live_figures(user, unit):
    """The home page's figures as they were computed before the kept counts: over the
    people, a look-up of each one's visits."""
    latest = Visit.objects.filter(person=OuterRef("pk")).order_by("-visited_on", "-id")
    people = (Person.objects.visible_to(user).within(unit).filter(status=Status.ACTIVE)
              .annotate(this_year=Exists(Visit.objects.filter(
                  person=OuterRef("pk"), visited_on__year=TODAY.year)),
                  next_due=Subquery(latest.values("next_due")[:1])))
    needs = Need.objects.visible_to(user).within(unit).filter(OPEN_NEED)
    return (people.count(), people.filter(this_year=True).count(),
            people.filter(next_due__lte=TODAY).count(), needs.count(),
            needs.filter(registered_on__lt=need_overdue_cutoff()).count())


def figures(user, unit):
    f = unit_figures(user=user, unit=unit)
    return (f.people, f.visited, f.due, f.open_needs, f.overdue_needs)


def live_coverage(user, unit, year):
    """(unit, people, visited in ``year``, due) of each child, over the visits themselves."""
    rows = []
    for row in visit_coverage(user=user, unit=unit, year=year):
        people = Person.objects.within(row.unit).filter(status=Status.ACTIVE)
        visited = people.filter(Exists(Visit.objects.filter(person=OuterRef("pk"),
                                                            visited_on__year=year)))
        latest = Visit.objects.filter(person=OuterRef("pk")).order_by("-visited_on", "-id")
        due = people.annotate(n=Subquery(latest.values("next_due")[:1])).filter(n__lte=TODAY)
        rows.append((row.unit.pk, people.count(), visited.count(), due.count()))
    return rows


def assert_agree(tree):
    assert counts.visited_by_unit(None) == counts.visited_by_unit(None, live=True)
    for user in (tree.village_officer, tree.township_officer, tree.county_admin, tree.leader):
        assert figures(user, user.unit) == live_figures(user, user.unit), user.username
    for child in child_unit_figures(user=tree.township_officer, unit=tree.township):
        assert (child.people, child.visited, child.due, child.open_needs,
                child.overdue_needs) == live_figures(tree.township_officer, child.unit)
    for year in (TODAY.year, TODAY.year - 1, TODAY.year - 2):
        for unit in (tree.county, tree.township):
            kept = [(r.unit.pk, r.people, r.visited, r.due)
                    for r in visit_coverage(user=tree.county_admin, unit=unit, year=year)]
            assert kept == live_coverage(tree.county_admin, unit, year), (unit, year)


@contextmanager
def rolled_back():
    assert not Person.objects.exists() and not UnitVisitCount.objects.exists()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@PROPERTY
@given(operations=OPERATIONS)
def test_the_home_figures_and_coverage_are_the_registers_after_any_writes(tree, operations):
    with rolled_back():
        for operation in operations:
            perform(tree, operation)
        assert_agree(tree)
        assert check_counts(None, []) == {TODAY: []}
        before = sorted(UnitVisitCount.objects.filter(visited__gt=0)
                        .values_list("unit_id", "year", "visited"))
        counts.rebuild()
        assert sorted(UnitVisitCount.objects.values_list("unit_id", "year", "visited")) == before
        assert_agree(tree)


def test_a_second_visit_in_a_year_counts_once_and_a_new_year_again(tree):
    person = make_person(unit=tree.village)
    for day in (DAYS[1], TODAY, DAYS[3]):
        people_services.visit_record(actor=SYSTEM, person=person, visited_on=day,
                                     worker_name="刘专委", mode="home")
    assert counts.visited_by_unit(None) == {(tree.village.pk, TODAY.year): 1,
                                            (tree.village.pk, TODAY.year - 1): 1}
    people_services.person_set_status(actor=SYSTEM, person=person, status=Status.DECEASED,
                                      on=TODAY)
    assert counts.visited_by_unit(None) == {}


def test_rebuild_counts_check_finds_a_wrong_visit_count(tree):
    person = make_person(unit=tree.village)
    people_services.visit_record(actor=SYSTEM, person=person, visited_on=TODAY,
                                 worker_name="刘专委", mode="home")
    assert check_counts(None, []) == {TODAY: []}
    UnitVisitCount.objects.update(visited=5)
    assert check_counts(None, []) == {
        TODAY: [(tree.village.pk, f"visited.{TODAY.year}", 5, 1)]}


def test_the_figures_queries_do_not_grow_with_units_or_people(tree):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            unit_figures(user=tree.county_admin, unit=tree.county)
            child_unit_figures(user=tree.township_officer, unit=tree.township)
            visit_coverage(user=tree.county_admin, unit=tree.county, year=TODAY.year - 1)
        return len(ctx.captured_queries)

    few = queries()
    for i in range(6):
        village = org_services.unit_create(actor=SYSTEM, parent=tree.township,
                                           level=Level.VILLAGE, code=f"62042210040{i}",
                                           name=f"新村{i}")
        person = make_person(unit=village, name=f"新{i}", birth=dt.date(1970, 1, 1 + i))
        for day in DAYS[1:4]:
            people_services.visit_record(actor=SYSTEM, person=person, visited_on=day,
                                         worker_name="刘专委", mode="home",
                                         next_due=TODAY - dt.timedelta(days=1))
        people_services.need_create(actor=SYSTEM, person=person, type="care",
                                    registered_on=TODAY - dt.timedelta(days=60))
    assert queries() == few
    assert few <= 4 + 5 + 6


@pytest.mark.parametrize("year", [TODAY.year, TODAY.year - 1])
def test_coverage_reads_no_visit(tree, year):
    """The coverage table of any year reads the kept counts, not the visits."""
    person = make_person(unit=tree.village)
    people_services.visit_record(actor=SYSTEM, person=person, visited_on=DAYS[3],
                                 worker_name="刘专委", mode="home")
    with CaptureQueriesContext(connection) as ctx:
        visit_coverage(user=tree.county_admin, unit=tree.county, year=year)
    table = connection.ops.quote_name(Visit._meta.db_table)
    assert not [q for q in ctx.captured_queries if table in q["sql"]]
