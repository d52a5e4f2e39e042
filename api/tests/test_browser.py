"""The API's pages in a real browser: the docs page (/api/v1/docs, rendered by the site's
own template, no script from elsewhere) and the tokens page, each checked by axe-core at
desk size and on a 360 px phone; a user makes a token by keyboard, sees it once, calls the
API with it, and revokes it."""

import json
import urllib.error
import urllib.request

import pytest

from core.tests.browser import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_structure,
    goto,
    login,
)
from people.tests.factories import make_person

pytestmark = pytest.mark.browser

SIZES = ({"width": 1280, "height": 900}, {"width": 360, "height": 740})


def _call(url, token):
    request = urllib.request.Request(  # noqa: S310 - the live test server, http only
        url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - test server
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_the_docs_and_tokens_pages_are_accessible(live_server, live_tree, make_page):
    for size in SIZES:
        page = make_page(viewport=size)
        login(page, live_server, live_tree.village_officer)
        goto(page, f"{live_server.url}/api/v1/docs")
        assert_structure(page)
        assert page.locator("h1").inner_text() == "API 接口"
        assert page.locator("code", has_text="/api/v1/people/{pk}/visits").count() >= 1
        assert_accessible(page)
        assert_no_horizontal_scroll(page)
        goto(page, f"{live_server.url}/accounts/tokens/")
        assert_structure(page)
        assert_accessible(page)
        assert_no_horizontal_scroll(page)


def test_make_a_token_by_keyboard_call_the_api_and_revoke_it(live_server, live_tree, make_page):
    make_person(unit=live_tree.community, name="键盘人")
    page = make_page(viewport={"width": 360, "height": 740})
    login(page, live_server, live_tree.village_officer)
    goto(page, f"{live_server.url}/accounts/tokens/")
    page.get_by_label("名称").focus()
    page.keyboard.type("手机")
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    token = page.locator("#token-value").input_value()
    assert token.startswith("cl_")
    assert_accessible(page)  # the page with the new token on it
    status, body = _call(f"{live_server.url}/api/v1/people", token)
    assert status == 200 and [p["name"] for p in body["items"]] == ["键盘人"]
    goto(page, f"{live_server.url}/accounts/tokens/")
    assert page.locator("#token-value").count() == 0  # shown once only
    page.get_by_role("button", name="吊销 手机").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("已吊销").count() >= 1
    status, body = _call(f"{live_server.url}/api/v1/people", token)
    assert status == 401 and body["detail"].startswith("请登录")
