"""Training, appraisals and awards in a real browser: every new page, with real data, checked
by axe-core (WCAG 2.1 A/AA and best practice) and for its structure; the attendance is
ticked and saved through the page, and the pages a phone opens do not scroll sideways."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.actors import SYSTEM
from core.tests.browser import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_structure,
    goto,
    login,
)
from workforce import services
from workforce.models import Attendance
from workforce.tests.factories import make_officer

pytestmark = pytest.mark.browser


def check(page):
    assert_structure(page)
    assert_accessible(page)


def _world(tree):
    today = timezone.localdate()
    year = today.year
    chair = make_officer(unit=tree.township, kind="chair", name="会师理事长")
    liaison = make_officer(unit=tree.community, name="东山委员")
    other = make_officer(unit=tree.village, name="高家委员", term_ends_on=today +
                         dt.timedelta(days=90))
    session = services.training_create(
        actor=SYSTEM, unit=tree.county, title="全县专职委员业务培训", level="county",
        starts_on=today - dt.timedelta(days=2), ends_on=today - dt.timedelta(days=1),
        hours=Decimal(8), content="残疾人证办理、走访记录", trainer="县残联")
    services.attendance_set(actor=SYSTEM, session=session, workers=[chair.worker])
    services.appraisal_record(actor=SYSTEM, appointment=liaison, year=year, score=Decimal(92),
                              grade="excellent", decision="commend", comments="走访全覆盖")
    weak = services.appraisal_record(actor=SYSTEM, appointment=other, year=year,
                                     score=Decimal(48), grade="incompetent",
                                     decision="not_renew", comments="长期未走访")
    award = services.award_round_create(actor=SYSTEM, unit=tree.county, year=year,
                                        title="优秀残疾人工作专职委员")
    nomination = services.nomination_create(actor=SYSTEM, award=award, unit=tree.township,
                                            worker=liaison.worker, reason="走访全覆盖")
    services.nominations_decide(actor=SYSTEM, award=award,
                                decisions={nomination.pk: "selected"})
    services.award_publish(actor=SYSTEM, award=award)
    open_round = services.award_round_create(actor=SYSTEM, unit=tree.county, year=year,
                                             title="助残先进个人")
    return session, liaison, weak, award, open_round, year


def test_training_appraisal_and_award_pages(live_server, live_tree, make_page):
    tree = live_tree
    session, liaison, weak, award, open_round, year = _world(tree)
    base = live_server.url
    page = make_page()
    login(page, live_server, tree.county_admin)
    for path in ("/workforce/training/", "/workforce/training/new/",
                 f"/workforce/training/{session.pk}/", f"/workforce/training/{session.pk}/edit/",
                 f"/workforce/training/shortfalls/?year={year}",
                 f"/workforce/appraisals/?year={year}",
                 f"/workforce/appointments/{weak.appointment_id}/appraisal/?year={year}",
                 f"/workforce/appraisals/{weak.pk}/confirm/",
                 "/workforce/awards/", "/workforce/awards/new/",
                 f"/workforce/awards/{award.pk}/",
                 f"/workforce/awards/{open_round.pk}/nominate/",
                 f"/workforce/workers/{liaison.worker_id}/",
                 f"/workforce/board/{tree.township.pk}/"):
        goto(page, base + path)
        check(page)

    # Tick who came and save; the session page lists them.
    goto(page, f"{base}/workforce/training/{session.pk}/attendance/")
    check(page)
    page.locator(f"#worker-{liaison.worker_id}").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/workforce/training/{session.pk}/")
    assert Attendance.objects.filter(session=session).count() == 2
    expect(page.locator("main")).to_contain_text("东山委员")
    check(page)

    # A form refused by the rules stays accessible with its errors.
    goto(page, f"{base}/workforce/appointments/{liaison.pk}/appraisal/?year={year}")
    page.fill("#id_score", "120")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check(page)

    # A village officer on a phone: their own file and the published list.
    phone = make_page(viewport={"width": 360, "height": 740})
    login(phone, live_server, tree.village_officer)
    for path in (f"/workforce/workers/{liaison.worker_id}/", f"/workforce/awards/{award.pk}/",
                 "/workforce/awards/", f"/workforce/training/{session.pk}/",
                 f"/workforce/training/shortfalls/?year={year}",
                 f"/workforce/appraisals/?year={year}"):
        goto(phone, base + path)
        check(phone)
        assert_no_horizontal_scroll(phone)
    goto(phone, f"{base}/workforce/workers/{liaison.worker_id}/")
    expect(phone.locator("main")).to_contain_text("优先竞聘乡镇岗位")
    expect(phone.locator("main")).to_contain_text("培训记录")
