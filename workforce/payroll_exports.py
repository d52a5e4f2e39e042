"""The payroll's documents: the sheet (.xlsx, and the printable PDF with a column to sign)
and the bank file per batch in the county's layout (项目, 单位, 年, 月, 批次, 姓名, 身份证号,
银行账号, 金额, 备注). The bank file alone holds full ID and account numbers; it needs
workforce.view_bank_account and is audited (payroll_views)."""

from collections import OrderedDict
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from core.exports import XlsxColumn, write_xlsx

from .choices import Funding, LineKind, PayCycle, SubsidyKind

# The rule of part months, as the README states it and the sheet shows it.
PRORATING_RULE = _(
    "A month wholly in the post pays the monthly amount; a part month pays the monthly "
    "amount × the days in the post ÷ the days of that month, rounded to the fen (half up) "
    "month by month. The post is held from the first day of the appointment up to the day "
    "before it ended; a policy is in force from its first to its last day, both included. "
    "Where two policies of the same kind cover a post on the same day, the nearest region's "
    "applies; different kinds add up.")

SHEET_COLUMNS = [
    XlsxColumn("序号", 6, "number"), XlsxColumn("乡镇（街道）", 14), XlsxColumn("单位", 18),
    XlsxColumn("姓名", 10), XlsxColumn("岗位", 16), XlsxColumn("补贴项目", 18),
    XlsxColumn("资金来源", 14), XlsxColumn("月标准（元）", 12, "number"),
    XlsxColumn("天数", 8, "number"), XlsxColumn("计算", 24), XlsxColumn("金额（元）", 12, "number"),
    XlsxColumn("批次", 6, "number"), XlsxColumn("备注", 24),
]

BANK_COLUMNS = [
    XlsxColumn("项目", 18), XlsxColumn("单位", 20), XlsxColumn("年", 6, "number"),
    XlsxColumn("月", 8), XlsxColumn("批次", 12), XlsxColumn("姓名", 10),
    XlsxColumn("身份证号", 22, "id"), XlsxColumn("银行账号", 24, "id"),
    XlsxColumn("金额", 12, "number"), XlsxColumn("备注", 24),
]


def words() -> dict:
    with override("zh-hans"):
        return {
            "kind": {k: str(label) for k, label in SubsidyKind.choices},
            "funding": {k: str(label) for k, label in Funding.choices},
            "rule": str(PRORATING_RULE),
        }


def sheet_rows(lines, *, w=None):
    """The sheet's rows, numbered, then the total and the rule."""
    w = w or words()
    total = Decimal("0.00")
    number = 0
    for line in lines:
        number += 1
        total += line.amount
        parent = line.unit.parent.name if line.unit.parent_id else ""
        yield [number, parent, line.unit.name, line.worker.name, line.post_title,
               w["kind"].get(line.subsidy_kind, line.subsidy_kind),
               w["funding"].get(line.policy.funding, "") if line.policy_id else "",
               line.monthly_amount, line.days, line.basis, line.amount, line.batch,
               line.reason if line.line_kind == LineKind.ADJUSTMENT else ""]
    yield [None, "合计", None, None, None, None, None, None, None, None, total, None, None]
    yield [None, "计算规则：" + w["rule"]]


def sheet_xlsx(run, lines, *, part=None) -> bytes:
    title = f"{(part or run.unit).name}残疾人专职委员补贴发放表（{run.period_label}）"
    return write_xlsx(title=title, columns=SHEET_COLUMNS, rows=sheet_rows(lines),
                      sheet_title="补贴发放表")


def bank_rows(run, lines):
    """One row per worker and kind of subsidy in the batch (their lines added up), in the
    county's layout."""
    w = words()
    month = (f"{run.period_start.month}-{run.period_end.month}"
             if run.cycle == PayCycle.HALF_YEARLY else str(run.period_start.month))
    grouped: OrderedDict = OrderedDict()
    for line in lines:
        key = (line.worker_id, line.subsidy_kind)
        entry = grouped.get(key)
        if entry is None:
            entry = grouped[key] = {"line": line, "amount": Decimal("0.00"), "notes": []}
        entry["amount"] += line.amount
        if line.line_kind == LineKind.ADJUSTMENT:
            entry["notes"].append(line.reason)
    for entry in grouped.values():
        line = entry["line"]
        worker = line.worker
        batch = run.batch if line.batch == 1 else f"{run.batch}-{line.batch}"
        yield [w["kind"].get(line.subsidy_kind, ""), line.unit.name, run.period_start.year,
               month, batch, worker.name, worker.id_number, worker.bank_account or "",
               entry["amount"], "；".join(entry["notes"]) or
               ("" if worker.bank_cipher else "无银行账号")]


def bank_xlsx(run, lines, *, batch: int) -> bytes:
    title = f"{run.unit.name}补贴代发银行文件（{run.period_label}，批次{run.batch}" \
            f"{'' if batch == 1 else f'-{batch}'}）"
    return write_xlsx(title=title, columns=BANK_COLUMNS, rows=bank_rows(run, lines),
                      sheet_title="代发")
