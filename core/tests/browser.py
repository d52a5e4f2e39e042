"""Fixtures and helpers for the browser tests (``@pytest.mark.browser``).

Registered from the root conftest.py with ``pytest_plugins``. One Playwright chromium
(Debian's, never a downloaded one) is shared by the whole session; every test gets a
fresh context, so cookies and storage never leak between tests. A test fails when any of
its pages had a script error or a Content-Security-Policy violation (an inline script,
style or handler the site's policy refused).

    @pytest.mark.browser
    def test_something(page, live_server, live_tree):
        login(page, live_server, live_tree.county_admin)
        page.goto(live_server.url + "/orgs/")
        assert_accessible(page)
"""

import json
import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
# The UI is Chinese-first: the browser asks for Chinese, as the people using it do.
BROWSER_LOCALE = "zh-CN"
DEFAULT_TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, headless, for the whole session."""
    from playwright.sync_api import sync_playwright

    # Never let Playwright fetch a browser of its own.
    os.environ["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"] = "1"
    # Playwright's sync API keeps an event loop running in this thread from here on;
    # Django would refuse every ORM call in the tests (and in tests that run later in the
    # session) as "async unsafe". The tests are synchronous, so that is a false alarm.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# Every document the page loads reports each CSP violation on the console, so the harness
# hears of it even where the browser's own console message is not passed on. (An init
# script runs before the page's own and is not itself subject to the page's policy.)
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("Content Security Policy violation: " + event.violatedDirective
                + " blocked " + (event.blockedURI || "inline") + " at " + event.documentURI
                + (event.lineNumber ? ":" + event.lineNumber : "")
                + (event.sample ? " (" + event.sample + ")" : ""));
});
"""
CSP_MARK = "Content Security Policy"


def _on_console(page, message):
    if message.type == "error" and CSP_MARK in message.text:
        page.csp_violations.append(message.text)


def new_page(browser, **context_options):
    """A page in a new context (its own cookies), Chinese-speaking, collecting script errors
    (``page.js_errors``) and Content-Security-Policy violations (``page.csp_violations``)."""
    options = {"locale": BROWSER_LOCALE, "viewport": {"width": 1280, "height": 900}}
    options.update(context_options)
    context = browser.new_context(**options)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.js_errors = []
    page.csp_violations = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    page.on("console", lambda message: _on_console(page, message))
    return page


def assert_no_page_errors(pages):
    """Fail when any of ``pages`` had a script error or a CSP violation."""
    errors = [error for page in pages for error in page.js_errors]
    violations = [violation for page in pages for violation in page.csp_violations]
    assert not violations, (
        "Content-Security-Policy violations (inline script or style, or a resource from "
        f"elsewhere): {violations}"
    )
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def make_page(browser):
    """make_page(**context_options) for a test that needs another viewport or a second
    user; every context is closed at the end, and none may have had a script error or a
    Content-Security-Policy violation."""
    pages = []

    def make(**context_options):
        page = new_page(browser, **context_options)
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.context.close()
    assert_no_page_errors(pages)


@pytest.fixture
def page(make_page):
    return make_page()


@pytest.fixture
def live_tree(transactional_db):
    """The standard tree (conftest.build_tree) for tests that use ``live_server``.

    ``tree`` needs ``db`` (a transaction the server thread cannot see); this one commits.
    """
    from conftest import build_tree

    return build_tree()


def login(page, live_server, user, password=None):
    """Log ``user`` in through the real login form; returns the page it lands on."""
    if password is None:
        from accounts.tests.factories import PASSWORD

        password = PASSWORD
    page.goto(f"{live_server.url}/accounts/login/")
    form = page.locator("main form")
    form.locator("input[name=username]").fill(user.username)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "/accounts/login/" not in page.url, (
        f"logging in as {user.username} failed: still on {page.url}"
    )
    return page


def goto(page, url, status=200):
    """Open ``url`` and check the HTTP status of the response."""
    response = page.goto(url)
    assert response is not None, f"no response for {url}"
    assert response.status == status, f"{url}: HTTP {response.status}, expected {status}"
    return response


def assert_structure(page, logged_in=True):
    """One h1, the landmarks of the layout, a language on <html>, a title."""
    # A click on a link returns once the navigation has begun, not when the new page is
    # there: wait for it, or the count below may read the page in between (it did in CI).
    page.wait_for_load_state("load")
    assert page.locator("h1").count() == 1, f"{page.url}: expected exactly one <h1>"
    assert page.locator("h1").inner_text().strip(), f"{page.url}: the <h1> is empty"
    assert page.locator("html").get_attribute("lang"), f"{page.url}: <html> has no lang"
    assert page.title().strip(), f"{page.url}: no <title>"
    assert page.locator("body > header").count() == 1, f"{page.url}: no page header"
    assert page.locator("body > main#main").count() == 1, f"{page.url}: no <main id=main>"
    assert page.locator("body > footer").count() == 1, f"{page.url}: no page footer"
    nav = page.locator("header nav.site-nav")
    assert nav.count() == (1 if logged_in else 0), f"{page.url}: main navigation wrong"


def axe_violations(page):
    """Run axe-core on the page; the list of violations (possibly empty)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, not as a <script> tag: the site's CSP
        # refuses inline scripts, and must not be loosened for the tests.
        page.evaluate("() => {" + AXE_JS.read_text(encoding="utf-8") + "\n}")
        assert page.evaluate("typeof window.axe !== 'undefined'"), "axe-core did not load"
    return page.evaluate(
        """(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})
                      .then(results => results.violations.map(v => ({
                          id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                          nodes: v.nodes.map(n => ({target: n.target,
                                                    summary: n.failureSummary}))})))""",
        AXE_TAGS,
    )


def format_violations(violations):
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} [{violation['impact']}]: {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    at {json.dumps(node['target'], ensure_ascii=False)}")
            if node.get("summary"):
                for line in node["summary"].splitlines():
                    lines.append(f"      {line}")
    return "\n".join(lines)


def assert_accessible(page):
    """Fail with a readable list if axe finds any WCAG 2.1 A/AA or best-practice problem."""
    violations = axe_violations(page)
    assert not violations, (
        f"axe found {len(violations)} accessibility problem(s) on {page.url}:\n"
        + format_violations(violations)
    )


def assert_no_horizontal_scroll(page):
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth,"
        " client: document.documentElement.clientWidth, viewport: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["viewport"], (
        f"{page.url} scrolls sideways at {widths['viewport']} px: "
        f"content is {widths['scroll']} px wide"
    )
