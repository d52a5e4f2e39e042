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


def test_the_demo_signs_agreements_and_leaves_one_quarter_uninspected(tree, client_for):
    from standards import agreements_rules as rules
    from standards.agreements_demo import load_agreements_demo
    from standards.agreements_selectors import missing_inspections
    from standards.models import Agreement, AgreementInspection

    today = timezone.localdate()
    count = load_agreements_demo(county=tree.county, today=today)
    # 会师镇 and 郭城驿镇, and 县民政局.
    assert count == 3
    assert Agreement.objects.filter(party_b__isnull=True, party_b_name="县民政局").count() == 1
    assert set(Agreement.objects.values_list("status", flat=True)) == {"signed"}
    due = rules.quarters_due(today.year, today)
    assert AgreementInspection.objects.count() == 3 * len(due) - (1 if due else 0)
    audited = AuditLog.objects.count()
    assert load_agreements_demo(county=tree.county, today=today) == count
    assert AuditLog.objects.count() == audited  # nothing written twice
    reminders = missing_inspections(user=tree.county_admin, today=today)
    if due:
        assert [(r.agreement.party_b, r.quarters) for r in reminders] == [
            (tree.township, (due[-1],))]
        page = client_for(tree.county_admin).get(reverse("home")).content.decode()
        assert reminders[0].agreement.get_absolute_url() in page
