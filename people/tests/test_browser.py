"""The register in a real browser, as the demo's users would use it: demo_village registers a
person and records a home visit that finds a rehabilitation need; demo_township sees the
open need. axe-core checks every page of the register on the way."""

import datetime as dt

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from core.actors import SYSTEM
from core.tests.browser import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_structure,
    goto,
    login,
)
from people import services
from people.models import Need, Person
from people.tests.factories import make_id, make_person

pytestmark = pytest.mark.browser


class DemoUser:
    def __init__(self, username):
        self.username = username


def check(page):
    assert_structure(page)
    assert_accessible(page)


def test_village_registers_and_visits_township_sees_the_need(transactional_db, live_server,
                                                             make_page):
    call_command("load_demo")
    base = live_server.url
    page = make_page(viewport={"width": 360, "height": 740})  # a liaison officer's phone
    login(page, live_server, DemoUser("demo_village"), password="canlian-demo")

    goto(page, f"{base}/people/")
    check(page)
    assert_no_horizontal_scroll(page)

    goto(page, f"{base}/people/new/")
    check(page)
    assert_no_horizontal_scroll(page)
    id_number = make_id(birth=dt.date(1961, 3, 5), male=True, seq=77)
    page.fill("#id_name", "马有福")
    page.fill("#id_id_number", id_number[:17] + id_number[17].lower())
    page.select_option("#id_hukou", "rural")
    page.fill("#id_certificate_number", f"{id_number}53")  # says intellectual, grade 3
    page.select_option("#id_category", "4")
    page.select_option("#id_grade", "2")
    page.fill("#id_certificate_issued_on", "2014-05-06")
    page.fill("#id_phone", "13909435678")
    page.locator("main form button[type=submit]").click()
    # The mismatch is named, what was typed is kept, and the page stays accessible.
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("马有福")
    expect(page.locator("#id_phone")).to_have_value("13909435678")
    expect(page.locator("#id_category")).to_have_attribute("aria-invalid", "true")
    check(page)
    page.fill("#id_certificate_number", f"{id_number}42")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/people/*/")
    person = Person.objects.with_id(id_number).get()
    assert (person.category, person.grade, person.gender) == (4, 2, "M")
    check(page)
    assert_no_horizontal_scroll(page)

    page.get_by_role("link", name=page.locator(".actions a[href$='/visits/new/']")
                     .inner_text()).click()
    page.wait_for_url("**/visits/new/")
    check(page)
    page.select_option("#id_mode", "home")
    page.fill("#id_findings", "右腿行动不便，希望做康复训练")
    page.locator("input[name=found_needs][value=rehabilitation]").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/people/{person.pk}/")
    need = Need.objects.get(person=person)
    assert need.type == "rehabilitation" and need.is_open and need.visit is not None

    for path in (f"/people/{person.pk}/edit/", f"/people/{person.pk}/needs/new/",
                 f"/people/{person.pk}/jobs/new/", f"/people/{person.pk}/status/",
                 f"/people/{person.pk}/move/", f"/people/needs/{need.pk}/",
                 "/people/needs/", "/people/visits/", "/people/jobs/", "/people/transfers/"):
        goto(page, base + path)
        check(page)
        assert_no_horizontal_scroll(page)

    township = make_page()
    login(township, live_server, DemoUser("demo_township"), password="canlian-demo")
    goto(township, f"{base}/people/needs/")
    check(township)
    # Oldest first, so today's need is at the end of a long list: look the person up.
    township.fill("#id_q", "马有福")
    township.locator("main form.filter-bar button[type=submit]").click()
    township.wait_for_url("**/people/needs/?*")
    row = township.locator("tbody tr", has_text="马有福")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(need.get_type_display())
    goto(township, f"{base}/people/?q=myf")
    expect(township.locator("tbody tr", has_text="马有福")).to_have_count(1)
    # The list masks the ID; the file shows it.
    expect(township.locator("main")).not_to_contain_text(id_number)
    goto(township, f"{base}/people/visits/")
    check(township)
    goto(township, f"{base}/people/?open_needs=on&age_band=60%2B")
    check(township)


def _stays(page):
    """Mark the document; the mark survives an htmx update and not a page load."""
    page.evaluate("window.__stayed = 'yes'")
    return lambda: page.evaluate("window.__stayed") == "yes"


LISTS = ["/people/", "/people/needs/", "/people/jobs/", "/accounts/users/", "/accounts/audit/"]


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900},
                                      {"width": 360, "height": 740}], ids=["1280px", "360px"])
