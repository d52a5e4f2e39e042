"""Letters and visits in a real browser, with real data: every page checked by axe-core
(WCAG 2.1 A/AA and best practice) and for its structure; a petition registered on a 360 px
phone through the form, then accepted from its page; the phone pages do not scroll
sideways."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.tests.browser import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_structure,
    goto,
    login,
)
from ledgers import demo_petitions
from ledgers.models import Petition
from people.tests.factories import make_person

pytestmark = pytest.mark.browser


def check(page):
    assert_structure(page)
    assert_accessible(page)


def test_the_petition_pages(live_server, live_tree, make_page):
    tree = live_tree
    make_person(unit=tree.community, name="马有福")
    demo_petitions.load(tree.county, timezone.localdate())
    reopened = Petition.objects.filter(status="handling", satisfaction="not_satisfied").first()
    replied = Petition.objects.exclude(reply="").filter(status="closed").first()
    registered = Petition.objects.filter(status="registered").first()
    linked = Petition.objects.filter(earlier__isnull=False).first()
    base = live_server.url
    page = make_page()
    login(page, live_server, tree.county_admin)
    for path in ("/ledgers/petitions/", "/ledgers/petitions/?overdue=on&status=handling",
                 "/ledgers/petitions/overdue/", "/ledgers/petitions/new/",
                 f"/ledgers/petitions/{reopened.pk}/", f"/ledgers/petitions/{replied.pk}/",
                 f"/ledgers/petitions/{registered.pk}/", f"/ledgers/petitions/{linked.pk}/",
                 f"/ledgers/petitions/{registered.pk}/edit/",
                 f"/ledgers/petitions/{reopened.pk}/reply/",
                 f"/ledgers/petitions/{replied.pk}/reopen/",
                 "/ledgers/petitions/categories/", "/ledgers/petitions/categories/new/", "/"):
        goto(page, base + path)
        check(page)

    # A refused form stays accessible with its errors.
    goto(page, f"{base}/ledgers/petitions/{registered.pk}/refuse/")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check(page)

    # The township's officer on a phone: the home page counts the villages' overdue, the
    # form registers a visit, the petition's page accepts it.
    phone = make_page(viewport={"width": 360, "height": 740})
    login(phone, live_server, tree.township_officer)
    goto(phone, base + "/")
    expect(phone.locator("main")).to_contain_text("件下级来信来访超期")
    goto(phone, base + "/ledgers/petitions/new/")
    check(phone)
    assert_no_horizontal_scroll(phone)
    phone.select_option("#id_received_how", "phone")
    phone.fill("#id_petitioner_name", "手机登记人")
    phone.fill("#id_petitioner_phone", "13909435000")
    phone.locator("#id_category").select_option(label="康复")
    phone.fill("#id_content", "电话反映需要轮椅")
    phone.locator("main form button[type=submit]").click()
    made = Petition.objects.filter(petitioner_name="手机登记人")
    phone.wait_for_url("**/ledgers/petitions/*/")
    assert made.count() == 1 and made.get().unit == tree.township
    check(phone)
    assert_no_horizontal_scroll(phone)
    phone.fill("#id_accept-handler_name", "王干事")
    phone.locator("form.step-form").first.locator("button[type=submit]").click()
    expect(phone.locator("main")).to_contain_text("已受理")
    assert made.get().status == "accepted"
    check(phone)
    for path in ("/ledgers/petitions/", "/ledgers/petitions/overdue/",
                 f"/ledgers/petitions/{reopened.pk}/"):
        goto(phone, base + path)
        check(phone)
        assert_no_horizontal_scroll(phone)
