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
