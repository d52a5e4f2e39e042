"""The home pages of a village liaison officer (on a phone, as they work) and of a county
administrator (at a desk), with a register holding visits, needs and a job seeker: axe passes
(best practice included) at 1280 and 360 px, nothing scrolls sideways, and a figure leads to
its list."""

import pytest
from playwright.sync_api import expect

from core.tests.browser import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_structure,
    login,
)
from people.models import JobSeeker, Need, Visit

from .test_home import build_home

pytestmark = pytest.mark.browser


@pytest.fixture
def live_home(live_tree):
    return build_home(live_tree)


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("who", ["village_officer", "county_admin"])
def test_home_page_is_accessible_and_fits(make_page, live_server, live_home, who, width):
    t = live_home.tree
    assert Visit.objects.filter(person=live_home.zhang).exists()
    assert Need.objects.filter(person=live_home.zhang).exists()
    assert JobSeeker.objects.filter(person=live_home.zhang).exists()
    page = make_page(viewport={"width": width, "height": 800})
    login(page, live_server, getattr(t, who))
    assert page.url == f"{live_server.url}/"
    assert_structure(page)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    figures = page.locator("main ul.figures a.figure")
    # The register's four figures and the letters and visits overdue (ledgers).
    expect(figures).to_have_count(5)
    for figure in figures.all():
        expect(figure).to_be_visible()
    if who == "village_officer":
        # The two things a liaison officer does most are the biggest targets on the page.
        for name in ("登记残疾人", "登记走访"):
            button = page.get_by_role("link", name=name, exact=True)
            box = button.bounding_box()
            assert box["height"] >= 48 and box["width"] >= 120, (name, box)
        expect(page.locator("main")).to_contain_text("张三")
        # The figure "due a visit" opens the list of exactly those people.
        due = page.locator("main a.figure", has_text="到期应走访")
        expect(due.locator(".figure__n")).to_have_text("1")
        with page.expect_navigation():
            due.click()
        assert "visit_due=on" in page.url
        expect(page.locator("main table tbody tr")).to_have_count(1)
        expect(page.locator("main table tbody")).to_contain_text("张三")
        assert_accessible(page)
    else:
        waiting = page.locator("section[aria-labelledby=waiting-heading]")
        expect(waiting).to_contain_text("赵六")
        expect(waiting).to_contain_text("残疾人台账.xlsx")
        # The lists behind "waiting for you", holding rows, pass axe too: the import list,
        # and the transfers page once the request is accepted (a row of "leaving").
        with page.expect_navigation():
            waiting.get_by_role("link", name="全部导入记录").click()
        expect(page.locator("main tbody tr", has_text="残疾人台账.xlsx")).to_have_count(1)
        assert_structure(page)
        assert_accessible(page)
        page.go_back()
        with page.expect_navigation():
            waiting.get_by_role("link", name="到转移页面作出决定").click()
        assert_accessible(page)
        with page.expect_navigation():
            page.get_by_role("button", name="同意赵六迁出", exact=True).click()
        leaving = page.locator("section[aria-labelledby=outgoing-heading] tbody tr")
        expect(leaving).to_have_count(1)
        assert_structure(page)
        assert_accessible(page)
