"""The assistance activities' book (扶残助残活动登记表), the volunteer roster (志愿者花名册) and
the volunteer activities' book (志愿者助残活动登记表) as import specs. Every row is checked by
the same rules as the forms (ledgers/rules.py) and written through the services
(activities_services.py), so the audit entries are the same; the people a row names (by ID
number) must be registered in the importer's area, its volunteers on a roster of it."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import cells
from imports.engine import Column, Context, ImportSpec, Row, aliases
from imports.registry import register
from orgs.imports import UnitIndex
from orgs.models import Level
from people.identity import mask_id, normalise_id, validate_id
from people.imports import read_phone
from people.models import Person, id_lookup

from . import rules
from .activities_choices import AssistanceKind
from .models import AssistanceActivity, Volunteer, VolunteerActivity

LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)
_SEPARATORS = re.compile(r"[、,，;；\s/]+")

read_kind = cells.choice_reader(AssistanceKind.choices, {
    "走访慰问": AssistanceKind.VISIT, "走访": AssistanceKind.VISIT, "慰问": AssistanceKind.VISIT,
    "助残日活动": AssistanceKind.DAY, "助残日": AssistanceKind.DAY,
    "全国助残日": AssistanceKind.DAY, "康复服务": AssistanceKind.REHABILITATION,
    "康复": AssistanceKind.REHABILITATION, "就业帮扶": AssistanceKind.EMPLOYMENT,
    "就业": AssistanceKind.EMPLOYMENT, "文体活动": AssistanceKind.CULTURE,
    "文体": AssistanceKind.CULTURE, "法律援助": AssistanceKind.LEGAL,
    "维权": AssistanceKind.LEGAL, "其他": AssistanceKind.OTHER,
}, gettext_lazy("kind of activity (走访慰问, 助残日活动, 康复服务…)"))


def read_count(value) -> int | None:
    text = cells.text(value).replace("人", "")
    if not text:
        return None
    if not text.isdigit():
        raise cells.CellError(_("“%(value)s” is not a whole number.") % {"value": text})
    return int(text)


def read_money(value) -> Decimal | None:
    text = cells.text(value).replace("元", "").replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise cells.CellError(_("“%(value)s” is not an amount of yuan.") % {
            "value": text}) from exc
    if not amount.is_finite():
        raise cells.CellError(_("“%(value)s” is not an amount of yuan.") % {"value": text})
    return amount.quantize(Decimal("0.01"))


def read_ids(value) -> tuple[str, ...]:
    """ID numbers separated by 、 , ; or spaces, each normalised."""
    text = cells.text(value)
    return tuple(normalise_id(part) for part in _SEPARATORS.split(text) if part)


ASSISTANCE_COLUMNS = [
    Column("held_on", "日期", aliases("日期", "活动日期", "时间", "活动时间"), read=cells.date,
           required=True, kind="date"),
    Column("title", "活动名称", aliases("活动名称", "活动主题", "名称"), required=True,
           max_length=120),
    Column("kind", "类别", aliases("类别", "活动类别", "类型"), read=read_kind),
    Column("organiser", "组织单位", aliases("组织单位", "主办单位", "组织者"), max_length=200),
    Column("partners", "合作部门", aliases("合作部门", "协办单位", "参与部门"), max_length=200),
    Column("place", "地点", aliases("地点", "活动地点"), max_length=200),
    Column("participants", "参加人数", aliases("参加人数", "参与人数", "人数"), read=read_count),
    Column("people", "受助残疾人身份证号", aliases("受助残疾人身份证号", "受助人身份证号",
                                                   "受助残疾人身份证"),
           read=read_ids, personal=True, kind="id"),
    Column("money", "捐助款（元）", aliases("捐助款（元）", "捐助款", "捐款（元）", "资金（元）",
                                           "捐助款(元)"), read=read_money),
    Column("goods", "捐助物品", aliases("捐助物品", "物品", "捐物"), max_length=300),
    Column("description", "活动内容", aliases("活动内容", "内容", "备注", "活动情况")),
    Column("influential", "有影响活动", aliases("有影响活动", "是否有影响活动",
                                               "有影响的活动"), read=cells.yes_no),
    Column("unit", "登记单位", aliases("登记单位", "单位", "村（社区）", "区划代码"),
           max_length=100),
]


@dataclass
class ActivityState:
    ctx: Context
    units: UnitIndex


def _unit_of_row(v: dict, state: ActivityState, problems: dict) -> None:
    unit = None
    if v.get("unit"):
        try:
            unit = state.units.find(v["unit"])
        except cells.CellError as exc:
            problems["unit"] = str(exc)
    else:
        own = getattr(state.ctx.actor, "unit", None)
        if own is not None and own.level in LEVELS:
            unit = own
        else:
            problems["unit"] = _("Name the unit keeping the record (its division code or "
                                 "name).")
    v["unit"] = unit


@register
class AssistanceImport(ImportSpec):
    kind = "assistance"
    order = 130
    title = gettext_lazy("Assistance activities (扶残助残活动登记表)")
    ledger_name = "残疾人扶残助残活动登记表"
    permission = "ledgers.add_assistanceactivity"
    model = AssistanceActivity
    columns = ASSISTANCE_COLUMNS
    key = None

    def begin(self, ctx: Context) -> ActivityState:
        return ActivityState(ctx, UnitIndex(ctx.actor, levels=LEVELS))

    def check_row(self, v: dict, state: ActivityState) -> dict[str, str]:
        v["kind"] = v.get("kind") or AssistanceKind.OTHER
        today = state.ctx.today or timezone.localdate()
        problems = dict(rules.activity(v, today=today))
        _unit_of_row(v, state, problems)
        for number in v.get("people") or ():
            try:
                validate_id(number, today=today)
            except ValidationError:
                problems["people"] = _("“%(id)s” is not a valid ID number.") % {
                    "id": mask_id(number)}
                break
        return problems

    def record(self, v: dict, state: ActivityState) -> dict:
        return dict(v)

    def check_batch(self, rows: list[Row], state: ActivityState) -> None:
        wanted = {id_lookup(n) for r in rows for n in r.record.get("people") or ()}
        found = dict(Person.objects.visible_to(state.ctx.actor).filter(id_hash__in=wanted)
                     .values_list("id_hash", "pk"))
        for row in rows:
            people = []
            for number in row.record.get("people") or ():
                pk = found.get(id_lookup(number))
                if pk is None:
                    row.fail("people", _("No one with the ID number %(id)s is registered in "
                                         "your area.") % {"id": mask_id(number)})
                    break
                people.append(pk)
            row.record["people_ids"] = people

    def write(self, rows: list[Row], state: ActivityState) -> int:
        from .activities_services import assistance_create

        for row in rows:
            v = dict(row.record)
            v.pop("people", None)
            people = v.pop("people_ids", [])
            unit = v.pop("unit")
            assistance_create(actor=state.ctx.actor, unit=unit, people=people, **v)
        return len(rows)


VOLUNTEER_COLUMNS = [
    Column("name", "姓名", aliases("姓名", "志愿者姓名", "名字"), required=True, max_length=50),
    Column("phone", "联系电话", aliases("联系电话", "电话", "手机", "手机号码"), read=read_phone,
           max_length=40, kind="id"),
    Column("organisation", "工作单位", aliases("工作单位", "单位名称", "所在单位", "组织"),
           max_length=100),
    Column("skills", "特长", aliases("特长", "专长", "技能"), max_length=200),
    Column("unit", "登记单位", aliases("登记单位", "村（社区）", "区划代码"), max_length=100),
]


@register
class VolunteerImport(ImportSpec):
    kind = "volunteers"
    order = 140
    title = gettext_lazy("Volunteer roster (志愿者花名册)")
    ledger_name = "志愿者花名册"
    permission = "ledgers.add_volunteer"
    model = Volunteer
    columns = VOLUNTEER_COLUMNS
    key = None

    def begin(self, ctx: Context) -> ActivityState:
        return ActivityState(ctx, UnitIndex(ctx.actor, levels=LEVELS))

    def check_row(self, v: dict, state: ActivityState) -> dict[str, str]:
        problems = dict(rules.volunteer(v))
        _unit_of_row(v, state, problems)
        return problems

    def record(self, v: dict, state: ActivityState) -> dict:
        return dict(v)

    def check_batch(self, rows: list[Row], state: ActivityState) -> None:
        """A volunteer already on the unit's roster (same name and phone) is left as is."""
        units = {r.record["unit"].pk for r in rows}
        kept = set(Volunteer.objects.filter(unit_id__in=units)
                   .values_list("unit_id", "name", "phone"))
        for row in rows:
            v = row.record
            if (v["unit"].pk, v["name"], v.get("phone") or "") in kept:
                row.unchanged = True

    def write(self, rows: list[Row], state: ActivityState) -> int:
        from .activities_services import volunteer_create

        for row in rows:
            v = dict(row.record)
            unit = v.pop("unit")
            volunteer_create(actor=state.ctx.actor, unit=unit, **v)
        return len(rows)


