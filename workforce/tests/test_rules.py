"""Every workforce rule with values built to meet it and to break it (pure: no database)."""

import datetime as dt

import pytest

from people.tests.factories import make_id
from workforce import rules
from workforce.choices import Connection, PostKind

TODAY = dt.date(2026, 12, 1)
GOOD_ID = make_id(seq=5)
WRONG_CHECK = GOOD_ID[:-1] + ("0" if GOOD_ID[-1] != "0" else "1")


def worker(**values):
    base = {"name": "李专委", "id_number": make_id(birth=dt.date(1980, 3, 1)),
            "connection": Connection.NONE}
    return rules.worker({**base, **values}, today=TODAY)


def test_a_good_worker_passes_and_the_id_gives_birth_date_and_gender():
    checked = worker(id_number=make_id(birth=dt.date(1980, 3, 1), male=False).lower())
    assert checked.ok
    assert checked.derived["birth_date"] == dt.date(1980, 3, 1)
    assert checked.derived["gender"] == "F"


@pytest.mark.parametrize("values, field", [
    ({"name": "  "}, "name"),
    ({"id_number": "62042219800301001"}, "id_number"),
    ({"id_number": WRONG_CHECK}, "id_number"),
    ({"connection": Connection.DISABLED, "has_person": False}, "connection"),
    ({"connection": Connection.RELATIVE, "has_person": False, "relation": "spouse"},
     "relative_id_number"),
    ({"connection": Connection.RELATIVE, "has_person": True, "relation": ""}, "relation"),
    ({"certificate_issued_on": dt.date(2020, 1, 1)}, "certificate_number"),
    ({"certificate_number": "Z1", "certificate_issued_on": dt.date(2020, 1, 1),
      "certificate_valid_until": dt.date(2019, 1, 1)}, "certificate_valid_until"),
    ({"certificate_number": "Z1", "certificate_issued_on": TODAY + dt.timedelta(days=1)},
     "certificate_issued_on"),
])
def test_each_broken_worker_rule_names_its_field(values, field):
    checked = worker(**values)
    assert field in checked.problems, checked.problems
    assert all(message for message in checked.problems.values())


def test_a_disabled_worker_or_a_relative_with_their_entries_passes():
    assert worker(connection=Connection.DISABLED, has_person=True).ok
    assert worker(connection=Connection.RELATIVE, has_person=True, relation="parent").ok


def test_only_disabled_people_and_relatives_count_as_tied():
    assert rules.is_tied(Connection.DISABLED) and rules.is_tied(Connection.RELATIVE)
    assert not rules.is_tied(Connection.NONE)


def test_certificate_states():
    assert rules.certificate_state(number="", valid_until=None, today=TODAY) == "missing"
    assert rules.certificate_state(number="A", valid_until=TODAY - dt.timedelta(days=1),
                                   today=TODAY) == "expired"
    assert rules.certificate_state(number="A", valid_until=TODAY, today=TODAY) == "valid"
    assert rules.certificate_state(number="A", valid_until=None, today=TODAY) == "valid"


@pytest.mark.parametrize("kind, level, field", [
    (PostKind.LIAISON, 6, "unit"),  # a grid has no posts
    (PostKind.LIAISON, 3, "kind"),  # a county has no liaison officer post
    (PostKind.STAFF, 5, "kind"),
])
def test_posts_exist_only_where_the_network_has_them(kind, level, field):
    assert field in rules.post(kind=kind, unit_level=level)


def test_posts_of_each_level_pass():
    assert rules.post(kind=PostKind.LIAISON, unit_level=5) == {}
    assert rules.post(kind=PostKind.CHAIR, unit_level=4) == {}
    assert rules.post(kind=PostKind.COUNSELLOR, unit_level=5) == {}


