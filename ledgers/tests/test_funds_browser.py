"""The funds pages in a real browser with real data — a township's office funds, its
spending, the county's transfer down to it and its own to a community — each checked by
axe-core (best-practice rules included) at desk size and on a 360 px phone; the totals
drill down from the county to the township by their links."""

import datetime as dt

import pytest
from django.utils import timezone

from core.actors import SYSTEM
from core.tests.browser import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_structure,
    goto,
    login,
)
from ledgers import funds_services as services

pytestmark = pytest.mark.browser


def _data(tree):
    day = dt.date(timezone.localdate().year, 1, 1)

    def entry(unit, flow, amount, kind="office", **more):
        return services.fund_entry_create(actor=SYSTEM, unit=unit, kind=kind, flow=flow,
                                          amount=amount, occurred_on=day, **more)

    entry(tree.county, "received", "300000", kind="security", summary="残保金分配",
          party="市残联")
    transfer = entry(tree.county, "transfer", "20000", kind="security",
                     counterpart=tree.township, summary="费随事转：辅助器具适配")
    entry(tree.township, "received", "9000", summary="年度办公经费", party="县财政局")
    entry(tree.township, "spent", "1200", summary="购置办公用品")
    entry(tree.township, "transfer", "5000", kind="security", counterpart=tree.community,
          summary="费随事转：入户走访")
    return transfer


def test_the_funds_pages_are_accessible(live_server, live_tree, make_page):
    tree = live_tree
    transfer = _data(tree)
    year = timezone.localdate().year
    pages = ["/ledgers/", "/ledgers/funds/", "/ledgers/funds/?flow=transfer&status=all",
             "/ledgers/funds/new/", f"/ledgers/funds/{transfer.pk}/",
             f"/ledgers/funds/{transfer.pk}/edit/", f"/ledgers/funds/{transfer.pk}/void/",
             "/ledgers/funds/totals/", f"/ledgers/funds/totals/{tree.township.pk}/?year={year}",
             f"/ledgers/funds/totals/?year={year}&kind=security", "/imports/?kind=funds"]
    for size in ({"width": 1280, "height": 900}, {"width": 360, "height": 740}):
        page = make_page(viewport=size)
        login(page, live_server, tree.county_admin)
        for url in pages:
            goto(page, live_server.url + url)
            assert_structure(page)
            assert_accessible(page)
            if size["width"] == 360:
                assert_no_horizontal_scroll(page)


def test_the_totals_drill_down_from_the_county(live_server, live_tree, make_page):
    tree = live_tree
    _data(tree)
    page = make_page(viewport={"width": 1280, "height": 900})
    login(page, live_server, tree.county_admin)
    goto(page, f"{live_server.url}/ledgers/funds/totals/")
    assert "307,800.00" in page.locator("tfoot").inner_text()
    page.get_by_role("link", name="会师镇").click()
    assert_structure(page)
    assert "会师镇" in page.locator("h1").inner_text()
    body = page.locator("tbody").inner_text()
    assert "东山根社区居民委员会" in body and "20,000.00" in body
    assert_accessible(page)
