"""The funds ledger (经费台账) through the import engine, in the export's own columns
(ledgers/funds_exports.py), so a ledger taken out comes back in. Every row is checked by
the rules the form uses (ledgers/funds_rules.py: the amount, the year of the date, a
transfer strictly down the tree) and each bad cell is reported by row and column, in
Chinese; the good rows are written through ledgers/funds_services.py (audited)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import cells
from imports.engine import Column, Context, ImportSpec, Row, aliases
from imports.registry import register
from orgs.filters import FILTER_LEVELS
from orgs.imports import UnitIndex
from orgs.models import OrgUnit

from . import funds_rules as rules
from .funds_choices import FundFlow, FundKind
from .models import FundEntry

read_kind = cells.choice_reader(FundKind.choices, {
    "办公经费": FundKind.OFFICE, "办公费": FundKind.OFFICE, "工作经费": FundKind.OFFICE,
    "残保金": FundKind.SECURITY, "就业保障金": FundKind.SECURITY,
    "残疾人就业保障金": FundKind.SECURITY, "其他": FundKind.OTHER, "其他经费": FundKind.OTHER,
}, gettext_lazy("kind of funds (办公经费, 残保金 or 其他经费)"))
read_flow = cells.choice_reader(FundFlow.choices, {
    "收入": FundFlow.RECEIVED, "拨入": FundFlow.RECEIVED, "收": FundFlow.RECEIVED,
    "支出": FundFlow.SPENT, "支": FundFlow.SPENT, "下拨": FundFlow.TRANSFER,
    "费随事转": FundFlow.TRANSFER, "费随事转下拨": FundFlow.TRANSFER,
}, gettext_lazy("movement (收入, 支出 or 费随事转下拨)"))


def read_amount(value):
    if cells.is_blank(value):
        return None
    amount, problem = rules.parse_amount(value)
    if problem:
        raise cells.CellError(problem)
    return amount


def read_year(value):
    if cells.is_blank(value):
        return None
    text = cells.text(value).removesuffix("年").strip()
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise cells.CellError(_("The year is four digits, e.g. 2026."))
    return int(text)


FUND_COLUMNS = [
    Column("occurred_on", "日期", aliases("日期", "记账日期"), read=cells.date, required=True,
           kind="date"),
    Column("year", "年度", aliases("年度", "年份"), read=read_year),
    Column("unit", "单位", aliases("单位", "记账单位"), max_length=100),
    Column("kind", "经费类别", aliases("经费类别", "类别", "经费类型"), read=read_kind,
           required=True),
    Column("flow", "收支", aliases("收支", "收支类型", "方向"), read=read_flow, required=True),
    Column("counterpart", "下拨至", aliases("下拨至", "拨往单位", "下拨单位"), max_length=100),
    Column("summary", "摘要", aliases("摘要", "用途", "事由"), required=True, max_length=200),
    Column("party", "来源或支付对象", aliases("来源或支付对象", "来源", "支付对象"),
           max_length=100),
    Column("voucher", "凭证号", aliases("凭证号", "凭证编号"), kind="id", max_length=40),
    Column("amount", "金额（元）", aliases("金额（元）", "金额", "金额(元)"), read=read_amount,
           required=True),
    Column("note", "备注", aliases("备注")),
]


@dataclass
class FundState:
    ctx: Context
    units: UnitIndex
    paths: dict


@register
class FundEntryImport(ImportSpec):
    kind = "funds"
    order = 190
    title = gettext_lazy("Funds ledger")
    ledger_name = "经费台账"
    permission = "ledgers.add_fundentry"
    model = FundEntry
    columns = FUND_COLUMNS
    key = None  # the same amount may come twice in a year

    def begin(self, ctx: Context) -> FundState:
        paths = dict(OrgUnit.objects.visible_to(ctx.actor).values_list("pk", "path"))
        return FundState(ctx, UnitIndex(ctx.actor, levels=FILTER_LEVELS), paths)

    def _unit(self, value, state, problems, name):
        try:
            return state.units.find(value)
        except cells.CellError as exc:
            problems[name] = str(exc)
            return None

    def check_row(self, v: dict, state: FundState) -> dict[str, str]:
        problems: dict[str, str] = {}
        unit = self._unit(v["unit"], state, problems, "unit") if v.get("unit") \
            else getattr(state.ctx.actor, "unit", None)
        if unit is None and "unit" not in problems:
            problems["unit"] = _("Name the unit keeping the ledger.")
        counterpart = self._unit(v["counterpart"], state, problems, "counterpart") \
            if v.get("counterpart") else None
        v["unit"], v["counterpart"] = unit, counterpart
        if v.get("year") is None and v.get("occurred_on") is not None:
            v["year"] = v["occurred_on"].year
        found = rules.entry_problems(
            v, unit_path=state.paths.get(unit.pk, "") if unit else "",
            counterpart_path=state.paths.get(counterpart.pk) if counterpart else None,
            today=state.ctx.today)
        if unit is None:
            found.pop("counterpart", None)  # nothing to be beneath: the unit's cell says why
        for name, message in found.items():
            problems.setdefault(name, message)
        return problems

    def record(self, v: dict, state: FundState) -> dict:
        return dict(v)

    def check_batch(self, rows: list[Row], state: FundState) -> None:
        return None

    def write(self, rows: list[Row], state: FundState) -> int:
        from . import funds_services as services

        for row in rows:
            v = row.record
            services.fund_entry_create(
                actor=state.ctx.actor, unit=v["unit"], kind=v["kind"], flow=v["flow"],
                amount=v["amount"], occurred_on=v["occurred_on"], year=v["year"],
                counterpart=v["counterpart"], summary=v["summary"],
                party=v.get("party") or "", voucher=v.get("voucher") or "",
                note=v.get("note") or "")
        return len(rows)
