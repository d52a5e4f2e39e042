"""The reform pages in a real browser, on the data of a district (orgs/tests/reforms.py):
axe at 1280 and 360 px on the reform's page, its preview (with its conflicts), its result,
a unit's history and the tree on a date; the merge form from the keyboard."""

import pytest
from playwright.sync_api import expect

from core.tests.browser import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_structure,
    goto,
    login,
)
from orgs import reform_services
from orgs.models import OperationKind, ReformOperation

from .reforms import build_district

pytestmark = pytest.mark.browser


@pytest.fixture
def district(transactional_db):
    return build_district("420205", "铁山区", [2, 2], people=2)


def _check(page, url):
    goto(page, url)
    assert_structure(page)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("width", [1280, 360])
def test_the_reform_pages_are_accessible(make_page, live_server, district, width):
    d = district
    reform = reform_services.reform_create(actor=d.admin, unit=d.district,
                                           title="撤销街道办事处、合并社区",
                                           document_number="黄铁发〔2010〕3号",
                                           effective_on=d.effective_on)
    one, two = d.communities[0], d.communities[1]
    merge = reform_services.operation_add(
        actor=d.admin, reform=reform, kind=OperationKind.MERGE,
        params={"sources": [one.pk, two.pk], "name": "新社区1", "parent": d.district.pk})
    reform_services.operations_abolish_level(actor=d.admin, reform=reform, level=4)
    page = make_page(viewport={"width": width, "height": 800})
    login(page, live_server, d.admin)
    base = live_server.url

    _check(page, f"{base}/orgs/reforms/{reform.pk}/")
    expect(page.locator("main ol.reform-operations > li")).to_have_count(1 + len(d.streets))
    _check(page, f"{base}/orgs/reforms/{reform.pk}/preview/")
    expect(page.locator("#conflicts-heading")).to_be_visible()
    expect(page.locator("main")).to_contain_text("主席")

    # Resolved (the second chair steps down) and applied: the result, the history, the
    # tree of the day before.
    second = next(a for a in d.chairs if a.post.unit_id == two.pk)
    reform_services.operation_update(actor=d.admin, operation=merge,
                                     params={**merge.params, "end_appointments": [second.pk]})
    _check(page, f"{base}/orgs/reforms/{reform.pk}/preview/")
    page.locator("input[name=checked]").check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url.endswith(f"/orgs/reforms/{reform.pk}/")
    assert_accessible(page)
    expect(page.locator("#result-heading")).to_be_visible()

    _check(page, f"{base}/orgs/units/{one.pk}/history/")
    expect(page.locator("main")).to_contain_text("新社区1")
    _check(page, f"{base}/orgs/units/{d.district.pk}/on/?on={d.day_before:%Y-%m-%d}")
    expect(page.locator("main")).to_contain_text(d.streets[0].name)
    _check(page, f"{base}/orgs/units/{one.pk}/")


def test_the_merge_form_from_the_keyboard(make_page, live_server, district):
    d = district
    reform = reform_services.reform_create(actor=d.admin, unit=d.district, title="合并社区",
                                           effective_on=d.effective_on)
    page = make_page(viewport={"width": 1280, "height": 800})
    login(page, live_server, d.admin)
    goto(page, f"{live_server.url}/orgs/reforms/{reform.pk}/operations/new/merge/")
    assert_accessible(page)

    page.locator("#id_sources").focus()
    page.keyboard.type(f"{d.communities[0].code}\n不存在的社区")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_name"
    page.keyboard.type("新社区1")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_code"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The bad line is reported; the summary lists it and links to the field.
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("第2行")
    expect(summary).to_contain_text("不存在的社区")
    assert_accessible(page)
    assert not ReformOperation.objects.exists()

    page.locator("#id_sources").fill("")
    page.locator("#id_sources").focus()
    page.keyboard.type(f"{d.communities[0].code}\n{d.communities[1].name}")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/orgs/reforms/{reform.pk}/")
    op = ReformOperation.objects.get()
    assert op.params["sources"] == [d.communities[0].pk, d.communities[1].pk]
    expect(page.locator("main ol.reform-operations")).to_contain_text("新社区1")
