"""The kept counts (people.counts) against the register itself.

The property: whatever sequence of writes the register's services and the people import
perform — registrations, edits of category, grade, gender, household registration and
birth date, status changes (some dated before earlier ones), transfers, imports with and
without a status, in any village, with the age bands' base day anywhere — the kept counts
equal, for every village:
- today: the grouped count over the people (reports.selectors.live_counts_by_unit, the
  reference summary_table_live uses), and the summary table reads the same as the live one;
- as of earlier days (around the age bands' edges): the register's events replayed
  (people.counts.live_history_counts);
and a rebuild from the register changes nothing.
"""

import datetime as dt
import io
import os
from contextlib import contextmanager

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.actors import SYSTEM
from imports import services as imports
from people import counts
from people import services as people_services
from people.choices import Status
from people.models import CountBase, CountChange, Person, UnitCount
from people.tests.factories import make_id
from reports.management.commands.rebuild_counts import check_counts
from reports.selectors import live_counts_by_unit, summary_table, summary_table_live

TODAY = timezone.localdate()
PAST = dt.date(TODAY.year - 1, 12, 31)  # the annual report's day
DAYS = (PAST - dt.timedelta(days=40), PAST - dt.timedelta(days=1), PAST,
        PAST + dt.timedelta(days=1), TODAY - dt.timedelta(days=1), TODAY)
AS_OF = (PAST - dt.timedelta(days=1), PAST, PAST + dt.timedelta(days=1),
         TODAY - dt.timedelta(days=1))


def _edges():
    """Birth dates on, just before and after each age band's edge on each day read."""
    found = {dt.date(1940, 2, 2), dt.date(2000, 2, 29), dt.date(2008, 2, 29)}
    for day in (*AS_OF, TODAY):
        for years in (0, 7, 18, 60):
            edge = counts.years_before(day, years)
            found |= {edge - dt.timedelta(days=1), edge, edge + dt.timedelta(days=1)}
    return sorted(d for d in found if d <= TODAY)


BIRTHS = _edges()
CERTIFICATES = st.one_of(st.none(), st.tuples(st.integers(1, 7), st.integers(1, 4)))
HUKOU = st.sampled_from(["urban", "rural"])
UNITS = st.sampled_from(["community", "village", "other_village"])

REGISTER = st.tuples(st.just("register"), UNITS, st.sampled_from(BIRTHS), st.booleans(),
                     HUKOU, CERTIFICATES, st.sampled_from(DAYS))
EDIT = st.tuples(st.just("edit"), st.integers(0, 30), st.sampled_from(
    ["certificate", "hukou", "birth", "gender"]), st.sampled_from(BIRTHS), CERTIFICATES,
    HUKOU)
STATUS = st.tuples(st.just("status"), st.integers(0, 30), st.sampled_from(Status.values),
                   st.sampled_from(DAYS))
MOVE = st.tuples(st.just("move"), st.integers(0, 30), UNITS)
IMPORT = st.tuples(st.just("import"), st.lists(st.tuples(
    st.sampled_from(BIRTHS), st.booleans(), HUKOU, CERTIFICATES,
    st.sampled_from(["", "已故", "迁出"]), st.sampled_from((None, *DAYS)),
    st.sampled_from((None, *DAYS))), min_size=1, max_size=4))
OPERATIONS = st.lists(st.one_of(REGISTER, REGISTER, EDIT, STATUS, MOVE, IMPORT),
                      min_size=1, max_size=12)