# ---- volunteer activities -------------------------------------------------------------------

_SERVICE = re.compile(r"^(?P<name>.+?)[（(]?(?P<hours>\d+(?:\.\d+)?)\s*(?:小时|h|H)?[）)]?$")
_SERVICE_SEPARATORS = re.compile(r"[、,，;；/]+")


def read_services(value) -> tuple[tuple[str, Decimal], ...]:
    """"王晓燕（3小时）、李建国（2.5小时）" (as the export writes it) or "王晓燕3、李建国2.5":
    (name, hours) pairs."""
    text = cells.text(value)
    pairs = []
    for part in _SERVICE_SEPARATORS.split(text):
        part = "".join(part.split())
        if not part:
            continue
        match = _SERVICE.match(part)
        if match is None:
            raise cells.CellError(_("“%(value)s” does not say a volunteer and their hours, "
                                    "e.g. 王晓燕（3小时）.") % {"value": part})
        pairs.append((match["name"], Decimal(match["hours"])))
    return tuple(pairs)


VOLUNTEER_ACTIVITY_COLUMNS = [
    Column("held_on", "日期", aliases("日期", "活动日期", "时间"), read=cells.date, required=True,
           kind="date"),
    Column("title", "活动名称", aliases("活动名称", "活动主题", "名称"), required=True,
           max_length=120),
    Column("place", "地点", aliases("地点", "活动地点"), max_length=200),
    Column("services", "参加志愿者及服务时长", aliases("参加志愿者及服务时长", "参加志愿者",
                                                     "志愿者及时长", "志愿者"),
           read=read_services),
    Column("people", "服务对象身份证号", aliases("服务对象身份证号", "受助残疾人身份证号"),
           read=read_ids, personal=True, kind="id"),
    Column("content", "活动内容", aliases("活动内容", "内容", "备注")),
    Column("unit", "登记单位", aliases("登记单位", "单位", "村（社区）", "区划代码"),
           max_length=100),
]


