"""The statistics overview in a real browser, on the register of conftest.py: it passes
axe (WCAG 2.1 AA and best practice), on a 360 px phone only its table scrolls sideways,
and the figures sit inside the screen."""

import pytest

from core.tests.browser import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_structure,
    goto,
    login,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [360, 1280])
def test_the_overview_is_accessible_at_every_width(make_page, live_server, live_people, width):
    t = live_people.tree
    page = make_page(viewport={"width": width, "height": 800})
    login(page, live_server, t.county_admin)
    goto(page, f"{live_server.url}/reports/overview/{t.county.pk}/")
    assert_structure(page)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    current = page.locator("nav.site-nav a[aria-current]")  # one, the overview's section
    assert current.count() == 1 and current.get_attribute("href") == "/reports/overview/"
    assert current.get_attribute("aria-current") == "true"
    paragraph = page.locator("#overview-paragraph").inner_text()
    assert paragraph.startswith("全县辖2个乡镇，4个行政村、1个社区，总人口50万人，残疾人16人")
    assert "城镇残疾人6人，占37.5%；农村残疾人10人，占62.5%。" in paragraph
    viewport = page.viewport_size["width"]
    for item in page.locator("main dl.key-figures").locator("dt, dd").all():
        box = item.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport


def test_a_row_leads_to_the_childs_overview_by_keyboard(make_page, live_server, live_people):
    t = live_people.tree
    page = make_page(viewport={"width": 360, "height": 740})
    login(page, live_server, t.county_admin)
    goto(page, f"{live_server.url}/reports/overview/{t.county.pk}/?as_of=2025-06-30")
    link = page.locator("table.overview tbody a", has_text="会师镇")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/reports/overview/{t.township.pk}/?as_of=2025-06-30")
    assert_structure(page)
    assert_accessible(page)
    assert "全镇辖2个行政村、1个社区" in page.locator("#overview-paragraph").inner_text()
