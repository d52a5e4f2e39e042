"""The unit picker in a real browser, from the keyboard: typing lists the matching units of
the user's area in a listbox (ARIA combobox), Down and Up move through them, Enter takes one,
Escape closes the list; the form then creates the user at that unit. axe passes with the
list open and closed."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from core.actors import SYSTEM
from core.tests.browser import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_structure,
    goto,
    login,
)
from orgs import services as org_services
from orgs.models import Level

pytestmark = pytest.mark.browser


def fill_the_rest(form, username):
    form.locator("input[name=username]").fill(username)
    form.locator("select[name=role]").select_option("village_officer")
    form.locator("input[name=password1]").fill("a-long-pass-phrase-1")
    form.locator("input[name=password2]").fill("a-long-pass-phrase-1")


@pytest.mark.parametrize("width", [1280, 360])
def test_choosing_a_unit_from_the_keyboard(make_page, live_server, live_tree, width):
    t = live_tree
    # A village of the same name in a township of another county: never listed.
    other_county = org_services.unit_create(actor=SYSTEM, parent=t.city, level=Level.COUNTY,
                                            code="620421", name="靖远县")
    other_township = org_services.unit_create(actor=SYSTEM, parent=other_county,
                                              level=Level.TOWNSHIP, code="620421100",
                                              name="乌兰镇")
    org_services.unit_create(actor=SYSTEM, parent=other_township, level=Level.VILLAGE,
                             code="620421100201", name="高家庄村民委员会")
    page = make_page(viewport={"width": width, "height": 800})
    login(page, live_server, t.county_admin)
    goto(page, f"{live_server.url}/accounts/users/new/")
    assert_structure(page)
    form = page.locator("main form")
    fill_the_rest(form, "gao_picked")

    box = page.locator("#id_unit")
    listbox = page.locator("#id_unit-options")
    # The script made the text box a combobox, collapsed, tied to its listbox.
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_attribute("aria-controls", "id_unit-options")
    expect(box).to_have_attribute("aria-autocomplete", "list")
    assert page.locator('label[for="id_unit"]').count() == 1
    expect(listbox).to_be_hidden()

    box.focus()
    page.keyboard.type("委员会")
    options = listbox.locator('[role="option"]')
    expect(options).to_have_count(3)  # the county's own three, not 靖远县's
    expect(listbox).not_to_contain_text("乌兰镇")
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.locator(".unit-picker__status")).to_contain_text("3")
    assert_accessible(page)  # with the list open
    assert_no_horizontal_scroll(page)

    # Down, Down, Up: the second, then the first; the box says which.
    page.keyboard.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "id_unit-options-0")
    page.keyboard.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "id_unit-options-1")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(options.nth(0)).to_have_attribute("aria-selected", "false")
    page.keyboard.press("ArrowUp")
    expect(box).to_have_attribute("aria-activedescendant", "id_unit-options-0")
    # Escape closes the list and keeps the text; Down opens it again.
    page.keyboard.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()
    expect(box).to_have_value("委员会")
    page.keyboard.press("ArrowDown")
    expect(box).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    chosen_label = options.nth(1).get_attribute("data-label")
    chosen_pk = options.nth(1).get_attribute("data-value")

    # Enter takes the unit and does not submit the form.
    page.keyboard.press("Enter")
    expect(box).to_have_value(chosen_label)
    expect(page.locator("input[type=hidden][name=unit]")).to_have_value(chosen_pk)
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).not_to_have_attribute("aria-activedescendant", "id_unit-options-1")
    assert page.url == f"{live_server.url}/accounts/users/new/"
    assert not User.objects.filter(username="gao_picked").exists()
    expect(page.locator(".unit-picker__status")).to_contain_text(chosen_label)
    assert_accessible(page)

    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    created = User.objects.get(username="gao_picked")
    assert str(created.unit.pk) == chosen_pk
    assert created.unit.parent == t.township  # 会宁县's 高家庄 or 东山根, never 乌兰镇's
    assert_structure(page)
    assert_accessible(page)


def test_typing_over_a_choice_forgets_it(page, live_server, live_tree):
    t = live_tree
    login(page, live_server, t.county_admin)
    goto(page, f"{live_server.url}/accounts/users/new/")
    form = page.locator("main form")
    fill_the_rest(form, "typed_over")
    box = page.locator("#id_unit")
    box.focus()
    page.keyboard.type("高家庄")
    expect(page.locator("#id_unit-options [role=option]")).to_have_count(1)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    hidden = page.locator("input[type=hidden][name=unit]")
    expect(hidden).to_have_value(str(t.village.pk))
    # Typed over: the id goes, and the server reads the text (a code of another township).
    box.fill(t.other_village.code)
    expect(hidden).to_have_value("")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert User.objects.get(username="typed_over").unit == t.other_village


def test_a_name_matching_nothing_is_said_and_refused(page, live_server, live_tree):
    login(page, live_server, live_tree.county_admin)
    goto(page, f"{live_server.url}/accounts/users/new/")
    box = page.locator("#id_unit")
    box.focus()
    page.keyboard.type("兰州")
    status = page.locator(".unit-picker__status")
    expect(status).to_have_text("您的辖区内没有相符的单位。")
    expect(box).to_have_attribute("aria-expanded", "false")
    # Enter with nothing chosen submits: the server names the problem.
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#id_unit_error")).to_contain_text("兰州")
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_have_value("兰州")
    assert_accessible(page)
