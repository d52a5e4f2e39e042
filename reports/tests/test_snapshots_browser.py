"""A frozen summary table and the list of frozen sets in a real browser: axe at 1280 and
360 px, the statement "frozen, as of when" on the page, the page never scrolling sideways."""

import pytest

from core.tests.browser import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_structure,
    goto,
    login,
)
from reports import services

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [360, 1280])
def test_a_frozen_summary_table_is_accessible(make_page, live_server, live_people, width):
    t = live_people.tree
    services.summary_tables_freeze(actor=t.county_admin, unit=t.county, year=2025,
                                   note="2025年年报")
    page = make_page(viewport={"width": width, "height": 800})
    login(page, live_server, t.county_admin)
    goto(page, f"{live_server.url}/reports/summary/{t.county.pk}/?year=2025")
    status = page.locator("#data-status")
    assert "冻结数据" in status.inner_text() and "2025年12月31日" in status.inner_text()
    assert page.locator("table.summary tbody th[scope=row]").count() == 2
    assert_structure(page)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    goto(page, f"{live_server.url}/reports/frozen/{t.county.pk}/")
    assert "2025年年报" in page.locator("main").inner_text()
    assert_structure(page)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    goto(page, f"{live_server.url}/reports/summary/{t.county.pk}/freeze/?year=2025")
    assert page.locator("main form textarea").count() == 1
    assert_structure(page)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
