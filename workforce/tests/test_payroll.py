"""Subsidies and payroll: policies, a run computed and confirmed, the lock, adjustments, the
documents, the worker's own file, query counts."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import Action, AuditLog
from core.actors import SYSTEM
from workforce import payroll_services as services
from workforce.models import PayrollLine, PayrollRun
from workforce.tests.factories import make_confirmed_run, make_officer, make_policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(tree):
    """Two liaison officers of 会师镇's villages, one from 16 March 2024, and the county's
    200 yuan a month for village liaison officers."""
    tree.full = make_officer(unit=tree.community, name="全月")
    tree.part = make_officer(unit=tree.village, name="半月", starts_on=dt.date(2024, 3, 16))
    tree.full.worker.bank_account = "6228480010000000009"
    tree.full.worker.save(update_fields=["bank_cipher"])
    tree.policy = make_policy(unit=tree.county)
    return tree


def _amounts(run):
    return {line.worker.name: line.amount for line in run.lines.select_related("worker")}


def test_a_run_computes_each_officer_from_appointments_and_policies(paid):
    run = services.payroll_run(actor=paid.county_admin, unit=paid.township, cycle="monthly",
                               year=2024, part=3)
    assert run.status == "draft" and (run.period_start, run.period_end) == (
        dt.date(2024, 3, 1), dt.date(2024, 3, 31))
    assert _amounts(run) == {"全月": Decimal("200.00"), "半月": Decimal("103.23")}
    line = run.lines.get(worker=paid.part.worker)
    assert (line.days, line.basis, line.post_title, line.unit) == (
        16, "200.00×16/31", "村（社区）专职委员", paid.village)


def test_a_run_outside_the_policy_dates_pays_nothing(paid):
    make_policy(unit=paid.county, name="旧标准", monthly_amount="50.00",
                valid_from=dt.date(2011, 1, 1), valid_to=dt.date(2011, 12, 31))
    run = services.payroll_run(actor=SYSTEM, unit=paid.county, cycle="monthly", year=2024,
                               part=3)
    assert set(run.lines.values_list("policy", flat=True)) == {paid.policy.pk}


def test_a_confirmed_period_is_locked_for_the_same_and_overlapping_areas(paid):
    run = make_confirmed_run(unit=paid.township)
    assert run.is_locked and run.batch == "202403-01" and run.confirmed_at is not None
    for unit in (paid.township, paid.county, paid.community):
        with pytest.raises(ValidationError) as exc:
            services.payroll_run(actor=SYSTEM, unit=unit, cycle="monthly", year=2024, part=3)
        assert "锁定" in str(exc.value) or "locked" in str(exc.value)
    # Another township, another month, or the half-yearly policies are not locked by it.
    services.payroll_run(actor=SYSTEM, unit=paid.other_township, cycle="monthly", year=2024,
                         part=3)
    services.payroll_run(actor=SYSTEM, unit=paid.township, cycle="monthly", year=2024, part=4)
    services.payroll_run(actor=SYSTEM, unit=paid.township, cycle="half_yearly", year=2024,
                         part=1)


def test_a_second_preview_of_a_confirmed_period_cannot_be_confirmed(paid):
    first = services.payroll_run(actor=SYSTEM, unit=paid.township, cycle="monthly",
                                 year=2024, part=3)
    second = services.payroll_run(actor=SYSTEM, unit=paid.county, cycle="monthly",
                                  year=2024, part=3)
    services.payroll_confirm(actor=SYSTEM, run=first)
    with pytest.raises(ValidationError):
        services.payroll_confirm(actor=SYSTEM, run=second)
    with pytest.raises(ValidationError):
        services.payroll_confirm(actor=SYSTEM, run=first)
    with pytest.raises(ValidationError):
        services.payroll_refresh(actor=SYSTEM, run=first)
    assert PayrollRun.objects.filter(status="confirmed").count() == 1


def test_the_unique_constraint_stands_behind_the_lock(paid):
    from django.db import IntegrityError, transaction

    first = make_confirmed_run(unit=paid.township)
    second = PayrollRun.objects.create(unit=paid.township, cycle="monthly",
                                       period_start=first.period_start,
                                       period_end=first.period_end)
    with pytest.raises(IntegrityError), transaction.atomic():
        PayrollRun.objects.filter(pk=second.pk).update(status="confirmed")


def test_an_adjustment_is_a_line_of_its_own_in_a_batch_of_its_own(paid):
    run = make_confirmed_run(unit=paid.township)
    before = list(run.lines.values_list("id", "amount"))
    adjustment = services.payroll_adjust(
        actor=paid.county_admin, run=run, id_number=paid.part.worker.id_number,
        subsidy_kind="public_welfare", amount=Decimal("-3.23"), reason="按整百发放，多算")
    assert (adjustment.line_kind, adjustment.batch, adjustment.unit) == (
        "adjustment", 2, paid.village)
    assert list(run.lines.filter(line_kind="computed").values_list("id", "amount")) == before
    second = services.payroll_adjust(
        actor=SYSTEM, run=run, id_number=paid.full.worker.id_number,
        subsidy_kind="public_welfare", amount=Decimal("10.00"), reason="补发")
    assert second.batch == 3
    with pytest.raises(ValidationError) as exc:
        services.payroll_adjust(actor=SYSTEM, run=run, id_number=paid.full.worker.id_number,
                                subsidy_kind="public_welfare", amount=Decimal("1"), reason="")
    assert "reason" in exc.value.error_dict
    assert AuditLog.objects.filter(action=Action.CREATE, object_id=str(adjustment.pk)).exists()


def test_a_preview_is_not_adjusted_and_an_outsider_not_found(paid):
    run = services.payroll_run(actor=SYSTEM, unit=paid.township, cycle="monthly", year=2024,
                               part=3)
    with pytest.raises(ValidationError):
        services.payroll_adjust(actor=SYSTEM, run=run, id_number=paid.full.worker.id_number,
                                subsidy_kind="public_welfare", amount=Decimal("1"), reason="x")
    services.payroll_confirm(actor=SYSTEM, run=run)
    stranger = make_officer(unit=paid.other_village, name="外镇")
    with pytest.raises(ValidationError) as exc:
        services.payroll_adjust(actor=SYSTEM, run=run, id_number=stranger.worker.id_number,
                                subsidy_kind="public_welfare", amount=Decimal("1"), reason="x")
    assert "id_number" in exc.value.error_dict


def test_only_administrators_run_and_confirm(paid):
    with pytest.raises(PermissionDenied):
        services.payroll_run(actor=paid.township_officer, unit=paid.township,
                             cycle="monthly", year=2024, part=3)
    with pytest.raises(PermissionDenied):
        make_policy(unit=paid.township, actor=paid.township_officer)


def test_a_period_to_come_is_refused(paid):
    with pytest.raises(ValidationError):
        services.payroll_run(actor=SYSTEM, unit=paid.township, cycle="monthly",
                             year=dt.date.today().year + 1, part=1)


def test_half_yearly_policies_are_run_by_half_year(paid):
    for year, amount in ((2011, "50.00"), (2012, "80.00"), (2013, "100.00")):
        make_policy(unit=paid.county, name=f"误工补助{year}", kind="allowance_plus",
                    cycle="half_yearly", monthly_amount=amount, valid_from=dt.date(year, 1, 1),
                    valid_to=dt.date(year, 12, 31))
    officer = make_officer(unit=paid.community, kind="chair", name="老委员",
                           starts_on=dt.date(2010, 5, 1))
    make_policy(unit=paid.county, name="主席补助", post_kind="chair", kind="allowance_plus",
                cycle="half_yearly", monthly_amount="30.00", valid_from=dt.date(2012, 1, 1))
    run = services.payroll_run(actor=SYSTEM, unit=paid.county, cycle="half_yearly",
                               year=2012, part=2)
    assert _amounts(run) == {"老委员": Decimal("180.00")}
    assert run.lines.get(worker=officer.worker).basis == "30.00×6"


def test_a_policy_with_bad_values_is_refused_with_messages(paid):
    with pytest.raises(ValidationError) as exc:
        make_policy(unit=paid.county, monthly_amount="0", valid_to=dt.date(2019, 1, 1))
    assert {"monthly_amount", "valid_to"} <= set(exc.value.error_dict)


# ---- pages -----------------------------------------------------------------------------------

def test_the_pages_of_a_run_from_preview_to_bank_file(paid, client_for):
    client = client_for(paid.county_admin)
    response = client.post(reverse("workforce:payroll_create"), {
        "unit": paid.township.pk, "unit_text": paid.township.name, "cycle": "monthly",
        "year": 2024, "month": 3})
    assert response.status_code == 302, response.content.decode()[:3000]
    run = PayrollRun.objects.get()
    page = client.get(run.get_absolute_url()).content.decode()
    assert "103.23" in page and "200.00×16/31" in page and "÷" in page
    assert "6228480010000000009" not in page and "0009" in page  # masked
    response = client.post(reverse("workforce:payroll_confirm", args=[run.pk]),
                           _guards(client, reverse("workforce:payroll_confirm", args=[run.pk])))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.is_locked
    sheet = load_workbook(io.BytesIO(client.get(
        reverse("workforce:payroll_sheet", args=[run.pk])).content))
    rows = list(sheet.active.iter_rows(values_only=True))
    assert rows[1][3] == "姓名" and any(r[1] == "合计" and r[10] == 303.23 for r in rows)
    assert any(str(r[1]).startswith("计算规则") for r in rows)
    response = client.get(reverse("workforce:payroll_bank", args=[run.pk]))
    bank = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert bank[1] == ("项目", "单位", "年", "月", "批次", "姓名", "身份证号", "银行账号", "金额",
                       "备注")
    full = next(r for r in bank if r[5] == "全月")
    assert full[7] == "6228480010000000009" and full[6] == paid.full.worker.id_number
    assert (full[2], full[3], full[4], full[8]) == (2024, "3", "202403-01", 200)
    assert AuditLog.objects.filter(action=Action.EXPORT, object_id=str(run.pk),
                                   detail__document="bank.xlsx").exists()
    # A township officer reads the run but gets no bank file.
    officer = client_for(paid.township_officer)
    assert officer.get(run.get_absolute_url()).status_code == 200
    assert officer.get(reverse("workforce:payroll_bank", args=[run.pk])).status_code == 403


def _guards(client, url) -> dict:
    """The hidden inputs (token, version) of the form at ``url``."""
    import re

    page = client.get(url).content.decode()
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))


def test_the_run_page_costs_the_same_queries_for_more_workers(paid, client_for,
                                                             django_assert_max_num_queries):
    client = client_for(paid.county_admin)
    run = make_confirmed_run(unit=paid.county)
    with django_assert_max_num_queries(14) as few:
        client.get(run.get_absolute_url())
    for i in range(8):
        make_officer(unit=paid.village if i % 2 else paid.community, kind="liaison",
                     name=f"委员{i}", starts_on=dt.date(2024, 2, 1))
    more = make_confirmed_run(unit=paid.county, part=4)
    assert more.lines.count() > run.lines.count()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(more.get_absolute_url())
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("workforce:payroll_list"))


def test_a_run_costs_the_same_queries_for_more_officers(paid, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        services.payroll_run(actor=SYSTEM, unit=paid.county, cycle="monthly", year=2024,
                             part=3)
    for i in range(10):
        make_officer(unit=paid.village if i % 2 else paid.community, name=f"多{i}",
                     kind="counsellor")
    make_policy(unit=paid.county, name="辅导员补贴", post_kind="counsellor")
    with django_assert_max_num_queries(len(few.captured_queries)):
        more = services.payroll_run(actor=SYSTEM, unit=paid.county, cycle="monthly",
                                    year=2024, part=4)
    assert more.lines.count() == 12


def test_the_pdf_renders_with_the_font(paid, client_for):
    import pypdf

    client = client_for(paid.county_admin)
    run = make_confirmed_run(unit=paid.township)
    response = client.get(reverse("workforce:payroll_pdf", args=[run.pk]))
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(content))
    page = reader.pages[0]
    fonts = {str(f.get_object()["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}
    assert any("WenQuanYi" in name for name in fonts), fonts
    text = page.extract_text()
    assert "签名" in text and "半月" in text and "103.23" in text
    # A4 portrait, in points.
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


def test_a_village_officer_sees_their_own_subsidy_on_their_file(paid, client_for):
    worker = paid.full.worker
    worker.user = paid.village_officer  # 东山根社区's officer
    worker.save(update_fields=["user"])
    run = make_confirmed_run(unit=paid.township)
    services.payroll_adjust(actor=SYSTEM, run=run, id_number=worker.id_number,
                            subsidy_kind="public_welfare", amount=Decimal("5.00"),
                            reason="补发三月")
    client = client_for(paid.village_officer)
    page = client.get(worker.get_absolute_url()).content.decode()
    assert "200.00" in page and "补发三月" in page
    # Not a run's page, and not someone else's subsidy.
    assert client.get(run.get_absolute_url()).status_code == 403
    other = make_officer(unit=paid.community, kind="chair", name="主席")
    PayrollLine.objects.create(run=run, unit=paid.community, worker=other.worker,
                               subsidy_kind="lost_work", amount=Decimal("77.77"), batch=9,
                               line_kind="adjustment", reason="别人的")
    page = client.get(other.worker.get_absolute_url()).content.decode()
    assert "77.77" not in page


def test_the_policy_pages(paid, client_for):
    client = client_for(paid.county_admin)
    page = client.get(reverse("workforce:policy_list")).content.decode()
    assert paid.policy.name in page
    url = reverse("workforce:policy_edit", args=[paid.policy.pk])
    data = {**_guards(client, url), "name": "新名", "post_kind": "liaison", "unit_level": 5,
            "unit_kind": "community", "kind": "public_welfare", "funding": "county_budget",
            "cycle": "monthly", "monthly_amount": "500.00", "valid_from": "2020-01-01",
            "valid_to": "", "document_number": "会残联发〔2012〕14号"}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    paid.policy.refresh_from_db()
    assert (paid.policy.name, paid.policy.monthly_amount, paid.policy.unit_kind) == (
        "新名", Decimal("500.00"), "community")
    bad = {**data, "monthly_amount": "-1", **_guards(client, url)}
    response = client.post(url, bad)
    assert response.status_code == 200 and "须大于0元" in response.content.decode()
    paid.policy.refresh_from_db()
    assert paid.policy.monthly_amount == Decimal("500.00")
    assert client_for(paid.township_officer).get(url).status_code == 403


def test_the_demo_has_the_reports_policies_and_one_confirmed_period(tree):
    from workforce.models import SubsidyPolicy
    from workforce.payroll_demo import load_payroll_demo

    community = make_officer(unit=tree.community, name="社区委员")
    village = make_officer(unit=tree.village, name="村委员")
    township = make_officer(unit=tree.township, name="镇委员")
    run = load_payroll_demo(tree.county, today=dt.date(2024, 4, 10))
    assert run.is_locked and run.period_label == "2024年3月" and run.unit == tree.county
    assert _amounts(run) == {"社区委员": Decimal("500.00"), "村委员": Decimal("100.00"),
                             "镇委员": Decimal("500.00")}
    amounts = set(SubsidyPolicy.objects.values_list("monthly_amount", flat=True))
    assert {Decimal("200.00"), Decimal("500.00"), Decimal("100.00"), Decimal("50.00"),
            Decimal("80.00")} <= amounts
    assert SubsidyPolicy.objects.filter(cycle="half_yearly").count() == 3
    township.worker.refresh_from_db()
    assert township.worker.bank_account.startswith("62284800")
    # Again: nothing twice.
    assert load_payroll_demo(tree.county, today=dt.date(2024, 4, 10)).pk == run.pk
    assert SubsidyPolicy.objects.count() == 8 and PayrollRun.objects.count() == 1
    # The reports' 2012 half-year (80 yuan a month), for a village officer since 2010.
    make_officer(unit=tree.village, name="老村委员", starts_on=dt.date(2010, 1, 1))
    old = services.payroll_run(actor=SYSTEM, unit=tree.county, cycle="half_yearly",
                               year=2012, part=1)
    assert _amounts(old) == {"老村委员": Decimal("480.00")}
    assert (community.worker.name, village.worker.name) == ("社区委员", "村委员")


def test_the_policies_from_above_are_listed_but_not_changed(paid, client_for):
    from workforce.payroll_selectors import policy_list

    township_own = make_policy(unit=paid.township, name="镇里的政策")
    make_policy(unit=paid.other_township, name="别镇的政策")
    listed = {p.name: p.own for p in policy_list(user=paid.township_officer)}
    assert listed == {paid.policy.name: False, "镇里的政策": True}
    client = client_for(paid.county_admin)
    page = client.get(reverse("workforce:policy_list")).content.decode()
    assert "别镇的政策" in page and reverse("workforce:policy_edit",
                                         args=[township_own.pk]) in page


def test_a_long_sheet_is_printed_one_unit_at_a_time(paid, client_for, monkeypatch):
    import pypdf

    from workforce import payroll_views

    other = make_officer(unit=paid.other_village, name="外镇委员")
    assert other.worker.pk
    run = make_confirmed_run(unit=paid.county)
    client = client_for(paid.county_admin)
    url = reverse("workforce:payroll_pdf", args=[run.pk])
    response = client.get(f"{url}?unit={paid.township.pk}")
    text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "会师镇残疾人专职委员补贴发放表" in text and "全月" in text and "外镇委员" not in text
    page = client.get(run.get_absolute_url()).content.decode()
    assert f"{url}?unit={paid.other_township.pk}" in page
    monkeypatch.setattr(payroll_views, "PDF_LINES", 2)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].endswith("#print")
    # A unit outside the run's area, or the user's, is not found.
    township_run = make_confirmed_run(unit=paid.township, part=4)
    assert client.get(reverse("workforce:payroll_pdf", args=[township_run.pk]),
                      {"unit": paid.other_township.pk}).status_code == 404
    assert client.get(reverse("workforce:payroll_sheet", args=[township_run.pk]),
                      {"unit": "x"}).status_code == 404
