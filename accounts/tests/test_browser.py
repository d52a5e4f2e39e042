"""Logging in, the user and audit pages, and the page layout (skip link, language switch)
in a real browser: every page each role can reach passes axe (WCAG 2.1 A/AA and best
practice)."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from audit.models import AuditLog
from core.tests.browser import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_structure,
    goto,
    login,
)

pytestmark = pytest.mark.browser


def test_login_page_is_accessible_logged_out(page, live_server, live_tree):
    goto(page, f"{live_server.url}/accounts/login/")
    assert_structure(page, logged_in=False)
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    form = page.locator("main form")
    for name, autocomplete in (("username", "username"), ("password", "current-password")):
        field = form.locator(f"input[name={name}]")
        expect(field).to_have_attribute("autocomplete", autocomplete)
        assert page.locator(f'label[for="{field.get_attribute("id")}"]').count() == 1
    assert_accessible(page)

    # A wrong password: the error is announced, the username kept, still accessible.
    form.locator("input[name=username]").fill(live_tree.county_admin.username)
    form.locator("input[name=password]").fill("not-the-password")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "/accounts/login/" in page.url
    assert_structure(page, logged_in=False)
    expect(page.locator(".error-summary[role=alert] li")).to_have_count(1)
    expect(form.locator("input[name=username]")).to_have_value(live_tree.county_admin.username)
    expect(form.locator("input[name=password]")).to_have_value("")
    assert_accessible(page)

    # At 360 px the login page fits.
    page.set_viewport_size({"width": 360, "height": 740})
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize(
    ("role", "lands_on"),
    [
        ("county_admin", "/"),
        ("township_officer", "/"),
        ("village_officer", "/"),
        ("leader", "/"),
        ("auditor", "/accounts/audit/"),
    ],
)
def test_logging_in_lands_where_the_roles_work_starts(page, live_server, live_tree, role,
                                                      lands_on):
    login(page, live_server, getattr(live_tree, role))
    assert page.url == f"{live_server.url}{lands_on}"
    assert_structure(page)
    # Logging out again, from the button in the header.
    with page.expect_navigation():
        page.locator("header form.logout button[type=submit]").click()
    assert "/accounts/login/" in page.url
    assert_structure(page, logged_in=False)


def test_a_page_asks_for_login_and_returns_there(page, live_server, live_tree):
    t = live_tree
    goto(page, f"{live_server.url}/accounts/users/")
    assert page.url == f"{live_server.url}/accounts/login/?next=/accounts/users/"
    form = page.locator("main form")
    form.locator("input[name=username]").fill(t.county_admin.username)
    form.locator("input[name=password]").fill(t.password)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.url == f"{live_server.url}/accounts/users/"


# The account pages each role can open. "user" is the tree attribute of a user shown.
ACCOUNT_PAGES = {
    "county_admin": ["users", ("user", "township_officer"), ("user", "county_admin"),
                     "users/new", "audit"],
    "township_officer": ["users", ("user", "township_officer"), ("user", "village_officer")],
    "village_officer": [],
    "leader": ["users", ("user", "village_officer")],
    "auditor": ["audit"],
}
ACCOUNT_FORBIDDEN = {
    "county_admin": [],
    "township_officer": ["users/new", "audit", ("user", "other_officer", 404)],
    "village_officer": ["users", "users/new", "audit"],
    "leader": ["users/new", "audit"],
    "auditor": ["users", "users/new"],
}


def account_url(live_server, tree, spec):
    if isinstance(spec, tuple):
        return f"{live_server.url}/accounts/users/{getattr(tree, spec[1]).pk}/"
    return f"{live_server.url}/accounts/{spec}/"


@pytest.mark.parametrize("role", sorted(ACCOUNT_PAGES))
def test_every_account_page_of_each_role_passes_axe(page, live_server, live_tree, role):
    t = live_tree
    user = getattr(t, role)
    login(page, live_server, user)
    # The navigation offers exactly the account pages the role may open.
    nav = {page.locator("nav.site-nav a").nth(i).get_attribute("href")
           for i in range(page.locator("nav.site-nav a").count())}
    assert ("/accounts/users/" in nav) == ("users" in ACCOUNT_PAGES[role])
    assert ("/accounts/audit/" in nav) == ("audit" in ACCOUNT_PAGES[role])

    for spec in ACCOUNT_PAGES[role]:
        goto(page, account_url(live_server, t, spec))
        assert_structure(page)
        if spec == "users":
            visible = User.objects.visible_to(user).count()
            expect(page.locator("main table tbody tr")).to_have_count(visible)
        if isinstance(spec, tuple):
            expect(page.locator("main dl.facts")).to_contain_text(getattr(t, spec[1]).username)
        assert_accessible(page)

        if spec == "users/new":
            # Submitted empty: every error is shown, tied to its field, and accessible.
            with page.expect_navigation():
                page.locator("main form button[type=submit]").click()
            assert_structure(page)
            summary = page.locator(".error-summary")
            expect(summary).to_be_focused()
            for name in ("username", "unit", "role", "password1", "password2"):
                field = page.locator(f"main form #id_{name}")
                expect(field).to_have_attribute("aria-invalid", "true")
                expect(summary.locator(f'a[href="#id_{name}"]')).to_have_count(1)
                expect(page.locator(f"#id_{name}_error")).to_be_visible()
            assert_accessible(page)

        if spec == "audit":
            page_filtered_by_action(page, live_server, user)


def page_filtered_by_action(page, live_server, user):
    """Filter the audit log to log-ins: the filter stays set, the rows are the log-ins."""
    form = page.locator("main form.filter-bar")
    form.locator("select[name=action]").select_option("login")
    form.locator("input[name=actor]").fill(user.username)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "action=login" in page.url and f"actor={user.username}" in page.url
    assert_structure(page)
    expect(form.locator("select[name=action]")).to_have_value("login")
    expect(form.locator("input[name=actor]")).to_have_value(user.username)
    logins = AuditLog.objects.filter(action="login", actor_name=user.username).count()
    assert logins >= 1
    expect(page.locator("main table tbody tr")).to_have_count(logins)
    assert_accessible(page)

    # A filter that matches nothing still gives an accessible (empty) table.
    form.locator("input[name=actor]").fill("nobody-at-all")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("main table tbody tr")).to_have_count(1)
    expect(page.locator("main table tbody td[colspan]")).to_have_count(1)
    assert_accessible(page)


@pytest.mark.parametrize("role", sorted(r for r, pages in ACCOUNT_FORBIDDEN.items() if pages))
def test_account_pages_a_role_cannot_reach_are_refused(page, live_server, live_tree, role):
    t = live_tree
    login(page, live_server, getattr(t, role))
    for spec in ACCOUNT_FORBIDDEN[role]:
        status = spec[2] if isinstance(spec, tuple) else 403
        goto(page, account_url(live_server, t, spec), status=status)
        assert_structure(page)
        assert page.locator("main table").count() == 0
        assert page.locator("main form").count() == 0


def test_user_form_with_an_error_keeps_what_was_typed(page, live_server, live_tree):
    t = live_tree
    login(page, live_server, t.county_admin)
    goto(page, f"{live_server.url}/accounts/users/new/")
    form = page.locator("main form")
    form.locator("input[name=username]").fill("new_officer")
    form.locator("input[name=full_name]").fill("王小明")
    form.locator("input[name=phone]").fill("0943-1234567")
    # The unit by its code, typed and not chosen from the list: the server reads it.
    form.locator("input[name=unit_text]").fill(t.other_township.code)
    form.locator("select[name=role]").select_option("township_officer")
    form.locator("input[name=password1]").fill("a-long-pass-phrase-1")
    form.locator("input[name=password2]").fill("a-long-pass-phrase-2")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.url == f"{live_server.url}/accounts/users/new/"
    assert_structure(page)
    expect(form.locator("input[name=username]")).to_have_value("new_officer")
    expect(form.locator("input[name=full_name]")).to_have_value("王小明")
    expect(form.locator("input[name=phone]")).to_have_value("0943-1234567")
    expect(form.locator("input[name=unit_text]")).to_have_value(t.other_township.code)
    expect(form.locator("select[name=role]")).to_have_value("township_officer")
    # Passwords are never sent back.
    expect(form.locator("input[name=password1]")).to_have_value("")
    password2 = form.locator("input[name=password2]")
    expect(password2).to_have_attribute("aria-invalid", "true")
    assert "id_password2_error" in password2.get_attribute("aria-describedby").split()
    expect(page.locator(".error-summary li")).to_have_count(1)
    assert not User.objects.filter(username="new_officer").exists()
    assert_accessible(page)

    # Corrected, the user is created and shown.
    form.locator("input[name=password1]").fill("a-long-pass-phrase-1")
    password2.fill("a-long-pass-phrase-1")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    created = User.objects.get(username="new_officer")
    assert page.url == f"{live_server.url}/accounts/users/{created.pk}/"
    assert created.unit == t.other_township and created.full_name == "王小明"
    assert_structure(page)
    expect(page.locator(".messages[role=status] .message")).to_have_count(1)
    assert_accessible(page)


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_main(page, live_server, live_tree):
    login(page, live_server, live_tree.county_admin)
    for url in (f"{live_server.url}/orgs/", f"{live_server.url}/accounts/users/"):
        goto(page, url)
        skip = page.locator("a.skip-link")
        expect(skip).to_have_attribute("href", "#main")
        expect(skip).not_to_be_in_viewport()  # out of sight until it has the focus
        page.keyboard.press("Tab")
        expect(skip).to_be_focused()
        expect(skip).to_be_in_viewport()  # and in sight when it has
        page.keyboard.press("Enter")
        expect(page.locator("main#main")).to_be_focused()
        # The next Tab goes into the page's content, not back to the header.
        page.keyboard.press("Tab")
        assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


@pytest.mark.parametrize(
    ("path", "kinds"),
    [
        ("/accounts/users/new/", {"A", "SELECT", "BUTTON", "INPUT text", "INPUT password"}),
        ("/orgs/units/{county}/edit/", {"INPUT date", "INPUT checkbox", "SELECT"}),
        ("/orgs/units/{community}/grids/new/", {"INPUT number", "TEXTAREA"}),
        ("/imports/?kind=divisions", {"INPUT file", "SELECT"}),
        ("/orgs/", {"BUTTON button", "INPUT text", "A"}),
    ],
)
def test_focus_is_visible_on_every_kind_of_control(page, live_server, live_tree, path, kinds):
    """Each control reached with Tab draws a thick outline, and Tab reaches them all."""
    login(page, live_server, live_tree.county_admin)
    goto(page, live_server.url + path.format(county=live_tree.county.pk,
                                              community=live_tree.community.pk))
    seen = set()
    for _ in range(80):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
                       return {tag: e.tagName, type: e.type || '', outline: s.outlineStyle,
                               width: parseFloat(s.outlineWidth)}; }"""
        )
        if info["tag"] == "BODY":
            break
        seen.add(info["tag"])
        seen.add(f"{info['tag']} {info['type']}")
        assert info["outline"] == "solid" and info["width"] >= 3, info
    else:
        pytest.fail("Tab never left the page: a keyboard trap?")
    assert kinds <= seen, f"not reached with Tab: {kinds - seen}"


