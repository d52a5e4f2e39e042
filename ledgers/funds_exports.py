"""The funds ledger as workbooks: the entries (经费台账) in the list's order, and a unit's
yearly totals (经费收支汇总表) — its own line, each child's subtree, the total — per kind."""

from django.utils.translation import override

from core.exports import XlsxColumn, write_xlsx

from .funds_choices import FundFlow, FundKind
from .funds_selectors import with_export_relations

CHUNK = 500
LEDGER_BOOK = "经费台账"
TOTALS_BOOK = "经费收支汇总表"


def _labels(choices) -> dict:
    with override("zh-hans"):
        return {value: str(label) for value, label in choices}


def entry_columns() -> list[XlsxColumn]:
    return [XlsxColumn("序号", 6, "number"), XlsxColumn("日期", 12, "date"),
            XlsxColumn("年度", 8, "number"), XlsxColumn("单位", 18),
            XlsxColumn("经费类别", 16), XlsxColumn("收支", 14), XlsxColumn("下拨至", 18),
            XlsxColumn("摘要", 30), XlsxColumn("来源或支付对象", 18),
            XlsxColumn("凭证号", 12, "id"), XlsxColumn("金额（元）", 14, "number"),
            XlsxColumn("作废", 6), XlsxColumn("备注", 24)]


def entry_rows(queryset):
    kinds, flows = _labels(FundKind.choices), _labels(FundFlow.choices)
    rows = with_export_relations(queryset).iterator(chunk_size=CHUNK)
    for number, entry in enumerate(rows, start=1):
        yield [number, entry.occurred_on, entry.year, entry.unit.name,
               kinds.get(entry.kind, entry.kind), flows.get(entry.flow, entry.flow),
               entry.counterpart.name if entry.counterpart_id else None, entry.summary,
               entry.party or None, entry.voucher or None, entry.amount,
               "是" if entry.voided else "否", entry.note or None]


def totals_columns() -> list[XlsxColumn]:
    return [XlsxColumn("单位", 24), XlsxColumn("经费类别", 18),
            XlsxColumn("收入（元）", 14, "number"), XlsxColumn("上级拨入（元）", 14, "number"),
            XlsxColumn("支出（元）", 14, "number"), XlsxColumn("下拨（元）", 14, "number"),
            XlsxColumn("结余（元）", 14, "number")]


def totals_rows(totals):
    """Per line (本级, each child's subtree, 合计): a row per kind, then all kinds."""
    kinds = _labels(FundKind.choices)

    def lines(label, by_kind, whole):
        for kind, value in by_kind.items():
            yield [label, kinds[kind], value.received, value.transferred_in, value.spent,
                   value.transferred_out, value.balance]
        if len(by_kind) > 1:
            yield [label, "合计", whole.received, whole.transferred_in, whole.spent,
                   whole.transferred_out, whole.balance]

    for row in totals.rows:
        label = f"{row.unit.name}（本级）" if row.own else row.unit.name
        yield from lines(label, row.by_kind, row.totals)
    yield from lines(f"{totals.unit.name}合计", totals.total_by_kind, totals.total)


def totals_workbook(totals) -> bytes:
    title = f"{totals.unit.name}{totals.year}年{TOTALS_BOOK}"
    return write_xlsx(title=title, columns=totals_columns(), rows=totals_rows(totals),
                      sheet_title=TOTALS_BOOK)
