"""The computed lists: vacancies (with the norms and their regions), exceptions, terms,
certificates, coverage and quotas — each with data built to meet the rule and to break it,
and in a number of queries that does not grow with the units or workers."""

import datetime as dt

from django.utils import timezone

from core.actors import SYSTEM
from orgs import services as org_services
from orgs.models import Level, OrgProfile
from people import services as people_services
from people.tests.factories import make_person
from workforce import selectors, services
from workforce.models import SelectionRule
from workforce.tests.factories import make_officer, make_worker


def vacant(user, **kwargs):
    return {(s.unit.pk, s.kind): s for s in selectors.vacancies(user=user, **kwargs)}


def test_every_township_and_village_needs_a_chair_and_a_liaison_officer(tree):
    lines = vacant(tree.county_admin)
    for unit in (tree.township, tree.other_township, tree.community, tree.village,
                 tree.other_village):
        assert (unit.pk, "chair") in lines and (unit.pk, "liaison") in lines
    assert not any(pk in (tree.county.pk, tree.grid.pk) for pk, _kind in lines)
    make_officer(unit=tree.community)
    make_officer(unit=tree.community, kind="chair")
    lines = vacant(tree.county_admin)
    assert (tree.community.pk, "liaison") not in lines
    assert (tree.community.pk, "chair") not in lines
    assert lines[(tree.village.pk, "liaison")].vacant_since is None  # never held


def test_days_vacant_count_from_the_last_appointment_ending(tree):
    appointment = make_officer(unit=tree.village)
    ended = timezone.localdate() - dt.timedelta(days=30)
    services.appointment_end(actor=SYSTEM, appointment=appointment, ended_on=ended,
                             reason="resigned")
    line = vacant(tree.county_admin)[(tree.village.pk, "liaison")]
    assert line.vacant_since == ended and line.days_vacant == 30


def test_a_regional_norm_asks_for_a_second_officer_where_there_are_enough_people(tree):
    make_officer(unit=tree.community)
    for i in range(3):
        make_person(unit=tree.community, name=f"人{i}")
    services.norm_create(actor=SYSTEM, unit=tree.township, level=5, kind="liaison",
                         extra_threshold=3, extra_required=True)
    line = vacant(tree.county_admin)[(tree.community.pk, "liaison")]
    assert (line.required, line.held, line.vacant) == (2, 1, 1)
    assert (tree.other_village.pk, "liaison") in vacant(tree.county_admin)  # the default
    other = vacant(tree.county_admin)[(tree.other_village.pk, "liaison")]
    assert other.required == 1


def test_a_vacancy_list_is_the_users_own_subtree(tree):
    lines = vacant(tree.township_officer)
    assert all(s.unit.path.startswith(tree.township.path) for s in lines.values())
    assert (tree.other_village.pk, "liaison") not in lines
    narrowed = vacant(tree.county_admin, unit=tree.other_township, kind="chair")
    assert set(narrowed) == {(tree.other_township.pk, "chair"),
                             (tree.other_village.pk, "chair")}


def test_liaison_officers_who_are_neither_disabled_nor_relatives_are_listed(tree):
    untied = make_officer(unit=tree.community, name="健全人")
    person = make_person(unit=tree.village, name="残疾人")
    tied = make_worker(unit=tree.village, name="残疾人", id_number=person.id_number,
                       connection="disabled")
    services.appoint(actor=SYSTEM, worker=tied, unit=tree.village, kind="liaison",
                     starts_on=dt.date(2024, 1, 1))
    chair = make_officer(unit=tree.village, kind="chair")  # chairs need not be
    found = list(selectors.untied_officers(user=tree.county_admin))
    assert found == [untied]
    assert chair not in found


def test_selection_conditions_warn_and_never_refuse(tree):
    SelectionRule.objects.create(unit=tree.county, kind="liaison", max_age_at_hiring=40,
                                 min_education="senior")
    old = make_officer(unit=tree.community, birth=dt.date(1970, 1, 1), education="senior",
                       starts_on=dt.date(2020, 1, 1))
    make_officer(unit=tree.village, birth=dt.date(1990, 1, 1), education="college",
                 starts_on=dt.date(2020, 1, 1))
    found = selectors.selection_exceptions(user=tree.county_admin)
    assert [a for a, _w in found] == [old]
    assert "40" in found[0][1][0]