PROPERTY = settings(
    max_examples=int(os.environ.get("COUNTS_PROPERTY_EXAMPLES", 20)), deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@contextmanager
def rolled_back():
    assert not Person.objects.exists() and not UnitCount.objects.exists()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _certificate_fields(id_number, certificate):
    if certificate is None:
        return {"certificate_number": None, "certificate_issued_on": None,
                "category": None, "grade": None}
    category, grade = certificate
    return {"certificate_number": f"{id_number}{category}{grade}",
            "certificate_issued_on": dt.date(2016, 4, 1), "category": category,
            "grade": grade}


def _xlsx(rows, village_name) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号", "残疾证号", "残疾类别", "残疾等级", "发证日期", "户籍",
                  "所属村（社区）", "人员状态", "状态变更日期", "登记日期"])
    for i, (birth, male, hukou, certificate, status, since, registered) in enumerate(rows):
        number = make_id(birth=birth, male=male)
        category, grade = certificate or (None, None)
        sheet.append([f"导入{i}", number, f"{number}{category}{grade}" if certificate else None,
                      category, grade, "2016-04-01" if certificate else None,
                      {"urban": "城镇", "rural": "农村"}[hukou], village_name, status or None,
                      since.isoformat() if since and status else None,
                      registered.isoformat() if registered else None])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def perform(tree, operation) -> None:
    """One write through the services (or the import); what the rules refuse is skipped."""
    from django.core.exceptions import ValidationError

    kind, *args = operation
    people = list(Person.objects.order_by("pk"))
    try:
        with transaction.atomic():
            if kind == "register":
                unit, birth, male, hukou, certificate, registered = args
                number = make_id(birth=birth, male=male)
                people_services.person_register(
                    actor=SYSTEM, registered_on=registered, unit=getattr(tree, unit),
                    name="登记", id_number=number, hukou=hukou,
                    **_certificate_fields(number, certificate))
            elif kind == "import":
                (rows,) = args
                actor = tree.county_admin
                job = imports.job_create(actor=actor, kind="people", upload=SimpleUploadedFile(
                    "登记表.xlsx", _xlsx(rows, tree.village.name)))
                job = imports.job_configure(actor=actor, job=job, sheet=job.sheet,
                                            header_row=job.header_row, mapping=job.mapping,
                                            mode="valid", update_existing=False,
                                            dry_run=False)
                imports.job_start(actor=actor, job=job)
                imports.job_run(job.pk)
            elif people:
                person = people[args[0] % len(people)]
                if kind == "edit":
                    field, birth, certificate, hukou = args[1:]
                    if field == "hukou":
                        changes = {"hukou": hukou}
                    elif field == "certificate":
                        changes = _certificate_fields(person.id_number, certificate)
                    else:
                        male = person.gender == "M" if field == "birth" else person.gender != "M"
                        born = birth if field == "birth" else person.birth_date
                        number = make_id(birth=born, male=male)
                        changes = {"id_number": number, "birth_date": born,
                                   "gender": "M" if male else "F"}
                        if person.category is not None and person.certificate_number:
                            changes.update(_certificate_fields(
                                number, (person.category, person.grade)))
                    people_services.person_update(actor=SYSTEM, person=person, **changes)
                elif kind == "status":
                    status, on = args[1:]
                    people_services.person_set_status(actor=SYSTEM, person=person,
                                                      status=status, on=on, note="兰州")
                elif kind == "move":
                    to_unit = getattr(tree, args[1])
                    people_services.person_move(actor=SYSTEM, person=person, to_unit=to_unit)
    except ValidationError:
        pass


def assert_counts_agree(tree):
    kept = counts.kept_counts_by_unit(None, TODAY)
    live = {pk: {k: n for k, n in c.items() if n} for pk, c in
            live_counts_by_unit(unit=None, as_of=TODAY).items()}
    assert {pk: {k: n for k, n in c.items() if n} for pk, c in kept.items()} == {
        pk: c for pk, c in live.items() if c}
    for day in AS_OF:
        kept = {pk: {k: n for k, n in c.items() if n}
                for pk, c in counts.kept_counts_by_unit(None, day).items()}
        replayed = {pk: {k: n for k, n in c.items() if n}
                    for pk, c in counts.live_history_counts(None, day).items()}
        assert {pk: c for pk, c in kept.items() if c} == {
            pk: c for pk, c in replayed.items() if c}, day
    table, reference = (f(user=tree.county_admin, unit=tree.county)
                        for f in (summary_table, summary_table_live))
    assert [r.counts for r in table.rows] == [r.counts for r in reference.rows]
    assert check_counts(None, list(AS_OF)) == {day: [] for day in (TODAY, *AS_OF)}


def _kept_rows():
    """The kept rows, those counting nobody left out (a village everyone left keeps a row
    of zeros; a rebuild writes none)."""
    return sorted(row for row in UnitCount.objects.values_list() if any(row[1:]))


@PROPERTY
@given(operations=OPERATIONS, base=st.sampled_from((TODAY, *AS_OF, DAYS[0])))
def test_the_kept_counts_are_the_registers_after_any_writes(tree, operations, base):
    with rolled_back():
        CountBase.objects.update_or_create(pk=1, defaults={"aged_on": base})
        for operation in operations:
            perform(tree, operation)
        assert_counts_agree(tree)
        before = (_kept_rows(),
                  sorted(CountChange.objects.values_list("person_id", "unit_id", "day", "n")))
        counts.rebuild()
        assert CountBase.objects.get().aged_on == TODAY
        assert sorted(CountChange.objects.values_list(
            "person_id", "unit_id", "day", "n")) == before[1]
        assert_counts_agree(tree)
        if base == TODAY:
            assert _kept_rows() == before[0]


