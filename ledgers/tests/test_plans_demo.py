"""The demo of the work record book, meetings and plans (ledgers/demo_records.py) on the
standard tree: a year of records and meetings, plans for three units with 东山根社区's
practical thing unfulfilled; loading it twice adds nothing."""

import datetime as dt

from ledgers import demo, demo_records, records_selectors
from ledgers.models import AnnualPlan, Meeting, PlanFulfilment, WorkEntry


def test_the_records_demo(tree):
    assert "demo_records" in demo.PARTS
    today = dt.date(2026, 12, 1)
    line = demo_records.load(tree.county, today)
    assert "东山根社区" in line
    units = {tree.township.pk, tree.community.pk, tree.village.pk}
    assert set(WorkEntry.objects.values_list("unit", flat=True)) == units
    assert Meeting.objects.filter(unit=tree.township, kind="party_lecture").exists()
    assert WorkEntry.objects.filter(written_on__lt=today - dt.timedelta(days=300)).exists()
    old = WorkEntry.objects.order_by("written_on").first()
    assert old.created_at.date() == old.written_on  # written that day: locked now
    plans = AnnualPlan.objects.filter(year=2026)
    assert plans.count() == 3 and PlanFulfilment.objects.exists()
    status = {row.unit.pk: row for row in records_selectors.plan_status(
        user=tree.county_admin, year=2026, today=today)}
    assert status[tree.community.pk].flags.unfulfilled
    assert status[tree.township.pk].flags.all == []
    counts = (WorkEntry.objects.count(), Meeting.objects.count(), PlanFulfilment.objects.count())
    assert demo_records.load(tree.county, today) == ""
    assert (WorkEntry.objects.count(), Meeting.objects.count(),
            PlanFulfilment.objects.count()) == counts
