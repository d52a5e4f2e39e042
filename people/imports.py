"""The register's ledgers as import specs (see imports.engine.spec): people (个人登记表),
needs (服务需求登记表), visits and job seekers, with the headers counties actually use. Each
spec checks a row with ``people.rules``, the same rules the forms' services apply."""

from dataclasses import dataclass, field

from django.db.models import F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import Action
from audit.services import AuditItem, audit_many, audit_ref, diff_fields
from core import cells, crypto
from core.actors import user_of
from core.cells import choice_reader as _choice_reader
from core.cells import closed_list
from core.text import normalise_text
from imports.engine import Column, Context, ImportSpec, Row
from imports.engine import aliases as _aliases
from imports.registry import register
from orgs.imports import UnitIndex
from orgs.models import Level

from . import counts, rules
from .choices import (
    ETHNICITIES,
    Education,
    Employment,
    Gender,
    Hukou,
    JobStatus,
    Marital,
    NeedStatus,
    NeedType,
    Status,
    VisitMode,
    WorkAbility,
)
from .identity import masked_changes, normalise_id
from .models import (
    ID_COLUMN,
    STATUS_EVENTS,
    JobSeeker,
    Need,
    Person,
    PersonEvent,
    Visit,
    sealed_id,
)
from .pinyin import search_key
from .services import visit_facts_refresh

# ---- readers for the register's cells --------------------------------------------------------

_CATEGORY_WORDS = {
    "视力": 1, "视力残疾": 1, "视残": 1, "盲": 1,
    "听力": 2, "听力残疾": 2, "听残": 2, "聋": 2,
    "言语": 3, "言语残疾": 3, "语言": 3, "语言残疾": 3,
    "肢体": 4, "肢体残疾": 4, "肢残": 4,
    "智力": 5, "智力残疾": 5, "智残": 5,
    "精神": 6, "精神残疾": 6, "精残": 6,
    "多重": 7, "多重残疾": 7,
}
_GRADE_WORDS = {
    "1": 1, "一": 1, "壹": 1, "i": 1,
    "2": 2, "二": 2, "贰": 2, "ii": 2,
    "3": 3, "三": 3, "叁": 3, "iii": 3,
    "4": 4, "四": 4, "肆": 4, "iv": 4,
}


@closed_list
def read_category(value):
    if cells.is_blank(value):
        return None
    text = cells.text(value).replace(" ", "")
    if text in {"1", "2", "3", "4", "5", "6", "7"}:
        return int(text)
    if text in _CATEGORY_WORDS:
        return _CATEGORY_WORDS[text]
    raise cells.CellError(_("“%(value)s” is not a category: write 视力, 听力, 言语, 肢体, 智力, "
                            "精神, 多重 or 1–7.") % {"value": text})


@closed_list
def read_grade(value):
    if cells.is_blank(value):
        return None
    text = normalise_text(cells.text(value)).lower().replace(" ", "")
    text = text.removesuffix("级").removesuffix("等")
    if text in _GRADE_WORDS:
        return _GRADE_WORDS[text]
    raise cells.CellError(_("“%(value)s” is not a grade: write 一级 to 四级 or 1–4.")
                          % {"value": cells.text(value)})


read_status = _choice_reader(Status.choices, {
    "在册": Status.ACTIVE, "正常": Status.ACTIVE, "迁出": Status.MOVED_OUT,
    "已迁出": Status.MOVED_OUT, "死亡": Status.DECEASED, "已故": Status.DECEASED,
    "去世": Status.DECEASED, "注销": Status.CANCELLED, "已注销": Status.CANCELLED,
    "注销残疾证": Status.CANCELLED, "残疾证注销": Status.CANCELLED,
}, gettext_lazy("status"))
read_gender = _choice_reader(Gender.choices, {"男": Gender.MALE, "女": Gender.FEMALE,
                                              "1": Gender.MALE, "2": Gender.FEMALE},
                             gettext_lazy("gender"))
