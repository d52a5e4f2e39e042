"""The dashboard in a real browser with real data (the register of conftest.py and the work
of test_dashboard.py): it passes axe (best practices included) on a phone and a desktop,
the page never scrolls sideways, each chart is an image named by its numbers, and a figure
leads to its list showing the same number."""

import pytest

from core.tests.browser import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_structure,
    goto,
    login,
)

from .test_dashboard import build_work

pytestmark = pytest.mark.browser


@pytest.fixture
def live_work(live_people):
    return build_work(live_people)


@pytest.mark.parametrize("width", [360, 1280])
def test_the_dashboard_is_accessible_at_every_width(make_page, live_server, live_work, width):
    t = live_work.tree
    page = make_page(viewport={"width": width, "height": 800})
    login(page, live_server, t.county_admin)
    goto(page, f"{live_server.url}/reports/dashboard/{t.township.pk}/")
    assert_structure(page)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    charts = page.locator("main svg.chart[role=img]")
    assert charts.count() >= 8
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, box


def test_a_figure_leads_to_its_list(make_page, live_server, live_work):
    t = live_work.tree
    page = make_page(viewport={"width": 1280, "height": 800})
    login(page, live_server, t.township_officer)
    goto(page, f"{live_server.url}/reports/dashboard/")
    link = page.locator("main table.dash-table a", has_text="3").first  # 肢体: 3
    href = link.get_attribute("href")
    assert "category=4" in href
    with page.expect_navigation():
        link.click()
    assert "category=4" in page.url
    assert page.locator("main table tbody tr").count() == 3
