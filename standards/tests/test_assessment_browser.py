"""The 100-point assessment's pages in a real browser with real data — a published scheme,
its round with the townships self-scored and inspected, a draft copy — each checked by
axe-core at desk size and on a 360 px phone; a township officer scores its own unit on a
phone."""

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
from people.tests.factories import make_person
from standards import assessment_services as services
from standards.demo import build_scheme
from standards.models import AssessmentItem
from standards.tests.factories import officer

pytestmark = pytest.mark.browser


def _round(tree):
    year = timezone.localdate().year
    scheme = build_scheme(actor=SYSTEM, county=tree.county, year=year)
    draft = services.scheme_copy(actor=SYSTEM, scheme=scheme, year=year + 1)
    make_person(unit=tree.village, name="高有才")
    officer(tree.village, name="高专委")
    round_ = services.round_create(actor=SYSTEM, scheme=scheme)
    hand = [i for i in AssessmentItem.objects.filter(category__scheme=scheme)
            if not i.computed]
    sheets = {s.unit_id: s for s in round_.sheets.all()}
    services.sheet_self_score(actor=SYSTEM, sheet=sheets[tree.other_township.pk],
                              values={i.pk: 8 for i in hand})
    services.sheet_inspect(actor=SYSTEM, sheet=sheets[tree.other_township.pk],
                           values={i.pk: 7 for i in hand},
                           reasons={i.pk: "现场查看，制度已上墙" for i in hand})
    return scheme, draft, round_, sheets


def check(page, phone=False):
    assert_structure(page)
    assert_accessible(page)
    if phone:
        assert_no_horizontal_scroll(page)


def test_every_assessment_page_is_accessible(live_server, live_tree, make_page):
    tree = live_tree
    scheme, draft, round_, sheets = _round(tree)
    item = AssessmentItem.objects.filter(category__scheme=draft).first()
    inspected = sheets[tree.other_township.pk]
    pages = ["/standards/assessment/", "/standards/assessment/new/",
             f"/standards/assessment/{scheme.pk}/", f"/standards/assessment/{draft.pk}/",
             f"/standards/assessment/{draft.pk}/edit/",
             f"/standards/assessment/{draft.pk}/categories/new/",
             f"/standards/assessment/{draft.pk}/items/new/",
             f"/standards/assessment/items/{item.pk}/",
             f"/standards/assessment/{scheme.pk}/copy/",
             f"/standards/assessment/{draft.pk}/round/new/",
             f"/standards/assessment/rounds/{round_.pk}/",
             f"/standards/assessment/sheets/{inspected.pk}/",
             f"/standards/assessment/sheets/{inspected.pk}/inspect/"]
    for size in ({"width": 1280, "height": 900}, {"width": 360, "height": 740}):
        page = make_page(viewport=size)
        login(page, live_server, tree.county_admin)
        for url in pages:
            goto(page, live_server.url + url)
            check(page, phone=size["width"] == 360)


def test_a_township_officer_scores_its_own_unit_on_a_phone(live_server, live_tree,
                                                          make_page):
    tree = live_tree
    _scheme, _draft, round_, sheets = _round(tree)
    own = sheets[tree.township.pk]
    page = make_page(viewport={"width": 360, "height": 740})
    login(page, live_server, tree.township_officer)
    goto(page, f"{live_server.url}/standards/assessment/rounds/{round_.pk}/")
    check(page, phone=True)
    assert "郭城驿镇" not in page.locator("main").inner_text()
    page.get_by_role("link", name="会师镇").click()
    page.get_by_role("link", name="本单位自评").click()
    check(page, phone=True)
    for field in page.locator("input[name^='value_']").all():
        field.fill("9")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    check(page, phone=True)
    own.refresh_from_db()
    assert own.self_scored_at is not None
    assert "如何加分" in page.locator("main").inner_text()
