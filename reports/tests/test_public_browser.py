"""The public pages in a real browser, without logging in: the search, its results and a
village's page pass axe (WCAG 2.1 AA and best practice), at 360 px too without sideways
scrolling; the search works from the keyboard; the language link switches to English."""

import pytest

from core.actors import SYSTEM
from core.tests.browser import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_structure,
    goto,
)
from orgs import services as org_services
from workforce.tests.factories import make_officer

pytestmark = pytest.mark.browser


@pytest.fixture
def live_public(live_tree):
    t = live_tree
    make_officer(unit=t.community, name="李春梅", phone="13909431234")
    org_services.profile_update(actor=SYSTEM, unit=t.township, address="会师镇人民政府院内",
                                phone="0943-3228866", service_hours="周一至周五 9:00-17:00")
    return t


@pytest.mark.parametrize("width", [360, 1280])
def test_search_results_and_village_page_are_accessible(make_page, live_server, live_public,
                                                        width):
    page = make_page(viewport={"width": width, "height": 800})
    for path in ("/public/", "/public/?q=dsg", "/public/620422100001/",
                 "/public/620422100200/", "/public/?q=没有这个村"):
        goto(page, f"{live_server.url}{path}")
        assert_structure(page, logged_in=False)
        assert_accessible(page)
        assert_no_horizontal_scroll(page)
    goto(page, f"{live_server.url}/public/999999999999/", status=404)
    assert_structure(page, logged_in=False)
    assert_accessible(page)


def test_the_search_from_the_keyboard_and_in_english(make_page, live_server, live_public):
    page = make_page(viewport={"width": 360, "height": 740})
    goto(page, f"{live_server.url}/public/")
    search = page.get_by_label("您所在村（社区）的名称、拼音或区划代码")
    search.fill("dongshan")
    with page.expect_navigation():
        search.press("Enter")
    page.get_by_role("link", name="东山根社区居民委员会").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "东山根社区居民委员会"
    assert page.get_by_role("link", name="13909431234").count() == 1
    with page.expect_navigation():
        page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Liaison officer for disabled people").count() == 1
    with page.expect_navigation():
        page.get_by_role("link", name="Search again").click()
    assert page.url.endswith("/public/?lang=en")


def test_the_village_page_reads_at_200_percent_text(make_page, live_server, live_public):
    page = make_page(viewport={"width": 640, "height": 800}, device_scale_factor=2)
    goto(page, f"{live_server.url}/public/620422100001/")
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    assert_no_horizontal_scroll(page)
