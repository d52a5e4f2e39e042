"""The work record book, the meetings and the annual plans' items as import specs (their
blank templates are the paper books' columns). Rows go through the services of
ledgers/records_services.py, so the rules and the audit entries are the forms' own;
everything a service would refuse is found first, by row and column, in check_row."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import cells
from imports.engine import Column, Context, ImportSpec, Row, aliases
from imports.registry import register
from orgs.imports import UnitIndex
from orgs.models import Level

from . import rules
from .models import AnnualPlan, Meeting, MeetingKind, PlanItem, PlanItemKind, WorkEntry

read_meeting_kind = cells.choice_reader(MeetingKind.choices, {
    "例会": MeetingKind.WORK, "工作例会": MeetingKind.WORK, "工作会议": MeetingKind.WORK,
    "学习": MeetingKind.STUDY, "学习会": MeetingKind.STUDY, "集中学习": MeetingKind.STUDY,
    "党员大会": MeetingKind.PARTY_MEMBERS, "支部党员大会": MeetingKind.PARTY_MEMBERS,
    "支委会": MeetingKind.PARTY_COMMITTEE, "支部委员会": MeetingKind.PARTY_COMMITTEE,
    "党小组会": MeetingKind.PARTY_GROUP, "党课": MeetingKind.PARTY_LECTURE,
    "其他": MeetingKind.OTHER,
}, gettext_lazy("kind of meeting (工作例会, 学习会, 支部党员大会, 支委会, 党小组会, 党课)"))

read_item_kind = cells.choice_reader(PlanItemKind.choices, {
    "活动": PlanItemKind.ACTIVITY, "实事": PlanItemKind.PRACTICAL,
    "为残疾人办实事": PlanItemKind.PRACTICAL, "其他": PlanItemKind.OTHER,
    "其他工作": PlanItemKind.OTHER,
}, gettext_lazy("kind of item (活动, 实事 or 其他)"))


def read_count(value):
    """A head count: a whole number from 0, or blank."""
    if cells.is_blank(value):
        return None
    text = cells.text(value).removesuffix("人")
    try:
        number = float(text)
    except ValueError:
        raise cells.CellError(_("“%(value)s” is not a number of people.")
                              % {"value": text}) from None
    if number < 0 or number != int(number) or number > 30000:
        raise cells.CellError(_("“%(value)s” is not a number of people.") % {"value": text})
    return int(number)


def read_decimal(value):
    from decimal import Decimal, InvalidOperation

    if cells.is_blank(value):
        return None
    try:
        return Decimal(cells.text(value)).quantize(Decimal("0.1"))
    except InvalidOperation:
        raise cells.CellError(_("“%(value)s” is not a number.")
                              % {"value": cells.text(value)}) from None


UNIT_COLUMN = Column("unit", "单位", aliases("单位", "村（社区）", "乡镇（街道）", "区划代码",
                                             "记录单位"), max_length=100)

WORK_COLUMNS = [
    UNIT_COLUMN,
    Column("written_on", "日期", aliases("日期", "时间", "记录日期", "工作日期"), read=cells.date,
           required=True, kind="date"),
    Column("subject", "主题", aliases("主题", "标题", "事项"), max_length=120),
    Column("content", "工作内容", aliases("工作内容", "内容", "工作记录", "记录内容"),
           required=True),
]

MEETING_COLUMNS = [
    UNIT_COLUMN,
    Column("held_on", "日期", aliases("日期", "会议日期", "时间", "会议时间"), read=cells.date,
           required=True, kind="date"),
    Column("kind", "会议类型", aliases("会议类型", "类型", "会议类别"), read=read_meeting_kind),
    Column("title", "会议主题", aliases("会议主题", "主题", "会议名称", "议题"), max_length=120),
    Column("place", "地点", aliases("地点", "会议地点"), max_length=100),
    Column("host", "主持人", aliases("主持人",), max_length=60),
    Column("recorder", "记录人", aliases("记录人",), max_length=60),
    Column("attendee_names", "参会人员", aliases("参会人员", "参加人员", "出席人员")),
    Column("expected_count", "应到人数", aliases("应到人数", "应到"), read=read_count),
    Column("present_count", "实到人数", aliases("实到人数", "实到"), read=read_count),
    Column("absent", "缺席人员及原因", aliases("缺席人员及原因", "缺席人员", "缺席"),
           max_length=200),
    Column("minutes", "会议内容", aliases("会议内容", "会议记录", "内容", "记录"), required=True),
    Column("decisions", "会议决议", aliases("会议决议", "决议", "决定事项")),
]

PLAN_ITEM_COLUMNS = [
    UNIT_COLUMN,
    Column("year", "年度", aliases("年度", "年份", "计划年度"), read=read_count, required=True),
    Column("kind", "类别", aliases("类别", "类型", "项目类别"), read=read_item_kind,
           required=True),
    Column("influential", "是否有影响力活动", aliases("是否有影响力活动", "有影响力活动",
                                                      "影响力活动"), read=cells.yes_no),
    Column("title", "项目", aliases("项目", "计划项目", "活动名称", "事项", "名称"),
           required=True, max_length=120),
    Column("target", "目标", aliases("目标", "目标任务", "工作目标"), max_length=200),
    Column("target_number", "数量目标", aliases("数量目标", "目标数量", "数量"),
           read=read_decimal),
    Column("due_on", "完成时限", aliases("完成时限", "完成时间", "时限"), read=cells.date,
           kind="date"),
]


@dataclass
class BookState:
    ctx: Context
    units: UnitIndex


class _BookImport(ImportSpec):
    """A ledger whose rows each belong to a unit (the column 单位, the user's own when blank)
    and are written through a service."""

    key = None

    def begin(self, ctx: Context) -> BookState:
        return BookState(ctx, UnitIndex(ctx.actor, levels=(Level.COUNTY, Level.TOWNSHIP,
                                                           Level.VILLAGE)))

    def _unit(self, v: dict, state: BookState, problems: dict) -> None:
        unit = None
        if v.get("unit"):
            try:
                unit = state.units.find(v["unit"])
            except cells.CellError as exc:
                problems["unit"] = str(exc)
        elif state.ctx.actor.unit is None:
            problems["unit"] = _("Name the unit (its division code or name).")
        v["unit"] = unit

    def record(self, v: dict, state: BookState) -> dict:
        return dict(v)


@register
class WorkEntryImport(_BookImport):
    kind = "workbook"
    order = 170
    title = gettext_lazy("Work record book")
    ledger_name = "工作记录册"
    permission = "ledgers.add_workentry"
    model = WorkEntry
    columns = WORK_COLUMNS

    def check_row(self, v: dict, state: BookState) -> dict[str, str]:
        problems = rules.work_entry_problems(v, today=state.ctx.today)
        self._unit(v, state, problems)
        return problems

    def write(self, rows: list[Row], state: BookState) -> int:
        from .records_services import WORK_FIELDS, work_entry_create

        for row in rows:
            v = row.record
            work_entry_create(actor=state.ctx.actor, unit=v["unit"], today=state.ctx.today,
                              **{name: v.get(name) or "" for name in WORK_FIELDS
                                 if name != "written_on"}, written_on=v["written_on"])
        return len(rows)


@register
class MeetingImport(_BookImport):
    kind = "meetings"
    order = 180
    title = gettext_lazy("Meetings")
    ledger_name = "会议记录"
    permission = "ledgers.add_meeting"
    model = Meeting
    columns = MEETING_COLUMNS

    def check_row(self, v: dict, state: BookState) -> dict[str, str]:
        v["kind"] = v.get("kind") or MeetingKind.WORK
        problems = rules.meeting_problems(v, today=state.ctx.today)
        self._unit(v, state, problems)
        return problems

    def write(self, rows: list[Row], state: BookState) -> int:
        from .records_services import MEETING_FIELDS, meeting_create

        for row in rows:
            v = row.record
            meeting_create(actor=state.ctx.actor, unit=v["unit"], today=state.ctx.today,
                           **{name: v.get(name) for name in MEETING_FIELDS})
        return len(rows)


@register
class PlanItemImport(_BookImport):
    """A plan's items, one a row; the plan of the unit and year is made when it is missing."""

    kind = "planitems"
    order = 165
    title = gettext_lazy("Annual plan items")
    ledger_name = "年度工作计划"
    permission = "ledgers.add_annualplan"
    model = PlanItem
    columns = PLAN_ITEM_COLUMNS

    def check_row(self, v: dict, state: BookState) -> dict[str, str]:
        problems = dict(rules.plan_problems(v, today=state.ctx.today))
        if "year" not in problems:
            problems.update(rules.plan_item_problems(v, year=v["year"]))
        self._unit(v, state, problems)
        return problems

    def write(self, rows: list[Row], state: BookState) -> int:
        from .records_services import ITEM_FIELDS, plan_create, plan_item_add

        actor = state.ctx.actor
        plans: dict = {}
        for row in rows:
            v = row.record
            unit = v["unit"] or actor.unit
            key = (unit.pk, v["year"])
            if key not in plans:
                plans[key] = AnnualPlan.objects.filter(unit=unit, year=v["year"]).first() \
                    or plan_create(actor=actor, unit=unit, year=v["year"],
                                   today=state.ctx.today)
            plan_item_add(actor=actor, plan=plans[key],
                          **{name: v.get(name) for name in ITEM_FIELDS})
        return len(rows)
