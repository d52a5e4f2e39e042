"""A create form in a real browser: while it is being sent its button is disabled and a
second submit sends nothing; back on the page (pageshow) the button works again."""

import pytest

from core.tests.browser import assert_accessible, goto, login
from people.models import Need
from people.tests.factories import make_person

pytestmark = pytest.mark.browser
FORM = "main form"
BUTTON = "main form button[type=submit]"

# Keeps the page in place: the submissions the page lets go are counted and then held
# back here, after canlian.js has seen them (window hears a submit after the document).
HOLD_SUBMISSIONS = """() => {
  window.sent = 0;
  window.hold = function (event) {
    if (!event.defaultPrevented) window.sent += 1;
    event.preventDefault();
  };
  window.addEventListener("submit", window.hold);
}"""


def test_the_submit_button_disables_itself_while_sending(live_server, live_tree, page):
    person = make_person(unit=live_tree.community)
    login(page, live_server, live_tree.village_officer)
    goto(page, f"{live_server.url}/people/{person.pk}/needs/new/")
    assert_accessible(page)
    page.locator(FORM).get_by_label("类型").select_option("rehabilitation")
    button = page.locator(BUTTON)
    page.evaluate(HOLD_SUBMISSIONS)

    button.click()
    page.wait_for_function(f"() => document.querySelector('{BUTTON}').disabled")
    assert page.locator(FORM).get_attribute("aria-busy") == "true"
    # A second submit (Enter, a script) is stopped in the page: one submission only.
    page.evaluate(f"document.querySelector('{FORM}').requestSubmit()")
    page.keyboard.press("Enter")
    assert page.evaluate("window.sent") == 1

    # Coming back to a page left while sending (the back-forward cache keeps it as it was)
    # enables it again.
    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    assert button.is_enabled() and page.locator(FORM).get_attribute("aria-busy") is None

    # And sent for real, it is saved once.
    page.evaluate("window.removeEventListener('submit', window.hold)")
    with page.expect_navigation():
        button.click()
    assert page.url.endswith(person.get_absolute_url())
    assert Need.objects.filter(person=person).count() == 1
