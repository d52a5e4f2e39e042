"""The summary table in a real browser: it passes axe, and on a 360 px phone the table
scrolls sideways inside its own region, by keyboard too, while the page does not."""

import pytest

from core.tests.browser import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_structure,
    goto,
    login,
)

pytestmark = pytest.mark.browser


def _wrap_widths(page):
    return page.evaluate(
        "() => { const w = document.querySelector('.table-wrap');"
        " return {scroll: w.scrollWidth, client: w.clientWidth, left: w.scrollLeft}; }"
    )


@pytest.mark.parametrize("width", [360, 1280])
def test_summary_is_accessible_and_only_the_table_scrolls(make_page, live_server, live_people,
                                                         width):
    t = live_people.tree
    page = make_page(viewport={"width": width, "height": 800})
    login(page, live_server, t.county_admin)
    goto(page, f"{live_server.url}/reports/summary/{t.county.pk}/")
    assert_structure(page)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    widths = _wrap_widths(page)
    assert widths["scroll"] > widths["client"], widths  # 52 columns never fit


def test_the_table_scrolls_from_the_keyboard(make_page, live_server, live_people):
    t = live_people.tree
    page = make_page(viewport={"width": 360, "height": 740})
    login(page, live_server, t.township_officer)
    goto(page, f"{live_server.url}/reports/summary/")
    region = page.locator(".table-wrap")
    region.focus()
    assert page.evaluate("() => document.activeElement.classList.contains('table-wrap')")
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.table-wrap').scrollLeft > 0")
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("width", [360, 1280])
def test_the_key_figures_are_read_without_scrolling_sideways(make_page, live_server,
                                                              live_people, width):
    t = live_people.tree
    page = make_page(viewport={"width": width, "height": 740})
    login(page, live_server, t.county_admin)
    goto(page, f"{live_server.url}/reports/summary/{t.county.pk}/")
    figures = page.locator("main dl.key-figures")
    figures.scroll_into_view_if_needed()
    viewport = page.viewport_size["width"]
    # Every figure — total, population, its share, urban and rural with their shares —
    # lies wholly inside the screen, with the page not scrolled sideways.
    assert page.evaluate("() => window.scrollX") == 0
    for item in figures.locator("dt, dd").all():
        box = item.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport, (
            item.inner_text(), box)
    text = figures.inner_text()
    assert "16" in text and "500000" in text
    assert "37.5%" in text and "62.5%" in text
    assert "0.00%" in text  # 16 of 500 000
    assert_no_horizontal_scroll(page)

    # The table scrolls inside its region; the unit names stay where they were.
    wrap = page.locator(".table-wrap")
    first = page.locator("table.summary tbody th[scope=row]").first
    before = first.bounding_box()["x"]
    wrap.evaluate("(e) => { e.scrollLeft = e.scrollWidth; }")
    page.wait_for_function("() => document.querySelector('.table-wrap').scrollLeft > 0")
    assert abs(first.bounding_box()["x"] - before) < 1
    assert_no_horizontal_scroll(page)


def test_the_table_is_read_as_of_a_day_typed_in(make_page, live_server, live_people):
    t = live_people.tree
    page = make_page(viewport={"width": 360, "height": 740})
    login(page, live_server, t.county_admin)
    goto(page, f"{live_server.url}/reports/summary/{t.county.pk}/")
    page.get_by_label("统计截止日期").fill("2019-12-31")
    with page.expect_navigation():
        page.get_by_label("统计截止日期").press("Enter")
    assert "as_of=2019-12-31" in page.url
    assert "2019-12-31" in page.locator("caption").inner_text()
    assert page.locator("tfoot th + td").first.inner_text().strip() == "0"  # before anyone
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
