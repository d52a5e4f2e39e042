"""Responsibility agreements 目标责任书: the rules, the services (sign, edits refused after
signing, a stale edit, a double submit), the indicators held against targets on data built to
reach and to miss them, the missing-inspection reminder, the PDF, the scope and the number of
queries of the list and the reminder."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from core.actors import SYSTEM
from orgs import services as org_services
from orgs.models import Level
from people import services as people_services
from people.tests.factories import make_person
from reports.selectors import home_page
from standards import agreements_rules as rules
from standards import agreements_selectors as selectors
from standards import agreements_services as services
from standards.agreements_choices import AgreementStatus
from standards.models import Agreement, AgreementFinding, AgreementInspection
from standards.tests.factories import officer
from workforce import services as workforce_services

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year


def _agreement(tree, party_b=None, *, year=YEAR, name="", tasks=(("走访", 95, "%", "", ""),)):
    agreement = services.agreement_create(actor=SYSTEM, party_a=tree.county,
                                          party_b=party_b, party_b_name=name, year=year)
    for text, value, unit, words, key in tasks:
        services.task_add(actor=SYSTEM, agreement=agreement, text=text,
                          target_value=None if value is None else Decimal(value),
                          target_unit=unit, target_text=words, indicator=key)
    return agreement


def _sign(agreement, day=None):
    day = day or min(TODAY, dt.date(agreement.year, 1, 10))
    return services.agreement_sign(actor=SYSTEM, agreement=agreement, signatory_a="张县长",
                                   signatory_b="李镇长", signed_a_on=day, signed_b_on=day)


def _inspect(agreement, quarter):
    return services.inspection_record(
        actor=SYSTEM, agreement=agreement, quarter=quarter,
        inspected_on=min(TODAY, rules.quarter_end(agreement.year, quarter)),
        inspectors="王五", findings={t.pk: ("met", "") for t in agreement.tasks.all()})


# ---- rules ---------------------------------------------------------------------------------

def test_party_rules():
    ok = rules.party_problems(party_a_level=Level.COUNTY, party_b_level=Level.TOWNSHIP,
                              party_b_in_subtree=True, party_b_name="")
    assert ok == {}
    assert "party_b" in rules.party_problems(party_a_level=Level.COUNTY,
                                             party_b_level=Level.TOWNSHIP,
                                             party_b_in_subtree=False, party_b_name="")
    assert "party_b_name" in rules.party_problems(party_a_level=Level.COUNTY,
                                                  party_b_level=Level.TOWNSHIP,
                                                  party_b_in_subtree=True,
                                                  party_b_name="县民政局")
    assert rules.party_problems(party_a_level=Level.COUNTY, party_b_level=None,
                                party_b_in_subtree=False, party_b_name="县民政局") == {}
    # A township signs with its villages, not with the county's departments.
    assert "party_b_name" in rules.party_problems(party_a_level=Level.TOWNSHIP,
                                                  party_b_level=None,
                                                  party_b_in_subtree=False,
                                                  party_b_name="县民政局")
    assert "party_a" in rules.party_problems(party_a_level=Level.VILLAGE,
                                             party_b_level=None, party_b_in_subtree=False,
                                             party_b_name="某")


def test_quarter_rules():
    assert rules.quarter_end(2025, 1) == dt.date(2025, 3, 31)
    assert rules.quarter_end(2025, 4) == dt.date(2025, 12, 31)
    assert rules.quarters_due(2025, dt.date(2025, 7, 1)) == [1, 2]
    assert rules.quarters_due(2025, dt.date(2025, 6, 30)) == [1]
    assert rules.quarters_due(2024, dt.date(2025, 1, 2)) == [1, 2, 3, 4]
    assert rules.missing_quarters(status=AgreementStatus.SIGNED, year=2025, inspected={1},
                                  today=dt.date(2025, 10, 8)) == [2, 3]
    assert rules.missing_quarters(status=AgreementStatus.DRAFT, year=2025, inspected=set(),
                                  today=dt.date(2025, 10, 8)) == []
    assert rules.missing_quarters(status=AgreementStatus.CLOSED, year=2025, inspected=set(),
                                  today=dt.date(2026, 1, 8)) == []


def test_targets_and_numerals():
    assert rules.target_met(Decimal("96.0"), Decimal("95"), True) is True
    assert rules.target_met(Decimal("94.9"), Decimal("95"), True) is False
    assert rules.target_met(None, Decimal("95"), False) is None
    assert rules.target_met(None, None, True) is True
    assert [rules.numeral(n) for n in (1, 2, 10, 11, 20, 23)] == \
        ["一", "二", "十", "十一", "二十", "二十三"]


def test_sign_and_acceptance_rules():
    common = {"status": AgreementStatus.DRAFT, "tasks": 1, "signatory_a": "甲",
              "signatory_b": "乙", "year": 2025, "today": dt.date(2025, 3, 1)}
    assert rules.sign_problems(signed_a_on=dt.date(2025, 1, 2),
                               signed_b_on=dt.date(2024, 12, 30), **common) == {}
    assert "signed_a_on" in rules.sign_problems(signed_a_on=dt.date(2025, 3, 2),
                                                signed_b_on=dt.date(2025, 1, 2), **common)
    assert "__all__" in rules.sign_problems(**{**common, "tasks": 0},
                                            signed_a_on=dt.date(2025, 1, 2),
                                            signed_b_on=dt.date(2025, 1, 2))
    args = {"status": AgreementStatus.SIGNED, "today": dt.date(2026, 1, 5), "year": 2025,
            "accepted_by": "验收组", "grade": "pass"}
    assert rules.acceptance_problems(accepted_on=dt.date(2025, 12, 20),
                                     results={1: "met"}, **args) == {}
    assert "accepted_on" in rules.acceptance_problems(accepted_on=dt.date(2025, 11, 20),
                                                      results={1: "met"}, **args)
    assert "__all__" in rules.acceptance_problems(accepted_on=dt.date(2025, 12, 20),
                                                  results={1: ""}, **args)


# ---- services ------------------------------------------------------------------------------

def test_create_with_a_unit_and_with_a_department(tree):
    a = _agreement(tree, tree.township)
    assert a.status == AgreementStatus.DRAFT and a.party_b == tree.township
    assert str(YEAR) in a.title and "会师镇" in a.title
    d = _agreement(tree, name="县民政局", tasks=(("低保", None, "", "应保尽保", ""),))
    assert d.party_b is None and d.party_b_label == "县民政局"
    with pytest.raises(ValidationError) as exc:  # the same parties twice in a year
        _agreement(tree, tree.township)
    assert "party_b" in exc.value.message_dict
    with pytest.raises(ValidationError):  # 乙方 outside 甲方's subtree
        services.agreement_create(actor=SYSTEM, party_a=tree.township,
                                  party_b=tree.other_village, year=YEAR)
    with pytest.raises(ValidationError) as exc:  # a department's task has no indicator
        services.task_add(actor=SYSTEM, agreement=d, text="走访", target_value=Decimal(90),
                          indicator="visit_rate")
    assert "indicator" in exc.value.message_dict


def test_a_township_officer_manages_its_villages_agreements_not_the_countys(tree):
    mine = services.agreement_create(actor=tree.township_officer, party_a=tree.township,
                                     party_b=tree.village, year=YEAR)
    assert mine.party_a == tree.township
    above = _agreement(tree, tree.township)
    with pytest.raises(PermissionDenied):  # 会师镇 is its 乙方: it reads it, does not edit
        services.agreement_update(actor=tree.township_officer, agreement=above, title="改")
    with pytest.raises(PermissionDenied):
        services.agreement_create(actor=tree.village_officer, party_a=tree.township,
                                  party_b=tree.village, year=YEAR)


def test_signing_freezes_the_tasks(tree):
    a = _agreement(tree, tree.township)
    with pytest.raises(ValidationError):  # no signatory or day yet
        services.agreement_sign(actor=SYSTEM, agreement=a, signatory_a="", signatory_b="",
                                signed_a_on=None, signed_b_on=None)
    a = _sign(a)
    assert a.status == AgreementStatus.SIGNED and a.signatory_b == "李镇长"
    with pytest.raises(ValidationError):
        services.agreement_update(actor=SYSTEM, agreement=a, title="改过的")
    with pytest.raises(ValidationError):
        services.task_add(actor=SYSTEM, agreement=a, text="新任务", target_text="完成")
    with pytest.raises(ValidationError):
        services.task_remove(actor=SYSTEM, task=a.tasks.get())
    with pytest.raises(ValidationError):
        _sign(a)
    assert Agreement.objects.get(pk=a.pk).title == a.title and a.tasks.count() == 1


def test_a_stale_edit_is_refused(tree):
    a = Agreement.objects.get(pk=_agreement(tree, tree.township).pk)
    seen = a.version
    services.agreement_update(actor=SYSTEM, agreement=a, title="第一次", expected_version=seen,
                              started_from={"title": a.title})
    with pytest.raises(ValidationError):
        services.agreement_update(actor=SYSTEM, agreement=a, title="第二次",
                                  expected_version=seen, started_from={"title": a.title})
    assert Agreement.objects.get(pk=a.pk).title == "第一次"


def test_an_edit_page_refuses_a_stale_form(tree, client_for):
    a = _agreement(tree, tree.township)
    client = client_for(tree.county_admin)
    url = reverse("standards:agreement_edit", args=[a.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    services.agreement_update(actor=SYSTEM, agreement=a, title="别人改的")
    response = client.post(url, {**data, "title": "我改的"})
    assert response.status_code == 200 and response.context["form"].errors
    assert Agreement.objects.get(pk=a.pk).title == "别人改的"


def test_a_double_submit_creates_one_agreement(tree, client_for):
    client = client_for(tree.county_admin)
    url = reverse("standards:agreement_create")
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"year": YEAR, "party_a": tree.county.pk, "party_b": tree.township.pk})
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == 302 and second.status_code == 302
    assert Agreement.objects.filter(party_b=tree.township, year=YEAR).count() == 1


def test_an_inspection_per_quarter_with_findings_and_a_photo(tree, client_for):
    from ledgers.selectors import attachments_of
    from ledgers.tests.files import jpeg_bytes, upload_of

    a = _sign(_agreement(tree, tree.township, tasks=(("走访", 95, "%", "", ""),
                                                    ("培训", 2, "次", "", ""))))
    t1, t2 = a.tasks.order_by("order")
    client = client_for(tree.county_admin)
    url = reverse("standards:agreement_inspect", args=[a.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields
            if name not in ("photo", "attachments")}
    data.update({"inspected_on": min(TODAY, dt.date(YEAR, 3, 28)).isoformat(), "quarter": 1,
                 "inspectors": "县残联 王五", f"finding_{t1.pk}": "met",
                 f"finding_{t2.pk}": "partly", f"note_{t2.pk}": "只办了一次",
                 "photo": upload_of(jpeg_bytes(), "site.jpg")})
    response = client.post(url, data)
    assert response.status_code == 302
    inspection = AgreementInspection.objects.get(agreement=a)
    assert dict(inspection.findings.values_list("task_id", "finding")) == {
        t1.pk: "met", t2.pk: "partly"}
    files = list(attachments_of(inspection))
    assert len(files) == 1 and files[0].unit_id == tree.township.pk
    # The 乙方's officer sees the photo; the file is served.
    village = client_for(tree.township_officer)
    assert village.get(files[0].get_absolute_url()).status_code == 200
    # The same quarter again is refused (one inspection per quarter).
    with pytest.raises(ValidationError):
        _inspect(a, 1)
    # A missing finding is refused on the form, in Chinese, and nothing is written.
    data.pop(f"finding_{t2.pk}")
    data["quarter"] = 2
    data.pop("photo")
    client = client_for(tree.county_admin)  # (the same test client, logged in again)
    again = client.get(url)
    assert again.status_code == 200, again.status_code
    form = again.context["form"]
    data.update({n: form[n].value() for n in form.fields if n == "form_token"})
    response = client.post(url, data)
    assert response.status_code == 200 and response.context["form"].errors
    assert AgreementInspection.objects.filter(agreement=a).count() == 1


def test_the_acceptance_closes_the_agreement(tree):
    year = YEAR - 1
    a = _sign(_agreement(tree, tree.township, year=year), day=dt.date(year, 1, 8))
    task = a.tasks.get()
    with pytest.raises(ValidationError):  # a result for every task
        services.acceptance_record(actor=SYSTEM, agreement=a, accepted_on=dt.date(year, 12, 20),
                                   accepted_by="验收组", grade="pass", results={})
    a = services.acceptance_record(actor=SYSTEM, agreement=a,
                                   accepted_on=dt.date(year, 12, 20), accepted_by="县残联验收组",
                                   grade="pass",
                                   results={task.pk: ("basic", Decimal("8.5"), "略有不足")})
    assert a.status == AgreementStatus.CLOSED and a.grade == "pass"
    task.refresh_from_db()
    assert (task.result, task.points) == ("basic", Decimal("8.5"))
    with pytest.raises(ValidationError):  # closed: no more inspections
        _inspect(a, 4)


# ---- indicators against targets --------------------------------------------------------------

INDICATOR_TASKS = (("走访率", 50, "%", "", "visit_rate"),
                   ("专职委员配备", 100, "%", "", "liaison_coverage"),
                   ("培训", 2, "次", "", "trainings_held"),
                   ("年度计划", None, "", "制定", "annual_plan"))


def _train(unit, n):
    for i in range(n):
        day = min(TODAY, dt.date(YEAR, 3, 1 + i))
        workforce_services.training_create(actor=SYSTEM, unit=unit, title=f"培训{i}",
                                           level="township", starts_on=day, ends_on=day,
                                           hours=Decimal("4"))


def _lines(agreement):
    found = selectors.task_lines(selectors.with_tasks(Agreement.objects.filter(
        pk=agreement.pk).select_related("party_b")))[agreement.pk]
    return {line.task.indicator: line for line in found}


def test_values_against_targets_reached(tree):
    from ledgers import records_services

    for unit in (tree.village, tree.community):
        officer(unit, name=f"{unit.name[:2]}专委")
        person = make_person(unit=unit, name="王一")
        people_services.visit_record(actor=SYSTEM, person=person, mode="home",
                                     worker_name="刘", visited_on=TODAY)
    _train(tree.township, 2)
    records_services.plan_create(actor=SYSTEM, unit=tree.township, year=YEAR)
    lines = _lines(_agreement(tree, tree.township, tasks=INDICATOR_TASKS))
    assert lines["visit_rate"].value == Decimal("100.0")
    assert lines["liaison_coverage"].value == Decimal("100.0")
    assert lines["trainings_held"].value == 2
    assert all(line.reached is True for line in lines.values()), {
        k: (v.value, v.reached) for k, v in lines.items()}


def test_values_against_targets_missed(tree):
    officer(tree.village)  # 东山根社区 has none: 1 of 2
    seen = make_person(unit=tree.village, name="王一")
    make_person(unit=tree.community, name="赵二")
    make_person(unit=tree.community, name="赵三")
    people_services.visit_record(actor=SYSTEM, person=seen, mode="home", worker_name="刘",
                                 visited_on=TODAY)
    _train(tree.township, 1)
    # The other township's training is not 会师镇's.
    _train(tree.other_township, 3)
    lines = _lines(_agreement(tree, tree.township, tasks=INDICATOR_TASKS))
    assert lines["visit_rate"].value == Decimal("33.3") and lines["visit_rate"].reached is False
    assert lines["liaison_coverage"].value == Decimal("50.0")
    assert lines["liaison_coverage"].reached is False
    assert lines["trainings_held"].value == 1 and lines["trainings_held"].reached is False
    assert lines["annual_plan"].reached is False


def test_the_detail_page_shows_values_against_targets(tree, client_for):
    officer(tree.village)
    a = _agreement(tree, tree.township, tasks=INDICATOR_TASKS)
    officer(tree.community, name="赵专委")
    _train(tree.township, 1)
    page = client_for(tree.county_admin).get(a.get_absolute_url()).content.decode()
    # 专职委员: 2 of 2 (100 %, reached); trainings: 1 of 2 (below); visits: no one registered.
    assert "100 %" in page and "1 次" in page
    assert page.count("badge--ok") == 1 and page.count("badge--warn") == 2
    assert reverse("workforce:board_unit", args=[tree.township.pk]) in page


# ---- the reminder ----------------------------------------------------------------------------

def test_a_missing_quarter_reminds_the_level_above(tree, client_for):
    today = dt.date(YEAR, 12, 1) if TODAY >= dt.date(YEAR, 12, 1) else TODAY
    a = _sign(_agreement(tree, tree.township))
    due = rules.quarters_due(YEAR, today)
    for quarter in due[:-1]:
        _inspect(a, quarter)
    reminders = selectors.missing_inspections(user=tree.county_admin, today=today)
    if not due:
        assert reminders == []
        return
    assert [(r.agreement.pk, r.quarters) for r in reminders] == [(a.pk, (due[-1],))]
    # The 乙方 (会师镇) is not reminded: it is the level above that inspects.
    assert selectors.missing_inspections(user=tree.township_officer, today=today) == []
    assert selectors.missing_inspections(user=tree.other_officer, today=today) == []
    page = client_for(tree.county_admin).get(reverse("home")).content.decode()
    assert a.get_absolute_url() in page
    _inspect(a, due[-1])
    assert selectors.missing_inspections(user=tree.county_admin, today=today) == []


def test_a_past_year_without_inspections_reminds_every_quarter(tree):
    year = YEAR - 1
    a = _sign(_agreement(tree, tree.township, year=year), day=dt.date(year, 1, 8))
    _inspect(a, 2)
    found = selectors.missing_inspections(user=tree.county_admin)
    assert [r.quarters for r in found] == [(1, 3, 4)]


def _many(tree, n, start):
    for i in range(n):
        township = org_services.unit_create(actor=SYSTEM, parent=tree.county,
                                            level=Level.TOWNSHIP, code=f"6204229{start + i:02d}",
                                            name=f"新镇{start + i}")
        a = _sign(_agreement(tree, township, year=YEAR - 1,
                             tasks=(("走访", 90, "%", "", "visit_rate"),
                                    ("培训", 2, "次", "", "trainings_held"))),
                  day=dt.date(YEAR - 1, 1, 8))
        _inspect(a, 1)


def test_the_reminder_and_the_list_take_constant_queries(tree, client_for):
    _many(tree, 2, 0)
    client = client_for(tree.county_admin)
    selectors.missing_inspections(user=tree.county_admin)  # the user's permissions, read once
    with CaptureQueriesContext(connection) as small_reminder:
        assert len(selectors.missing_inspections(user=tree.county_admin)) == 2
    with CaptureQueriesContext(connection) as small_list:
        assert client.get(reverse("standards:agreement_list")).status_code == 200
    with CaptureQueriesContext(connection) as small_home:
        home_page(user=tree.county_admin)
    _many(tree, 6, 10)
    with CaptureQueriesContext(connection) as big_reminder:
        assert len(selectors.missing_inspections(user=tree.county_admin)) == 8
    with CaptureQueriesContext(connection) as big_list:
        response = client.get(reverse("standards:agreement_list"))
    assert response.content.decode().count("新镇") >= 8
    with CaptureQueriesContext(connection) as big_home:
        home_page(user=tree.county_admin)
    assert len(big_reminder) == len(small_reminder) <= 2
    assert len(big_list) == len(small_list)
    assert len(big_home) == len(small_home)


def test_task_values_take_constant_queries(tree):
    _many(tree, 2, 0)
    with CaptureQueriesContext(connection) as small:
        selectors.task_lines(selectors.with_tasks(Agreement.objects.select_related("party_b")))
    _many(tree, 6, 10)
    with CaptureQueriesContext(connection) as big:
        lines = selectors.task_lines(selectors.with_tasks(
            Agreement.objects.select_related("party_b")))
    assert len(lines) == 8 and len(big) == len(small)


# ---- the PDF -------------------------------------------------------------------------------

def test_the_pdf_holds_a_copy_for_each_party(tree, client_for):
    from pypdf import PdfReader

    a = _sign(_agreement(tree, tree.township, tasks=(("走访", 95, "%", "", ""),
                                                    ("建家", None, "", "年内建成", ""))),
              day=min(TODAY, dt.date(YEAR, 3, 1)))
    response = client_for(tree.township_officer).get(
        reverse("standards:agreement_pdf", args=[a.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 2
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "")
    assert text.count("目标责任书") >= 2
    assert "甲方留存" in text and "乙方留存" in text
    assert "甲方：会宁县" in text.replace(" ", "")
    assert "乙方：会师镇" in text.replace(" ", "")
    assert "一、走访" in text.replace(" ", "") and "二、建家" in text.replace(" ", "")
    day = a.signed_a_on
    assert f"{day.year}年{day.month}月{day.day}日" in text.replace(" ", "")


# ---- scope and permissions -----------------------------------------------------------------

def test_who_sees_which_agreement(tree, client_for):
    county = _agreement(tree, tree.township)
    other = _agreement(tree, tree.other_township)
    village = services.agreement_create(actor=SYSTEM, party_a=tree.township,
                                        party_b=tree.community, year=YEAR)
    neighbour = org_services.unit_create(actor=SYSTEM, parent=tree.city, level=Level.COUNTY,
                                         code="620421", name="靖远县")
    theirs = services.agreement_create(actor=SYSTEM, party_a=neighbour,
                                       party_b_name="县民政局", year=YEAR)

    def seen(user):
        return set(selectors.agreements_for(user=user).values_list("pk", flat=True))

    assert seen(tree.county_admin) == {county.pk, other.pk, village.pk}
    assert seen(tree.township_officer) == {county.pk, village.pk}  # 乙方 and 甲方
    assert seen(tree.village_officer) == {village.pk}
    assert seen(tree.other_officer) == {other.pk}
    assert seen(tree.leader) == {county.pk, other.pk, village.pk}
    outsider = UserFactory(username="t_jingyuan", unit=neighbour, role=Role.ADMIN)
    assert seen(outsider) == {theirs.pk}
    client = client_for(tree.county_admin)
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(reverse("standards:agreement_pdf", args=[theirs.pk])).status_code == 404
    # 乙方 reads its agreement with the county, but the forms are not for it.
    client = client_for(tree.township_officer)
    assert client.get(county.get_absolute_url()).status_code == 200
    assert client.get(reverse("standards:agreement_edit", args=[county.pk])).status_code == 403
    assert client.get(reverse("standards:agreement_edit", args=[village.pk])).status_code == 200
    client = client_for(tree.village_officer)
    assert client.get(village.get_absolute_url()).status_code == 200
    assert client.get(reverse("standards:agreement_create")).status_code == 403


def test_the_standards_pages_link_to_the_agreements(tree, client_for):
    page = client_for(tree.county_admin).get(
        reverse("standards:attainment", args=[tree.county.pk])).content.decode()
    assert reverse("standards:agreement_list") in page


def test_findings_are_per_task_and_inspection(tree):
    a = _sign(_agreement(tree, tree.township))
    inspection = _inspect(a, 1)
    assert AgreementFinding.objects.filter(inspection=inspection).count() == 1


# ---- the forms ---------------------------------------------------------------------------------

def _form_data(client, url):
    form = client.get(url).context["form"]
    return {name: form[name].value() or "" for name in form.fields}


def test_tasks_signing_and_acceptance_on_the_pages(tree, client_for):
    year = YEAR - 1
    a = services.agreement_create(actor=SYSTEM, party_a=tree.county, party_b=tree.township,
                                  year=year)
    client = client_for(tree.county_admin)
    url = reverse("standards:agreement_task_add", args=[a.pk])
    response = client.post(url, {**_form_data(client, url), "text": "走访",
                                 "target_value": "95", "target_unit": "%",
                                 "indicator": "visit_rate"})
    assert response.status_code == 302
    response = client.post(url, {**_form_data(client, url), "text": "没有目标"})
    assert response.status_code == 200 and "target_value" in response.context["form"].errors
    assert a.tasks.count() == 1
    url = reverse("standards:agreement_sign", args=[a.pk])
    data = {**_form_data(client, url), "signatory_a": "张县长", "signatory_b": "李镇长",
            "signed_a_on": f"{year}-01-08", "signed_b_on": f"{year}-01-09"}
    assert client.post(url, data).status_code == 302
    a.refresh_from_db()
    assert a.status == AgreementStatus.SIGNED and a.signed_b_on == dt.date(year, 1, 9)
    # Signed: adding a task is refused on the form, and nothing is added.
    url = reverse("standards:agreement_task_add", args=[a.pk])
    response = client.post(url, {**_form_data(client, url), "text": "新", "target_text": "完成"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert a.tasks.count() == 1
    task = a.tasks.get()
    url = reverse("standards:agreement_accept", args=[a.pk])
    data = {**_form_data(client, url), "accepted_on": f"{year}-12-28",
            "accepted_by": "县残联验收组", "grade": "excellent", f"result_{task.pk}": "met",
            f"points_{task.pk}": "10"}
    assert client.post(url, data).status_code == 302
    a.refresh_from_db()
    assert a.status == AgreementStatus.CLOSED and a.grade == "excellent"
    page = client.get(a.get_absolute_url()).content.decode()
    assert "县残联验收组" in page
    assert reverse("standards:agreement_inspect", args=[a.pk]) not in page  # closed
