"""The change-password page in a real browser: reached from the header, accessible (axe),
fits a 360 px phone, and forced on a user given a temporary password."""

import pytest
from playwright.sync_api import expect

from accounts import services
from core.tests.browser import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_structure,
    login,
)

pytestmark = pytest.mark.browser

NEW = "Lanzhou-river-2026"
TEMPORARY = "Temp-pass-4417"


def _fill(page, old, new, again):
    form = page.locator("main form")
    form.locator("input[name=old_password]").fill(old)
    form.locator("input[name=new_password1]").fill(new)
    form.locator("input[name=new_password2]").fill(again)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_the_change_page_from_the_header_is_accessible(page, live_server, live_tree):
    user = live_tree.village_officer
    login(page, live_server, user)
    with page.expect_navigation():
        page.locator("header").get_by_role("link", name="修改密码").click()
    assert page.url.endswith("/accounts/password/")
    assert_structure(page)
    expect(page.locator("header a[aria-current=page]")).to_have_text("修改密码")
    for name, autocomplete in (("old_password", "current-password"),
                               ("new_password1", "new-password"),
                               ("new_password2", "new-password")):
        field = page.locator(f"main input[name={name}]")
        expect(field).to_have_attribute("autocomplete", autocomplete)
        assert page.locator(f'label[for="{field.get_attribute("id")}"]').count() == 1
    assert_accessible(page)

    # A wrong current password: the summary takes the focus, the page stays accessible.
    _fill(page, "wrong-password", NEW, NEW)
    expect(page.locator(".error-summary[role=alert]")).to_be_focused()
    expect(page.locator(".error-summary li")).to_have_count(1)
    assert_accessible(page)
    page.set_viewport_size({"width": 360, "height": 740})
    assert_no_horizontal_scroll(page)

    _fill(page, "canlian-test-pw-1", NEW, NEW)
    assert page.url == live_server.url + "/"
    expect(page.locator(".message--success")).to_be_visible()
    user.refresh_from_db()
    assert user.check_password(NEW)


def test_a_temporary_password_leads_to_the_change_page(page, live_server, live_tree):
    user = live_tree.village_officer
    services.password_set_temporary(actor=live_tree.county_admin, user=user,
                                    password=TEMPORARY)
    login(page, live_server, user, password=TEMPORARY)
    assert page.url.endswith("/accounts/password/")
    expect(page.locator("main .message--warning")).to_be_visible()
    assert_structure(page)
    assert_accessible(page)
    page.goto(f"{live_server.url}/people/")
    assert page.url.endswith("/accounts/password/")
    _fill(page, TEMPORARY, NEW, NEW)
    assert page.url == live_server.url + "/"
    page.goto(f"{live_server.url}/people/")
    assert page.url.endswith("/people/")
