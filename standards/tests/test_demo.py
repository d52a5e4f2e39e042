"""The standards' demo on the standard tree: the defaults, confirmations in 会师镇 and its
villages, the attainment page with items met and missing; loaded once."""

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditLog
from standards.demo import load_standards_demo
from standards.models import ItemConfirmation, Standard

pytestmark = pytest.mark.django_db


def test_the_demo_confirms_items_and_loads_once(tree, client_for):
    today = timezone.localdate()
    count = load_standards_demo(county=tree.county, today=today)
    # 会师镇: its rules; 高家庄村 and 东山根社区: the activity room and the rules.
    assert count == 5
    assert ItemConfirmation.objects.filter(unit=tree.township).count() == 1
    assert Standard.objects.filter(year=today.year, region=None).count() == 3
    audited = AuditLog.objects.count()
    assert load_standards_demo(county=tree.county, today=today) == count
    assert AuditLog.objects.count() == audited  # nothing written twice
    page = client_for(tree.county_admin).get(
        reverse("standards:unit", args=[tree.village.pk])).content.decode()
    assert "会师镇残联 王干事" in page  # a confirmed item, met
    assert reverse("standards:confirm", args=[tree.village.pk]) in page  # others to confirm
