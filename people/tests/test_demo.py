"""The synthetic people of the 会宁县 demo: valid, consistent with the register's rules, in
the proportions the demo promises, and loaded only once."""

import datetime as dt
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.models import Action, AuditLog
from orgs.demo import COUNTY_CODE, GRID_COMMUNITIES
from orgs.models import Kind, Level, OrgUnit
from people.choices import (
    ETHNICITIES,
    Category,
    Education,
    Employment,
    Gender,
    Hukou,
    JobStatus,
    Living,
    Marital,
    NeedStatus,
    NeedType,
    Status,
    VisitMode,
    WorkAbility,
)
from people.demo import _age, id_check_character, load_people_demo
from people.identity import (
    birth_date_of,
    certificate_number,
    certificate_problems,
    gender_of,
    validate_id,
)
from people.models import JobSeeker, Need, Person, PersonEvent, Visit
from people.pinyin import search_key


def _share(part, whole) -> float:
    return len(part) / (whole if isinstance(whole, int) else len(whole))


def _numbers(line: str) -> list[int]:
    return [int(x) for x in re.findall(r"\d+", line)]


def _counts():
    return {model.__name__: model.objects.count()
            for model in (Person, PersonEvent, Need, Visit, JobSeeker, AuditLog)}


def test_the_check_character_follows_gb_11643():
    # The worked example of GB 11643-1999 and a number whose check character is X.
    assert id_check_character("11010519491231002") == "X"
    assert id_check_character("44052418800101001") == "4"
    assert validate_id("11010519491231002X") == "11010519491231002X"