def test_terms_ending_within_60_days_and_certificates(tree):
    today = timezone.localdate()
    soon = make_officer(unit=tree.community, term_ends_on=today + dt.timedelta(days=59),
                        certificate_number="Z-1", certificate_issued_on=dt.date(2020, 1, 1),
                        certificate_valid_until=today - dt.timedelta(days=1))
    make_officer(unit=tree.village, term_ends_on=today + dt.timedelta(days=61),
                 certificate_number="Z-2", certificate_issued_on=dt.date(2020, 1, 1),
                 certificate_valid_until=today + dt.timedelta(days=1))
    missing = make_officer(unit=tree.other_village)
    assert list(selectors.terms_ending(user=tree.county_admin)) == [soon]
    gaps = dict(selectors.certificate_gaps(user=tree.county_admin))
    assert gaps == {soon: "expired", missing: "missing"}


def test_coverage_counts_the_people_of_the_unit_or_of_the_grids(tree):
    today = timezone.localdate()
    in_grid = make_person(unit=tree.community, grid=tree.grid, name="网格内")
    make_person(unit=tree.community, name="网格外")
    people_services.visit_record(actor=SYSTEM, person=in_grid, visited_on=today,
                                 worker_name="李", mode="home")
    whole = make_officer(unit=tree.community)
    grid_only = make_officer(unit=tree.community)
    services.appointment_update(actor=SYSTEM, appointment=grid_only, grids=[tree.grid])
    rows = {r.appointment: r for r in selectors.officer_coverage(user=tree.county_admin)}
    assert (rows[whole].people, rows[whole].quarter, rows[whole].year) == (2, 1, 1)
    assert (rows[grid_only].people, rows[grid_only].quarter) == (1, 1)


def test_quotas_compare_the_approved_posts_with_the_staff_in_post(tree):
    OrgProfile.objects.update_or_create(unit=tree.county, defaults={
        "quota_administrative": 2, "quota_institutional": 1})
    for establishment in ("administrative", "institutional", "institutional"):
        worker = make_worker(unit=tree.county)
        post = services.post_create(actor=SYSTEM, unit=tree.county, kind="staff",
                                    establishment=establishment)
        services.appoint(actor=SYSTEM, worker=worker, post=post, starts_on=dt.date(2024, 1, 1))
    [line] = selectors.quotas(user=tree.county_admin)
    assert (line.administrative, line.institutional) == (1, 2)
    assert (line.administrative_state, line.institutional_state) == ("vacant", "over")


def _grow(tree, villages: int, start: int = 0) -> None:
    for i in range(start, start + villages):
        village = org_services.unit_create(actor=SYSTEM, parent=tree.township,
                                           level=Level.VILLAGE, code=f"620422100{300 + i:03d}",
                                           name=f"新村{i}")
        make_officer(unit=village)
        make_officer(unit=village, kind="chair")
        make_person(unit=village, name=f"村民{i}")


def test_the_computed_lists_take_queries_that_do_not_grow(tree, django_assert_max_num_queries):
    def read():
        lines = selectors.vacancies(user=tree.county_admin)
        selectors.vacancy_counts(lines, user=tree.county_admin, unit=None)
        list(selectors.untied_officers(user=tree.county_admin))
        selectors.selection_exceptions(user=tree.county_admin)
        list(selectors.terms_ending(user=tree.county_admin))
        selectors.certificate_gaps(user=tree.county_admin)
        selectors.officer_coverage(user=tree.county_admin)
        selectors.post_board(user=tree.county_admin, unit=tree.township)

    SelectionRule.objects.create(unit=tree.county, kind="liaison", max_age_at_hiring=40)
    _grow(tree, 2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        read()
    _grow(tree, 12, start=2)
    with django_assert_max_num_queries(len(small)):
        read()
