"""The organisation pages in a real browser: every page each role can reach passes axe
(WCAG 2.1 A/AA and best practice), the tree works from the keyboard, and nothing scrolls
sideways on a phone or at 200 % zoom."""

import pytest
from playwright.sync_api import expect

from core.tests.browser import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_structure,
    goto,
    login,
)
from orgs.models import Level, OrgUnit

pytestmark = pytest.mark.browser


def unit_url(live_server, unit, suffix=""):
    return f"{live_server.url}/orgs/units/{unit.pk}/{suffix}"


# The organisation pages each role can open, as (attribute of the tree, page) pairs;
# "tree" and "import" need no unit.
ORG_PAGES = {
    "county_admin": [
        (None, "tree"),
        ("county", "detail"), ("township", "detail"), ("community", "detail"), ("grid", "detail"),
        ("county", "edit"), ("township", "edit"), ("community", "edit"), ("grid", "edit"),
        ("community", "grids/new"),
        ("county", "children"), ("township", "children"),
        ("community", "move"),
        (None, "import"),
    ],
    "township_officer": [
        (None, "tree"),
        ("township", "detail"), ("community", "detail"), ("grid", "detail"),
        ("township", "edit"), ("community", "edit"),
        ("village", "grids/new"),
        ("township", "children"),
    ],
    "village_officer": [
        (None, "tree"),
        ("community", "detail"), ("grid", "detail"),
        ("community", "edit"), ("grid", "edit"),
        ("community", "grids/new"),
        ("community", "children"),
    ],
    "leader": [
        (None, "tree"),
        ("county", "detail"), ("township", "detail"), ("grid", "detail"),
        ("county", "children"), ("township", "children"),
    ],
}

# Pages a role may not open: (attribute of the tree, page, HTTP status).
ORG_FORBIDDEN = {
    "township_officer": [(None, "import", 403), ("other_village", "detail", 404)],
    "village_officer": [(None, "import", 403), ("township", "detail", 404)],
    "leader": [("county", "edit", 403), ("township", "edit", 403),
               ("community", "grids/new", 403), (None, "import", 403)],
    "auditor": [(None, "tree", 403), ("county", "detail", 403), (None, "import", 403)],
}


def page_url(live_server, tree, attribute, name):
    if name == "tree":
        return f"{live_server.url}/orgs/"
    if name == "import":
        return f"{live_server.url}/imports/?kind=divisions"
    unit = getattr(tree, attribute)
    return unit_url(live_server, unit, "" if name == "detail" else f"{name}/")


@pytest.mark.parametrize("role", sorted(ORG_PAGES))
def test_every_org_page_of_each_role_passes_axe(page, live_server, live_tree, role):
    login(page, live_server, getattr(live_tree, role))
    for attribute, name in ORG_PAGES[role]:
        url = page_url(live_server, live_tree, attribute, name)
        goto(page, url)
        assert_structure(page)
        if attribute:
            unit = getattr(live_tree, attribute)
            if name in ("detail", "edit", "children"):
                assert unit.name in page.locator("h1").inner_text()
        assert_accessible(page)


@pytest.mark.parametrize("role", sorted(ORG_FORBIDDEN))
def test_org_pages_a_role_cannot_reach_are_refused(page, live_server, live_tree, role):
    login(page, live_server, getattr(live_tree, role))
    for attribute, name, status in ORG_FORBIDDEN[role]:
        goto(page, page_url(live_server, live_tree, attribute, name), status=status)
        assert_structure(page)
        assert page.locator("form[method=post] input[type=file]").count() == 0
        assert page.locator("main form[method=post] button[type=submit]").count() == 0


def test_the_navigation_shows_only_what_the_role_may_open(page, live_server, live_tree):
    login(page, live_server, live_tree.leader)
    goto(page, f"{live_server.url}/orgs/")
    nav_links = page.locator("nav.site-nav a")
    hrefs = [nav_links.nth(i).get_attribute("href") for i in range(nav_links.count())]
    assert hrefs[0] == "/orgs/" and "/accounts/users/" in hrefs
    assert "/imports/?kind=divisions" not in hrefs and "/accounts/audit/" not in hrefs
    # Every link offered opens (no dead ends into a 403).
    for href in hrefs[1:]:
        goto(page, live_server.url + href)
        assert_structure(page)
    goto(page, f"{live_server.url}/orgs/")
    current = page.locator("nav.site-nav a[aria-current]")
    expect(current).to_have_count(1)
    expect(current).to_have_attribute("href", "/orgs/")
    expect(current).to_have_attribute("aria-current", "page")
    # On a unit's page the link leads to the section the page is in, not to the page.
    goto(page, unit_url(live_server, live_tree.township))
    expect(current).to_have_count(1)
    expect(current).to_have_attribute("href", "/orgs/")
    expect(current).to_have_attribute("aria-current", "true")