read_hukou = _choice_reader(Hukou.choices, {
    "城镇": Hukou.URBAN, "非农": Hukou.URBAN, "非农业": Hukou.URBAN, "城市": Hukou.URBAN,
    "城镇户口": Hukou.URBAN, "非农业户口": Hukou.URBAN, "居民": Hukou.URBAN,
    "农村": Hukou.RURAL, "农业": Hukou.RURAL, "农业户口": Hukou.RURAL, "农村户口": Hukou.RURAL,
}, gettext_lazy("household registration"))
read_education = _choice_reader(Education.choices, {
    "文盲": Education.NONE, "未上学": Education.NONE, "小学": Education.PRIMARY,
    "初中": Education.JUNIOR, "高中": Education.SENIOR, "中专": Education.VOCATIONAL,
    "职高": Education.VOCATIONAL, "大专": Education.COLLEGE, "本科": Education.UNIVERSITY,
    "研究生": Education.UNIVERSITY, "特殊教育": Education.SPECIAL,
}, gettext_lazy("education level"))
read_marital = _choice_reader(Marital.choices, {
    "未婚": Marital.SINGLE, "已婚": Marital.MARRIED, "有配偶": Marital.MARRIED,
    "离婚": Marital.DIVORCED, "离异": Marital.DIVORCED, "丧偶": Marital.WIDOWED,
}, gettext_lazy("marital status"))
read_employment = _choice_reader(Employment.choices, {
    "就业": Employment.EMPLOYED, "在职": Employment.EMPLOYED, "个体": Employment.SELF_EMPLOYED,
    "务农": Employment.FARMING, "农业": Employment.FARMING, "未就业": Employment.UNEMPLOYED,
    "失业": Employment.UNEMPLOYED, "无劳动能力": Employment.UNABLE, "在校": Employment.STUDENT,
    "学生": Employment.STUDENT, "退休": Employment.RETIRED,
}, gettext_lazy("employment status"))


@closed_list
def read_ethnicity(value):
    if cells.is_blank(value):
        return "汉族"
    text = cells.text(value).replace(" ", "")
    if text in ETHNICITIES:
        return text
    if text + "族" in ETHNICITIES:
        return text + "族"
    raise cells.CellError(_("“%(value)s” is not one of the 56 ethnic groups.") % {"value": text})


read_yes = cells.yes_no


def read_id(value) -> str:
    if type(value) is str and value.isascii():  # the common case: typed as text, no spaces
        if value.isdigit():
            return value
        if value[:-1].isdigit() and value[-1:] in ("x", "X"):
            return value.upper()
    return normalise_id(cells.long_number(value))


def read_phone(value) -> str:
    text = cells.long_number(value) if isinstance(value, (int, float)) else cells.text(value)
    return normalise_text(text)


# ---- people ------------------------------------------------------------------------------------