def test_the_lists_filter_in_place_sort_and_pass_axe(make_page, live_server, live_tree,
                                                      viewport):
    t = live_tree
    for n, name in enumerate(("张三", "张四", "李五")):
        person = make_person(unit=t.community if n < 2 else t.village, name=name,
                             birth=dt.date(1950 + n, 1, 1))
        services.need_create(actor=SYSTEM, person=person, type="relief")
        services.jobseeker_register(actor=SYSTEM, person=person, work_wished="保洁",
                                    ability="full")
    page = make_page(viewport=viewport)
    login(page, live_server, t.county_admin)
    base = live_server.url
    for path in LISTS:
        goto(page, base + path)
        check(page)
        assert_no_horizontal_scroll(page)
        for wrap in page.locator(".table-wrap").all():
            assert wrap.evaluate("(e) => e.scrollWidth <= e.clientWidth"), path
        expect(page.locator("main form[role=search]")).to_have_count(1)
        expect(page.locator("main .table-wrap[role=region] caption")).to_have_count(1)

    # The search replaces the list alone (htmx): no page load, the address says the query,
    # the new count is announced, and the page is still accessible.
    goto(page, f"{base}/people/")
    stayed = _stays(page)
    page.fill("#id_q", "zhang")
    page.locator("main form.filter-bar button[type=submit]").click()
    page.wait_for_url("**/people/?q=zhang*")
    rows = page.locator("main tbody tr")
    expect(rows).to_have_count(2)
    assert stayed(), "the search reloaded the page"
    expect(page.locator("#person-list-status")).to_have_text(
        page.locator("#person-list caption").inner_text())
    expect(page.locator("#id_q")).to_have_value("zhang")
    check(page)

    # A sortable header is a link; the sorted one says so (aria-sort) and by an arrow.
    page.locator("main thead th.orderable a", has_text="姓名").click()
    page.wait_for_url("**sort=name*")
    header = page.locator("main thead th[aria-sort]")
    expect(header).to_have_attribute("aria-sort", "ascending")
    expect(rows.first).to_contain_text("张三")
    page.locator("main thead th.orderable a", has_text="姓名").click()
    page.wait_for_url("**sort=-name*")
    expect(header).to_have_attribute("aria-sort", "descending")
    expect(rows.first).to_contain_text("张四")
    check(page)
    # The export takes the same list.
    href = page.locator("main a[href^='/people/export.xlsx']").get_attribute("href")
    assert "q=zhang" in href and "sort=-name" in href

    # Nothing found: the table says so and offers the whole list back.
    page.fill("#id_q", "nobody")
    page.locator("main form.filter-bar button[type=submit]").click()
    page.wait_for_url("**q=nobody*")
    expect(page.locator("main tbody td[colspan] .empty-state")).to_have_count(1)
    check(page)
    page.locator("main .empty-state a").click()
    page.wait_for_url(f"{base}/people/")
    expect(rows).to_have_count(3)

    # The filters under "More filters" open, work in place, and stay open when set.
    goto(page, f"{base}/people/needs/")
    stayed = _stays(page)
    page.locator("main details.more-filters summary").click()
    # The unit is typed (the picker), never chosen from a list of every unit.
    expect(page.locator("main select#id_unit")).to_have_count(0)
    page.fill("#id_unit", t.village.code)
    page.locator("main form.filter-bar button[type=submit]").click()
    page.wait_for_url(f"**unit_text={t.village.code}*")
    expect(page.locator("main tbody tr")).to_have_count(1)
    expect(page.locator("main tbody tr")).to_contain_text("李五")
    assert stayed()
    check(page)
    page.reload()
    expect(page.locator("main details.more-filters")).to_have_attribute("open", "")
    check(page)


def test_a_full_persons_file_passes_axe_best_practice(make_page, live_server, live_tree):
    """A person with visits, needs and job seeking: every section of the file, and each
    table in it, is a landmark of its own name (axe's landmark-unique, a best practice)."""
    from people import services
    from people.tests.factories import make_person

    t = live_tree
    person = make_person(unit=t.community, actor=t.village_officer, name="周全")
    today = dt.date.today()
    services.visit_record(actor=t.village_officer, person=person, mode="home",
                          visited_on=today - dt.timedelta(days=20), findings="需要轮椅",
                          next_due=today + dt.timedelta(days=70),
                          needs=[{"type": "devices", "detail": "轮椅"}])
    services.visit_record(actor=t.village_officer, person=person, mode="phone",
                          visited_on=today - dt.timedelta(days=200))
    services.need_create(actor=t.village_officer, person=person, type="rehabilitation",
                         registered_on=today - dt.timedelta(days=90))
    services.jobseeker_register(actor=t.village_officer, person=person,
                                work_wished="电商客服", ability="partial")
    for width in (1280, 360):
        page = make_page(viewport={"width": width, "height": 800})
        login(page, live_server, t.village_officer)
        goto(page, f"{live_server.url}/people/{person.pk}/")
        check(page)
        assert_no_horizontal_scroll(page)
        main = page.locator("main")
        expect(main.locator("section[aria-labelledby=needs-heading] tbody tr")).to_have_count(2)
        expect(main.locator("section[aria-labelledby=visits-heading] tbody tr")).to_have_count(2)
        expect(main.locator("section[aria-labelledby=jobs-heading] li")).to_have_count(1)
        # Every landmark's accessible name differs from every other's.
        names = page.evaluate(
            """() => [...document.querySelectorAll('section[aria-labelledby], [role=region]')]
                     .map(e => e.getAttribute('aria-label') ||
                               document.getElementById(e.getAttribute('aria-labelledby'))
                                 .textContent.trim())""")
        assert len(names) == len(set(names)), names