def test_tree_expands_and_collapses_from_the_keyboard(page, live_server, live_tree):
    t = live_tree
    login(page, live_server, t.county_admin)
    goto(page, f"{live_server.url}/orgs/")
    # The county (the admin's root) is open, with its townships listed but closed.
    root_toggle = page.locator(f'button.tree__toggle[aria-controls="children-{t.county.pk}"]')
    expect(root_toggle).to_have_attribute("aria-expanded", "true")
    toggle = page.locator(f'button.tree__toggle[aria-controls="children-{t.township.pk}"]')
    children = page.locator(f"#children-{t.township.pk}")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(children).to_be_hidden()
    # The toggle's accessible name says which unit it opens.
    assert t.township.name in toggle.inner_text()

    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(children).to_be_visible()
    links = children.locator(":scope > li > .tree__row > a")
    expect(links).to_have_count(2)
    hrefs = {links.nth(i).get_attribute("href") for i in range(2)}
    assert hrefs == {f"/orgs/units/{t.community.pk}/", f"/orgs/units/{t.village.pk}/"}
    # The community has a grid below it, so it has a closed toggle of its own.
    expect(
        children.locator(f'button[aria-controls="children-{t.community.pk}"]')
    ).to_have_attribute("aria-expanded", "false")
    # Focus stays on the button, so Enter again closes it.
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == (
        f"children-{t.township.pk}"
    )
    assert_accessible(page)

    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(children).to_be_hidden()

    # Opening again shows the children once more, loaded once (not duplicated).
    page.keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(children).to_be_visible()
    expect(links).to_have_count(2)


def test_the_children_page_works_without_javascript(make_page, live_server, live_tree):
    t = live_tree
    page = make_page(java_script_enabled=False)
    login(page, live_server, t.township_officer)
    goto(page, unit_url(live_server, t.township, "children/"))
    assert_structure(page)
    links = page.locator("main ul.tree > li > .tree__row > a")
    expect(links).to_have_count(2)


NARROW = {"width": 360, "height": 740}


@pytest.mark.parametrize("role", ["county_admin", "village_officer"])
def test_no_sideways_scrolling_at_360_px(make_page, live_server, live_tree, role):
    t = live_tree
    user = getattr(t, role)
    page = make_page(viewport=NARROW)
    login(page, live_server, user)
    assert page.evaluate("window.innerWidth") == 360
    urls = [f"{live_server.url}/orgs/"]
    for unit in (user.unit, t.grid):
        urls += [unit_url(live_server, unit), unit_url(live_server, unit, "edit/")]
    urls.append(unit_url(live_server, t.community, "grids/new/"))
    for url in urls:
        goto(page, url)
        assert_structure(page)
        assert_no_horizontal_scroll(page)
        assert_accessible(page)
    # The tree opened out to the grid at 360 px still fits.
    goto(page, f"{live_server.url}/orgs/")
    opened = {"county_admin": [t.township, t.community], "village_officer": [t.community]}
    for unit in opened[role]:
        toggle = page.locator(f'button.tree__toggle[aria-controls="children-{unit.pk}"]')
        if toggle.get_attribute("aria-expanded") == "false":
            toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator(f'ul.tree a[href="/orgs/units/{t.grid.pk}/"]')).to_be_visible()
    assert_no_horizontal_scroll(page)


def test_no_sideways_scrolling_at_200_percent_zoom(make_page, live_server, live_tree):
    """A 1280 px window at 200 % zoom lays out in 640 CSS pixels (and its media queries
    see 640 px), drawn with two device pixels per CSS pixel: the same as this viewport."""
    t = live_tree
    page = make_page(viewport={"width": 640, "height": 360}, device_scale_factor=2)
    login(page, live_server, t.county_admin)
    assert page.evaluate("window.innerWidth") == 640
    assert page.evaluate("window.devicePixelRatio") == 2
    for url in (
        f"{live_server.url}/orgs/",
        unit_url(live_server, t.county),
        unit_url(live_server, t.township),
        unit_url(live_server, t.county, "edit/"),
        f"{live_server.url}/imports/?kind=divisions",
    ):
        goto(page, url)
        assert_structure(page)
        assert_no_horizontal_scroll(page)
    goto(page, f"{live_server.url}/orgs/")
    toggle = page.locator(f'button[aria-controls="children-{t.township.pk}"]')
    toggle.click()
    expect(page.locator(f"#children-{t.township.pk}")).to_be_visible()
    assert_no_horizontal_scroll(page)