PERSON_COLUMNS = [
    Column("name", "姓名", _aliases("姓名", "残疾人姓名", "名字"), required=True, max_length=50),
    Column("id_number", "身份证号", _aliases("身份证号", "身份证号码", "公民身份号码",
                                             "身份证", "证件号码"), read=read_id, kind="id",
           personal=True),
    Column("gender", "性别", _aliases("性别"), read=read_gender),
    Column("birth_date", "出生日期", _aliases("出生日期", "出生年月", "生日"), read=cells.date),
    Column("ethnicity", "民族", _aliases("民族"), read=read_ethnicity),
    Column("certificate_number", "残疾证号", _aliases(
        "残疾证号", "残疾人证号", "残疾证号码", "残疾人证号码", "持证号码", "证号"), read=read_id,
        kind="id", personal=True),
    Column("category", "残疾类别", _aliases("残疾类别", "类别", "残疾类型", "残疾人证类别"),
           read=read_category),
    Column("grade", "残疾等级", _aliases("残疾等级", "等级", "残疾级别", "级别"), read=read_grade),
    Column("certificate_issued_on", "发证日期", _aliases("发证日期", "领证日期", "办证日期",
                                                     "发证时间"), read=cells.date),
    Column("certificate_valid_until", "有效期至", _aliases("有效期至", "有效期", "证件有效期",
                                                       "有效期限"), read=cells.date),
    Column("unit", "所属村（社区）", _aliases(
        "所属村（社区）", "村（社区）", "所属村", "所属社区", "村社区", "村/社区", "所在村（社区）",
        "村（居）", "所属村（居）", "村居", "村委会", "社区"), required=True),
    Column("township_hint", "所属乡镇（街道）", _aliases("所属乡镇（街道）", "乡镇（街道）",
                                                   "乡镇", "街道", "所属乡镇")),
    Column("grid", "网格", _aliases("网格", "所属网格")),
    Column("hukou", "户籍", _aliases("户籍", "户口性质", "户籍类别", "户口类别", "户籍性质"),
           read=read_hukou),
    Column("phone", "联系电话", _aliases("联系电话", "电话", "手机", "手机号", "联系方式"),
           read=read_phone, max_length=40),
    Column("address", "住址", _aliases("住址", "家庭住址", "现住址", "地址", "居住地址"),
           max_length=200),
    Column("education", "文化程度", _aliases("文化程度", "学历", "受教育程度"),
           read=read_education),
    Column("marital_status", "婚姻状况", _aliases("婚姻状况", "婚姻"), read=read_marital),
    Column("employment", "就业状况", _aliases("就业状况", "就业情况", "是否就业"),
           read=read_employment),
    Column("guardian_name", "监护人或联系人", _aliases("监护人", "联系人", "监护人或联系人",
                                                 "监护人姓名"), max_length=50),
    Column("guardian_relation", "与本人关系", _aliases("与本人关系", "关系", "监护人关系"),
           max_length=20),
    Column("guardian_phone", "监护人电话", _aliases("监护人电话", "联系人电话", "监护人联系电话"),
           read=read_phone, max_length=40),
    Column("dibao", "享受低保", _aliases("低保", "享受低保", "是否低保"), read=read_yes),
    Column("tekun", "特困供养", _aliases("特困", "特困供养", "是否特困"), read=read_yes),
    Column("living_subsidy", "困难残疾人生活补贴", _aliases("生活补贴", "困难残疾人生活补贴"),
           read=read_yes),
    Column("care_subsidy", "重度残疾人护理补贴", _aliases("护理补贴", "重度残疾人护理补贴"),
           read=read_yes),
    Column("registered_on", "登记日期", _aliases("登记日期", "建档日期", "录入日期"),
           read=cells.date),
    Column("status", "人员状态", _aliases("人员状态", "状态", "在册状态"), read=read_status),
    Column("status_date", "状态变更日期", _aliases("状态变更日期", "状态日期", "变更日期",
                                                   "死亡日期", "迁出日期", "注销日期"),
           read=cells.date),
    Column("notes", "备注", _aliases("备注", "说明")),
]

UPDATABLE = ("name", "gender", "birth_date", "ethnicity", "certificate_number", "category",
             "grade", "certificate_issued_on", "certificate_valid_until", "hukou", "phone",
             "address", "education", "marital_status", "employment", "guardian_name",
             "guardian_relation", "guardian_phone", "dibao", "tekun", "living_subsidy",
             "care_subsidy", "notes", "grid", "status", "status_date")


def id_key(number) -> int | None:
    """An ID number's lookup hash as an int: how the import keeps the register's numbers
    in memory (they are stored only encrypted, beside this hash)."""
    return crypto.lookup_int(number, column=ID_COLUMN)


# Up to this many people in the register, an import reads all their ID numbers once (no
# query per batch); beyond, each batch asks the index for its own: reading a province's
# 1.8 million numbers would cost more than the file's batches asking (measured: 3.3 µs a
# number read, a few ms a batch of 1,000 looked up).
READ_WHOLE_REGISTER = 50_000


def registered_ids() -> set | None:
    """The ID numbers of everyone in the register (every unit's, not only the user's: a
    person is registered once), as their lookup hashes (``id_key``): read once when an
    import begins, in one pass over the index, so that rows are checked against the
    register without a query per batch — when the register holds at most
    READ_WHOLE_REGISTER people; None when it holds more (each batch then asks for its own,
    which grows with the file, not with the register)."""
    people = Person.objects.exclude(id_hash=None).order_by()
    if people.values_list("id_hash")[READ_WHOLE_REGISTER:READ_WHOLE_REGISTER + 1].exists():
        return None
    hashes = people.values_list("id_hash", flat=True)
    return {int(h, 16) for h in hashes.iterator(chunk_size=20_000)}


@dataclass
class PersonState:
    ctx: Context
    units: UnitIndex
    grids: UnitIndex
    registered: set | None  # the register's ID numbers as compact keys, read once (None:
    # too many to read, see READ_WHOLE_REGISTER)
    scope: str  # the user's path ("" for everywhere)
    written: list = field(default_factory=list)  # the new people's keys, as ranges
    # (counts.key_ranges)


