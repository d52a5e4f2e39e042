"""The county's roster of workers (专职委员花名册) as an import spec: one row per worker and
post. A new worker is recorded and appointed; a worker already recorded (same ID number)
gets the posts of the file they do not hold yet, and, when the user ticks "update", their
details as the file has them. Rows go through the services (workforce/services.py), so the
rules, the audit entries and the register links are the same as on the forms; everything a
service would refuse is found first, by row and column, in check_row and check_batch."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import cells
from imports.engine import Column, Context, ImportSpec, Row, aliases
from imports.registry import register
from orgs.imports import UnitIndex
from orgs.models import Level
from people.imports import read_education, read_id, read_phone
from people.models import Person
from people.models import id_lookup as person_lookup

from . import rules
from .choices import Connection, Holding, PoliticalStatus, PostKind, Relation
from .models import Appointment, Worker, id_lookup


def _reader(choices, words, name):
    return cells.choice_reader(choices, words, name)


read_political = _reader(PoliticalStatus.choices, {
    "党员": PoliticalStatus.PARTY, "中共党员": PoliticalStatus.PARTY,
    "预备党员": PoliticalStatus.PROBATIONARY, "团员": PoliticalStatus.LEAGUE,
    "共青团员": PoliticalStatus.LEAGUE, "民主党派": PoliticalStatus.DEMOCRATIC,
    "群众": PoliticalStatus.MASSES,
}, gettext_lazy("political status"))
read_connection = _reader(Connection.choices, {
    "残疾人": Connection.DISABLED, "是": Connection.DISABLED, "本人残疾": Connection.DISABLED,
    "残疾人亲属": Connection.RELATIVE, "亲属": Connection.RELATIVE,
    "残疾人亲友": Connection.RELATIVE, "否": Connection.NONE, "无": Connection.NONE,
    "健全人": Connection.NONE,
}, gettext_lazy("tie to disability (残疾人, 残疾人亲属 or 否)"))
read_relation = _reader(Relation.choices, {
    "配偶": Relation.SPOUSE, "夫妻": Relation.SPOUSE, "丈夫": Relation.SPOUSE,
    "妻子": Relation.SPOUSE, "父母": Relation.PARENT, "父亲": Relation.PARENT,
    "母亲": Relation.PARENT, "子女": Relation.CHILD, "儿子": Relation.CHILD,
    "女儿": Relation.CHILD, "兄弟姐妹": Relation.SIBLING, "兄弟": Relation.SIBLING,
    "姐妹": Relation.SIBLING, "祖孙": Relation.GRANDPARENT, "其他": Relation.OTHER,
}, gettext_lazy("relation"))
read_holding = _reader(Holding.choices, {
    "专职": Holding.FULL_TIME, "全职": Holding.FULL_TIME,
    "社会事务中心主任兼任": Holding.SOCIAL_AFFAIRS_HEAD,
    "民政助理员兼任": Holding.CIVIL_AFFAIRS, "民政干部兼任": Holding.CIVIL_AFFAIRS,
    "村委会主任兼任": Holding.COMMITTEE_HEAD, "居委会主任兼任": Holding.COMMITTEE_HEAD,
    "村委会副主任兼任": Holding.COMMITTEE_DEPUTY, "居委会副主任兼任": Holding.COMMITTEE_DEPUTY,
    "兼任": Holding.CONCURRENT, "兼职": Holding.CONCURRENT,
}, gettext_lazy("way of holding the post"))
read_post = _reader(PostKind.choices, {
    "理事长": PostKind.CHAIR, "主席": PostKind.CHAIR, "残协主席": PostKind.CHAIR,
    "副理事长": PostKind.VICE_CHAIR, "副主席": PostKind.VICE_CHAIR,
    "残协副主席": PostKind.VICE_CHAIR, "专职委员": PostKind.LIAISON,
    "残疾人专职委员": PostKind.LIAISON, "专委": PostKind.LIAISON,
    "乡镇专职委员": PostKind.LIAISON, "村专职委员": PostKind.LIAISON,
    "社区专职委员": PostKind.LIAISON, "乡镇（街道）专职委员": PostKind.LIAISON,
    "村（社区）专职委员": PostKind.LIAISON, "残联理事长": PostKind.CHAIR,
    "阳光家园辅导员": PostKind.COUNSELLOR, "辅导员": PostKind.COUNSELLOR,
    "工作人员": PostKind.STAFF, "干事": PostKind.STAFF,
}, gettext_lazy("post (专职委员, 理事长, 残协主席…)"))

ROSTER_COLUMNS = [
    Column("name", "姓名", aliases("姓名", "专职委员姓名", "名字"), required=True, max_length=50),
    Column("id_number", "身份证号", aliases("身份证号", "身份证号码", "公民身份号码", "身份证"),
           read=read_id, required=True, kind="id", personal=True),
    Column("gender", "性别", aliases("性别")),
    Column("phone", "联系电话", aliases("联系电话", "电话", "手机", "手机号码"), read=read_phone,
           max_length=40),
    Column("education", "文化程度", aliases("文化程度", "学历"), read=read_education),
    Column("political_status", "政治面貌", aliases("政治面貌"), read=read_political),
    Column("connection", "残疾人或亲属", aliases("残疾人或亲属", "是否残疾人", "身份",
                                                 "残疾人/亲属"), read=read_connection),
    Column("relative_id_number", "亲属身份证号", aliases("亲属身份证号", "残疾亲属身份证号"),
           read=read_id, kind="id", personal=True),
    Column("relation", "与残疾人关系", aliases("与残疾人关系", "关系", "亲属关系"),
           read=read_relation),
    Column("unit", "任职单位", aliases("任职单位", "单位", "所在村（社区）", "村（社区）",
                                       "乡镇（街道）", "区划代码"), max_length=100),
    Column("post", "岗位", aliases("岗位", "职务", "担任职务"), read=read_post),
    Column("holding", "任职方式", aliases("任职方式", "专职或兼职", "专兼职"), read=read_holding),
    Column("starts_on", "聘任日期", aliases("聘任日期", "任职日期", "上岗日期", "聘任时间"),
           read=cells.date),
    Column("term_ends_on", "聘期届满", aliases("聘期届满", "聘期至", "任期届满"),
           read=cells.date),
    Column("document_number", "聘任文号", aliases("聘任文号", "文号", "任命文号"),
           max_length=60),
    Column("certificate_number", "上岗证号", aliases("上岗证号", "上岗证编号", "证书编号"),
           max_length=40),
    Column("certificate_valid_until", "上岗证有效期至", aliases("上岗证有效期至", "有效期至"),
           read=cells.date),
]

DETAILS = ("name", "phone", "education", "political_status", "connection", "relation",
           "certificate_number", "certificate_valid_until")


@dataclass
class RosterState:
    ctx: Context
    units: UnitIndex


@register
class WorkerImport(ImportSpec):
    kind = "workers"
    order = 60
    title = gettext_lazy("Workers and their posts (roster of liaison officers)")
    ledger_name = "残疾人专职委员花名册"
    permission = "workforce.add_worker"
    model = Worker
    columns = ROSTER_COLUMNS
    key = None  # a worker holding two posts has two rows
    supports_update = True
    update_label = gettext_lazy("Update the details of workers already recorded (same ID "
                                "number)")

    def begin(self, ctx: Context) -> RosterState:
        return RosterState(ctx, UnitIndex(ctx.actor, levels=(
            Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)))

    def check_row(self, v: dict, state: RosterState) -> dict[str, str]:
        v["connection"] = v.get("connection") or Connection.NONE
        checked = rules.worker({**v, "has_person": True}, today=state.ctx.today)
        v.update(checked.derived)
        problems = dict(checked.problems)
        unit = None
        if v.get("unit"):
            try:
                unit = state.units.find(v["unit"])
            except cells.CellError as exc:
                problems["unit"] = str(exc)
        v["unit"] = unit
        if v.get("post") and unit is None and "unit" not in problems:
            problems["unit"] = _("Name the unit of the post (its division code or name).")
        if unit is not None and not v.get("post"):
            problems["post"] = _("Name the post held in this unit.")
        if unit is not None and v.get("post"):
            problems.update(rules.post(kind=v["post"], unit_level=unit.level))
            problems.update(rules.appointment({
                "starts_on": v.get("starts_on"), "term_ends_on": v.get("term_ends_on")},
                today=state.ctx.today))
        if v["connection"] == Connection.RELATIVE and not v.get("relative_id_number"):
            problems["relative_id_number"] = _("Give the ID number of the disabled relative "
                                               "as it is registered in your area.")
        return problems

    def record(self, v: dict, state: RosterState) -> dict:
        return dict(v)

    def check_batch(self, rows: list[Row], state: RosterState) -> None:
        actor = state.ctx.actor
        hashes = {id_lookup(r.record["id_number"]) for r in rows}
        existing = dict(Worker.objects.filter(id_hash__in=hashes).values_list("id_hash", "pk"))
        visible = set(Worker.objects.visible_to(actor).filter(pk__in=existing.values())
                      .values_list("pk", flat=True))
        wanted = {person_lookup(r.record[name]) for r in rows for name in (
            "id_number", "relative_id_number") if r.record.get(name)}
        registered = set(Person.objects.visible_to(actor).filter(id_hash__in=wanted)
                         .values_list("id_hash", flat=True))
        for row in rows:
            v = row.record
            pk = existing.get(id_lookup(v["id_number"]))
            if pk is not None and pk not in visible:
                row.fail("id_number", _("This worker is recorded already by another unit."))
                continue
            if v["connection"] == Connection.DISABLED \
                    and person_lookup(v["id_number"]) not in registered:
                row.fail("connection", _("A disabled worker is linked to their entry in the "
                                         "register: register them first, or give their ID "
                                         "number as it is registered."))
            if v["connection"] == Connection.RELATIVE and v.get("relative_id_number") \
                    and person_lookup(v["relative_id_number"]) not in registered:
                row.fail("relative_id_number", _("No one with this ID number is registered "
                                                 "in your area."))
            row.existing = pk

    def _details(self, v: dict) -> dict:
        return {name: v.get(name) or ("" if name != "certificate_valid_until" else None)
                for name in DETAILS}

    def _appoint(self, worker: Worker, v: dict, state: RosterState) -> None:
        from .services import appoint

        unit = v.get("unit")
        if unit is None or not v.get("post"):
            return
        holds = Appointment.objects.current().filter(worker=worker, post__unit=unit,
                                                     post__kind=v["post"]).exists()
        if not holds:
            appoint(actor=state.ctx.actor, worker=worker, unit=unit, kind=v["post"],
                    starts_on=v["starts_on"], term_ends_on=v.get("term_ends_on"),
                    document_number=v.get("document_number") or "",
                    holding=v.get("holding") or "")

    def write(self, rows: list[Row], state: RosterState) -> int:
        from .services import worker_create

        for row in rows:
            v = row.record
            worker = Worker.objects.with_id(v["id_number"]).first()
            if worker is None:
                unit = v.get("unit") or state.ctx.actor.unit
                worker = worker_create(actor=state.ctx.actor, unit=unit,
                                       id_number=v["id_number"],
                                       relative_id_number=v.get("relative_id_number") or "",
                                       **self._details(v))
            self._appoint(worker, v, state)
        return len(rows)

    def update(self, rows: list[Row], state: RosterState) -> int:
        from .services import worker_update

        workers = Worker.objects.in_bulk([r.existing for r in rows])
        for row in rows:
            v, worker = row.record, workers[row.existing]
            if state.ctx.update_existing:
                worker = worker_update(actor=state.ctx.actor, worker=worker,
                                       relative_id_number=v.get("relative_id_number") or "",
                                       **self._details(v))
            self._appoint(worker, v, state)
        return len(rows)
