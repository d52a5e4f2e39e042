"""The standards' pages in a real browser with real data — a township with its profile, a
chair and a plan, villages with officers, people and a subsidy, a confirmed item with a photo,
a county's draft copy — each page checked by axe-core (best-practice rules included), at
desk size and on a 360 px phone; a village officer confirms an item on a phone."""

import datetime as dt
from decimal import Decimal

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
from ledgers import records_services
from ledgers import services as ledger_services
from ledgers.tests.files import jpeg_bytes, upload_of
from people.tests.factories import make_person
from standards import services
from standards.models import ItemConfirmation
from standards.tests.factories import defaults, officer, profile
from workforce.tests.factories import make_policy

pytestmark = pytest.mark.browser


def _data(tree):
    today = timezone.localdate()
    national = defaults()
    profile(tree.township, has_plaque=True, address="会师镇政府二楼",
            office_funds_per_year=Decimal("20000"))
    profile(tree.village, has_plaque=True)
    profile(tree.community)
    officer(tree.township, kind="chair", document_number="会残联发〔2024〕3号", name="王理事")
    officer(tree.village, name="高专委")
    make_policy(unit=tree.county)
    make_person(unit=tree.village, name="高有才")
    records_services.plan_create(actor=SYSTEM, unit=tree.township, year=today.year)
    records_services.work_entry_create(actor=SYSTEM, unit=tree.village,
                                       written_on=today - dt.timedelta(days=1),
                                       subject="走访", content="走访记录")
    room = national["liuyou"].items.get(text="有活动场所")
    clean = ledger_services.read_upload(upload_of(jpeg_bytes(), "room.jpg"))
    confirmation = services.confirmation_record(
        actor=SYSTEM, unit=tree.village, item=room, year=today.year, confirmed_on=today,
        note="村委会一楼", files=[(clean, "room.jpg")], by_name="王干事")
    copy = services.standard_copy(actor=SYSTEM, standard=national["jiuyou"],
                                  year=today.year + 1, region=tree.county)
    return national, confirmation, copy, room


def check(page, phone=False):
    assert_structure(page)
    assert_accessible(page)
    if phone:
        assert_no_horizontal_scroll(page)


def test_every_standards_page_is_accessible(live_server, live_tree, make_page):
    tree = live_tree
    national, confirmation, copy, room = _data(tree)
    item = copy.items.first()
    year = timezone.localdate().year
    pages = ["/standards/", f"/standards/attainment/{tree.county.pk}/",
             f"/standards/attainment/{tree.county.pk}/?all=1&sort=-missing",
             f"/standards/attainment/{tree.township.pk}/",
             f"/standards/units/{tree.township.pk}/", f"/standards/units/{tree.village.pk}/",
             f"/standards/units/{tree.county.pk}/?year={year}",
             f"/standards/units/{tree.village.pk}/confirm/",
             f"/standards/units/{tree.community.pk}/confirm/?item={room.pk}",
             f"/standards/coverage/{tree.county.pk}/",
             f"/standards/confirmations/{confirmation.pk}/",
             "/standards/list/", f"/standards/list/{national['jiuyou'].pk}/",
             f"/standards/list/{copy.pk}/", f"/standards/list/{copy.pk}/edit/",
             f"/standards/list/{copy.pk}/copy/", f"/standards/list/{copy.pk}/items/new/",
             f"/standards/items/{item.pk}/"]
    for size in ({"width": 1280, "height": 900}, {"width": 360, "height": 740}):
        page = make_page(viewport=size)
        login(page, live_server, tree.county_admin)
        for url in pages:
            goto(page, live_server.url + url)
            check(page, phone=size["width"] == 360)


def test_a_village_officer_confirms_an_item_on_a_phone(live_server, live_tree, make_page):
    tree = live_tree
    national = defaults()
    rules_item = national["liuyou"].items.get(text="有工作制度")
    page = make_page(viewport={"width": 360, "height": 740})
    login(page, live_server, tree.village_officer)
    goto(page, f"{live_server.url}/standards/")
    assert page.locator("h1").inner_text().startswith("东山根社区")
    page.get_by_role("link", name="确认“有工作制度”").click()
    page.fill("#id_note", "制度上墙")
    page.set_input_files("#id_photo", files=[{"name": "rules.jpg", "mimeType": "image/jpeg",
                                              "buffer": jpeg_bytes()}])
    with page.expect_navigation():
        page.get_by_role("button", name="确认").click()
    check(page, phone=True)
    confirmation = ItemConfirmation.objects.get(item=rules_item, unit=tree.community)
    assert confirmation.note == "制度上墙"
    # Back on the unit's page, the item is met and its evidence links to the confirmation.
    assert page.locator(f"a[href='{confirmation.get_absolute_url()}']").count() == 1