@register
class PersonImport(ImportSpec):
    kind = "people"
    order = 10
    title = gettext_lazy("People (personal registration ledger)")
    ledger_name = "残疾人基本状况个人登记表"
    permission = "people.add_person"
    model = Person
    columns = PERSON_COLUMNS
    key = "id_number"
    supports_update = True
    update_label = gettext_lazy("Update people already registered (same ID number)")

    def begin(self, ctx: Context) -> PersonState:
        actor = ctx.actor
        return PersonState(
            ctx=ctx, units=UnitIndex(actor), grids=UnitIndex(actor, levels=(Level.GRID,)),
            registered=registered_ids(),
            scope="" if actor.is_superuser else actor.unit.path)

    def fixed(self, state: PersonState) -> dict:
        ctx = state.ctx
        return {"registered_by": ctx.actor.pk,
                "updated_at": ctx.now, "import_job": ctx.job.pk if ctx.job is not None else None}

    def check_row(self, v: dict, state: PersonState) -> dict[str, str]:
        problems = {}
        try:
            unit = state.units.find(v.get("unit"), v.get("township_hint", ""))
        except cells.CellError as exc:
            problems["unit"], unit = str(exc), None
        v["unit"], grid = unit, v.get("grid")
        v["grid"] = None
        if grid and unit is not None:
            candidates = [g for g in state.grids.by_name.get("".join(grid.split()), [])
                          if g.parent_id == unit.pk]
            if len(candidates) == 1:
                v["grid"] = candidates[0]
            else:
                problems["grid"] = _("The grid is not one of %(unit)s's grids.") \
                    % {"unit": unit.name}
        checked = rules.person(v, today=state.ctx.today,
                               unit_kind=unit.kind if unit is not None else "")
        v.update(checked.derived)
        return {**checked.problems, **problems}

    def record(self, v: dict, state: PersonState) -> dict:
        """The person's fields; the unit and grid by their keys."""
        # Without a registration date, a person who left the register (a death last year)
        # was registered no later than that: the history then reads in order.
        registered = v.get("registered_on") or min(state.ctx.today,
                                                   v.get("status_date") or state.ctx.today)
        out = {**v, "unit": v["unit"].pk, "grid": v["grid"].pk if v.get("grid") else None,
               "search_key": search_key(v["name"]), "registered_on": registered,
               **sealed_id(v.get("id_number")),
               "has_certificate": bool(v.get("certificate_number"))}
        if not out.get("status"):
            out.pop("status", None)  # the column's default, active; in update mode, no change
        return out

    def check_batch(self, rows: list[Row], state: PersonState) -> None:
        # Only the people whose ID number the register held when the import began are looked
        # up (most rows are new: most batches ask nothing); in a register too large to read
        # whole (READ_WHOLE_REGISTER), each batch looks up its own numbers. A certificate
        # number begins with its holder's ID number (the rules, and a constraint of the
        # table), so a certificate can only be taken by the person with the row's ID number.
        # Someone registered by another user while the import runs is caught by the table's
        # unique constraint: the job then stops, writing nothing, and says so.
        registered = state.registered
        hashes = {row.number: f"{row.key:032x}" for row in rows
                  if row.key is not None and (registered is None or row.key in registered)}
        if hashes and registered is None:  # the index alone first: most rows are new
            found = set(Person.objects.filter(id_hash__in=hashes.values()).order_by()
                        .values_list("id_hash", flat=True))
            hashes = {number: h for number, h in hashes.items() if h in found}
        if not hashes:
            return
        holders = {p["id_hash"]: p for p in Person.objects.filter(
            id_hash__in=hashes.values()).values("id", "id_hash", "unit__name", "unit__path")}
        for row in rows:
            current = holders.get(hashes.get(row.number))
            if current is None:
                continue
            if state.scope and not current["unit__path"].startswith(state.scope):
                row.fail("id_number", _(
                    "Already registered by %(unit)s, outside your area: ask that unit to "
                    "transfer the person.") % {"unit": current["unit__name"]})
            elif not state.ctx.update_existing:
                row.fail("id_number", _(
                    "Already registered (in %(unit)s). Choose “update people already "
                    "registered” to change their details.") % {"unit": current["unit__name"]})
            else:
                row.existing = current["id"]

    def row_key(self, value, record: dict):
        """The ID number's lookup hash as an int (``id_key``), made where the row is read."""
        return int(record["id_hash"], 16) if record.get("id_hash") else None

    def update(self, rows: list[Row], state: PersonState) -> int:
        return _update_people(rows, state.ctx, grids=state.grids.by_id)

    def after_batch(self, written: list[Row], state: PersonState) -> None:
        """The batch's new people into the kept counts' history, in the import's
        transaction: one INSERT … SELECT from the rows just written, by the keys they were
        written with (a range of the primary key; the database copies each person's details
        as stored, no row crosses the connection); what they add to the counts themselves
        is added once, at the end (after_write). (Updated people were counted again as
        they were updated.)"""
        if not written:
            return
        keys = [row.pk for row in written]
        counts.history_of_new_people(Person.objects.filter(
            counts.in_ranges(counts.key_ranges(keys))))
        state.written = counts.key_ranges(keys, state.written)

    def after_write(self, state: PersonState) -> None:
        """The new people's kept counts: one grouped upsert over the people the import
        wrote (by their keys' ranges), at the end, so the villages' rows are locked for the
        end of the import only. Then the history of each person the import registered
        with a status other than active (moved out, deceased, cancelled): one event each,
        on the day the ledger gives (or the registration's), as the status page writes it.
        (The registration itself is the person row's own fact: see
        selectors.status_history.)"""
        if state.written:
            counts.add_people(Person.objects.filter(counts.in_ranges(state.written)))
        ctx = state.ctx
        if ctx.job is None:
            return  # imports run as jobs; without one, the people written cannot be found
        note = _import_note(ctx)
        leaving = (Person.objects.filter(import_job=ctx.job).exclude(status=Status.ACTIVE)
                   .values_list("id", "status", "status_date", "registered_on", "unit_id")
                   .order_by("id"))
        batch = []
        for pk, status, since, registered_on, unit_id in leaving.iterator(chunk_size=2000):
            batch.append(PersonEvent(person_id=pk, kind=STATUS_EVENTS[status],
                                     on=since or registered_on, unit_id=unit_id, note=note,
                                     by=user_of(ctx.actor)))
            if len(batch) >= 2000:
                PersonEvent.objects.bulk_create(batch)
                batch = []
        PersonEvent.objects.bulk_create(batch)


