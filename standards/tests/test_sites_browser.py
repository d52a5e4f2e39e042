"""The demonstration sites' pages, the rules documents and the per-township summary in a real
browser with real data — targets, designated sites (one withdrawn), candidates, a rules
document with its photo — each page checked by axe-core at desk size and on a 360 px phone;
a county administrator designates a candidate on a phone."""

import pytest
from django.utils import timezone

from core.actors import SYSTEM
from core.tests.browser import goto, login
from people.tests.factories import make_person
from standards import sites_services
from standards.choices import SiteKind
from standards.models import DemoSite
from standards.tests.factories import officer, profile
from standards.tests.sites_factories import designate, plaque_only, rules_document, villages
from standards.tests.test_browser import _data, check

pytestmark = pytest.mark.browser


def _sites(tree):
    today = timezone.localdate()
    national, _confirmation, _copy, _room = _data(tree)
    made = villages(tree.other_township, 3, plaque_every=1)
    for v in made:
        officer(v, name=f"{v.name[:2]}专委")
        make_person(unit=v, name=f"{v.name[:2]}残")
    sites_services.targets_set(actor=SYSTEM, county=tree.county, year=today.year,
                               numbers={SiteKind.TOWNSHIP: 2, SiteKind.COMMUNITY: 2,
                                        SiteKind.VILLAGE: 50})
    site = designate(tree, tree.village)
    designate(tree, tree.township)
    withdrawn = designate(tree, made[0])
    sites_services.site_withdraw(actor=SYSTEM, site=withdrawn, withdrawn_on=today,
                                 note="整改")
    document = rules_document(tree.village)
    profile(tree.other_village, has_plaque=False)
    return site, withdrawn, document, made


def test_every_sites_page_is_accessible(live_server, live_tree, make_page):
    tree = live_tree
    site, withdrawn, document, _made = _sites(tree)
    county = tree.county.pk
    pages = [f"/standards/sites/county/{county}/",
             f"/standards/sites/county/{county}/candidates/",
             f"/standards/sites/county/{county}/candidates/?kind=village",
             f"/standards/sites/county/{county}/designate/",
             f"/standards/sites/county/{county}/targets/",
             f"/standards/sites/{site.pk}/", f"/standards/sites/{withdrawn.pk}/",
             f"/standards/sites/{site.pk}/withdraw/",
             f"/standards/townships/{county}/",
             f"/standards/units/{tree.village.pk}/rules/new/",
             f"/standards/rules/{document.pk}/",
             "/standards/list/defaults/"]
    for size in ({"width": 1280, "height": 900}, {"width": 360, "height": 740}):
        page = make_page(viewport=size)
        login(page, live_server, tree.county_admin)
        for url in pages:
            goto(page, live_server.url + url)
            check(page, phone=size["width"] == 360)


def test_the_home_page_reminder_is_accessible(live_server, live_tree, make_page):
    tree = live_tree
    plaque_only(tree)
    page = make_page(viewport={"width": 360, "height": 740})
    login(page, live_server, tree.village_officer)
    goto(page, f"{live_server.url}/")
    check(page, phone=True)
    assert page.locator("#standards-heading").count() == 1


def test_a_county_administrator_designates_a_candidate_on_a_phone(live_server, live_tree,
                                                                   make_page):
    tree = live_tree
    _site, _withdrawn, _document, made = _sites(tree)
    page = make_page(viewport={"width": 360, "height": 740})
    login(page, live_server, tree.county_admin)
    goto(page, f"{live_server.url}/standards/sites/county/{tree.county.pk}/candidates/")
    check(page, phone=True)
    page.locator(f"a[href*='unit={made[1].pk}']").first.click()
    page.wait_for_load_state()
    page.fill("#id_document_number", "会残联发〔2026〕9号")
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    check(page, phone=True)
    assert DemoSite.objects.filter(unit=made[1], withdrawn_on__isnull=True).exists()
