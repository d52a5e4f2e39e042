"""The activities' pages in a real browser with real data — an assistance activity with a
person helped and a photo, volunteers with hours and a certificate — each page checked by
axe-core (best-practice rules included) at desk size and on a 360 px phone; a village
officer records an activity on the phone, finding the person helped with the picker."""

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
from ledgers import activities_services as services
from ledgers.models import AssistanceActivity
from ledgers.services import read_upload
from ledgers.tests.files import jpeg_bytes, pdf_bytes, upload_of
from people.tests.factories import make_person

pytestmark = pytest.mark.browser


def _data(tree):
    today = timezone.localdate()
    person = make_person(unit=tree.community, name="马有福")
    files = [(read_upload(upload_of(jpeg_bytes(), "合影.jpg")), "合影.jpg"),
             (read_upload(upload_of(pdf_bytes(), "签到表.pdf")), "签到表.pdf")]
    assistance = services.assistance_create(
        actor=SYSTEM, unit=tree.community, held_on=today, title="春节走访慰问", kind="visit",
        organiser="东山根社区", partners="民政办", place="入户", participants=12,
        money=500, goods="米面油", influential=True, people=[person], files=files)
    volunteer = services.volunteer_create(actor=SYSTEM, unit=tree.community, name="王晓燕",
                                          phone="13909431001", skills="康复护理")
    activity = services.volunteer_activity_create(
        actor=SYSTEM, unit=tree.community, held_on=today - dt.timedelta(days=1),
        title="入户打扫卫生", people=[person], services={volunteer: 3}, files=files[:1])
    certificate = services.certificate_issue(actor=SYSTEM, volunteer=volunteer,
                                             unit=tree.community,
                                             starts_on=dt.date(today.year, 1, 1), ends_on=today)
    return assistance, volunteer, activity, certificate


def test_every_activity_page_is_accessible(live_server, live_tree, make_page):
    tree = live_tree
    assistance, volunteer, activity, _certificate = _data(tree)
    pages = ["/ledgers/", "/ledgers/assistance/", "/ledgers/assistance/?q=走访&influential=on",
             "/ledgers/assistance/new/", f"/ledgers/assistance/{assistance.pk}/",
             f"/ledgers/assistance/{assistance.pk}/edit/",
             "/ledgers/volunteers/", "/ledgers/volunteers/new/", "/ledgers/volunteers/hours/",
             f"/ledgers/volunteers/{volunteer.pk}/", f"/ledgers/volunteers/{volunteer.pk}/edit/",
             f"/ledgers/volunteers/{volunteer.pk}/certificate/",
             "/ledgers/volunteer-activities/", "/ledgers/volunteer-activities/new/",
             f"/ledgers/volunteer-activities/{activity.pk}/",
             f"/ledgers/volunteer-activities/{activity.pk}/edit/",
             "/imports/?kind=assistance", "/imports/?kind=volunteers",
             "/imports/?kind=volunteer_activities"]
    for size in ({"width": 1280, "height": 900}, {"width": 360, "height": 740}):
        page = make_page(viewport=size)
        login(page, live_server, tree.village_officer)
        for url in pages:
            goto(page, live_server.url + url)
            assert_structure(page)
            assert_accessible(page)
            if size["width"] == 360:
                assert_no_horizontal_scroll(page)


def test_a_village_officer_records_an_activity_on_a_phone(live_server, live_tree, make_page):
    tree = live_tree
    make_person(unit=tree.community, name="马有福")
    make_person(unit=tree.other_village, name="马有才")
    page = make_page(viewport={"width": 360, "height": 740})
    login(page, live_server, tree.village_officer)
    goto(page, f"{live_server.url}/ledgers/assistance/new/")
    page.fill("#id_title", "春节走访慰问")
    page.locator("#id_people-find").fill("马有")
    page.keyboard.press("Enter")  # searches; does not send the form
    found = page.locator(".person-picker__found label", has_text="马有福")
    found.wait_for()
    assert page.locator(".person-picker__found", has_text="马有才").count() == 0
    assert_accessible(page)
    found.click()
    page.locator("#id_people-find").fill("没有这个人")
    page.locator(".person-picker__found", has_text="没有相符").wait_for()
    # The person ticked stays chosen after another search.
    assert page.locator(".person-picker__chosen input:checked").count() == 1
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    assert_structure(page)
    entry = AssistanceActivity.objects.get()
    assert entry.title == "春节走访慰问" and [p.name for p in entry.people.all()] == ["马有福"]
    assert entry.unit == tree.community and entry.held_on == timezone.localdate()