def _import_note(ctx: Context) -> str:
    return _("Import %(job)s") % {"job": ctx.job.pk} if ctx.job is not None else _("Import")


def _grid_ref(pk, grids: dict):
    """A grid as the audit log records it (audit_ref); a grid the index does not hold
    (one gone since) by its key, which the history still reads."""
    if pk is None:
        return None
    return audit_ref(grids[pk]) if pk in grids else str(pk)


def _update_people(rows: list[Row], ctx: Context, *, grids: dict) -> int:
    """Update mode: change the listed fields of people already registered, one audit
    entry (the version) per person changed; ``grids`` by key (UnitIndex.by_id)."""
    people = Person.objects.in_bulk([r.existing for r in rows])
    changed, audited, events = [], [], []
    attributes = [f if f != "grid" else "grid_id" for f in UPDATABLE]  # grids come as keys
    counted = []  # (what each changed person was counted as, the person)
    for row in rows:
        person = people[row.existing]
        was = counts.person_values(person)
        before = {f: getattr(person, a) for f, a in zip(UPDATABLE, attributes, strict=True)}
        for name, attribute in zip(UPDATABLE, attributes, strict=True):
            if name in row.record and row.record[name] not in (None, ""):
                setattr(person, attribute, row.record[name])
        person.certificate_checked()  # the row's rules checked it against the ID
        after = {f: getattr(person, a) for f, a in zip(UPDATABLE, attributes, strict=True)}
        changes = diff_fields(before, after)
        if "status" in changes:
            if "status_date" not in changes or person.status_date is None:
                person.status_date = ctx.today
                after["status_date"] = person.status_date
                changes = diff_fields(before, after)
            events.append(PersonEvent(
                person=person, kind=STATUS_EVENTS[person.status], on=person.status_date,
                unit_id=person.unit_id, by=user_of(ctx.actor), note=_import_note(ctx)))
        if "grid" in changes:
            changes["grid"] = [_grid_ref(before["grid"], grids),
                               _grid_ref(after["grid"], grids)]
        if changes:
            person.search_key = search_key(person.name)
            changed.append(person)
            counted.append((was, person))
            audited.append(AuditItem(obj=person, unit_id=person.unit_id,
                                     changes=masked_changes(changes),
                                     detail={"import": ctx.job.pk if ctx.job else None}))
    if changed:
        for person in changed:
            person.version = F("version") + 1  # the optimistic lock of the edit page
        columns = [f if f != "certificate_number" else "has_certificate" for f in UPDATABLE]
        Person.objects.bulk_update(changed, [*columns, "search_key", "version"],
                                   batch_size=500)
        PersonEvent.objects.bulk_create(events, batch_size=500)
        counts.people_updated_in_bulk(counted, {p.pk: p.status_date for _was, p in counted})
        audit_many(actor=ctx.actor, action=Action.UPDATE, items=audited)
    return len(changed)