@register
class VolunteerActivityImport(ImportSpec):
    kind = "volunteer_activities"
    order = 150
    title = gettext_lazy("Volunteer activities (志愿者助残活动登记表)")
    ledger_name = "志愿者助残活动登记表"
    permission = "ledgers.add_volunteeractivity"
    model = VolunteerActivity
    columns = VOLUNTEER_ACTIVITY_COLUMNS
    key = None

    def begin(self, ctx: Context) -> ActivityState:
        return ActivityState(ctx, UnitIndex(ctx.actor, levels=LEVELS))

    def check_row(self, v: dict, state: ActivityState) -> dict[str, str]:
        today = state.ctx.today or timezone.localdate()
        problems = dict(rules.activity(v, today=today))
        _unit_of_row(v, state, problems)
        for name, hours in v.get("services") or ():
            problem = rules.service_hours(hours)
            if problem:
                problems["services"] = f"{name}：{problem}"
                break
        for number in v.get("people") or ():
            try:
                validate_id(number, today=today)
            except ValidationError:
                problems["people"] = _("“%(id)s” is not a valid ID number.") % {
                    "id": mask_id(number)}
                break
        return problems

    def record(self, v: dict, state: ActivityState) -> dict:
        return dict(v)

    def check_batch(self, rows: list[Row], state: ActivityState) -> None:
        actor = state.ctx.actor
        names = {name for r in rows for name, _h in r.record.get("services") or ()}
        volunteers: dict[str, list] = {}
        for volunteer in (Volunteer.objects.visible_to(actor).filter(name__in=names)
                          .select_related("unit").order_by("pk")):
            volunteers.setdefault(volunteer.name, []).append(volunteer)
        wanted = {id_lookup(n) for r in rows for n in r.record.get("people") or ()}
        found = dict(Person.objects.visible_to(actor).filter(id_hash__in=wanted)
                     .values_list("id_hash", "pk"))
        for row in rows:
            v = row.record
            services = {}
            for name, hours in v.get("services") or ():
                same = volunteers.get(name, [])
                here = [x for x in same if x.unit_id == v["unit"].pk]
                chosen = here if len(here) == 1 else same
                if not same:
                    row.fail("services", _("%(name)s is not on a volunteer roster of your "
                                           "area: add them to the roster first.") % {
                        "name": name})
                    break
                if len(chosen) > 1:
                    row.fail("services", _("Several volunteers of your area are called "
                                           "%(name)s: record this activity on the form.") % {
                        "name": name})
                    break
                services[chosen[0].pk] = hours
            people = []
            for number in v.get("people") or ():
                pk = found.get(id_lookup(number))
                if pk is None:
                    row.fail("people", _("No one with the ID number %(id)s is registered in "
                                         "your area.") % {"id": mask_id(number)})
                    break
                people.append(pk)
            v["service_ids"], v["people_ids"] = services, people

    def write(self, rows: list[Row], state: ActivityState) -> int:
        from .activities_services import volunteer_activity_create

        for row in rows:
            v = dict(row.record)
            for name in ("people", "services"):
                v.pop(name, None)
            volunteer_activity_create(actor=state.ctx.actor, unit=v.pop("unit"),
                                      people=v.pop("people_ids"),
                                      services=v.pop("service_ids"), **v)
        return len(rows)
