"""The payroll pages in a real browser, with real data: the county administrator adds a
policy, runs March, checks the preview, confirms it and adds an adjustment; the community's
officer reads their own subsidy on their phone. axe-core checks every page on the way."""

import datetime as dt

import pytest

from core.tests.browser import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_structure,
    goto,
    login,
)
from workforce.models import PayrollRun
from workforce.tests.factories import make_officer, make_policy

pytestmark = pytest.mark.browser


def check(page):
    assert_structure(page)
    assert_accessible(page)


def test_a_payroll_from_policy_to_the_officers_own_file(live_server, live_tree, make_page):
    tree = live_tree
    mine = make_officer(unit=tree.community, name="马专委")
    mine.worker.bank_account = "6228480010000000017"
    mine.worker.user = tree.village_officer
    mine.worker.save(update_fields=["bank_cipher", "user"])
    make_officer(unit=tree.village, name="李专委", starts_on=dt.date(2024, 3, 16))
    make_policy(unit=tree.county, name="社区专职委员公益性岗位补贴", unit_kind="community")
    base = live_server.url

    page = make_page(viewport={"width": 1280, "height": 900})
    login(page, live_server, tree.county_admin)
    goto(page, f"{base}/workforce/policies/")
    check(page)
    goto(page, f"{base}/workforce/policies/new/")
    check(page)
    page.fill("#id_unit", "620422")
    page.fill("#id_name", "村专职委员误工补贴")
    page.select_option("#id_post_kind", "liaison")
    page.select_option("#id_unit_level", "5")
    page.select_option("#id_unit_kind", "village")
    page.select_option("#id_kind", "lost_work")
    page.select_option("#id_funding", "township")
    page.select_option("#id_cycle", "monthly")
    page.fill("#id_monthly_amount", "100")
    page.fill("#id_valid_from", "2014-01-01")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/workforce/policies/")
    check(page)
    assert "村专职委员误工补贴" in page.content()

    goto(page, f"{base}/workforce/payroll/new/")
    check(page)
    page.fill("#id_unit", "620422100")
    page.fill("#id_year", "2024")
    page.select_option("#id_month", "3")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/workforce/payroll/*/")
    check(page)
    text = page.content()
    assert "100×16/31" in text.replace(".00", "") and "51.61" in text  # 100 × 16 / 31
    run = PayrollRun.objects.get()
    goto(page, f"{base}/workforce/payroll/{run.pk}/confirm/")
    check(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/workforce/payroll/{run.pk}/")
    check(page)
    goto(page, f"{base}/workforce/payroll/{run.pk}/adjust/")
    check(page)
    page.fill("#id_id_number", mine.worker.id_number)
    page.fill("#id_amount", "5.00")
    page.fill("#id_reason", "补发三月尾差")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/workforce/payroll/{run.pk}/")
    check(page)
    goto(page, f"{base}/workforce/payroll/")
    check(page)

    phone = make_page(viewport={"width": 360, "height": 740})
    login(phone, live_server, tree.village_officer)
    goto(phone, f"{base}/workforce/workers/{mine.worker.pk}/")
    check(phone)
    assert_no_horizontal_scroll(phone)
    assert "补发三月尾差" in phone.content() and "200.00" in phone.content()
