"""The funds ledger (经费台账, issue 18): the rules, the services (create, edit, stale edit,
double submit, void, who may write), the yearly totals (known data, random data against a
sum over the rows, bounded queries), the pages in and out of scope, the workbooks."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.models import Action, AuditLog
from core.actors import SYSTEM
from core.versions import StaleVersion
from ledgers import funds_rules as rules
from ledgers import funds_selectors as selectors
from ledgers import funds_services as services
from ledgers.funds_choices import FundFlow, FundKind
from ledgers.models import FundEntry
from orgs import services as org_services
from orgs.models import Level

TODAY = timezone.localdate
DAY = dt.date(TODAY().year, 1, 1)  # in this year, never after today
YEAR = DAY.year


def entry(unit, flow="received", amount="100", kind="office", counterpart=None, **more):
    more.setdefault("summary", "测试")
    return services.fund_entry_create(actor=SYSTEM, unit=unit, kind=kind, flow=flow,
                                      amount=amount, occurred_on=more.pop("on", DAY),
                                      counterpart=counterpart, **more)


# ---- rules (pure) -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("9000", Decimal("9000.00")), ("9,000.50", Decimal("9000.50")),
    ("0.9万", Decimal("9000.00")), ("0.9万元", Decimal("9000.00")), ("120元", Decimal("120.00")),
    (Decimal("1.5"), Decimal("1.50")), (30, Decimal("30.00")),
])
def test_amounts_are_read_in_yuan(text, expected):
    assert rules.parse_amount(text) == (expected, None)


@pytest.mark.parametrize(("text", "message"), [
    ("", "请填写金额（元）。"), ("-5", "金额必须大于 0 元。"), ("0", "金额必须大于 0 元。"),
    ("1.234", "金额最多两位小数（元、角分）。"), ("九千", "金额必须是元数，例如 9000 或 0.9万。"),
    ("1e3", "金额必须是元数，例如 9000 或 0.9万。"),
    ("99999999999", "金额过大：最多 9,999,999,999.99 元。"),
])
def test_bad_amounts_are_refused_in_chinese(text, message):
    assert rules.parse_amount(text) == (None, message)


def _values(**over):
    return {"kind": "office", "flow": "received", "amount": Decimal("1"), "summary": "x",
            "occurred_on": DAY, "year": YEAR, **over}


def test_the_year_is_the_year_of_the_date():
    problems = rules.entry_problems(_values(year=YEAR - 1), unit_path="0001",
                                    counterpart_path=None, today=TODAY())
    assert problems == {"year": f"年度必须是日期所在的年份（{YEAR}）。"}


def test_a_transfer_goes_strictly_down_the_tree():
    def problems(counterpart):
        return rules.entry_problems(_values(flow="transfer"), unit_path="00010002",
                                    counterpart_path=counterpart, today=TODAY())
    assert problems("000100020003") == {}
    assert problems("0001000200030004") == {}
    down_only = {"counterpart": "费随事转的经费只能下拨给付款单位之下的单位，不能拨给自己或上级。"}
    assert problems("00010002") == down_only  # itself
    assert problems("0001") == down_only  # above
    assert problems("000100050006") == down_only  # a sibling's subtree
    assert "counterpart" in problems(None)
    assert rules.entry_problems(_values(), unit_path="0001", counterpart_path="00010002",
                                today=TODAY()) == {"counterpart": "只有下拨经费才填写拨往单位。"}


def test_no_entry_after_today_and_a_summary_is_required():
    problems = rules.entry_problems(_values(occurred_on=TODAY() + dt.timedelta(days=1),
                                            year=None, summary=" "),
                                    unit_path="0001", counterpart_path=None, today=TODAY())
    assert set(problems) == {"occurred_on", "summary"}


def test_branch_totals_of_known_rows():
    rows = [rules.FlowRow("office", "received", rules.OWN, None, Decimal("9000")),
            rules.FlowRow("office", "spent", rules.OWN, None, Decimal("1000")),
            rules.FlowRow("office", "transfer", rules.OWN, "a", Decimal("3000")),
            rules.FlowRow("office", "transfer", "a", "a", Decimal("500")),  # inside a
            rules.FlowRow("office", "spent", "a", None, Decimal("200")),
            rules.FlowRow("office", "transfer", None, rules.OWN, Decimal("700"))]  # from above
    result = rules.branch_totals(rows, ["a", "b"])
    own, a, b = result.of(rules.OWN), result.of("a"), result.of("b")
    assert (own.received, own.transferred_in, own.spent, own.transferred_out) == (
        9000, 700, 1000, 3000)
    assert own.balance == 5700
    assert (a.transferred_in, a.transferred_out, a.spent, a.balance) == (3000, 0, 200, 2800)
    assert b.empty
    whole = result.whole()
    assert (whole.received, whole.transferred_in, whole.spent, whole.transferred_out) == (
        9000, 700, 1200, 0)
    assert whole.balance == own.balance + a.balance + b.balance == 8500


_branches = st.sampled_from([rules.OWN, "a", "b", "c"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(FundKind.values), st.sampled_from(FundFlow.values),
                          _branches, st.one_of(st.none(), _branches),
                          st.integers(min_value=1, max_value=10**8)), max_size=30))
def test_a_subtree_balance_is_its_branches_balances_added_up(raw):
    rows = [rules.FlowRow(kind, flow, payer, payee if flow == "transfer" else None,
                          Decimal(cents) / 100) for kind, flow, payer, payee, cents in raw]
    result = rules.branch_totals(rows, ["a", "b", "c"])
    branches = [rules.OWN, "a", "b", "c"]
    for kind in (*FundKind.values, None):
        whole = result.whole(kind)
        assert whole.balance == sum((result.of(b, kind).balance for b in branches), Decimal(0))
        assert whole.received == sum((result.of(b, kind).received for b in branches),
                                     Decimal(0))
        assert whole.spent == sum((result.of(b, kind).spent for b in branches), Decimal(0))


# ---- services -----------------------------------------------------------------------------------

def test_an_entry_is_recorded_with_its_year_and_an_audit_entry(tree):
    made = services.fund_entry_create(
        actor=tree.township_officer, unit=tree.township, kind="office", flow="received",
        amount="0.9万", occurred_on=DAY, summary=" 年度办公经费 ", party="县财政局")
    made.refresh_from_db()
    assert (made.amount, made.year, made.summary, made.version) == (
        Decimal("9000.00"), YEAR, "年度办公经费", 1)
    log = AuditLog.objects.get(action=Action.CREATE, object_id=str(made.pk),
                               content_type__model="fundentry")
    assert log.changes["amount"][1] == "9000.00"


def test_a_bad_entry_is_refused_field_by_field(tree):
    with pytest.raises(ValidationError) as error:
        services.fund_entry_create(actor=tree.township_officer, unit=tree.township,
                                   kind="office", flow="transfer", amount="-1",
                                   occurred_on=DAY, year=YEAR + 1, summary="x",
                                   counterpart=tree.township)
    assert set(error.value.message_dict) == {"amount", "year", "counterpart"}
    assert not FundEntry.objects.exists()


def test_an_edit_is_audited_and_a_stale_one_refused(tree):
    made = entry(tree.township, amount="100")
    services.fund_entry_update(actor=tree.township_officer, fundentry=made, amount="150",
                               expected_version=1, started_from={"amount": "100.00"})
    made.refresh_from_db()
    assert (made.amount, made.version) == (Decimal("150.00"), 2)
    assert AuditLog.objects.filter(action=Action.UPDATE, object_id=str(made.pk),
                                   content_type__model="fundentry").count() == 1
    with pytest.raises(StaleVersion) as stale:
        services.fund_entry_update(actor=tree.county_admin, fundentry=made, amount="999",
                                   expected_version=1, started_from={"amount": "100.00"})
    assert "150.00" in stale.value.messages[0]
    made.refresh_from_db()
    assert made.amount == Decimal("150.00")


def test_who_may_write(tree):
    with pytest.raises(PermissionDenied):  # a village officer reads only
        entry_for = services.fund_entry_create
        entry_for(actor=tree.village_officer, unit=tree.community, kind="office",
                  flow="received", amount="1", occurred_on=DAY, summary="x")
    with pytest.raises(PermissionDenied):  # another township's
        services.fund_entry_create(actor=tree.township_officer, unit=tree.other_township,
                                   kind="office", flow="received", amount="1",
                                   occurred_on=DAY, summary="x")
    with pytest.raises(PermissionDenied):
        services.fund_entry_create(actor=tree.leader, unit=tree.county, kind="office",
                                   flow="received", amount="1", occurred_on=DAY, summary="x")
    transfer = entry(tree.county, flow="transfer", counterpart=tree.township)
    # The township sees the county's transfer to it, and cannot change or void it.
    assert FundEntry.objects.visible_to(tree.township_officer).filter(pk=transfer.pk).exists()
    assert not services.may_write(tree.township_officer, transfer)
    with pytest.raises(PermissionDenied):
        services.fund_entry_update(actor=tree.township_officer, fundentry=transfer,
                                   amount="1")
    with pytest.raises(PermissionDenied):
        services.fund_entry_void(actor=tree.township_officer, fundentry=transfer, reason="x")
    # A transfer from the township to a unit outside the actor's area is refused.
    with pytest.raises(PermissionDenied):
        services.fund_entry_create(actor=tree.township_officer, unit=tree.township,
                                   kind="office", flow="transfer", amount="1",
                                   occurred_on=DAY, summary="x", counterpart=tree.other_village)


def test_a_void_keeps_the_entry_and_it_counts_nowhere(tree):
    made = entry(tree.township, amount="100")
    with pytest.raises(ValidationError) as error:
        services.fund_entry_void(actor=tree.township_officer, fundentry=made, reason=" ")
    assert error.value.message_dict == {"reason": ["请说明作废的原因。"]}
    services.fund_entry_void(actor=tree.township_officer, fundentry=made, reason="重复录入")
    made.refresh_from_db()
    assert made.voided and made.void_reason == "重复录入"
    assert AuditLog.objects.filter(action=Action.DELETE, object_id=str(made.pk),
                                   content_type__model="fundentry").exists()
    totals = selectors.fund_totals(user=tree.township_officer, unit=tree.township, year=YEAR)
    assert totals.total.received == 0
    with pytest.raises(ValidationError):
        services.fund_entry_void(actor=tree.township_officer, fundentry=made, reason="again")
    with pytest.raises(ValidationError):
        services.fund_entry_update(actor=tree.township_officer, fundentry=made, amount="5")


def test_a_merged_units_funds_move_to_its_successor(tree):
    from orgs import successors

    made = entry(tree.village, amount="10")
    transfer = entry(tree.township, flow="transfer", counterpart=tree.village)
    handover = successors.Handover(reform=None, sources=[tree.village], target=tree.community,
                                   on=DAY, actor=SYSTEM)
    declared = {h.key: h for h in successors.holdings()}
    for key in ("ledgers.funds", "ledgers.funds_received"):
        successors.move_rows(declared[key], handover)
    made.refresh_from_db()
    transfer.refresh_from_db()
    assert made.unit_id == tree.community.pk
    assert transfer.counterpart_id == tree.community.pk and transfer.unit_id == tree.township.pk
    assert handover.result["ledgers.funds"] == 1
    assert handover.result["ledgers.funds_received"] == 1


# ---- the totals --------------------------------------------------------------------------------

def _known(tree):
    entry(tree.county, kind="security", amount="300000")
    entry(tree.county, kind="security", flow="spent", amount="120000")
    entry(tree.county, kind="security", flow="transfer", amount="20000",
          counterpart=tree.township)
    entry(tree.county, kind="office", flow="transfer", amount="1000",
          counterpart=tree.community)  # past the township, to its community
    for township in (tree.township, tree.other_township):
        entry(township, amount="9000")
        entry(township, flow="spent", amount="1200")
    entry(tree.township, kind="security", flow="transfer", amount="5000",
          counterpart=tree.community)
    entry(tree.community, kind="security", flow="spent", amount="1800")
    entry(tree.other_township, flow="received", amount="77", on=DAY.replace(year=YEAR - 1),
          year=YEAR - 1)  # another year


def test_the_totals_of_known_data_add_up_across_the_tree(tree):
    _known(tree)
    totals = selectors.fund_totals(user=tree.county_admin, unit=tree.county, year=YEAR)
    rows = {row.unit.name: row for row in totals.rows}
    own = rows["会宁县"].totals
    assert (own.received, own.spent, own.transferred_out, own.balance) == (
        300000, 120000, 21000, 159000)
    township = rows["会师镇"].totals  # with 东山根社区 inside it
    assert (township.received, township.transferred_in, township.spent,
            township.transferred_out) == (9000, 21000, 3000, 0)
    assert township.balance == 27000
    other = rows["郭城驿镇"].totals
    assert other.balance == 7800 and other.received == 9000
    whole = totals.total
    assert whole.balance == own.balance + township.balance + other.balance == 193800
    assert (whole.received, whole.spent, whole.transferred_in, whole.transferred_out) == (
        318000, 124200, 0, 0)
    # Drilling down: the township itself, and its community's subtree.
    down = selectors.fund_totals(user=tree.township_officer, unit=tree.township, year=YEAR)
    lines = {row.unit.name: row for row in down.rows}
    assert lines["会师镇"].totals.transferred_in == 20000
    assert lines["会师镇"].totals.transferred_out == 5000
    assert lines["东山根社区居民委员会"].totals.transferred_in == 6000
    assert lines["东山根社区居民委员会"].totals.balance == 4200
    assert down.total.balance == township.balance
    # One kind only.
    security = selectors.fund_totals(user=tree.county_admin, unit=tree.county, year=YEAR,
                                     kind="security")
    # 残保金 only: the county's 300,000 less 120,000 spent and 1,800 spent by the community.
    assert security.total.balance == 300000 - 120000 - 1800
    assert security.total_by_kind.keys() == {"security"}


def test_the_totals_out_of_scope_are_404(tree):
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.fund_totals(user=tree.township_officer, unit=tree.county, year=YEAR)


def _add_township(tree, n):
    township = org_services.unit_create(actor=SYSTEM, parent=tree.county, level=Level.TOWNSHIP,
                                        code=f"62042210{n + 2}", name=f"新镇{n}")
    village = org_services.unit_create(actor=SYSTEM, parent=township, level=Level.VILLAGE,
                                       code=f"62042210{n + 2}200", name=f"新村{n}")
    entry(township, amount="9000")
    entry(township, flow="spent", amount="10")
    entry(township, flow="transfer", amount="30", counterpart=village)
    entry(tree.county, flow="transfer", amount="30", counterpart=village)
    entry(village, flow="spent", amount="5", kind="security")


def test_the_totals_take_a_fixed_number_of_queries(tree):
    _known(tree)

    def count():
        with CaptureQueriesContext(connection) as queries:
            selectors.fund_totals(user=tree.county_admin, unit=tree.county, year=YEAR)
        return len(queries)

    before = count()
    for n in range(4):
        _add_township(tree, n)
    assert count() == before <= 4


@pytest.mark.django_db(transaction=False)
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_entries_the_subtree_totals_are_the_sum_over_the_rows(tree, data):
    FundEntry.objects.all().delete()
    units = [tree.county, tree.township, tree.community, tree.village, tree.other_township,
             tree.other_village]
    made = []
    for _ in range(data.draw(st.integers(min_value=0, max_value=12))):
        unit = data.draw(st.sampled_from(units))
        flow = data.draw(st.sampled_from(FundFlow.values))
        below = [u for u in units if rules.is_strictly_below(u.path, unit.path)]
        if flow == "transfer" and not below:
            flow = "spent"
        counterpart = data.draw(st.sampled_from(below)) if flow == "transfer" else None
        made.append(entry(unit, flow=flow, counterpart=counterpart,
                          kind=data.draw(st.sampled_from(FundKind.values)),
                          amount=Decimal(data.draw(st.integers(1, 10**7))) / 100))
    if made and data.draw(st.booleans()):
        services.fund_entry_void(actor=SYSTEM, fundentry=made[0], reason="x")
    live = [e for e in FundEntry.objects.filter(voided=False).select_related(
        "unit", "counterpart")]

    def inside(unit, root):
        return unit is not None and unit.path.startswith(root.path)

    def naive(root, own=False):
        def here(unit):
            return unit is not None and (unit.pk == root.pk if own else inside(unit, root))
        got = rules.Totals()
        for e in live:
            if e.flow == "received" and here(e.unit):
                got.received += e.amount
            elif e.flow == "spent" and here(e.unit):
                got.spent += e.amount
            elif e.flow == "transfer":
                if here(e.unit) and not here(e.counterpart):
                    got.transferred_out += e.amount
                if here(e.counterpart) and not here(e.unit):
                    got.transferred_in += e.amount
        return got

    for root in (tree.county, tree.township):
        totals = selectors.fund_totals(user=SYSTEM, unit=root, year=YEAR)
        assert totals.total == naive(root)
        for row in totals.rows:
            assert row.totals == naive(row.unit, own=row.own)
        assert totals.total.balance == sum((row.totals.balance for row in totals.rows),
                                           Decimal(0))


# ---- pages ---------------------------------------------------------------------------------------

def _form(**over):
    return {"unit": "", "unit_text": "", "kind": "office", "flow": "received",
            "amount": "9000", "occurred_on": DAY.isoformat(), "year": "",
            "counterpart": "", "counterpart_text": "", "summary": "年度办公经费",
            "party": "县财政局", "voucher": "", "note": "", "form_token": "tok-1", **over}


def test_a_double_submit_makes_one_entry(tree, client_for):
    client = client_for(tree.township_officer)
    url = reverse("ledgers:fundentry_create")
    data = _form(unit=str(tree.township.pk))
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert FundEntry.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_the_form_keeps_the_input_and_says_what_is_wrong(tree, client_for):
    client = client_for(tree.township_officer)
    response = client.post(reverse("ledgers:fundentry_create"),
                           _form(unit=str(tree.township.pk), amount="九千", flow="transfer",
                                 summary="下拨"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "金额必须是元数" in page and "九千" in page
    assert not FundEntry.objects.exists()


def test_a_transfer_through_the_form_and_the_edit_page(tree, client_for):
    client = client_for(tree.township_officer)
    response = client.post(reverse("ledgers:fundentry_create"), _form(
        unit=str(tree.township.pk), flow="transfer", counterpart=str(tree.community.pk),
        amount="5000", summary="费随事转"))
    assert response.status_code == 302
    made = FundEntry.objects.get()
    assert made.counterpart_id == tree.community.pk
    edit = reverse("ledgers:fundentry_edit", args=[made.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, _form(flow="transfer", counterpart=str(tree.community.pk),
                                       amount="4500", summary="费随事转", version="1",
                                       form_token="tok-2"))
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.amount == Decimal("4500.00") and made.version == 2


def test_the_list_and_the_pages_in_scope(tree, client_for):
    own = entry(tree.township, summary="会师镇办公经费")
    other = entry(tree.other_township, summary="郭城驿镇办公经费")
    transfer = entry(tree.county, flow="transfer", counterpart=tree.township,
                     summary="县下拨会师镇")
    county_only = entry(tree.county, summary="县本级收入")
    client = client_for(tree.township_officer)
    page = client.get(reverse("ledgers:fundentry_list")).content.decode()
    assert "会师镇办公经费" in page and "县下拨会师镇" in page
    assert "郭城驿镇办公经费" not in page and "县本级收入" not in page
    assert client.get(reverse("ledgers:fundentry_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("ledgers:fundentry_detail",
                              args=[county_only.pk])).status_code == 404
    assert client.get(reverse("ledgers:fundentry_detail", args=[own.pk])).status_code == 200
    # The payee sees the transfer, and may not change it.
    detail = client.get(reverse("ledgers:fundentry_detail", args=[transfer.pk]))
    assert detail.status_code == 200
    assert reverse("ledgers:fundentry_edit", args=[transfer.pk]) not in detail.content.decode()
    assert client.get(reverse("ledgers:fundentry_edit", args=[transfer.pk])).status_code == 403
    assert client.get(reverse("ledgers:fundentry_void", args=[transfer.pk])).status_code == 403
    assert client.get(reverse("ledgers:fund_totals_unit",
                              args=[tree.other_township.pk])).status_code == 404
    filtered = client.get(reverse("ledgers:fundentry_list"), {"flow": "transfer"})
    assert "县下拨会师镇" in filtered.content.decode()
    assert "会师镇办公经费" not in filtered.content.decode()


@pytest.mark.parametrize(("role", "read", "write"), [
    ("county_admin", 200, 200), ("township_officer", 200, 200), ("village_officer", 200, 403),
    ("leader", 200, 403), ("auditor", 200, 403)])
def test_the_roles(tree, client_for, role, read, write):
    client = client_for(getattr(tree, role))
    assert client.get(reverse("ledgers:fundentry_list")).status_code == read
    assert client.get(reverse("ledgers:fund_totals")).status_code == read
    assert client.get(reverse("ledgers:fundentry_create")).status_code == write
    assert client.get(reverse("ledgers:index")).status_code == 200


def test_the_totals_page_drills_down(tree, client_for):
    _known(tree)
    client = client_for(tree.county_admin)
    response = client.get(reverse("ledgers:fund_totals"), {"year": YEAR})
    page = response.content.decode()
    assert response.status_code == 200
    assert f'{reverse("ledgers:fund_totals_unit", args=[tree.township.pk])}?year={YEAR}' in page
    assert "193,800.00" in page and "159,000.00" in page
    down = client.get(reverse("ledgers:fund_totals_unit", args=[tree.township.pk]),
                      {"year": YEAR, "kind": "security"})
    assert down.status_code == 200
    assert reverse("ledgers:fund_totals_unit", args=[tree.community.pk]) in down.content.decode()


def test_the_list_takes_a_fixed_number_of_queries(tree, client_for):
    _known(tree)
    client = client_for(tree.county_admin)
    url = reverse("ledgers:fundentry_list")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(3):
        _add_township(tree, n)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def _sheet(response):
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def test_the_workbooks(tree, client_for):
    _known(tree)
    client = client_for(tree.township_officer)
    sheet = _sheet(client.get(reverse("ledgers:fundentry_export"), {"year": YEAR}))
    assert sheet["A1"].value == f"会师镇{YEAR}年经费台账"
    header = [c.value for c in sheet[2]]
    assert header[:4] == ["序号", "日期", "年度", "单位"]
    rows = [dict(zip(header, (c.value for c in row), strict=True))
            for row in sheet.iter_rows(min_row=3)]
    assert len(rows) == 6  # its own 3, the community's spending, the county's 2 transfers
    transfer = next(r for r in rows if r["下拨至"] == "东山根社区居民委员会"
                    and r["单位"] == "会师镇")
    assert transfer["金额（元）"] == 5000 and transfer["收支"] == "费随事转下拨"
    assert AuditLog.objects.filter(action=Action.EXPORT, object_repr="经费台账").exists()
    totals = _sheet(client.get(reverse("ledgers:fund_totals_xlsx", args=[tree.township.pk]),
                               {"year": YEAR}))
    assert totals["A1"].value == f"会师镇{YEAR}年经费收支汇总表"
    lines = {(r[0].value, r[1].value): [c.value for c in r[2:]]
             for r in totals.iter_rows(min_row=3)}
    assert lines[("会师镇合计", "合计")] == [9000, 21000, 3000, 0, 27000]
    assert lines[("东山根社区居民委员会", "残疾人就业保障金")] == [0, 5000, 1800, 0, 3200]
    assert client.get(reverse("ledgers:fund_totals_xlsx",
                              args=[tree.other_township.pk])).status_code == 404


def test_the_demo_is_idempotent(tree):
    from ledgers import demo_funds

    first = demo_funds.load(tree.county, TODAY())
    count = FundEntry.objects.count()
    assert first and count >= 7
    assert demo_funds.load(tree.county, TODAY()) == ""
    assert FundEntry.objects.count() == count
    totals = selectors.fund_totals(user=SYSTEM, unit=tree.county, year=TODAY().year)
    assert totals.total.balance == sum((r.totals.balance for r in totals.rows), Decimal(0))


def test_the_ledger_comes_in_through_the_import_with_every_bad_cell_named(tree):
    from people.tests.test_imports import upload, xlsx

    header = ["日期", "年度", "单位", "经费类别", "收支", "下拨至", "摘要", "来源或支付对象",
              "凭证号", "金额（元）", "备注"]
    day = DAY.isoformat()
    rows = [
        [day, YEAR, "会师镇", "办公经费", "收入", "", "年度办公经费", "县财政局", "001", "0.9万",
         ""],
        [day, YEAR, "会师镇", "残保金", "费随事转", "东山根社区", "入户走访", "", "", "5000", ""],
        [day, YEAR - 1, "会师镇", "办公经费", "支出", "", "办公用品", "", "", "30", ""],
        [day, YEAR, "会师镇", "奖金", "支出", "", "x", "", "", "-3", ""],
        [day, YEAR, "会师镇", "办公经费", "下拨", "郭城驿镇", "x", "", "", "10", ""],
        [day, YEAR, "会师镇", "办公经费", "收入", "高家庄村", "x", "", "", "10", ""],
        [day, YEAR, "会师镇", "办公经费", "下拨", "会师镇", "x", "", "", "10", ""],
        [day, YEAR, "会师镇", "办公经费", "支出", "", "x", "", "", "1.234", ""],
    ]
    job = upload(tree.township_officer, xlsx(rows, header=header), kind="funds",
                 mode="valid")
    problems = {(number, column): (text, reason) for number, column, text, reason in job.errors}
    assert problems[(4, "年度")] == (str(YEAR - 1), f"年度必须是日期所在的年份（{YEAR}）。")
    assert problems[(5, "金额（元）")] == ("-3", "金额必须大于 0 元。")
    assert problems[(5, "经费类别")] == (
        "奖金", "“奖金”不是可识别的经费类别（办公经费、残保金或其他经费）。")
    assert problems[(6, "下拨至")][0] == "郭城驿镇"  # not a unit of the township's area
    assert problems[(7, "下拨至")] == ("高家庄村", "只有下拨经费才填写拨往单位。")
    assert problems[(8, "下拨至")] == (
        "会师镇", "费随事转的经费只能下拨给付款单位之下的单位，不能拨给自己或上级。")
    assert problems[(9, "金额（元）")] == ("1.234", "金额最多两位小数（元、角分）。")
    assert {number for number, _column in problems} == {4, 5, 6, 7, 8, 9}
    made = FundEntry.objects.order_by("pk")
    assert [(e.flow, e.amount, e.counterpart_id) for e in made] == [
        ("received", Decimal("9000.00"), None),
        ("transfer", Decimal("5000.00"), tree.community.pk)]
