"""The ledgers' common pages in a real browser with real data — the ledger book of a
township whose villages have people, needs and visits, and a village's book with its
shortfalls — each checked by axe-core (best-practice rules included), at desk size and on a
360 px phone. Each ledger's own pages have their own browser tests."""

import datetime as dt

import pytest
from django.utils import timezone

from core.actors import SYSTEM
from core.tests.browser import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_structure,
    goto,
    login,
)
from people import services as people_services
from people.tests.factories import make_person

pytestmark = pytest.mark.browser


def _data(tree):
    today = timezone.localdate()
    person = make_person(unit=tree.community, name="马有福", grid=tree.grid)
    people_services.visit_record(actor=SYSTEM, person=person, visited_on=today,
                                 worker_name="马专委", mode="home", findings="需要轮椅")
    people_services.need_create(actor=SYSTEM, person=person, type="rehabilitation",
                                registered_on=today - dt.timedelta(days=3))
    make_person(unit=tree.village, name="高老汉")


def test_the_ledger_book_is_accessible(live_server, live_tree, make_page):
    tree = live_tree
    _data(tree)
    base = live_server.url
    pages = ["/ledgers/", "/ledgers/book/", f"/ledgers/book/{tree.community.pk}/",
             f"/ledgers/book/{tree.village.pk}/?year=2025"]
    for size in ({"width": 1280, "height": 900}, {"width": 360, "height": 740}):
        page = make_page(viewport=size)
        login(page, live_server, tree.township_officer)
        for url in pages:
            goto(page, base + url)
            assert_structure(page)
            assert_accessible(page)
            if size["width"] == 360:
                assert_no_horizontal_scroll(page)
    # The shortfall of the village (no visit this year) is on its row.
    goto(page, base + "/ledgers/book/")
    assert page.locator("main tr", has_text="高家庄").locator("details").count() == 1
