"""The people's kept visit facts (Person.last_visited_on, next_visit_due): every write of
visits keeps them in its transaction, the rebuild command sets them again, and the pages
that read them (the coverage table, the due list, the list's visit filters) give what the
visits themselves say."""

import datetime as dt
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.actors import SYSTEM
from people import selectors, services
from people.filters import PersonFilterSet
from people.models import Person, Visit

from .factories import make_person
from .test_imports import upload, xlsx

VISIT_HEADER = ["身份证号", "走访日期", "走访人", "走访方式", "走访情况", "下次走访日期"]


def live_facts(people) -> dict:
    """{person id: (latest visit's date, the next visit it set)}, from the visits, in Python:
    the latest is the last by date, then by id."""
    facts = {p.pk: (None, None) for p in people}
    for visit in Visit.objects.filter(person__in=people).order_by("visited_on", "id"):
        facts[visit.person_id] = (visit.visited_on, visit.next_due)
    return facts


def kept_facts(people) -> dict:
    return {pk: (last, due) for pk, last, due in Person.objects.filter(
        pk__in=[p.pk for p in people]).values_list("pk", "last_visited_on", "next_visit_due")}


def visit(person, on, due=None, actor=SYSTEM):
    return services.visit_record(actor=actor, person=person, visited_on=on, next_due=due,
                                 worker_name="张专委", mode="home")


def test_recording_a_visit_keeps_the_latest_one(tree):
    person = make_person(unit=tree.community)
    assert kept_facts([person]) == {person.pk: (None, None)}
    visit(person, dt.date(2026, 3, 1), dt.date(2026, 6, 1))
    assert kept_facts([person]) == {person.pk: (dt.date(2026, 3, 1), dt.date(2026, 6, 1))}
    # An older visit recorded later changes nothing; a visit on the same day, recorded
    # later, is the latest (as the live computation orders them: by date, then id).
    visit(person, dt.date(2026, 1, 5), dt.date(2026, 2, 1))
    assert kept_facts([person]) == {person.pk: (dt.date(2026, 3, 1), dt.date(2026, 6, 1))}
    visit(person, dt.date(2026, 3, 1))
    assert kept_facts([person]) == {person.pk: (dt.date(2026, 3, 1), None)}
    person.refresh_from_db()
    assert person.version == 1  # a visit is not an edit of the person


def test_a_refused_visit_leaves_the_facts(tree):
    person = make_person(unit=tree.community)
    visit(person, dt.date(2026, 3, 1), dt.date(2026, 6, 1))
    with pytest.raises(ValidationError):
        visit(person, dt.date(2026, 4, 1), dt.date(2026, 3, 1))  # next before this one
    assert kept_facts([person]) == {person.pk: (dt.date(2026, 3, 1), dt.date(2026, 6, 1))}


def test_the_visit_import_keeps_the_facts_and_a_rolled_back_one_does_not(tree):
    a, b = make_person(unit=tree.community), make_person(unit=tree.community, name="李四")
    visit(a, dt.date(2026, 5, 1), dt.date(2026, 9, 1))
    rows = [[a.id_number, "2026-02-01", "张专委", "入户", "", "2026-03-01"],  # older: stays
            [b.id_number, "2026-02-01", "张专委", "入户", "", "2026-03-01"],
            [b.id_number, "2026-04-01", "张专委", "电话", "", ""]]
    job = upload(tree.village_officer, xlsx(rows, header=VISIT_HEADER), kind="visits")
    assert job.applied and job.created == 3
    assert kept_facts([a, b]) == live_facts([a, b]) == {
        a.pk: (dt.date(2026, 5, 1), dt.date(2026, 9, 1)), b.pk: (dt.date(2026, 4, 1), None)}
    bad = [[a.id_number, "2026-06-01", "张专委", "入户", "", "2026-07-01"],
           [a.id_number, "not a date", "张专委", "入户", "", ""]]
    job = upload(tree.village_officer, xlsx(bad, header=VISIT_HEADER), kind="visits")
    assert not job.applied
    assert kept_facts([a, b])[a.pk] == (dt.date(2026, 5, 1), dt.date(2026, 9, 1))


def test_the_rebuild_command_sets_them_again_and_check_finds_stale_ones(tree, capsys):
    people = [make_person(unit=tree.community, name=f"甲{i}") for i in range(3)]
    visit(people[0], dt.date(2026, 2, 1), dt.date(2026, 4, 1))
    visit(people[1], dt.date(2026, 1, 1))
    call_command("rebuild_visit_facts", "--check")
    Person.objects.filter(pk=people[0].pk).update(next_visit_due=None)
    Person.objects.filter(pk=people[2].pk).update(last_visited_on=dt.date(2020, 1, 1))
    with pytest.raises(CommandError):
        call_command("rebuild_visit_facts", "--check")
    assert "2 people with stale visit facts" in capsys.readouterr().out
    call_command("rebuild_visit_facts", "--batch", "2")
    call_command("rebuild_visit_facts", "--check")
    assert kept_facts(people) == live_facts(people)


# ---- after any writes, the kept facts are the live ones ------------------------------------

