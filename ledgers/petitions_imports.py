"""The paper ledger of letters and visits (残疾人来信来访登记表) through the import engine, in
the export's own columns (ledgers/petitions_exports.py), so a ledger taken out comes back
in. Each row is registered through the services (ledgers/petitions_services.py), so the
deadline, the links to earlier petitions and the audit entries are the same as on the form;
a row whose 答复日期 and 办理情况 are filled in is taken through acceptance, handling and
the reply, and closed when 是否满意 says satisfied. Everything a service would refuse is
found first, by row and column, in check_row and check_batch."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import cells
from imports.engine import Column, Context, ImportSpec, Row, aliases
from imports.registry import register
from orgs.imports import UnitIndex
from people.imports import read_id, read_phone

from . import rules
from .models import Petition
from .petitions_choices import ReceivedHow, Satisfaction
from .petitions_services import PETITION_LEVELS

read_how = cells.choice_reader(ReceivedHow.choices, {
    "来信": ReceivedHow.LETTER, "信件": ReceivedHow.LETTER, "来访": ReceivedHow.VISIT,
    "上访": ReceivedHow.VISIT, "走访": ReceivedHow.VISIT, "电话": ReceivedHow.PHONE,
    "来电": ReceivedHow.PHONE, "网上": ReceivedHow.ONLINE, "网络": ReceivedHow.ONLINE,
    "网上信访": ReceivedHow.ONLINE, "上级转办": ReceivedHow.REFERRED,
    "转办": ReceivedHow.REFERRED, "交办": ReceivedHow.REFERRED,
}, gettext_lazy("way received (来信, 来访, 电话, 网上 or 上级转办)"))
read_satisfaction = cells.choice_reader(Satisfaction.choices, {
    "满意": Satisfaction.SATISFIED, "是": Satisfaction.SATISFIED,
    "基本满意": Satisfaction.BASICALLY, "不满意": Satisfaction.NOT_SATISFIED,
    "否": Satisfaction.NOT_SATISFIED,
}, gettext_lazy("satisfaction (满意, 基本满意 or 不满意)"))

PETITION_COLUMNS = [
    Column("received_on", "日期", aliases("日期", "来信来访日期", "来访日期", "登记日期"),
           read=cells.date, required=True, kind="date"),
    Column("petitioner_name", "来访人", aliases("来访人", "来信来访人", "姓名", "来访人姓名"),
           required=True, max_length=50),
    Column("petitioner_phone", "联系电话", aliases("联系电话", "电话", "手机"), read=read_phone,
           max_length=40),
    Column("received_how", "方式", aliases("方式", "来信来访方式", "信访方式"), read=read_how),
    Column("content", "反映问题", aliases("反映问题", "反映的问题", "主要问题", "内容"),
           required=True),
    Column("category", "类别", aliases("类别", "问题类别", "分类"), required=True,
           max_length=40),
    Column("reply", "办理情况", aliases("办理情况", "处理情况", "答复内容")),
    Column("replied_on", "答复日期", aliases("答复日期", "回复日期"), read=cells.date,
           kind="date"),
    Column("satisfaction", "是否满意", aliases("是否满意", "满意度"), read=read_satisfaction),
    Column("notes", "备注", aliases("备注")),
    Column("unit", "登记单位", aliases("登记单位", "单位", "村（社区）", "乡镇（街道）"),
           max_length=100),
    Column("id_number", "身份证号", aliases("身份证号", "身份证号码", "公民身份号码"),
           read=read_id, kind="id", personal=True),
    Column("petitioner_address", "住址", aliases("住址", "地址", "家庭住址"), max_length=200),
]


@dataclass
class PetitionState:
    ctx: Context
    units: UnitIndex
    categories: dict


@register
class PetitionImport(ImportSpec):
    kind = "petitions"
    order = 75
    title = gettext_lazy("Letters and visits")
    ledger_name = "残疾人来信来访登记表"
    permission = "ledgers.add_petition"
    model = Petition
    columns = PETITION_COLUMNS
    key = None  # the same person may come twice

    def begin(self, ctx: Context) -> PetitionState:
        from .petitions_services import category_choices

        unit = getattr(ctx.actor, "unit", None)
        categories: dict = {}
        for category in category_choices(unit).select_related("parent"):
            categories.setdefault(category.name, category)
            if category.parent_id:
                categories.setdefault(f"{category.parent.name}/{category.name}", category)
        return PetitionState(ctx, UnitIndex(ctx.actor, levels=PETITION_LEVELS), categories)

    def check_row(self, v: dict, state: PetitionState) -> dict[str, str]:
        problems = rules.petition_problems({**v, "has_person": False},
                                           today=state.ctx.today)
        unit = None
        if v.get("unit"):
            try:
                unit = state.units.find(v["unit"])
            except cells.CellError as exc:
                problems["unit"] = str(exc)
        elif getattr(state.ctx.actor, "unit", None) is not None:
            unit = state.ctx.actor.unit
        else:
            problems["unit"] = _("Name the unit registering the petition.")
        v["unit"] = unit
        name = "".join((v.get("category") or "").split())
        category = state.categories.get(name)
        if category is None and "category" not in problems:
            problems["category"] = _("“%(name)s” is not a category of your area: %(list)s.") % {
                "name": name, "list": "、".join(sorted(state.categories)[:12])}
        v["category"] = category
        v["received_how"] = v.get("received_how") or ReceivedHow.VISIT
        if v.get("replied_on") or v.get("reply"):
            problems.update({k: m for k, m in rules.transition_problems(
                "reply", status="handling", values=v,
                received_on=v.get("received_on") or state.ctx.today,
                today=state.ctx.today).items() if k in ("reply", "replied_on")})
        if v.get("satisfaction") and not v.get("replied_on"):
            problems["satisfaction"] = _("Satisfaction is given of a reply: give the reply "
                                         "and its date too.")
        return problems

    def record(self, v: dict, state: PetitionState) -> dict:
        return dict(v)

    def check_batch(self, rows: list[Row], state: PetitionState) -> None:
        return None

    def write(self, rows: list[Row], state: PetitionState) -> int:
        from . import petitions_services as services

        actor = state.ctx.actor
        for row in rows:
            v = row.record
            petition = services.petition_register(
                actor=actor, unit=v["unit"], category=v["category"],
                received_on=v["received_on"], content=v["content"],
                received_how=v["received_how"], petitioner_name=v["petitioner_name"],
                petitioner_phone=v.get("petitioner_phone") or "",
                petitioner_address=v.get("petitioner_address") or "",
                id_number=v.get("id_number") or "", notes=v.get("notes") or "")
            if v.get("replied_on"):
                handler = actor.get_username() if hasattr(actor, "get_username") else ""
                petition = services.petition_accept(actor=actor, petition=petition,
                                                    handler_name=handler or "-")
                petition = services.petition_start(actor=actor, petition=petition)
                petition = services.petition_reply(actor=actor, petition=petition,
                                                   reply=v["reply"], replied_on=v["replied_on"])
                if v.get("satisfaction") in (Satisfaction.SATISFIED, Satisfaction.BASICALLY):
                    services.petition_close(actor=actor, petition=petition,
                                            satisfaction=v["satisfaction"])
        return len(rows)