def test_switching_the_language(page, live_server, live_tree):
    login(page, live_server, live_tree.county_admin)
    goto(page, f"{live_server.url}/accounts/users/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "zh-hans")
    switch = page.locator("header form.lang-switch")
    select = switch.locator("select[name=language]")
    # The select is labelled, and each option is marked with its own language.
    assert page.locator(f'label[for="{select.get_attribute("id")}"]').count() == 1
    expect(select.locator("option[value=en]")).to_have_attribute("lang", "en")
    expect(select).to_have_value("zh-hans")

    select.select_option("en")
    with page.expect_navigation():
        switch.locator("button[type=submit]").click()
    assert page.url == f"{live_server.url}/accounts/users/"  # back where we were
    expect(html).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Users")
    expect(select).to_have_value("en")
    assert_structure(page)
    assert_accessible(page)
    # The choice sticks on the next page.
    goto(page, f"{live_server.url}/orgs/")
    expect(html).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Organisation network")

    select.select_option("zh-hans")
    with page.expect_navigation():
        switch.locator("button[type=submit]").click()
    assert page.url == f"{live_server.url}/orgs/"
    expect(html).to_have_attribute("lang", "zh-hans")
    expect(select).to_have_value("zh-hans")
    assert_accessible(page)


def test_the_navigation_marks_the_current_page_and_section(page, live_server, live_tree):
    t = live_tree
    login(page, live_server, t.county_admin)
    current = page.locator("nav.site-nav a[aria-current]")
    for path, href, value in (
        ("/accounts/users/", "/accounts/users/", "page"),
        (f"/accounts/users/{t.leader.pk}/", "/accounts/users/", "true"),
        ("/accounts/users/new/", "/accounts/users/", "true"),
        ("/accounts/audit/", "/accounts/audit/", "page"),
        ("/imports/?kind=divisions", "/imports/?kind=divisions", "page"),
    ):
        goto(page, live_server.url + path)
        expect(current).to_have_count(1)
        expect(current).to_have_attribute("href", href)
        expect(current).to_have_attribute("aria-current", value)


def lines_of(locator):
    """How many lines of text the element's text is laid out on."""
    return locator.evaluate(
        """(e) => { const r = document.createRange(); r.selectNodeContents(e);
                    return new Set([...r.getClientRects()].map(c => Math.round(c.top))).size; }"""
    )


@pytest.mark.parametrize("width", [360, 1280])
def test_the_header_controls_keep_their_words_on_one_line(make_page, live_server, live_tree,
                                                         width):
    page = make_page(viewport={"width": width, "height": 740})
    login(page, live_server, live_tree.county_admin)
    header = page.locator("header")
    for selector in ("form.lang-switch label", "form.lang-switch button", "form.logout button"):
        assert lines_of(header.locator(selector)) == 1, f"{selector} wraps at {width} px"
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize(
    "context",
    [
        {"viewport": {"width": 360, "height": 740}},
        # 200 % zoom of a 1280 px window: 640 CSS pixels, two device pixels to each.
        {"viewport": {"width": 640, "height": 360}, "device_scale_factor": 2},
    ],
    ids=["360px", "200pct"],
)
def test_account_pages_fit_a_phone_and_200_percent_zoom(make_page, live_server, live_tree,
                                                        context):
    t = live_tree
    page = make_page(**context)
    login(page, live_server, t.county_admin)
    # The audit log holds entries with several changes (the tree was built through the
    # services), the longest rows of any table.
    assert AuditLog.objects.filter(changes__has_key="code").exists()
    for path in ("/accounts/users/", f"/accounts/users/{t.village_officer.pk}/",
                 "/accounts/users/new/", "/accounts/audit/"):
        goto(page, live_server.url + path)
        assert_structure(page)
        assert_no_horizontal_scroll(page)
        # No table scrolls inside its box either (out of reach of the keyboard).
        for wrap in page.locator(".table-wrap").all():
            assert wrap.evaluate("(e) => e.scrollWidth <= e.clientWidth"), path
        assert_accessible(page)
    # The form with its errors too.
    goto(page, live_server.url + "/accounts/users/new/")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