# ---- needs, visits, job seekers: rows about people already registered ---------------------------

def _person_column():
    return Column("id_number", "身份证号", _aliases("身份证号", "身份证号码", "公民身份号码",
                                                    "身份证"), read=read_id, required=True,
                  kind="id", personal=True)


@dataclass
class ForPersonState:
    ctx: Context
    people: dict = field(default_factory=dict)  # compact ID number: person id, in scope


class _ForPersonImport(ImportSpec):
    """Rows that belong to a registered person, found by ID number inside the user's area
    (the area's ID numbers are read once, when the import begins)."""

    rule = None  # the people.rules function checking one row

    def begin(self, ctx: Context) -> ForPersonState:
        qs = Person.objects.visible_to(ctx.actor)
        hashes = qs.exclude(id_hash=None).order_by().values_list("id_hash", "id")
        return ForPersonState(ctx, {int(h, 16): pk for h, pk in
                                    hashes.iterator(chunk_size=20_000)})

    def check_row(self, v: dict, state: ForPersonState) -> dict[str, str]:
        checked = type(self).rule(v, today=state.ctx.today)
        v.update(checked.derived)
        person = state.people.get(id_key(v["id_number"]))
        if person is None:
            return {"id_number": _("No one with this ID number is registered in your area."),
                    **checked.problems}
        v["person"] = person
        return checked.problems


read_need_type = _choice_reader(NeedType.choices, {
    "康复": NeedType.REHABILITATION, "康复需求": NeedType.REHABILITATION,
    "辅具": NeedType.DEVICES, "辅助器具": NeedType.DEVICES, "教育": NeedType.EDUCATION,
    "就业": NeedType.EMPLOYMENT, "维权": NeedType.RIGHTS, "托养": NeedType.CARE,
    "无障碍": NeedType.ACCESSIBILITY, "无障碍改造": NeedType.ACCESSIBILITY,
    "救助": NeedType.RELIEF, "其他": NeedType.OTHER,
}, gettext_lazy("type of need"))
read_need_status = _choice_reader(NeedStatus.choices, {
    "待办": NeedStatus.OPEN, "未解决": NeedStatus.OPEN, "办理中": NeedStatus.IN_PROGRESS,
    "已解决": NeedStatus.MET, "已满足": NeedStatus.MET, "无法解决": NeedStatus.UNMET,
}, gettext_lazy("status"))


@register
class NeedImport(_ForPersonImport):
    kind = "needs"
    order = 20
    title = gettext_lazy("Needs (service-needs ledger)")
    ledger_name = "残疾人康复、教育、就业、维权等服务需求登记表"
    permission = "people.add_need"
    model = Need
    columns = [
        _person_column(),
        Column("type", "需求类型", _aliases("需求类型", "需求类别", "服务需求", "类型"),
               read=read_need_type, required=True),
        Column("detail", "需求内容", _aliases("需求内容", "具体需求", "内容", "详情")),
        Column("registered_on", "登记日期", _aliases("登记日期", "日期"), read=cells.date),
        Column("status", "状态", _aliases("状态", "办理情况", "解决情况"), read=read_need_status),
        Column("responsible", "责任人", _aliases("责任人", "负责人"), max_length=100),
        Column("closed_on", "办结日期", _aliases("办结日期", "解决日期"), read=cells.date),
        Column("outcome", "办理结果", _aliases("办理结果", "解决情况说明", "结果")),
        Column("unmet_reason", "无法解决原因", _aliases("无法解决原因", "原因"), max_length=200),
    ]

    rule = rules.need

    def record(self, v: dict, state: ForPersonState) -> dict:
        ctx = state.ctx
        return {**v, "registered_on": v.get("registered_on") or ctx.today,
                "registered_by": ctx.actor.pk, "visit": None}


