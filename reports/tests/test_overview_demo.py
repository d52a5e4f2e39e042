"""The demo gives the network populations (orgs.demo.populations_fill), so the demo's
statistics overview sets its people against them; loading twice changes nothing."""

import pytest

from audit.models import AuditLog
from orgs.demo import populations_fill
from orgs.models import OrgUnit
from reports.overview_selectors import statistics_overview


@pytest.mark.django_db
def test_the_demo_populations_add_up_and_are_given_once(tree):
    t = tree
    assert populations_fill(t.county) == 6  # three villages, two townships, the county
    units = {u.pk: u for u in OrgUnit.objects.within(t.county)}
    community, village = units[t.community.pk], units[t.village.pk]
    other_village = units[t.other_village.pk]
    assert 1500 <= community.population <= 5000 and 900 <= village.population <= 2600
    assert units[t.township.pk].population == community.population + village.population
    assert units[t.other_township.pk].population == other_village.population
    county = units[t.county.pk]
    assert county.population == (community.population + village.population
                                 + other_village.population)
    audited = AuditLog.objects.count()
    assert populations_fill(t.county) == 0
    assert AuditLog.objects.count() == audited
    found = statistics_overview(user=t.county_admin, unit=t.county)
    assert found.total.population == county.population
    assert found.total.population_source == "own"
    assert [r.population is not None for r in found.rows] == [True, True]
