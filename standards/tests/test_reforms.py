"""The standards of a year before a reform are read by the tree of that year's end: the
communities that merged since are still there, under their street offices."""

import datetime as dt

import pytest
from django.utils import timezone

from orgs import reform_services
from orgs.models import OperationKind
from orgs.tests.reforms import build_district
from standards import selectors, services

pytestmark = pytest.mark.django_db


def test_last_years_attainment_is_read_by_last_years_tree():
    d = build_district("420205", "铁山区", [3, 1])
    year = timezone.localdate().year
    # The reform falls in this year (on 1 January at the earliest), so last year's end is
    # before it whatever today's date.
    d.effective_on = max(d.effective_on, dt.date(year, 1, 1))
    d.day_before = d.effective_on - dt.timedelta(days=1)
    services.defaults_ensure(year=year - 1)
    services.defaults_ensure(year=year)
    reform = reform_services.reform_create(actor=d.admin, unit=d.district, title="并",
                                           effective_on=d.effective_on)
    reform_services.operation_add(
        actor=d.admin, reform=reform, kind=OperationKind.MERGE,
        params={"sources": [d.communities[0].pk, d.communities[1].pk], "name": "新社区",
                "parent": d.district.pk, "end_appointments": [d.chairs[2].pk]})
    reform_services.reform_apply(actor=d.admin, reform=reform)

    def villages(year):
        found = selectors.attainment(user=d.admin, region=d.district, year=year)
        lines = next(a for a in found if a.level == 5).lines
        return {(line.unit.name, line.township) for line in lines}

    assert villages(year - 1) == {("社区1", "第1街道"), ("社区2", "第1街道"),
                                  ("社区3", "第1街道"), ("社区4", "第2街道")}
    assert villages(year) == {("新社区", "铁山区"), ("社区3", "第1街道"), ("社区4", "第2街道")}