# ---- age bands on a day ---------------------------------------------------------------------

def _register(unit, birth, registered_on=dt.date(2000, 1, 1), male=True):
    return people_services.person_register(
        actor=SYSTEM, registered_on=registered_on, unit=unit, name="甲", hukou="rural",
        id_number=make_id(birth=birth, male=male))


def _ages(tree, unit, day):
    row = summary_table(user=tree.county_admin, unit=unit, as_of=day).total.counts
    return tuple(row[f"age.{b}"] for b in ("0-6", "7-17", "18-59", "60+"))


@pytest.mark.parametrize("base", [dt.date(2024, 1, 1), dt.date(2025, 3, 1)])
def test_an_age_band_changes_on_the_birthday_whatever_the_base_day(tree, base):
    CountBase.objects.create(pk=1, aged_on=base)
    _register(tree.village, dt.date(2018, 3, 1))   # 7 on 2025-03-01
    _register(tree.village, dt.date(1965, 2, 28))  # 60 on 2025-02-28
    _register(tree.village, dt.date(2008, 2, 29))  # 18 on 2026-03-01 (2026 has no 29th)
    assert _ages(tree, tree.village, dt.date(2025, 2, 27)) == (1, 1, 1, 0)
    assert _ages(tree, tree.village, dt.date(2025, 2, 28)) == (1, 1, 0, 1)
    assert _ages(tree, tree.village, dt.date(2025, 3, 1)) == (0, 2, 0, 1)
    assert _ages(tree, tree.village, dt.date(2026, 2, 28)) == (0, 2, 0, 1)
    assert _ages(tree, tree.village, dt.date(2026, 3, 1)) == (0, 1, 1, 1)
    # Not born yet: in the total, in no band.
    assert _ages(tree, tree.village, dt.date(2008, 2, 28)) == (0, 0, 1, 0)


def test_the_table_as_of_a_day_counts_the_register_of_that_day(tree):
    person = _register(tree.village, dt.date(1980, 1, 1), registered_on=dt.date(2024, 1, 10))
    people_services.person_set_status(actor=SYSTEM, person=person, status=Status.DECEASED,
                                      on=dt.date(2025, 5, 1))
    other = _register(tree.village, dt.date(1980, 1, 1), registered_on=dt.date(2025, 1, 1))
    people_services.person_move(actor=SYSTEM, person=other, to_unit=tree.other_village)

    def totals(day):
        table = summary_table(user=tree.county_admin, unit=tree.county, as_of=day)
        return [r.total for r in table.rows]

    assert totals(dt.date(2024, 1, 9)) == [0, 0]
    assert totals(dt.date(2024, 1, 10)) == [1, 0]
    assert totals(dt.date(2025, 4, 30)) == [2, 0]
    assert totals(TODAY - dt.timedelta(days=1)) == [1, 0]  # deceased; not yet moved
    assert totals(TODAY) == [0, 1]


# ---- the command ----------------------------------------------------------------------------

def test_rebuild_counts_check_reports_a_difference_and_rebuild_repairs_it(tree, capsys):
    _register(tree.village, dt.date(1980, 1, 1))
    call_command("rebuild_counts", "--check")
    UnitCount.objects.filter(unit=tree.village).update(total=5)
    CountChange.objects.all().delete()
    with pytest.raises(CommandError, match="differ"):
        call_command("rebuild_counts", "--check", "--as-of", "2020-01-01")
    out = capsys.readouterr().out
    assert f"{TODAY} {tree.village.pk} {tree.village.name} total: kept 5, register 1" in out
    assert f"2020-01-01 {tree.village.pk} {tree.village.name} total: kept 5, register 1" in out
    call_command("rebuild_counts", "--unit", str(tree.township.pk))
    call_command("rebuild_counts", "--check", "--as-of", "2020-01-01")
    call_command("rebuild_counts")
    call_command("rebuild_counts", "--check")


def test_the_tables_queries_do_not_grow_with_units_or_people(tree):
    CountBase.objects.create(pk=1, aged_on=dt.date(2024, 1, 1))

    def queries(unit, day):
        with CaptureQueriesContext(connection) as ctx:
            summary_table(user=tree.county_admin, unit=unit, as_of=day)
        return len(ctx.captured_queries)

    few = [queries(u, d) for u in (tree.county, tree.village) for d in (TODAY, PAST)]
    for i in range(20):
        _register((tree.village, tree.community, tree.other_village)[i % 3],
                  dt.date(1950 + i, 1, 1))
    assert [queries(u, d) for u in (tree.county, tree.village) for d in (TODAY, PAST)] == few
    assert max(few) <= 6  # a past day: one more, whether a reform changed the tree since


