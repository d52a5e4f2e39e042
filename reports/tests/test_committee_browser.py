"""The work committee's and the special associations' pages in a real browser with real
data (the demo's committee and associations on the standard tree), each checked by
axe-core at desk size and on a 360 px phone; a member is added with the person picker on a
phone."""

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
from ledgers.models import AssociationMember
from orgs.models import SpecialAssociation, WorkCommittee
from people.tests.factories import make_person
from reports.committee_demo import load_committee_demo
from standards import agreements_services

pytestmark = pytest.mark.browser


def _data(tree):
    for n in range(3):
        make_person(unit=tree.village, name=f"盲协{n}", category=1,
                    birth=dt.date(1961, 1, 1) + dt.timedelta(days=n))
        make_person(unit=tree.community, name=f"肢协{n}", category=4,
                    birth=dt.date(1971, 1, 1) + dt.timedelta(days=n))
    make_person(unit=tree.village, name="高新会员", category=1, birth=dt.date(1980, 3, 3))
    agreements_services.agreement_create(actor=SYSTEM, party_a=tree.county,
                                         party_b_name="县民政局",
                                         year=timezone.localdate().year)
    load_committee_demo(county=tree.county, today=timezone.localdate())
    return (WorkCommittee.objects.get(unit=tree.county),
            SpecialAssociation.objects.get(unit=tree.county, kind="physical"))


def test_the_committee_and_association_pages_are_accessible(live_server, live_tree,
                                                            make_page):
    tree = live_tree
    committee, association = _data(tree)
    department = committee.departments.first()
    pages = ["/reports/committees/", f"/reports/committees/{committee.pk}/",
             f"/reports/committees/{committee.pk}/edit/",
             f"/reports/committees/{committee.pk}/departments/new/",
             f"/reports/committees/departments/{department.pk}/edit/",
             f"/reports/committees/{committee.pk}/meetings/link/",
             f"/reports/associations/unit/{tree.county.pk}/",
             f"/reports/associations/{association.pk}/",
             f"/reports/associations/{association.pk}/edit/",
             f"/reports/associations/{association.pk}/members/add/",
             f"/reports/associations/{association.pk}/activities/link/"]
    for size in ({"width": 1280, "height": 900}, {"width": 360, "height": 740}):
        page = make_page(viewport=size)
        login(page, live_server, tree.county_admin)
        for url in pages:
            goto(page, live_server.url + url)
            assert_structure(page)
            assert_accessible(page)
            if size["width"] == 360:
                assert_no_horizontal_scroll(page)
    # The real data is on the pages.
    goto(page, f"{live_server.url}/reports/committees/{committee.pk}/")
    assert page.locator("text=县民政局").count() >= 1
    assert page.locator("a[href^='/standards/agreements/']").count() == 1
    assert page.locator("a[href^='/ledgers/meetings/']").count() == 1


def test_a_member_is_added_with_the_picker_on_a_phone(live_server, live_tree, make_page):
    tree = live_tree
    _committee, association = _data(tree)
    blind = SpecialAssociation.objects.get(unit=tree.county, kind="blind")
    page = make_page(viewport={"width": 360, "height": 740})
    login(page, live_server, tree.county_admin)
    goto(page, f"{live_server.url}/reports/associations/{blind.pk}/members/add/")
    page.fill("#id_people-find", "高新")
    page.locator("#id_people-found input[type=checkbox]").first.check()
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert AssociationMember.objects.filter(association=blind,
                                            person__name="高新会员").count() == 1
    assert_structure(page)
    assert_accessible(page)
    assert page.locator("text=高新会员").count() >= 1
