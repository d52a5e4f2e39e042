"""The workforce's pages in a real browser with real data — officers who are disabled
people with visits and needs in the register, a relative, an exception, a vacancy, an ended
appointment — each page checked by axe-core (best-practice rules included), at desk size
and on a 360 px phone; a township officer appoints a liaison officer by keyboard and sees
the vacancy go."""

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
from workforce import services
from workforce.models import Appointment, SelectionRule
from workforce.tests.factories import make_officer, make_worker

pytestmark = pytest.mark.browser


def _data(tree):
    today = timezone.localdate()
    person = make_person(unit=tree.community, name="马有福", grid=tree.grid)
    people_services.visit_record(actor=SYSTEM, person=person, visited_on=today,
                                 worker_name="马有福", mode="home")
    people_services.need_create(actor=SYSTEM, person=person, type="rehabilitation")
    officer = services.appoint(
        actor=SYSTEM, worker=make_worker(unit=tree.community, name="马有福",
                                         id_number=person.id_number, connection="disabled",
                                         bank_name="农行", bank_account="6228480012345678",
                                         certificate_number="ZW-9",
                                         certificate_issued_on=dt.date(2022, 1, 1),
                                         certificate_valid_until=dt.date(2026, 1, 1)),
        unit=tree.community, kind="liaison", starts_on=dt.date(2023, 1, 1),
        term_ends_on=today + dt.timedelta(days=30), document_number="会残联发〔2023〕5号")
    services.appointment_update(actor=SYSTEM, appointment=officer, grids=[tree.grid])
    relative = make_person(unit=tree.village, name="高老汉")
    services.appoint(actor=SYSTEM, worker=make_worker(
        unit=tree.village, name="高小红", connection="relative", relation="child",
        relative_id_number=relative.id_number, male=False), unit=tree.village,
        kind="liaison", starts_on=dt.date(2024, 5, 1))
    ended = make_officer(unit=tree.township, kind="chair", name="前理事长")
    services.appointment_end(actor=SYSTEM, appointment=ended,
                             ended_on=today - dt.timedelta(days=40), reason="moved")
    make_officer(unit=tree.other_village, name="健全专委", birth=dt.date(1960, 1, 1))
    SelectionRule.objects.create(unit=tree.county, kind="liaison", max_age_at_hiring=50)
    return officer


def check(page, phone=False):
    assert_structure(page)
    assert_accessible(page)
    if phone:
        assert_no_horizontal_scroll(page)


def test_every_workforce_page_is_accessible(live_server, live_tree, make_page):
    tree = live_tree
    officer = _data(tree)
    base = live_server.url
    pages = ["/workforce/", "/workforce/workers/", "/workforce/workers/?q=马&kind=liaison",
             f"/workforce/workers/{officer.worker.pk}/",
             f"/workforce/workers/{officer.worker.pk}/edit/",
             f"/workforce/workers/{officer.worker.pk}/appoint/", "/workforce/workers/new/",
             f"/workforce/appointments/{officer.pk}/",
             f"/workforce/appointments/{officer.pk}/end/", "/workforce/board/",
             f"/workforce/board/{tree.township.pk}/", "/workforce/vacancies/",
             "/workforce/checks/", "/workforce/coverage/", "/workforce/quotas/",
             "/workforce/norms/", "/workforce/norms/new/", "/workforce/norms/selection/",
             "/imports/?kind=workers"]
    for size in ({"width": 1280, "height": 900}, {"width": 360, "height": 740}):
        page = make_page(viewport=size)
        login(page, live_server, tree.county_admin)
        for url in pages:
            goto(page, base + url)
            check(page, phone=size["width"] == 360)


def test_a_township_officer_appoints_by_keyboard_and_the_vacancy_goes(live_server, live_tree,
                                                                      make_page):
    tree = live_tree
    person = make_person(unit=tree.village, name="高有才")
    worker = make_worker(unit=tree.village, name="高有才", id_number=person.id_number,
                         connection="disabled")
    base = live_server.url
    page = make_page(viewport={"width": 360, "height": 740})
    login(page, live_server, tree.township_officer)
    goto(page, f"{base}/workforce/vacancies/")
    assert page.locator("main table a", has_text="会师镇 · 高家庄").count() == 2
    goto(page, f"{base}/workforce/workers/{worker.pk}/appoint/")
    page.fill("#id_unit", "620422100200")
    page.select_option("#id_kind", "liaison")
    page.fill("#id_starts_on", "2026-01-05")
    page.locator("#id_document_number").focus()
    page.keyboard.type("会残联发〔2026〕1号")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check(page, phone=True)
    assert page.get_by_text("会残联发〔2026〕1号").count() == 1
    assert Appointment.objects.filter(worker=worker, post__unit=tree.village).exists()
    goto(page, f"{base}/workforce/vacancies/")
    assert page.locator("main table a", has_text="会师镇 · 高家庄").count() == 1  # the chair