# ---- two writers at once --------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer")
def test_two_transactions_adding_to_one_village_lose_nothing():
    """The first adds and holds its transaction open; the second adds meanwhile (and waits
    for the first's row lock); both commit: both additions are there. A read-modify-write
    would have read 0 in the second and written 1."""
    import threading
    from collections import Counter

    from django.db import connections

    from orgs.models import OrgUnit

    unit = OrgUnit.objects.create(level=5, name="村", path="00000001")
    counts.add({unit.pk: Counter({"total": 1})})
    added, errors = threading.Event(), []

    def first():
        try:
            with transaction.atomic():
                counts.add({unit.pk: Counter({"total": 1, "gender.M": 1})})
                added.set()
                threading.Event().wait(0.5)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    def second():
        try:
            added.wait(5)
            with transaction.atomic():
                counts.add({unit.pk: Counter({"total": 1, "gender.F": 1})})
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    row = UnitCount.objects.get(unit=unit)
    assert (row.total, row.gender_m, row.gender_f) == (3, 1, 1)


def test_the_demo_is_counted_as_it_is_loaded(tree):
    from people.demo import load_people_demo

    assert load_people_demo(county=tree.county, seed=7, per_village=(20, 30)) > 0
    assert Person.objects.exclude(status=Status.ACTIVE).exists()  # the deceased too
    assert check_counts(None, list(AS_OF)) == {day: [] for day in (TODAY, *AS_OF)}
    assert UnitCount.objects.get(unit=tree.village).total == Person.objects.filter(
        unit=tree.village, status=Status.ACTIVE).count()


def test_a_corrected_detail_corrects_the_history_read_as_of_a_day(tree):
    """The changes after a day carry the person's details: a correction rewrites them, so
    the table as of an earlier day counts the person as they are now (as the replay does)."""
    person = _register(tree.village, dt.date(1980, 1, 1), registered_on=TODAY)
    moved = _register(tree.village, dt.date(1981, 1, 1), registered_on=PAST - dt.timedelta(9))
    people_services.person_move(actor=SYSTEM, person=moved, to_unit=tree.other_village)
    for someone in (person, moved):
        number = someone.id_number
        people_services.person_update(actor=SYSTEM, person=someone, hukou="urban",
                                      **_certificate_fields(number, (6, 1)))
    assert check_counts(None, list(AS_OF)) == {day: [] for day in (TODAY, *AS_OF)}
    row = summary_table(user=tree.county_admin, unit=tree.county,
                        as_of=TODAY - dt.timedelta(days=1)).total.counts
    assert (row["total"], row["category.6.grade.1"], row["hukou.urban"]) == (1, 1, 1)


def test_an_import_updating_details_corrects_the_history_too(tree):
    """The import's update mode rewrites the changed people's history rows in one UPDATE
    (people.counts.copy_details): the table as of an earlier day agrees with the replay."""
    actor = tree.county_admin

    def run(data, update):
        job = imports.job_create(actor=actor, kind="people", upload=SimpleUploadedFile(
            "登记表.xlsx", data))
        job = imports.job_configure(actor=actor, job=job, sheet=job.sheet,
                                    header_row=job.header_row, mapping=job.mapping,
                                    mode="valid", update_existing=update, dry_run=False)
        imports.job_start(actor=actor, job=job)
        return imports.job_run(job.pk)

    run(_xlsx([(dt.date(1975, 5, 5), True, "rural", (4, 2), "", None, TODAY)],
              tree.village.name), False)
    person = Person.objects.get()
    people_services.person_set_status(actor=SYSTEM, person=person, status=Status.DECEASED,
                                      on=TODAY)
    book = openpyxl.load_workbook(io.BytesIO(_xlsx(
        [(dt.date(1975, 5, 5), True, "urban", (6, 1), "已故", TODAY, TODAY)],
        tree.village.name)))
    sheet = book.active
    sheet["B2"], sheet["C2"] = person.id_number, f"{person.id_number}61"
    buffer = io.BytesIO()
    book.save(buffer)
    job = run(buffer.getvalue(), True)
    assert job.updated == 1, (job.message, job.errors, job.created)
    assert set(CountChange.objects.values_list("hukou", "category", "grade")) == {
        ("urban", 6, 1)}
    assert check_counts(None, list(AS_OF)) == {day: [] for day in (TODAY, *AS_OF)}
