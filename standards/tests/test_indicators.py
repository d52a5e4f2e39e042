"""Each computed indicator against data built to meet it and to miss it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from core.actors import SYSTEM
from ledgers import records_services
from people.tests.factories import make_person
from standards import indicators
from standards.tests.factories import officer, profile
from workforce import services as workforce_services
from workforce.tests.factories import make_policy

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def run(key, *units, year=YEAR):
    return indicators.evaluate(key, units, year)


def test_every_default_item_names_a_registered_indicator():
    from standards.defaults import DEFAULT_STANDARDS

    for _code, _name, level, items in DEFAULT_STANDARDS:
        for _text, key in items:
            if key:
                assert indicators.get(key) is not None, key
                assert level in indicators.get(key).levels, key


def test_organisation_plaque_office_and_funds_read_the_profile(tree):
    profile(tree.township, has_plaque=True, address="会师镇政府二楼",
            office_funds_per_year=Decimal("20000"))
    profile(tree.other_township, has_plaque=False)
    for key in ("organisation", "plaque", "office", "funds"):
        found = run(key, tree.township, tree.other_township, tree.village)
        assert found[tree.township.pk].met, key
        assert not found[tree.village.pk].met, key  # no profile at all
        assert found[tree.township.pk].url == f"/orgs/units/{tree.township.pk}/"
    assert run("organisation", tree.other_township)[tree.other_township.pk].met
    for key in ("plaque", "office", "funds"):
        assert not run(key, tree.other_township)[tree.other_township.pk].met, key
    assert run("office", tree.township)[tree.township.pk].text == "会师镇政府二楼"


def test_chair_appointed_needs_a_current_appointment_with_a_document(tree):
    officer(tree.township, kind="chair", document_number="会残联发〔2024〕3号", name="王理事")
    officer(tree.other_township, kind="chair", name="赵理事")
    found = run("chair_appointed", tree.township, tree.other_township, tree.village)
    assert found[tree.township.pk].met
    assert "会残联发〔2024〕3号" in found[tree.township.pk].text
    assert not found[tree.other_township.pk].met  # no document
    assert not found[tree.village.pk].met  # nobody


def test_an_ended_chair_does_not_count(tree):
    appointment = officer(tree.township, kind="chair", document_number="文号1")
    workforce_services.appointment_end(actor=SYSTEM, appointment=appointment,
                                       ended_on=timezone.localdate() - dt.timedelta(days=1),
                                       reason="moved")
    assert not run("chair_appointed", tree.township)[tree.township.pk].met


def test_liaison_officers_count_the_unit_and_beneath(tree):
    officer(tree.village)
    found = run("liaison_officers", tree.township, tree.village, tree.community,
                tree.other_township)
    assert found[tree.village.pk].met
    assert found[tree.township.pk].met  # its village's officer is on its roster
    assert not found[tree.community.pk].met
    assert not found[tree.other_township.pk].met
    assert found[tree.township.pk].text == "在岗专职委员1名"


def test_people_data_counts_active_people_in_the_subtree(tree):
    make_person(unit=tree.village, name="张有")
    gone = make_person(unit=tree.other_village, name="李无")
    from people import services as people_services

    people_services.person_set_status(actor=SYSTEM, person=gone, status="deceased",
                                      on=timezone.localdate())
    found = run("people_data", tree.township, tree.village, tree.community,
                tree.other_township)
    assert found[tree.village.pk].met and found[tree.township.pk].met
    assert not found[tree.community.pk].met
    assert not found[tree.other_township.pk].met  # the only person is no longer active
    assert found[tree.village.pk].url.endswith(f"?unit={tree.village.pk}")


def test_subsidy_needs_a_policy_covering_the_liaison_officer(tree):
    officer(tree.village)
    officer(tree.other_village, name="郭专委")
    make_policy(unit=tree.township)  # covers the villages of 会师镇 only
    officer(tree.community, name="社区专委")
    found = run("subsidy", tree.village, tree.other_village, tree.community)
    assert found[tree.village.pk].met
    assert found[tree.community.pk].met
    assert not found[tree.other_village.pk].met
    assert "200" in found[tree.village.pk].text


def test_subsidy_is_missed_without_an_officer_or_with_an_ended_policy(tree):
    make_policy(unit=tree.county, valid_from=dt.date(2020, 1, 1),
                valid_to=dt.date(YEAR - 1, 12, 31))
    officer(tree.village)
    found = run("subsidy", tree.village, tree.community)
    assert not found[tree.village.pk].met  # the policy ended last year
    assert not found[tree.community.pk].met  # no officer
    assert found[tree.community.pk].text != found[tree.village.pk].text


def test_annual_plan_is_the_plan_of_the_year(tree):
    plan = records_services.plan_create(actor=SYSTEM, unit=tree.township, year=YEAR)
    records_services.plan_create(actor=SYSTEM, unit=tree.village, year=YEAR - 1)
    found = run("annual_plan", tree.township, tree.village)
    assert found[tree.township.pk].met
    assert found[tree.township.pk].url == plan.get_absolute_url()
    assert not found[tree.village.pk].met


def test_archive_is_ledger_entries_of_the_year(tree):
    today = timezone.localdate()
    records_services.work_entry_create(actor=SYSTEM, unit=tree.village, written_on=today,
                                       subject="走访", content="走访记录")
    found = run("archive", tree.village, tree.community)
    assert found[tree.village.pk].met
    assert not found[tree.community.pk].met
    assert not run("archive", tree.village, year=YEAR - 1)[tree.village.pk].met


def test_the_county_shares_list_the_missing_units(tree):
    for unit in (tree.township, tree.other_township, tree.village, tree.community):
        profile(unit)
    officer(tree.township)
    officer(tree.other_township, name="郭专委")
    found = indicators.coverage([tree.county], timezone.localdate())[tree.county.pk]
    assert found.townships.complete
    assert found.villages.missing == [tree.other_village]
    assert found.villages.percent == 67
    assert set(found.liaison.missing) == {tree.village, tree.community, tree.other_village}
    evidence = run("township_dpf_share", tree.county)[tree.county.pk]
    assert evidence.met and evidence.url.endswith("#townships")
    assert not run("village_association_share", tree.county)[tree.county.pk].met
    profile(tree.other_village)
    assert run("village_association_share", tree.county)[tree.county.pk].met
    assert not run("liaison_share", tree.county)[tree.county.pk].met


def test_an_unknown_indicator_is_not_met(tree):
    assert not run("no_such_thing", tree.village)[tree.village.pk].met