@pytest.mark.django_db
def test_demo_people_are_valid_and_realistic(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    today = timezone.localdate()
    county = OrgUnit.objects.active().get(code=COUNTY_CODE)
    villages = {u.pk: u for u in OrgUnit.objects.within(county).filter(level=Level.VILLAGE)}
    grids = {u.pk: u for u in OrgUnit.objects.within(county).filter(level=Level.GRID)}
    people = list(Person.objects.all())
    n = len(people)

    # A few thousand, all in 会宁县's villages and communities, every one of them used.
    assert 3000 <= n <= 4000
    assert _numbers(_people_line(out)) == [n, n]  # loaded now, in the county
    assert Person.objects.within(county).count() == n
    per_village = Counter(p.unit_id for p in people)
    assert set(per_village) == set(villages)
    assert len(villages) == 322
    assert min(per_village.values()) >= 6 and max(per_village.values()) <= 14

    # IDs: valid, unique, from 会宁县, and the source of gender and birth date.
    ids = [p.id_number for p in people]
    assert len(set(ids)) == n
    for p in people:
        assert validate_id(p.id_number) == p.id_number
        assert p.id_number.startswith("620422")
        assert p.gender == gender_of(p.id_number)
        assert p.birth_date == birth_date_of(p.id_number)
        assert p.search_key == search_key(p.name)
        assert 2 <= len(p.name) <= 3
    ages = [_age(p.birth_date, today) for p in people]
    assert 0.06 <= _share([a for a in ages if a < 18], n) <= 0.14
    assert 0.44 <= _share([a for a in ages if 18 <= a < 60], n) <= 0.56
    assert 0.34 <= _share([a for a in ages if a >= 60], n) <= 0.46
    assert 0.45 <= _share([p for p in people if p.gender == Gender.MALE], n) <= 0.65

    # Certificates: ID + category + grade, in the national proportions; some expired.
    certified = [p for p in people if p.certificate_number]
    assert 0.85 <= _share(certified, n) <= 0.95
    assert len({p.certificate_number for p in certified}) == len(certified)
    for p in certified:
        assert p.certificate_number == certificate_number(p.id_number, p.category, p.grade)
        assert p.certificate_number[18:] == f"{p.category}{p.grade}"
        assert not certificate_problems(p.certificate_number, id_number=p.id_number,
                                        category=p.category, grade=p.grade)
        assert dt.date(2008, 1, 1) <= p.certificate_issued_on <= dt.date(2024, 12, 31)
        assert p.certificate_issued_on > p.birth_date
        assert p.certificate_valid_until.year == p.certificate_issued_on.year + 10
    for p in people:
        if not p.certificate_number:
            assert (p.category, p.grade, p.certificate_issued_on,
                    p.certificate_valid_until) == (None, None, None, None)
    categories = Counter(p.category for p in certified)
    for category, share in [(Category.PHYSICAL, 0.40), (Category.VISUAL, 0.12),
                            (Category.HEARING, 0.15), (Category.SPEECH, 0.02),
                            (Category.INTELLECTUAL, 0.10), (Category.MENTAL, 0.10),
                            (Category.MULTIPLE, 0.11)]:
        assert abs(categories[category] / len(certified) - share) < 0.04, category
    grades = Counter(p.grade for p in certified)
    for grade, share in [(1, 0.10), (2, 0.25), (3, 0.35), (4, 0.30)]:
        assert abs(grades[grade] / len(certified) - share) < 0.04, grade
    expired = [p for p in certified if p.certificate_valid_until < today]
    assert 0.05 <= _share(expired, certified) <= 0.40

    # Every closed list holds only its own values; the rest is plausible.
    for field, values in [("education", Education.values), ("marital_status", Marital.values),
                          ("living", Living.values), ("employment", Employment.values),
                          ("hukou", Hukou.values), ("ethnicity", ETHNICITIES),
                          ("status", [Status.ACTIVE, Status.DECEASED])]:
        assert {getattr(p, field) for p in people} <= set(values), field
    ethnicities = Counter(p.ethnicity for p in people)
    assert ethnicities["汉族"] / n > 0.85 and ethnicities["回族"] > 0
    assert 0.7 <= _share([p for p in people if p.phone], n) < 1
    townships = {u.pk: u.name for u in OrgUnit.objects.filter(level=Level.TOWNSHIP)}
    for p in people:
        assert p.address.startswith(townships[villages[p.unit_id].parent_id])
        assert p.address.endswith("组")
        assert (p.tekun and p.dibao) is False
    in_communities = [p for p in people if villages[p.unit_id].kind == Kind.COMMUNITY]
    in_villages = [p for p in people if villages[p.unit_id].kind == Kind.VILLAGE]
    assert _share([p for p in in_communities if p.hukou == Hukou.URBAN], in_communities) > 0.7
    assert _share([p for p in in_villages if p.hukou == Hukou.RURAL], in_villages) > 0.9
    assert 0.1 <= _share([p for p in people if p.dibao], n) <= 0.5
    assert any(p.tekun for p in people) and any(p.care_subsidy for p in people)
    assert any(p.living_subsidy for p in people)
    assert all(a >= 18 or p.marital_status == Marital.SINGLE for p, a in zip(people, ages,
                                                                               strict=True))

    # Grids: only in the four communities that have them, always the person's own.
    with_grid = [p for p in people if p.grid_id]
    assert with_grid
    for p in with_grid:
        assert grids[p.grid_id].parent_id == p.unit_id
    grid_villages = {g.parent_id for g in grids.values()}
    assert {villages[v].code for v in grid_villages} == set(GRID_COMMUNITIES)
    assert all(p.grid_id for p in people if p.unit_id in grid_villages)

    # Status history: registered (the row's own date), deceased with an event on their date.
    for p in people:
        assert p.registered_on <= today and p.registered_on >= p.birth_date
        assert dt.date(2015, 1, 1) <= p.registered_on <= dt.date(2025, 12, 31) or (
            p.birth_date > dt.date(2025, 12, 31))
    events = Counter((e.person_id, e.kind, e.on, e.unit_id) for e in PersonEvent.objects.all())
    assert sum(events.values()) == len(events)
    deceased = [p for p in people if p.status == Status.DECEASED]
    assert 0.01 <= _share(deceased, n) <= 0.08
    for p in deceased:
        assert p.registered_on < p.status_date <= today
        assert (p.pk, PersonEvent.Kind.DECEASED, p.status_date, p.unit_id) in events
    assert PersonEvent.objects.count() == len(deceased)
    active = [p for p in people if p.status == Status.ACTIVE]
    assert all(p.status_date is None for p in active)

    # Needs: about 40% of people, one or two each, some still open after a month.
    needs = list(Need.objects.all())
    per_person = Counter(need.person_id for need in needs)
    assert 0.33 <= len(per_person) / n <= 0.47
    assert set(per_person.values()) == {1, 2}
    by_type = Counter(need.type for need in needs)
    assert set(by_type) <= set(NeedType.values)
    assert [t for t, _ in by_type.most_common(3)] == [
        NeedType.REHABILITATION, NeedType.DEVICES, NeedType.RELIEF]
    assert set(Counter(need.status for need in needs)) == set(NeedStatus.values)
    two_years_ago = today - dt.timedelta(days=730)
    person_of = {p.pk: p for p in people}
    for need in needs:
        assert two_years_ago <= need.registered_on <= today
        assert need.registered_on >= person_of[need.person_id].registered_on
        if need.status == NeedStatus.MET:
            assert need.outcome and need.registered_on <= need.closed_on <= today
        elif need.status == NeedStatus.UNMET:
            assert need.unmet_reason and need.registered_on <= need.closed_on <= today
        else:
            assert need.closed_on is None and not need.outcome
    old_open = [need for need in needs if need.is_open
                and (today - need.registered_on).days > 30]
    assert len(old_open) > 50
    found = [need for need in needs if need.visit_id]
    assert found
    visit_of = {v.pk: v for v in Visit.objects.filter(pk__in=[need.visit_id for need in found])}
    for need in found:
        assert visit_of[need.visit_id].person_id == need.person_id
        assert visit_of[need.visit_id].visited_on == need.registered_on

    # Visits: one to three in the last two years; 85–97% of active people seen this year.
    visits = list(Visit.objects.all())
    by_person: dict[int, list[Visit]] = {}
    for visit in visits:
        by_person.setdefault(visit.person_id, []).append(visit)
        assert two_years_ago <= visit.visited_on <= today
        assert visit.visited_on >= person_of[visit.person_id].registered_on
        assert visit.next_due > visit.visited_on
        assert visit.mode in VisitMode.values and visit.worker_name and visit.findings
    assert max(len(v) for v in by_person.values()) <= 3
    assert _share(by_person, n) > 0.8
    this_year = {v.person_id for v in visits if v.visited_on.year == today.year}
    share_seen = _share([p for p in active if p.pk in this_year], active)
    assert 0.85 <= share_seen <= 0.97
    assert any(p.pk not in by_person for p in active)  # some never visited
    for p in deceased:
        assert all(v.visited_on <= p.status_date for v in by_person.get(p.pk, []))
    latest = [max(v, key=lambda visit: visit.visited_on) for v in by_person.values()]
    assert any(v.next_due < today for v in latest)  # some visits are due
    assert any(v.next_due >= today for v in latest)
    assert set(Counter(v.mode for v in visits)) == set(VisitMode.values)

    # Job seekers: about 5% of the working-age people.
    jobs = list(JobSeeker.objects.all())
    working_age = [p for p in active if 18 <= _age(p.birth_date, today) < 60]
    assert 0.03 <= _share(jobs, working_age) <= 0.08
    assert len({j.person_id for j in jobs}) == len(jobs)
    assert set(Counter(j.status for j in jobs)) == set(JobStatus.values)
    for job in jobs:
        assert person_of[job.person_id] in working_age
        assert job.work_wished and job.ability in WorkAbility.values
        assert job.registered_on <= today
        if job.status == JobStatus.PLACED:
            assert job.employer and job.registered_on <= job.placed_on <= today
            assert person_of[job.person_id].employment == Employment.EMPLOYED
        else:
            assert not job.employer and job.placed_on is None

    # One audit entry for the whole load, with the counts.
    entry = AuditLog.objects.get(object_repr="demo people")
    assert entry.action == Action.IMPORT and entry.unit == county and entry.actor is None
    assert entry.detail == {"people": n, "events": PersonEvent.objects.count(),
                            "visits": len(visits), "needs": len(needs),
                            "job_seekers": len(jobs)}


def _people_line(out: str) -> str:
    """The demo's line about the people (new and in all), among every app's lines."""
    return next(line for line in out.splitlines() if len(_numbers(line)) == 2)


@pytest.mark.django_db
def test_loading_the_demo_again_adds_no_people(capsys):
    call_command("load_demo")
    counts = _counts()
    assert counts["Person"] > 0 and counts["Need"] > 0 and counts["Visit"] > 0
    capsys.readouterr()
    call_command("load_demo")
    assert _counts() == counts
    assert _numbers(_people_line(capsys.readouterr().out)) == [0, counts["Person"]]
    county = OrgUnit.objects.active().get(code=COUNTY_CODE)
    assert load_people_demo(county=county) == 0
    assert _counts() == counts


@pytest.mark.django_db
def test_the_people_demo_is_reproducible_and_fits_any_county(tree):
    def load():
        assert load_people_demo(county=tree.county, seed=7, per_village=(2, 3)) > 0
        return [(p.unit_id, p.grid_id, p.name, p.id_number, p.certificate_number,
                 p.registered_on) for p in Person.objects.order_by("pk")]

    first = load()
    assert 6 <= len(first) <= 9  # three villages, two or three people each
    assert {row[0] for row in first} == {tree.community.pk, tree.village.pk,
                                         tree.other_village.pk}
    assert all(row[1] == tree.grid.pk for row in first if row[0] == tree.community.pk)
    assert all(row[1] is None for row in first if row[0] != tree.community.pk)
    assert load_people_demo(county=tree.county, seed=7) == 0
    assert load_people_demo(county=tree.other_township, seed=7) == 0  # has people too

    for model in (JobSeeker, Need, Visit, PersonEvent, Person):
        model.objects.all().delete()
    assert load() == first


def test_the_demo_is_checked_with_the_registers_rules():
    import datetime as dt

    from people import demo
    from people.models import Person

    from .factories import make_id

    wrong = Person(id_number=make_id(birth=dt.date(1970, 5, 17)), gender="M",
                   birth_date=dt.date(1971, 1, 1), hukou="rural", status="active",
                   registered_on=dt.date(2020, 1, 1))
    with pytest.raises(ValueError, match="birth_date"):
        demo._check_with_the_rules([wrong], [], [], [], dt.date(2026, 1, 1))