def test_search_results_are_accessible(page, live_server, live_tree):
    t = live_tree
    login(page, live_server, t.county_admin)
    goto(page, f"{live_server.url}/orgs/")
    search = page.locator("form[role=search] input[name=q]")
    # The search box is labelled.
    assert page.locator(f'label[for="{search.get_attribute("id")}"]').count() == 1
    search.fill("620422100")
    with page.expect_navigation():
        search.press("Enter")
    assert "q=620422100" in page.url
    assert_structure(page)
    results = page.locator("section[aria-labelledby=results-heading] li a")
    # The township and everything under it (community, village, grid).
    expect(results).to_have_count(4)
    expect(search).to_have_value("620422100")
    assert_accessible(page)


DIVISIONS_CSV = (
    "code,name,parent_code,level\n"
    "620422102,新添堡回族乡,620422,township\n"
    "62042210X,坏代码镇,620422,township\n"
).encode()


@pytest.mark.parametrize("dry_run", [False, True])
def test_division_import_shows_the_bad_rows(page, live_server, live_tree, dry_run):
    """The division list goes in through the import pages, like every ledger."""
    t = live_tree
    login(page, live_server, t.county_admin)
    goto(page, f"{live_server.url}/imports/?kind=divisions")
    assert_structure(page)
    assert_accessible(page)
    form = page.locator("main form[enctype]")
    expect(form.locator("select[name=kind]")).to_have_value("divisions")
    form.locator("input[type=file][name=file]").set_input_files(
        files=[{"name": "divisions.csv", "mimeType": "text/csv", "buffer": DIVISIONS_CSV}]
    )
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    # The default is all or nothing.
    expect(page.locator("input[name=mode][value=all]")).to_be_checked()
    if dry_run:
        page.locator("input[name=dry_run]").check()
    page.locator("button[name=start]").click()
    result = page.locator("section#result")
    expect(result).to_be_visible(timeout=15_000)
    assert_structure(page)
    rows = result.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td").first).to_have_text("3")  # the header is row 1
    expect(rows.first.locator("td").nth(2)).to_have_text("62042210X")
    # Nothing was written: all or nothing, or only a check.
    assert not OrgUnit.objects.filter(code="620422102").exists()
    assert OrgUnit.objects.filter(level=Level.TOWNSHIP).count() == 2
    assert_accessible(page)


def test_grid_form_with_an_error_keeps_what_was_typed(page, live_server, live_tree):
    t = live_tree
    login(page, live_server, t.village_officer)
    goto(page, unit_url(live_server, t.community, "grids/new/"))
    form = page.locator("main form")
    form.locator("input[name=name]").fill("第2网格")
    form.locator("input[name=households]").fill("-5")
    form.locator("textarea[name=buildings]").fill("1号楼\n2号楼")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.url == unit_url(live_server, t.community, "grids/new/")
    assert_structure(page)
    expect(form.locator("input[name=name]")).to_have_value("第2网格")
    expect(form.locator("input[name=households]")).to_have_value("-5")
    expect(form.locator("textarea[name=buildings]")).to_have_value("1号楼\n2号楼")
    # The error is tied to its field, listed in a summary that takes the focus.
    households = form.locator("input[name=households]")
    expect(households).to_have_attribute("aria-invalid", "true")
    described_by = households.get_attribute("aria-describedby").split()
    assert "id_households_error" in described_by
    expect(page.locator("#id_households_error")).to_be_visible()
    summary = page.locator(".error-summary")
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.locator('a[href="#id_households"]')).to_have_count(1)
    expect(summary).to_be_focused()
    assert not OrgUnit.objects.filter(name="第2网格").exists()
    assert_accessible(page)
    # The summary's link takes the keyboard to the field.
    summary.locator('a[href="#id_households"]').click()
    expect(households).to_be_focused()


def test_creating_a_grid_lands_on_it_with_a_message(page, live_server, live_tree):
    t = live_tree
    login(page, live_server, t.village_officer)
    goto(page, unit_url(live_server, t.community, "grids/new/"))
    form = page.locator("main form")
    form.locator("input[name=name]").fill("第2网格")
    form.locator("input[name=households]").fill("280")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    grid = OrgUnit.objects.get(name="第2网格")
    assert page.url == unit_url(live_server, grid)
    assert_structure(page)
    expect(page.locator(".messages[role=status] .message")).to_have_count(1)
    assert_accessible(page)


def test_unit_edit_saves_and_shows_the_change(page, live_server, live_tree):
    t = live_tree
    login(page, live_server, t.township_officer)
    goto(page, unit_url(live_server, t.community, "edit/"))
    form = page.locator("main form")
    form.locator("input[name='unit-population']").fill("1234")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.url == unit_url(live_server, t.community)
    t.community.refresh_from_db()
    assert t.community.population == 1234
    assert_structure(page)
    assert_accessible(page)
