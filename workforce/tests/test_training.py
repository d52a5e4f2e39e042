"""Training, appraisal and awards: every rule with data built to meet it and to break it,
the services, the pages, and query counts that do not grow with units or workers."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role, role_permissions
from audit.models import AuditLog
from core.actors import SYSTEM
from orgs import services as org_services
from orgs.models import Level
from workforce import rules, selectors, services
from workforce.choices import Decision, EndReason, Grade
from workforce.models import Appointment, Attendance, Nomination
from workforce.tests.factories import make_officer, make_worker

TODAY = dt.date(2026, 6, 15)
LAST_YEAR = timezone.localdate().year - 1


def make_session(unit, *, day=None, level=None, title="专职委员业务培训", hours=4, **kwargs):
    day = day or dt.date(LAST_YEAR, 5, 10)
    level = level or {Level.CITY: "city", Level.COUNTY: "county",
                      Level.TOWNSHIP: "township"}[unit.level]
    return services.training_create(actor=SYSTEM, unit=unit, title=title, level=level,
                                    starts_on=day, ends_on=kwargs.pop("ends_on", day),
                                    hours=Decimal(hours), content="", trainer="县残联",
                                    **kwargs)


# ---- rules: training ------------------------------------------------------------------------

def test_training_minimums_are_the_reports():
    assert rules.training_required("chair", Level.TOWNSHIP) == 1
    assert rules.training_required("liaison", Level.TOWNSHIP) == 2
    assert rules.training_required("liaison", Level.VILLAGE) == 2
    assert rules.training_required("chair", Level.VILLAGE) == 0
    assert rules.training_shortfall(required=2, attended=1) == 1
    assert rules.training_shortfall(required=2, attended=3) == 0


def test_training_year_day():
    assert rules.training_year_day(2025, TODAY) == dt.date(2025, 12, 31)
    assert rules.training_year_day(2026, TODAY) == TODAY


def _session(**values):
    base = {"unit_level": Level.COUNTY, "level": "county", "title": "培训",
            "starts_on": dt.date(2025, 3, 1), "ends_on": dt.date(2025, 3, 2),
            "hours": Decimal(12)}
    return rules.training_session({**base, **values})


def test_training_session_rules():
    assert _session() == {}
    assert set(_session(level="township")) == {"level"}
    assert set(_session(unit_level=Level.VILLAGE)) == {"unit"}
    assert set(_session(title=" ")) == {"title"}
    assert set(_session(ends_on=dt.date(2025, 2, 28))) == {"ends_on"}
    assert set(_session(hours=Decimal(0))) == {"hours"}
    assert _session(hours=Decimal(48)) == {}
    assert set(_session(hours=Decimal("48.5"))) == {"hours"}


def test_attendance_rules():
    ok = rules.attendance(starts_on=TODAY, today=TODAY, unit_path="0001",
                          worker_paths={"甲": "00010002"})
    assert ok == {}
    future = rules.attendance(starts_on=TODAY + dt.timedelta(days=1), today=TODAY,
                              unit_path="0001", worker_paths={})
    assert "workers" in future
    outside = rules.attendance(starts_on=TODAY, today=TODAY, unit_path="0001",
                               worker_paths={"甲": "00010002", "乙": "0002"})
    assert "乙" in outside["workers"] and "甲" not in outside["workers"]


# ---- rules: appraisal -----------------------------------------------------------------------

def _appraisal(**values):
    base = {"year": 2025, "score": Decimal(85), "grade": Grade.COMPETENT,
            "decision": Decision.RENEW, "starts_on": dt.date(2024, 1, 1), "ended_on": None,
            "confirmed": False}
    return rules.appraisal({**base, **values}, today=TODAY)


def test_appraisal_rules():
    assert _appraisal() == {}
    assert set(_appraisal(grade=Grade.INCOMPETENT)) == {"decision"}
    assert _appraisal(grade=Grade.INCOMPETENT, decision=Decision.NOT_RENEW) == {}
    assert set(_appraisal(decision=Decision.COMMEND)) == {"decision"}
    assert _appraisal(grade=Grade.EXCELLENT, decision=Decision.COMMEND) == {}
    assert set(_appraisal(score=Decimal(101))) == {"score"}
    assert set(_appraisal(score=Decimal(-1))) == {"score"}
    assert set(_appraisal(year=2027)) == {"year"}
    assert set(_appraisal(starts_on=dt.date(2026, 1, 1))) == {"year"}
    assert set(_appraisal(ended_on=dt.date(2024, 12, 31))) == {"year"}
    assert _appraisal(ended_on=dt.date(2025, 1, 1)) == {}
    assert set(_appraisal(confirmed=True)) == {"decision"}


def test_non_renewal_end_day():
    start = dt.date(2024, 1, 1)
    assert rules.non_renewal_end_day(term_ends_on=dt.date(2026, 3, 31), starts_on=start,
                                     today=TODAY) == dt.date(2026, 3, 31)
    assert rules.non_renewal_end_day(term_ends_on=dt.date(2026, 12, 31), starts_on=start,
                                     today=TODAY) == TODAY
    assert rules.non_renewal_end_day(term_ends_on=None, starts_on=start, today=TODAY) == TODAY


def test_non_renewal_confirmation_rules():
    assert rules.non_renewal_confirmation(decision="not_renew", confirmed=False,
                                          appointment_open=True) == {}
    assert rules.non_renewal_confirmation(decision="renew", confirmed=False,
                                          appointment_open=True)
    assert rules.non_renewal_confirmation(decision="not_renew", confirmed=True,
                                          appointment_open=True)
    assert rules.non_renewal_confirmation(decision="not_renew", confirmed=False,
                                          appointment_open=False)


# ---- rules: awards --------------------------------------------------------------------------

def test_award_rules():
    assert rules.award_round(unit_level=Level.COUNTY, year=2026, title="优秀", today=TODAY) == {}
    assert set(rules.award_round(unit_level=Level.VILLAGE, year=2027, title="",
                                 today=TODAY)) == {"unit", "year", "title"}
    ok = {"published": False, "round_path": "01", "unit_path": "0102", "worker_path": "010203",
          "reason": "好", "nominated_already": False}
    assert rules.nomination(**ok) == {}
    assert set(rules.nomination(**{**ok, "published": True})) == {"worker"}
    assert set(rules.nomination(**{**ok, "unit_path": "02"})) == {"unit"}
    assert set(rules.nomination(**{**ok, "worker_path": "0103"})) == {"worker"}
    assert set(rules.nomination(**{**ok, "nominated_already": True})) == {"worker"}
    assert set(rules.nomination(**{**ok, "reason": " "})) == {"reason"}
    assert rules.award_publication(published=False, undecided=0, selected=1) == {}
    assert rules.award_publication(published=True, undecided=0, selected=1)
    assert "2" in rules.award_publication(published=False, undecided=2, selected=1)["round"]
    assert rules.award_publication(published=False, undecided=0, selected=0)
    assert rules.preferred_since(TODAY) == 2025


# ---- roles ----------------------------------------------------------------------------------

def test_roles_keep_and_read_the_training():
    for role in (Role.ADMIN, Role.TOWNSHIP_OFFICER):
        assert {"workforce.add_trainingsession", "workforce.add_attendance",
                "workforce.add_appraisal", "workforce.add_nomination"} <= role_permissions(role)
    for role in (Role.VILLAGE_OFFICER, Role.LEADER):
        perms = role_permissions(role)
        assert "workforce.view_trainingsession" in perms
        assert "workforce.add_trainingsession" not in perms
    assert "workforce.confirm_appraisal" in role_permissions(Role.ADMIN)
    assert "workforce.confirm_appraisal" not in role_permissions(Role.TOWNSHIP_OFFICER)


# ---- services: training ---------------------------------------------------------------------

def test_training_create_checks_the_rules_and_the_scope(tree):
    session = make_session(tree.township)
    assert session.pk and AuditLog.objects.filter(object_id=str(session.pk)).exists()
    with pytest.raises(ValidationError) as exc:
        make_session(tree.township, level="county")
    assert "level" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.training_create(actor=tree.other_officer, unit=tree.township, title="x",
                                 level="township", starts_on=TODAY, ends_on=TODAY, hours=2)
    with pytest.raises(PermissionDenied):
        services.training_create(actor=tree.village_officer, unit=tree.township, title="x",
                                 level="township", starts_on=TODAY, ends_on=TODAY, hours=2)


def test_attendance_once_per_worker_and_only_from_the_area(tree):
    session = make_session(tree.township)
    a = make_worker(unit=tree.community, name="甲")
    b = make_worker(unit=tree.village, name="乙")
    outsider = make_worker(unit=tree.other_village, name="丙")
    assert services.attendance_set(actor=tree.township_officer, session=session,
                                   workers=[a, b]) == (2, 0)
    assert services.attendance_set(actor=tree.township_officer, session=session,
                                   workers=[a, b]) == (0, 0)
    assert Attendance.objects.filter(session=session).count() == 2
    assert services.attendance_set(actor=tree.township_officer, session=session,
                                   workers=[a]) == (0, 1)
    assert list(Attendance.objects.filter(session=session).values_list("worker__name",
                                                                       flat=True)) == ["甲"]
    with pytest.raises(ValidationError) as exc:
        services.attendance_set(actor=SYSTEM, session=session, workers=[a, outsider])
    assert "丙" in exc.value.messages[0]
    with pytest.raises(PermissionDenied):  # a worker the officer may not see
        services.attendance_set(actor=tree.township_officer, session=session,
                                workers=[outsider])
    future = make_session(tree.township, day=timezone.localdate() + dt.timedelta(days=5))
    with pytest.raises(ValidationError):
        services.attendance_set(actor=SYSTEM, session=future, workers=[a])


def test_attendance_unique_in_the_database(tree):
    from django.db import IntegrityError, transaction

    session = make_session(tree.township)
    worker = make_worker(unit=tree.community)
    Attendance.objects.create(session=session, worker=worker)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(session=session, worker=worker)


def test_shortfalls_meet_and_break_the_minimums(tree):
    year = LAST_YEAR
    chair_trained = make_officer(unit=tree.township, kind="chair", name="理事长")
    chair_untrained = make_officer(unit=tree.other_township, kind="chair", name="郭理事长")
    liaison_once = make_officer(unit=tree.community, name="一次")
    liaison_twice = make_officer(unit=tree.village, name="两次")
    village_chair = make_officer(unit=tree.village, kind="chair", name="村主席")
    ended = make_officer(unit=tree.other_village, name="离任")
    services.appointment_end(actor=SYSTEM, appointment=ended,
                             ended_on=dt.date(year, 6, 30), reason=EndReason.RESIGNED)
    county = make_session(tree.county, day=dt.date(year, 4, 1))
    township = make_session(tree.township, day=dt.date(year, 9, 1))
    earlier = make_session(tree.county, day=dt.date(year - 1, 11, 1))
    services.attendance_set(actor=SYSTEM, session=county, workers=[
        chair_trained.worker, liaison_once.worker, liaison_twice.worker])
    services.attendance_set(actor=SYSTEM, session=township, workers=[liaison_twice.worker])
    services.attendance_set(actor=SYSTEM, session=earlier, workers=[
        liaison_once.worker, chair_untrained.worker, village_chair.worker])
    needs = {n.worker_name: n for n in selectors.training_needs(user=tree.county_admin,
                                                                year=year)}
    assert set(needs) == {"理事长", "郭理事长", "一次", "两次"}  # no minimum, not in post
    chair = needs["理事长"]
    assert (chair.required, chair.attended, chair.missing) == (1, 1, 0)
    assert needs["郭理事长"].missing == 1  # last year's session does not count
    assert (needs["一次"].required, needs["一次"].missing) == (2, 1)
    assert needs["两次"].missing == 0
    short = selectors.training_shortfalls(user=tree.county_admin, year=year)
    assert [n.worker_name for n in short] == ["一次", "郭理事长"] or \
        {n.worker_name for n in short} == {"一次", "郭理事长"}
    counts = dict((u.name, n) for u, n in selectors.child_counts(
        short, user=tree.county_admin, unit=None))
    assert counts == {"会师镇": 1, "郭城驿镇": 1}
    # The township's officer sees their own area only.
    assert {n.worker_name for n in selectors.training_shortfalls(
        user=tree.township_officer, year=year)} == {"一次"}


# ---- services: appraisal --------------------------------------------------------------------

def test_appraisal_once_a_year_and_its_rules(tree):
    appointment = make_officer(unit=tree.community)
    appraisal = services.appraisal_record(actor=tree.township_officer, appointment=appointment,
                                          year=LAST_YEAR, score=Decimal(88),
                                          grade=Grade.COMPETENT, decision=Decision.RENEW)
    again = services.appraisal_record(actor=tree.township_officer, appointment=appointment,
                                      year=LAST_YEAR, score=Decimal(91),
                                      grade=Grade.EXCELLENT, decision=Decision.COMMEND)
    assert again.pk == appraisal.pk and again.score == Decimal(91) and again.version == 2
    with pytest.raises(ValidationError) as exc:
        services.appraisal_record(actor=SYSTEM, appointment=appointment, year=LAST_YEAR,
                                  score=Decimal(30), grade=Grade.INCOMPETENT,
                                  decision=Decision.RENEW)
    assert "decision" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.appraisal_record(actor=tree.other_officer, appointment=appointment,
                                  year=LAST_YEAR, score=Decimal(80), grade=Grade.COMPETENT,
                                  decision=Decision.RENEW)


def test_confirming_a_non_renewal_ends_the_appointment(tree):
    today = timezone.localdate()
    running = make_officer(unit=tree.community, name="不称职",
                           term_ends_on=today + dt.timedelta(days=200))
    appraisal = services.appraisal_record(actor=tree.township_officer, appointment=running,
                                          year=LAST_YEAR, score=Decimal(40),
                                          grade=Grade.INCOMPETENT, decision=Decision.NOT_RENEW)
    assert appraisal.awaiting_confirmation
    assert [a.pk for a in selectors.appraisals_awaiting(user=tree.county_admin)] == \
        [appraisal.pk]
    with pytest.raises(PermissionDenied):  # a township officer proposes, never confirms
        services.appraisal_confirm(actor=tree.township_officer, appraisal=appraisal)
    services.appraisal_confirm(actor=tree.county_admin, appraisal=appraisal)
    running.refresh_from_db()
    assert (running.ended_on, running.end_reason) == (today, EndReason.NOT_RENEWED)
    appraisal.refresh_from_db()
    assert appraisal.confirmed_on == today and appraisal.confirmed_by == tree.county_admin
    assert not selectors.appraisals_awaiting(user=tree.county_admin)
    with pytest.raises(ValidationError):
        services.appraisal_confirm(actor=tree.county_admin, appraisal=appraisal)
    with pytest.raises(ValidationError):  # closed once confirmed
        services.appraisal_record(actor=SYSTEM, appointment=running, year=LAST_YEAR,
                                  score=Decimal(70), grade=Grade.COMPETENT,
                                  decision=Decision.RENEW)
    # A term that has run out ends on its own last day.
    over = make_officer(unit=tree.village, name="期满", starts_on=dt.date(2023, 1, 1),
                        term_ends_on=today - dt.timedelta(days=10))
    lapsed = services.appraisal_record(actor=SYSTEM, appointment=over, year=LAST_YEAR,
                                       score=Decimal(50), grade=Grade.BASIC,
                                       decision=Decision.NOT_RENEW)
    services.appraisal_confirm(actor=SYSTEM, appraisal=lapsed)
    over.refresh_from_db()
    assert over.ended_on == today - dt.timedelta(days=10)
    renewed = services.appraisal_record(actor=SYSTEM, appointment=make_officer(
        unit=tree.other_village, name="续聘"), year=LAST_YEAR, score=Decimal(90),
        grade=Grade.COMPETENT, decision=Decision.RENEW)
    with pytest.raises(ValidationError):
        services.appraisal_confirm(actor=SYSTEM, appraisal=renewed)


def test_appraisal_year_lists_appraised_and_not(tree):
    a = make_officer(unit=tree.community, name="已评")
    make_officer(unit=tree.village, name="未评")
    services.appraisal_record(actor=SYSTEM, appointment=a, year=LAST_YEAR, score=Decimal(80),
                              grade=Grade.COMPETENT, decision=Decision.RENEW)
    lines = {line.appointment.worker.name: line.appraisal
             for line in selectors.appraisal_year(user=tree.township_officer, year=LAST_YEAR)}
    assert set(lines) == {"已评", "未评"}
    assert lines["已评"] is not None and lines["未评"] is None
    assert selectors.appraisal_year(user=tree.township_officer, year=2020) == []


# ---- services: awards -----------------------------------------------------------------------

def test_a_selection_from_nomination_to_the_published_list(tree):
    year = timezone.localdate().year
    award = services.award_round_create(actor=tree.county_admin, unit=tree.county, year=year,
                                        title="优秀残疾人工作专职委员")
    officer = make_officer(unit=tree.community, name="好委员")
    chair = make_officer(unit=tree.township, kind="chair", name="好理事长")
    nomination = services.nomination_create(actor=tree.township_officer, award=award,
                                            unit=tree.township, worker=officer.worker,
                                            reason="走访全覆盖")
    with pytest.raises(ValidationError):  # once per round
        services.nomination_create(actor=tree.township_officer, award=award,
                                   unit=tree.township, worker=officer.worker, reason="再")
    with pytest.raises(ValidationError):  # a worker of another township's area
        services.nomination_create(actor=SYSTEM, award=award, unit=tree.other_township,
                                   worker=chair.worker, reason="好")
    other = services.nomination_create(actor=tree.township_officer, award=award,
                                       unit=tree.township, worker=chair.worker, reason="好")
    with pytest.raises(ValidationError):  # undecided
        services.award_publish(actor=tree.county_admin, award=award)
    with pytest.raises(PermissionDenied):  # the organiser decides
        services.nominations_decide(actor=tree.township_officer, award=award,
                                    decisions={nomination.pk: "selected"})
    services.nominations_decide(actor=tree.county_admin, award=award, decisions={
        nomination.pk: "selected", other.pk: "selected"})
    # Before publication a village officer below sees the round open, not the decisions.
    assert [r.pk for r in selectors.award_list(user=tree.village_officer)] == [award.pk]
    page = selectors.award_page(user=tree.village_officer, award=award)
    assert not page.organiser and page.selected == [] and page.nominations == []
    services.award_publish(actor=tree.county_admin, award=award)
    with pytest.raises(ValidationError):
        services.nomination_create(actor=SYSTEM, award=award, unit=tree.county,
                                   worker=make_worker(unit=tree.village, name="迟"),
                                   reason="迟")
    with pytest.raises(ValidationError):
        services.nominations_decide(actor=tree.county_admin, award=award,
                                    decisions={nomination.pk: "not_selected"})
    assert [r.pk for r in selectors.award_list(user=tree.village_officer)] == [award.pk]
    # A village liaison officer selected is preferred for a township post; a chair is not.
    assert selectors.preferred_worker_ids([officer.worker_id, chair.worker_id]) == \
        {officer.worker_id}
    assert selectors.worker_record(worker=officer.worker).preferred


def test_an_old_selection_no_longer_makes_preferred(tree):
    old_year = timezone.localdate().year - rules.PREFERRED_YEARS
    award = services.award_round_create(actor=SYSTEM, unit=tree.county, year=old_year,
                                        title="优秀残疾人工作专职委员")
    officer = make_officer(unit=tree.community, starts_on=dt.date(old_year, 1, 1))
    nomination = services.nomination_create(actor=SYSTEM, award=award, unit=tree.county,
                                            worker=officer.worker, reason="好")
    services.nominations_decide(actor=SYSTEM, award=award,
                                decisions={nomination.pk: "selected"})
    services.award_publish(actor=SYSTEM, award=award)
    assert selectors.preferred_worker_ids([officer.worker_id]) == set()


# ---- pages ----------------------------------------------------------------------------------

def test_training_pages_record_a_session_and_its_attendance(tree, client_for):
    client = client_for(tree.township_officer)
    a = make_worker(unit=tree.community, name="甲委员")
    b = make_worker(unit=tree.village, name="乙委员")
    day = timezone.localdate() - dt.timedelta(days=1)
    response = client.get(reverse("workforce:training_create"))
    assert response.status_code == 200
    form = response.context["form"]
    response = client.post(reverse("workforce:training_create"), {
        "unit": tree.township.pk, "title": "会师镇专职委员培训", "level": "township",
        "starts_on": day.isoformat(), "ends_on": day.isoformat(), "hours": "3",
        "trainer": "", "content": "", **_guard(form)})
    assert response.status_code == 302, response.context["form"].errors
    session = tree.township.training_sessions.get()
    page = client.get(reverse("workforce:training_attendance", args=[session.pk]))
    body = page.content.decode()
    assert "甲委员" in body and "乙委员" in body
    response = client.post(reverse("workforce:training_attendance", args=[session.pk]), {
        "workers": [a.pk, b.pk], **_guard(page.context["form"])})
    assert response.status_code == 302
    assert session.attendances.count() == 2
    detail = client.get(session.get_absolute_url()).content.decode()
    assert "甲委员" in detail and "乙委员" in detail
    register = client.get(reverse("workforce:training_list"), {"q": "会师镇"})
    assert "会师镇专职委员培训" in register.content.decode()
    export = client.get(reverse("workforce:training_export"))
    assert export.status_code == 200 and export.content.startswith(b"PK")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export.content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "会师镇专职委员培训" in values
    file = client.get(a.get_absolute_url()).content.decode()
    assert "会师镇专职委员培训" in file


def test_a_bad_session_gets_a_chinese_message(tree, client_for):
    client = client_for(tree.township_officer)
    form = client.get(reverse("workforce:training_create")).context["form"]
    response = client.post(reverse("workforce:training_create"), {
        "unit": tree.township.pk, "title": "培训", "level": "county",
        "starts_on": "2025-03-02", "ends_on": "2025-03-01", "hours": "3", **_guard(form)})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "level" in errors and "ends_on" in errors
    assert "县" in errors["level"][0]


def _guard(form) -> dict:
    """The hidden fields the form guards added (the one-time token, the version)."""
    return {name: field.initial if field.initial is not None else form.initial.get(name, "")
            for name, field in form.fields.items() if field.widget.is_hidden}


def test_appraisal_pages_propose_and_confirm(tree, client_for):
    officer = make_officer(unit=tree.community, name="待评")
    township = client_for(tree.township_officer)
    url = reverse("workforce:appraisal_form", args=[officer.pk]) + f"?year={LAST_YEAR}"
    page = township.get(url)
    assert page.status_code == 200
    response = township.post(url, {"score": "85", "grade": "incompetent",
                                   "decision": "renew", **_guard(page.context["form"])})
    assert response.status_code == 200 and "decision" in response.context["form"].errors
    page = township.get(url)
    response = township.post(url, {"score": "45", "grade": "incompetent",
                                   "decision": "not_renew", **_guard(page.context["form"])})
    assert response.status_code == 302
    appraisal = officer.appraisals.get()
    listing = township.get(reverse("workforce:appraisal_year"), {"year": LAST_YEAR})
    assert "待评" in listing.content.decode()
    assert township.get(reverse("workforce:appraisal_confirm",
                                args=[appraisal.pk])).status_code == 403
    admin = client_for(tree.county_admin)
    page = admin.get(reverse("workforce:appraisal_confirm", args=[appraisal.pk]))
    assert page.status_code == 200
    response = admin.post(reverse("workforce:appraisal_confirm", args=[appraisal.pk]),
                          _guard(page.context["form"]))
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.end_reason == EndReason.NOT_RENEWED
    bad = admin.get(reverse("workforce:appraisal_year"), {"year": "abc"})
    assert bad.status_code == 200 and bad.context["form"].errors


def test_award_pages(tree, client_for):
    officer = make_officer(unit=tree.community, name="优秀委员")
    admin = client_for(tree.county_admin)
    page = admin.get(reverse("workforce:award_create"))
    response = admin.post(reverse("workforce:award_create"), {
        "unit": tree.county.pk, "year": timezone.localdate().year,
        "title": "优秀残疾人工作专职委员", **_guard(page.context["form"])})
    assert response.status_code == 302
    award = selectors.award_list(user=tree.county_admin)[0]
    township = client_for(tree.township_officer)
    page = township.get(reverse("workforce:award_nominate", args=[award.pk]))
    assert page.status_code == 200
    response = township.post(reverse("workforce:award_nominate", args=[award.pk]), {
        "worker": officer.worker_id, "reason": "全年走访到位", **_guard(page.context["form"])})
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert nomination.unit == tree.township
    admin = client_for(tree.county_admin)  # the one test client, logged in again
    page = admin.get(reverse("workforce:award_decide", args=[award.pk]))
    response = admin.post(reverse("workforce:award_decide", args=[award.pk]), {
        f"n{nomination.pk}": "selected", **_guard(page.context["form"])})
    assert response.status_code == 302
    assert admin.post(reverse("workforce:award_publish", args=[award.pk])).status_code == 302
    award.refresh_from_db()
    assert award.published_on
    board = admin.get(reverse("workforce:board_unit", args=[tree.township.pk])).content.decode()
    assert "乡镇岗位" in board or "township post" in board
    village = client_for(tree.village_officer)
    body = village.get(award.get_absolute_url()).content.decode()
    assert "优秀委员" in body
    neighbour = org_services.unit_create(actor=SYSTEM, parent=tree.city, level=Level.COUNTY,
                                         code="620421", name="靖远县")
    from accounts.tests.factories import UserFactory

    outsider = UserFactory(username="t_jingyuan", unit=neighbour, role=Role.ADMIN)
    assert client_for(outsider).get(award.get_absolute_url()).status_code == 404


# ---- query counts ---------------------------------------------------------------------------

def _grow(tree, n):
    """``n`` more villages in each township, each with a liaison officer who attended a
    session."""
    session = make_session(tree.county, title=f"县级培训{n}")
    workers = []
    for township in (tree.township, tree.other_township):
        for i in range(n):
            code = f"{township.code}{300 + i + (n * 10):03d}"
            village = org_services.unit_create(actor=SYSTEM, parent=township,
                                               level=Level.VILLAGE, code=code,
                                               name=f"新村{code}")
            appointment = make_officer(unit=village, name=f"委员{code}")
            workers.append(appointment.worker)
    services.attendance_set(actor=SYSTEM, session=session, workers=workers)


@pytest.mark.parametrize("name,params", [
    ("workforce:training_shortfalls", {"year": LAST_YEAR}),
    ("workforce:training_list", {}),
    ("workforce:appraisal_year", {"year": LAST_YEAR}),
    ("workforce:award_list", {}),
])
def test_pages_query_counts_do_not_grow(tree, client_for, django_assert_max_num_queries, name,
                                        params):
    client = client_for(tree.county_admin)
    _grow(tree, 1)
    with django_assert_max_num_queries(30) as small:
        assert client.get(reverse(name), params).status_code == 200
    _grow(tree, 6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse(name), params)
    assert response.status_code == 200


def test_session_and_attendance_pages_query_counts_do_not_grow(tree, client_for,
                                                               django_assert_max_num_queries):
    client = client_for(tree.county_admin)
    _grow(tree, 1)
    session = Attendance.objects.first().session
    urls = [session.get_absolute_url(),
            reverse("workforce:training_attendance", args=[session.pk])]
    counts = []
    for url in urls:
        with django_assert_max_num_queries(30) as small:
            assert client.get(url).status_code == 200
        counts.append(len(small.captured_queries))
    _grow(tree, 6)
    session = Attendance.objects.order_by("-id").first().session
    urls = [session.get_absolute_url(),
            reverse("workforce:training_attendance", args=[session.pk])]
    assert session.attendances.count() == 12
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200


def test_shortfall_selector_is_a_fixed_number_of_queries(tree, django_assert_num_queries):
    _grow(tree, 2)
    with django_assert_num_queries(1):
        small = selectors.training_shortfalls(user=SYSTEM, year=LAST_YEAR)
    _grow(tree, 8)
    with django_assert_num_queries(1):
        large = selectors.training_shortfalls(user=SYSTEM, year=LAST_YEAR)
    assert len(large) > len(small) >= 4


def test_worker_file_shows_the_year_to_come(tree, client_for):
    officer = make_officer(unit=tree.community, name="新委员")
    body = client_for(tree.village_officer).get(officer.worker.get_absolute_url())
    assert body.status_code == 200
    record = body.context["record"]
    assert record.years[0].year == timezone.localdate().year
    assert record.years[0].missing == 2
    assert Appointment.objects.filter(pk=officer.pk).exists()


def test_a_county_session_is_read_from_below_and_changed_only_above(tree, client_for):
    session = make_session(tree.county, title="全县培训")
    here = make_worker(unit=tree.community, name="本村委员")
    there = make_worker(unit=tree.other_village, name="外镇委员")
    services.attendance_set(actor=SYSTEM, session=session, workers=[here, there])
    client = client_for(tree.village_officer)
    response = client.get(session.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "本村委员" in body and "外镇委员" not in body
    assert response.context["attendees"] == 2 and not response.context["own"]
    assert "全县培训" in client.get(reverse("workforce:training_list")).content.decode()
    township = client_for(tree.township_officer)
    assert township.get(reverse("workforce:training_edit", args=[session.pk])).status_code == 404
    assert township.get(reverse("workforce:training_attendance",
                                args=[session.pk])).status_code == 404
    own = make_session(tree.township, title="镇培训")
    assert client_for(tree.other_officer).get(own.get_absolute_url()).status_code == 404


def test_the_shortfall_list_exports(tree, client_for):
    make_officer(unit=tree.community, name="缺培训")
    client = client_for(tree.county_admin)
    response = client.get(reverse("workforce:training_shortfalls"),
                          {"year": LAST_YEAR, "export": "xlsx"})
    assert response.status_code == 200 and response.content.startswith(b"PK")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows(values_only=True) if "缺培训" in row]
    assert len(rows) == 1 and rows[0][-3:] == (2, 0, 2)
    assert AuditLog.objects.filter(action="export", object_repr="培训未达标人员").exists()
    # A leader reads the list but does not take it out.
    leader = client_for(tree.leader)
    page = leader.get(reverse("workforce:training_shortfalls"), {"year": LAST_YEAR,
                                                                "export": "xlsx"})
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
