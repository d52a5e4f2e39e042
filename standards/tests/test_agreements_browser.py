"""The responsibility agreements' pages in a real browser with real data — a signed agreement
between 会宁县 and 会师镇 whose tasks have computed values, an inspection with a photo, a
draft with 县民政局 — each checked by axe-core at desk size and on a 360 px phone; an
inspection is recorded on a phone."""

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
from ledgers import services as ledger_services
from ledgers.tests.files import jpeg_bytes, upload_of
from people.tests.factories import make_person
from standards import agreements_services as services
from standards.models import AgreementInspection
from standards.tests.factories import officer

pytestmark = pytest.mark.browser


def _data(tree):
    today = timezone.localdate()
    year = today.year
    officer(tree.village, name="高专委")
    make_person(unit=tree.village, name="高有才")
    signed = services.agreement_create(actor=SYSTEM, party_a=tree.county,
                                       party_b=tree.township, year=year, note="一式两份")
    tasks = [("残疾人入户走访全覆盖", Decimal("95"), "%", "", "visit_rate"),
             ("专职委员配备到位", Decimal("100"), "%", "", "liaison_coverage"),
             ("制定年度工作计划", None, "", "年初制定", "annual_plan")]
    for text, value, unit, words, key in tasks:
        services.task_add(actor=SYSTEM, agreement=signed, text=text, target_value=value,
                          target_unit=unit, target_text=words, indicator=key)
    day = min(today, dt.date(year, 1, 10))
    signed = services.agreement_sign(actor=SYSTEM, agreement=signed, signatory_a="张县长",
                                     signatory_b="李镇长", signed_a_on=day, signed_b_on=day)
    clean = ledger_services.read_upload(upload_of(jpeg_bytes(), "site.jpg"))
    inspection = services.inspection_record(
        actor=SYSTEM, agreement=signed, quarter=1, inspected_on=min(today, dt.date(year, 3, 25)),
        inspectors="县残联 王五", summary="台账齐全",
        findings={t.pk: ("met", "") for t in signed.tasks.all()}, files=[(clean, "site.jpg")])
    draft = services.agreement_create(actor=SYSTEM, party_a=tree.county,
                                      party_b_name="县民政局", year=year)
    services.task_add(actor=SYSTEM, agreement=draft, text="落实两项补贴",
                      target_text="应补尽补")
    return signed, inspection, draft


def check(page, phone=False):
    assert_structure(page)
    assert_accessible(page)
    if phone:
        assert_no_horizontal_scroll(page)


def test_every_agreement_page_is_accessible(live_server, live_tree, make_page):
    tree = live_tree
    signed, inspection, draft = _data(tree)
    pages = ["/standards/agreements/", "/standards/agreements/new/",
             f"/standards/agreements/{signed.pk}/",
             f"/standards/agreements/{signed.pk}/inspect/?quarter=2",
             f"/standards/agreements/inspections/{inspection.pk}/",
             f"/standards/agreements/{signed.pk}/accept/",
             f"/standards/agreements/{draft.pk}/", f"/standards/agreements/{draft.pk}/edit/",
             f"/standards/agreements/{draft.pk}/tasks/new/",
             f"/standards/agreements/{draft.pk}/sign/"]
    for size in ({"width": 1280, "height": 900}, {"width": 360, "height": 740}):
        page = make_page(viewport=size)
        login(page, live_server, tree.county_admin)
        for url in pages:
            goto(page, live_server.url + url)
            check(page, phone=size["width"] == 360)


def test_an_inspection_is_recorded_on_a_phone(live_server, live_tree, make_page):
    tree = live_tree
    signed, _inspection, _draft = _data(tree)
    tasks = list(signed.tasks.order_by("order"))
    page = make_page(viewport={"width": 360, "height": 740})
    login(page, live_server, tree.county_admin)
    goto(page, f"{live_server.url}/standards/agreements/{signed.pk}/inspect/?quarter=2")
    check(page, phone=True)
    page.fill("#id_inspectors", "县残联 赵六")
    for task in tasks:
        page.check(f"input[name='finding_{task.pk}'][value='met']")
    page.check(f"input[name='finding_{tasks[0].pk}'][value='partly']")
    page.fill(f"#id_note_{tasks[0].pk}", "两户未走访")
    page.set_input_files("#id_photo", files=[{"name": "visit.jpg", "mimeType": "image/jpeg",
                                              "buffer": jpeg_bytes()}])
    with page.expect_navigation():
        page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    check(page, phone=True)
    inspection = AgreementInspection.objects.get(agreement=signed, quarter=2)
    assert inspection.inspectors == "县残联 赵六"
    assert inspection.findings.get(task=tasks[0]).note == "两户未走访"
    # Back on the agreement's page, the inspection is listed.
    assert page.locator(f"a[href='{inspection.get_absolute_url()}']").count() == 1