@pytest.mark.parametrize("values, field", [
    ({"starts_on": None}, "starts_on"),
    ({"term_ends_on": dt.date(2024, 1, 1)}, "term_ends_on"),
    ({"ended_on": dt.date(2023, 12, 31), "end_reason": "resigned"}, "ended_on"),
    ({"ended_on": TODAY + dt.timedelta(days=3), "end_reason": "resigned"}, "ended_on"),
    ({"ended_on": dt.date(2025, 1, 1)}, "end_reason"),
    ({"post_open": True}, "post"),
    ({"grid_parents": [(99, 6)]}, "grids"),  # another village's grid
    ({"grid_parents": [(7, 5)]}, "grids"),  # not a grid
])
def test_each_broken_appointment_rule_names_its_field(values, field):
    base = {"starts_on": dt.date(2024, 1, 1), "unit_id": 7}
    assert field in rules.appointment({**base, **values}, today=TODAY)


def test_a_good_appointment_with_its_own_grids_passes():
    assert rules.appointment({"starts_on": dt.date(2024, 1, 1),
                              "term_ends_on": dt.date(2027, 1, 1), "unit_id": 7,
                              "grid_parents": [(7, 6)]}, today=TODAY) == {}
    assert rules.end(starts_on=dt.date(2024, 1, 1), ended_on=TODAY, reason="term_over",
                     today=TODAY) == {}
    assert "ended_on" in rules.end(starts_on=dt.date(2024, 1, 1), ended_on=None,
                                   reason="term_over", today=TODAY)


def test_selection_conditions_are_warnings_by_age_and_schooling():
    born = dt.date(1970, 6, 1)
    assert rules.selection_warnings(birth_date=born, education="junior",
                                    hired_on=dt.date(2020, 5, 31), max_age=49,
                                    min_education="junior") == []
    too_old = rules.selection_warnings(birth_date=born, education="junior",
                                       hired_on=dt.date(2020, 6, 1), max_age=49,
                                       min_education="")
    assert len(too_old) == 1 and "50" in too_old[0]
    assert len(rules.selection_warnings(birth_date=born, education="primary",
                                        hired_on=dt.date(2010, 1, 1), max_age=None,
                                        min_education="junior")) == 1
    assert len(rules.selection_warnings(birth_date=born, education="", hired_on=TODAY,
                                        max_age=None, min_education="senior")) == 1
    assert rules.selection_warnings(birth_date=born, education="college", hired_on=TODAY,
                                    max_age=None, min_education="vocational") == []


@pytest.mark.parametrize("norm, people, certificates, expected", [
    (rules.Norm(1), 500, 500, (1, 1)),
    (rules.Norm(1, 100), 99, 99, (1, 1)),
    (rules.Norm(1, 100), 100, 0, (1, 2)),  # a second allowed
    (rules.Norm(1, 100, "people", True), 100, 0, (2, 2)),  # a second required
    (rules.Norm(1, 1500, "certificates", True), 3000, 1499, (1, 1)),
    (rules.Norm(1, 1500, "certificates", True), 1600, 1500, (2, 2)),
    (rules.Norm(0), 10, 10, (0, 0)),
])
def test_the_staffing_norm_counts_posts(norm, people, certificates, expected):
    assert rules.required_posts(norm, people=people, certificates=certificates) == expected


def test_days_vacant_and_quarters():
    assert rules.days_vacant(None, TODAY) is None
    assert rules.days_vacant(TODAY - dt.timedelta(days=12), TODAY) == 12
    assert rules.quarter_start(dt.date(2026, 12, 1)) == dt.date(2026, 10, 1)
    assert rules.quarter_start(dt.date(2026, 3, 31)) == dt.date(2026, 1, 1)
    assert rules.share(1, 4) == 0.25 and rules.share(1, 0) is None


def test_the_reports_norms_stand_where_no_row_says_otherwise():
    merged = rules.with_defaults({(None, 5, "liaison"): rules.Norm(2)})
    assert merged[(None, 5, "liaison")] == rules.Norm(2)  # the administrators' wins
    assert merged[(None, 4, "chair")] == rules.Norm(1)
    assert merged[(None, 4, "liaison")] == rules.Norm(1)
