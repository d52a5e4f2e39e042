"""The work record book's, the meetings' and the annual plans' pages in a real browser with
real data (the demo's year for 会师镇), each checked by axe-core (best-practice rules
included) at desk size and on a 360 px phone; a village officer writes a record on a phone
by keyboard."""

import pytest
from django.utils import timezone

from core.tests.browser import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_structure,
    goto,
    login,
)
from ledgers import demo_records
from ledgers.models import AnnualPlan, Meeting, WorkEntry
from workforce.tests.factories import make_worker

pytestmark = pytest.mark.browser


def check(page, phone=False):
    assert_structure(page)
    assert_accessible(page)
    if phone:
        assert_no_horizontal_scroll(page)


def test_every_records_page_is_accessible(live_server, live_tree, make_page):
    tree = live_tree
    make_worker(unit=tree.community, name="马专委")
    demo_records.load(tree.county, timezone.localdate())
    entry = WorkEntry.objects.filter(unit=tree.community).order_by("written_on").first()
    fresh = WorkEntry.objects.filter(unit=tree.community).order_by("-written_on").first()
    meeting = Meeting.objects.filter(unit=tree.community).first()
    plan = AnnualPlan.objects.get(unit=tree.community)
    item = plan.items.first()
    pages = ["/ledgers/workbook/", "/ledgers/workbook/?q=走访&year=2026",
             f"/ledgers/workbook/{entry.pk}/", f"/ledgers/workbook/{entry.pk}/edit/",
             f"/ledgers/workbook/{fresh.pk}/edit/", f"/ledgers/workbook/{entry.pk}/note/",
             "/ledgers/workbook/new/",
             "/ledgers/meetings/", "/ledgers/meetings/?kind=work",
             f"/ledgers/meetings/{meeting.pk}/", f"/ledgers/meetings/{meeting.pk}/edit/",
             f"/ledgers/meetings/{meeting.pk}/attendance/",
             "/ledgers/meetings/new/",
             "/ledgers/plans/", "/ledgers/plans/?flag=unfulfilled", "/ledgers/plans/status/",
             f"/ledgers/plans/{plan.pk}/", f"/ledgers/plans/{plan.pk}/edit/",
             f"/ledgers/plans/{plan.pk}/items/new/", f"/ledgers/plan-items/{item.pk}/",
             f"/ledgers/plan-items/{item.pk}/fulfil/?ledger=meetings", "/ledgers/plans/new/",
             "/imports/?kind=workbook", "/imports/?kind=meetings"]
    base = live_server.url
    for size in ({"width": 1280, "height": 900}, {"width": 360, "height": 740}):
        page = make_page(viewport=size)
        login(page, live_server, tree.county_admin if size["width"] > 360
              else tree.village_officer)
        for url in pages:
            goto(page, base + url)
            check(page, phone=size["width"] == 360)


def test_a_village_officer_writes_a_record_on_a_phone(live_server, live_tree, make_page):
    tree = live_tree
    page = make_page(viewport={"width": 360, "height": 740})
    login(page, live_server, tree.village_officer)
    goto(page, f"{live_server.url}/ledgers/workbook/new/")
    page.locator("#id_subject").focus()
    page.keyboard.type("走访")
    page.locator("#id_content").focus()
    page.keyboard.type("走访了王桂兰家，登记康复需求。")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    check(page, phone=True)
    entry = WorkEntry.objects.get()
    assert entry.unit == tree.community and entry.written_on == timezone.localdate()
    assert page.get_by_text("走访了王桂兰家").count() == 1
