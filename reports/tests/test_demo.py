"""The reports' demo on the standard tree: last year's figures frozen, once."""

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditLog
from core.models import Snapshot
from reports.demo import load_reports_demo

from .conftest import build_people


@pytest.mark.django_db
def test_the_demo_freezes_last_year_once(tree, client_for):
    build_people(tree)
    today = timezone.localdate()
    count = load_reports_demo(county=tree.county, today=today)
    kinds = set(Snapshot.objects.values_list("kind", flat=True))
    assert kinds == {"reports.summary", "standards.attainment"}
    assert count == Snapshot.objects.filter(year=today.year - 1).count() > 8
    audited = AuditLog.objects.count()
    assert load_reports_demo(county=tree.county, today=today) == count
    assert AuditLog.objects.count() == audited  # nothing written twice
    page = client_for(tree.leader).get(
        reverse("reports:summary_unit", args=[tree.county.pk]) + f"?year={today.year - 1}")
    assert "data-status--frozen" in page.content.decode()


@pytest.mark.django_db
def test_the_demo_villages_have_officers_with_phones_and_the_township_its_window(tree):
    """The workforce's and the organisations' demos give the public page and the cards
    something to show: most villages an officer with a phone, each township its window."""
    from orgs import demo as org_demo
    from reports import public_selectors
    from reports.demo import public_demo_line
    from workforce.demo import load_workforce_demo

    org_demo._profiles(tree.county)
    load_workforce_demo(county=tree.county)
    units = public_selectors.public_units_beneath(tree.township)
    staffed = [u for u in units if u.officers]
    assert staffed and all(o.phone for u in staffed for o in u.officers)
    assert all(u.window.address and u.window.phone and u.window.hours for u in units)
    assert "/public/620422100001/" in public_demo_line()

def test_the_demo_populations_give_the_dashboard_a_share(tree, client_for):
    from orgs.demo import populations_fill

    page = client_for(tree.leader).get(reverse("reports:dashboard_unit",
                                               args=[tree.county.pk]))
    assert page.status_code == 200 and page.context["board"].population_share is None
    assert populations_fill(tree.county) == 6
    page = client_for(tree.leader).get(reverse("reports:dashboard_unit",
                                               args=[tree.county.pk]))
    assert page.status_code == 200 and page.context["board"].population_share is not None