DAYS = st.integers(min_value=0, max_value=800)
OPERATION = st.one_of(
    # A visit recorded on its page: any person, any past day, a next visit or none.
    st.tuples(st.just("record"), st.integers(0, 2), DAYS, st.one_of(st.none(), DAYS)),
    # What a correction of visits does (an edit or delete): change the rows, then refresh.
    st.tuples(st.just("delete"), st.integers(0, 2), st.integers(0, 5)),
    st.tuples(st.just("redate"), st.integers(0, 2), st.integers(0, 5), DAYS),
)
PROPERTY = settings(
    max_examples=int(os.environ.get("VISIT_FACTS_EXAMPLES", 30)), deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@PROPERTY
@given(operations=st.lists(OPERATION, min_size=1, max_size=12),
       imported=st.lists(st.tuples(st.integers(0, 2), DAYS, st.one_of(st.none(), DAYS)),
                         max_size=4))
def test_after_random_writes_the_kept_facts_are_the_live_ones(tree, operations, imported):
    today = timezone.localdate()
    with transaction.atomic():
        people = [make_person(unit=tree.community, name=f"乙{i}") for i in range(3)]
        for op in operations:
            if op[0] == "record":
                _, who, back, ahead = op
                on = today - dt.timedelta(days=back)
                due = on + dt.timedelta(days=ahead + 1) if ahead is not None else None
                visit(people[who], on, due)
            else:
                visits = list(Visit.objects.filter(person=people[op[1]]).order_by("id"))
                if not visits:
                    continue
                chosen = visits[op[2] % len(visits)]
                if op[0] == "delete":
                    chosen.delete()
                else:
                    chosen.visited_on = today - dt.timedelta(days=op[3])
                    chosen.next_due = None
                    chosen.save()
                services.visit_facts_refresh(people=[chosen.person_id])
        if imported:
            rows = [[people[who].id_number, (today - dt.timedelta(days=back)).isoformat(),
                     "张专委", "入户", "",
                     (today + dt.timedelta(days=ahead + 1)).isoformat() if ahead else ""]
                    for who, back, ahead in imported]
            job = upload(tree.village_officer, xlsx(rows, header=VISIT_HEADER), kind="visits")
            assert job.applied, job.errors
        assert kept_facts(people) == live_facts(people)
        assert not selectors.visit_facts_stale(
            people=Person.objects.filter(pk__in=[p.pk for p in people])).exists()
        transaction.set_rollback(True)


# ---- the pages read them, and give what the visits say ---------------------------------------

def _visited_in(person, year):
    return Visit.objects.filter(person=person, visited_on__year=year).exists()


def test_coverage_due_and_filters_agree_with_the_visits(tree):
    today = timezone.localdate()
    this_year, last_year = dt.date(today.year, 1, 2), dt.date(today.year - 1, 6, 1)
    people = {
        "now": make_person(unit=tree.community, name="甲"),
        "due": make_person(unit=tree.community, name="乙"),
        "last_year_only": make_person(unit=tree.village, name="丙"),
        "both_years": make_person(unit=tree.village, name="丁"),
        "never": make_person(unit=tree.village, name="戊"),
    }
    visit(people["now"], min(this_year, today), today + dt.timedelta(days=30))
    visit(people["due"], last_year, last_year + dt.timedelta(days=30))
    visit(people["last_year_only"], last_year - dt.timedelta(days=3))
    visit(people["both_years"], last_year)
    visit(people["both_years"], min(this_year, today))
    gone = make_person(unit=tree.village, name="己")
    services.person_set_status(actor=SYSTEM, person=gone, status="deceased", on=today)
    everyone = [*people.values(), gone]
    active = list(people.values())
    for year in (today.year, today.year - 1, today.year - 2):
        rows = selectors.visit_coverage(user=tree.county_admin, unit=tree.township, year=year)
        assert sum(r.people for r in rows) == len(active)
        assert sum(r.visited for r in rows) == sum(_visited_in(p, year) for p in active), year
    assert sum(r.due for r in rows) == 1
    assert list(selectors.visits_due(user=tree.county_admin, unit=tree.township)) \
        == [people["due"]]
    assert list(selectors.never_visited(user=tree.county_admin, unit=tree.township)) \
        == [people["never"]]
    qs = Person.objects.filter(pk__in=[p.pk for p in everyone])
    not_visited = PersonFilterSet.apply(qs, {"not_visited_this_year": "on"},
                                        user=tree.county_admin)
    assert set(not_visited) == {p for p in everyone if not _visited_in(p, today.year)}
    due = PersonFilterSet.apply(qs, {"visit_due": "on"}, user=tree.county_admin)
    assert list(due) == [people["due"]]


def test_the_coverage_page_does_not_query_per_person_unit_or_visit(
        tree, client, django_assert_max_num_queries):
    client.force_login(tree.county_admin)
    url = reverse("people:visit_coverage")

    def queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    from orgs import services as org_services
    from orgs.models import Level

    for i in range(4):
        village = org_services.unit_create(actor=SYSTEM, parent=tree.township,
                                           level=Level.VILLAGE, code=f"62042210030{i}",
                                           name=f"新村{i}")
        for j in range(3):
            person = make_person(unit=village, name=f"丙{i}{j}")
            visit(person, timezone.localdate() - dt.timedelta(days=400),
                  timezone.localdate() - dt.timedelta(days=10))
            if j:
                visit(person, timezone.localdate() - dt.timedelta(days=40 * j))
    assert queries() == before


def test_the_demo_keeps_the_facts_of_its_visits(tree):
    from people.demo import load_people_demo

    assert load_people_demo(county=tree.county, seed=7, per_village=(3, 4)) > 0
    people = list(Person.objects.all())
    assert Visit.objects.exists()
    assert kept_facts(people) == live_facts(people)
    assert any(last for last, _due in kept_facts(people).values())
