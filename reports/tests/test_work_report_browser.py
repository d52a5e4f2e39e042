"""The yearly work report's preview and its template's edit page in a real browser: axe
(WCAG 2.1 A/AA and best practice) at 1280 and 360 px on the register of
reports/tests/conftest.py, the page never scrolling sideways."""

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
def test_the_work_report_pages_are_accessible(make_page, live_server, live_people, width):
    t = live_people.tree
    services.summary_tables_freeze(actor=t.county_admin, unit=t.county, year=2025)
    page = make_page(viewport={"width": width, "height": 800})
    login(page, live_server, t.county_admin)
    goto(page, f"{live_server.url}/reports/work-report/?unit={t.county.pk}&year=2025")
    main = page.locator("main").inner_text()
    assert "登记在册残疾人" in main and "冻结数据" in main
    assert page.locator("article.document h3").first.inner_text().startswith("一、")
    current = page.locator("nav.site-nav a[aria-current]")
    assert current.count() == 1 and current.get_attribute("href") == "/reports/work-report/"
    assert_structure(page)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    goto(page, f"{live_server.url}/reports/work-report/{t.county.pk}/template/")
    assert page.locator("main form textarea").count() == 1
    assert current.count() == 1 and current.get_attribute("aria-current") == "true"
    page.fill("#id_body", "# 情况\n共有{残疾人数}人")
    page.click("main form button[type=submit]")
    assert "未知的占位符 {残疾人数}" in page.locator("main").inner_text()
    assert page.input_value("#id_body") == "# 情况\n共有{残疾人数}人"
    assert_structure(page)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
