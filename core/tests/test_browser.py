"""The browser harness itself: it must be able to fail."""

import pytest

from core.tests.browser import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_no_page_errors,
    assert_structure,
    axe_violations,
    new_page,
)

pytestmark = pytest.mark.browser

BAD_PAGE = """<!doctype html><html><head><title>x</title></head><body>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<input type="text" name="q">
<p style="color:#aaa;background:#fff">low contrast</p>
<div style="width:2000px">wide</div>
</body></html>"""


def test_axe_reports_what_is_wrong(page):
    page.set_content(BAD_PAGE)
    ids = {v["id"] for v in axe_violations(page)}
    assert {"image-alt", "label", "color-contrast", "html-has-lang"} <= ids
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    message = str(failure.value)
    assert "image-alt [critical]" in message
    assert '["img"]' in message


def test_the_layout_checks_fail_on_a_bare_page(page):
    page.set_content(BAD_PAGE)
    with pytest.raises(AssertionError, match="exactly one <h1>"):
        assert_structure(page)
    with pytest.raises(AssertionError, match="scrolls sideways"):
        assert_no_horizontal_scroll(page)


# Two regions of one name, and a heading level skipped: only best-practice rules catch these.
BEST_PRACTICE_PAGE = """<!doctype html><html lang="en"><head><title>x</title></head><body>
<main><h1>Title</h1>
<section aria-label="Needs"><p>one</p></section>
<section aria-label="Needs"><p>two</p></section>
<h4>Skipped a level</h4>
</main></body></html>"""


def test_axe_runs_the_best_practice_rules(page):
    page.set_content(BEST_PRACTICE_PAGE)
    ids = {v["id"] for v in axe_violations(page)}
    assert {"landmark-unique", "heading-order"} <= ids, ids


# ---- the Content-Security-Policy -----------------------------------------------------------

INLINE = ('<script>window.inlineRan = true;</script>'
          '<p style="color: red">styled</p>'
          '<button type="button" onclick="window.handlerRan = true">b</button>')


def _wait_for(condition, page, timeout_ms=3000):
    """Let the browser's events reach the harness until ``condition()`` holds."""
    waited = 0
    while not condition() and waited < timeout_ms:
        page.wait_for_timeout(50)
        waited += 50
    return condition()


def test_the_sites_policy_blocks_inline_code_and_the_harness_fails_the_test(browser,
                                                                           live_server):
    """A real page of the site, its Content-Security-Policy header as sent, with an inline
    script, style attribute and handler slipped into its HTML: the browser refuses all three
    and the harness turns the violations into a failure."""
    page = new_page(browser)
    try:
        def slip_in(route):
            response = route.fetch()
            assert "script-src 'self'" in response.headers["content-security-policy"]
            route.fulfill(response=response,
                          body=response.text().replace("</main>", INLINE + "</main>"))

        page.route("**/accounts/login/", slip_in)
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_role("button", name="b").click()
        assert _wait_for(lambda: len(page.csp_violations) >= 3, page), page.csp_violations
        assert page.evaluate("window.inlineRan") is None
        assert page.evaluate("window.handlerRan") is None
        text = " ".join(page.csp_violations)
        assert "script-src" in text and "style-src" in text, text
        with pytest.raises(AssertionError, match="Content-Security-Policy violations"):
            assert_no_page_errors([page])
    finally:
        page.context.close()


def test_a_page_of_the_site_as_it_is_has_no_violation(page, live_server):
    """The same page untouched: nothing to report (and the make_page fixture checks it)."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.wait_for_timeout(300)
    assert page.csp_violations == []
    assert_no_page_errors([page])