read_visit_mode = _choice_reader(VisitMode.choices, {
    "入户": VisitMode.HOME, "入户走访": VisitMode.HOME, "上门": VisitMode.HOME,
    "来访": VisitMode.OFFICE, "电话": VisitMode.PHONE, "电话联系": VisitMode.PHONE,
    "未联系上": VisitMode.UNREACHABLE, "未能联系上": VisitMode.UNREACHABLE,
}, gettext_lazy("visit mode"))


@register
class VisitImport(_ForPersonImport):
    kind = "visits"
    order = 30
    title = gettext_lazy("Visits (visit log)")
    ledger_name = "走访残疾人记录"
    permission = "people.add_visit"
    model = Visit
    columns = [
        _person_column(),
        Column("visited_on", "走访日期", _aliases("走访日期", "日期", "走访时间"), read=cells.date,
               required=True),
        Column("worker_name", "走访人", _aliases("走访人", "走访人员", "专职委员"), required=True,
               max_length=60),
        Column("mode", "走访方式", _aliases("走访方式", "方式"), read=read_visit_mode),
        Column("findings", "走访情况", _aliases("走访情况", "情况", "走访内容", "发现问题")),
        Column("next_due", "下次走访日期", _aliases("下次走访日期", "下次走访"), read=cells.date),
    ]

    rule = rules.visit

    def record(self, v: dict, state: ForPersonState) -> dict:
        ctx = state.ctx
        return {**v, "worker": ctx.actor.pk,
                "created_at": ctx.now}

    def after_write(self, state: ForPersonState) -> None:
        """The kept visit facts of everyone the import visited (services.visit_facts_refresh),
        in the import's transaction. The visits written are those created at the import's
        own time (``ctx.now``, every row's created_at) or later; a visit recorded on a page
        meanwhile only has its person's facts set again, which changes nothing.
        The people are locked first, so a visit recorded on a page meanwhile is read."""
        written = (Visit.objects.filter(created_at__gte=state.ctx.now).order_by()
                   .values("person_id").distinct())
        locked = Person.objects.filter(pk__in=written).select_for_update().order_by("pk")
        for _pk in locked.values_list("pk", flat=True).iterator(chunk_size=20_000):
            pass
        visit_facts_refresh(people=written)
        # The import's own visits carry its time exactly (record); one recorded on a page
        # meanwhile was counted by its own write.
        counts.visits_added(written, Q(created_at=state.ctx.now))


read_ability = _choice_reader(WorkAbility.choices, {
    "完全": WorkAbility.FULL, "有完全劳动能力": WorkAbility.FULL, "部分": WorkAbility.PARTIAL,
    "有部分劳动能力": WorkAbility.PARTIAL, "辅助性": WorkAbility.SHELTERED,
}, gettext_lazy("ability to work"))
read_job_status = _choice_reader(JobStatus.choices, {
    "求职中": JobStatus.SEEKING, "已就业": JobStatus.PLACED, "已安置": JobStatus.PLACED,
    "撤销": JobStatus.WITHDRAWN, "已撤销": JobStatus.WITHDRAWN,
}, gettext_lazy("status"))


@register
class JobSeekerImport(_ForPersonImport):
    kind = "jobseekers"
    order = 40
    title = gettext_lazy("Job seekers (job-seeker ledger)")
    ledger_name = "残疾人求职登记表"
    permission = "people.add_jobseeker"
    model = JobSeeker
    columns = [
        _person_column(),
        Column("registered_on", "登记日期", _aliases("登记日期", "日期"), read=cells.date),
        Column("work_wished", "求职意向", _aliases("求职意向", "意向岗位", "意向工作"),
               required=True, max_length=200),
        Column("skills", "技能特长", _aliases("技能特长", "技能", "特长"), max_length=200),
        Column("training_wanted", "培训需求", _aliases("培训需求", "培训意向"), max_length=200),
        Column("ability", "劳动能力", _aliases("劳动能力"), read=read_ability, required=True),
        Column("status", "状态", _aliases("状态", "就业状态"), read=read_job_status),
        Column("employer", "就业单位", _aliases("就业单位", "用人单位"), max_length=100),
        Column("placed_on", "就业日期", _aliases("就业日期", "安置日期"), read=cells.date),
    ]

    rule = rules.jobseeker

    def record(self, v: dict, state: ForPersonState) -> dict:
        return {**v, "registered_on": v.get("registered_on") or state.ctx.today}
