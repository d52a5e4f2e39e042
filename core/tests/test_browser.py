"""The browser harness itself: it must be able to fail."""

import pytest

from core.tests.browser import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_structure,
    axe_violations,
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
