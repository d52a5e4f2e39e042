"""The register's ledgers as import specs (see core.importer): people (个人登记表), needs
(服务需求登记表), visits and job seekers, with the headers counties actually use."""

import abc
import functools

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import diff_fields
from accounts.models import Action, AuditLog
from core import cells
from core.fastinsert import RowBuilder, insert_columns, insert_rows
from core.importer import Column, Context, ImportSpec, Row, compact_key
from core.text import normalise_text
from orgs.models import Level, OrgUnit

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
from .identity import birth_date_of, certificate_problems, gender_of, normalise_id, validate_id
from .models import STATUS_EVENTS, JobSeeker, Need, Person, PersonEvent, Visit
from .pinyin import search_key


def _aliases(*names: str) -> frozenset[str]:
    return frozenset(names)


# ---- readers for the register's cells --------------------------------------------------------

# A reader of a closed list (categories, grades, 男/女…) sees the same few cell values again and
# again: each value is read once per process. (Cells are str, numbers, dates or None: all
# hashable. Errors are not remembered; a bad value is read, and reported, every time.)
closed_list = functools.lru_cache(maxsize=4096, typed=True)

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


def _choice_reader(choices, words: dict, name):
    """A reader for a closed list: the usual words, the Chinese labels (whatever language is
    active when the reader first runs) and the stored codes."""
    lookup: dict[str, str] = {}

    @closed_list
    def read(value):
        if cells.is_blank(value):
            return ""
        if not lookup:
            with translation.override("zh-hans"):
                lookup.update({"".join(str(label).split()): v for v, label in choices})
            lookup.update({str(v): v for v, _label in choices})
            lookup.update(words)
        text = cells.text(value).replace(" ", "")
        found = lookup.get(text)
        if found is None:
            raise cells.CellError(_("“%(value)s” is not a known %(what)s.")
                                  % {"value": text, "what": name})
        return found
    return read


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


@closed_list
def read_yes(value) -> bool:
    if cells.is_blank(value):
        return False
    text = cells.text(value).replace(" ", "").lower()
    if text in {"是", "有", "1", "y", "yes", "true", "√", "✓", "享受"}:
        return True
    if text in {"否", "无", "0", "n", "no", "false", "×", "不享受"}:
        return False
    raise cells.CellError(_("“%(value)s” is neither 是 nor 否.") % {"value": text})


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


# ---- units in the user's scope ---------------------------------------------------------------

_UNIT_SUFFIXES = ("居民委员会", "村民委员会", "委员会", "居委会", "村委会")


def _short(name: str) -> str:
    name = "".join(name.split())
    for suffix in _UNIT_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


class UnitIndex:
    """The villages, communities and grids the user may see, found by code or by name
    (with or without 居民委员会/村民委员会); a name that fits several is an error naming them."""

    def __init__(self, actor, levels=(Level.VILLAGE,)):
        qs = OrgUnit.objects.visible_to(actor) if actor is not None else OrgUnit.objects.all()
        units = list(qs.filter(level__in=levels, valid_to__isnull=True)
                     .select_related("parent").only("id", "code", "name", "level", "kind",
                                                    "parent__name", "parent_id"))
        self.by_code = {u.code: u for u in units if u.code}
        self.by_name: dict[str, list] = {}
        for unit in units:
            keys = {unit.name, _short(unit.name)}
            if unit.name.endswith("村民委员会"):
                keys.add(_short(unit.name) + "村")  # 高家庄村 for 高家庄村民委员会
            for key in keys:
                self.by_name.setdefault(key, []).append(unit)
        self.by_id = {u.pk: u for u in units}

    def find(self, value, parent_hint: str = ""):
        text = normalise_text(cells.text(value))
        if not text:
            return None
        if text.isdigit():
            unit = self.by_code.get(text)
            if unit is None:
                raise cells.CellError(_("No village or community in your area has the code "
                                        "%(code)s.") % {"code": text})
            return unit
        name = "".join(text.split())
        found = self.by_name.get(name) or self.by_name.get(_short(name)) or []
        if parent_hint:
            narrowed = [u for u in found if u.parent and hint_matches(u.parent.name, parent_hint)]
            found = narrowed or found
        if not found:
            raise cells.CellError(_("No village or community in your area is called "
                                    "“%(name)s”.") % {"name": text})
        if len(found) > 1:
            raise cells.CellError(_("“%(name)s” fits several units: %(list)s. Write the "
                                    "division code instead.") % {
                "name": text,
                "list": "、".join(f"{u.parent.name if u.parent else ''}{u.name}（{u.code}）"
                                 for u in found[:6])})
        return found[0]


def hint_matches(name: str, hint: str) -> bool:
    hint = "".join(hint.split())
    return bool(hint) and (hint in name or name in hint)


# ---- people ------------------------------------------------------------------------------------

PERSON_COLUMNS = [
    Column("name", "姓名", _aliases("姓名", "残疾人姓名", "名字"), required=True, max_length=50),
    Column("id_number", "身份证号", _aliases("身份证号", "身份证号码", "公民身份号码",
                                             "身份证", "证件号码"), read=read_id),
    Column("gender", "性别", _aliases("性别"), read=read_gender),
    Column("birth_date", "出生日期", _aliases("出生日期", "出生年月", "生日"), read=cells.date),
    Column("ethnicity", "民族", _aliases("民族"), read=read_ethnicity),
    Column("certificate_number", "残疾证号", _aliases(
        "残疾证号", "残疾人证号", "残疾证号码", "残疾人证号码", "持证号码", "证号"), read=read_id),
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


def registered_ids() -> set:
    """The ID numbers of everyone in the register (every unit's, not only the user's: a
    person is registered once), as compact keys: read once when an import begins, in one
    pass over the index, so that rows are checked against the register without a query
    per batch. It grows with the register, not with the file (7.5 MB for 98,000 people,
    measured)."""
    numbers = Person.objects.exclude(id_number=None).order_by().values_list("id_number",
                                                                             flat=True)
    return {compact_key(n) for n in numbers.iterator(chunk_size=20_000)}


class PersonImport(ImportSpec):
    kind = "people"
    title = gettext_lazy("People (personal registration ledger)")
    ledger_name = "残疾人基本状况个人登记表"
    permission = "people.add_person"
    columns = PERSON_COLUMNS
    key = "id_number"

    def begin(self, ctx: Context) -> None:
        ctx.cache["units"] = UnitIndex(ctx.actor)
        ctx.cache["grids"] = UnitIndex(ctx.actor, levels=(Level.GRID,))
        ctx.cache["today"] = timezone.localdate()
        ctx.cache["now"] = timezone.now()
        ctx.cache["registered"] = registered_ids()
        ctx.cache["fields"] = insert_columns(Person)
        ctx.cache["build"] = RowBuilder(ctx.cache["fields"], {
            "registered_by": ctx.actor.pk if ctx.actor is not None else None,
            "updated_at": ctx.cache["now"],
            "import_job": ctx.job.pk if ctx.job is not None else None,
        })

    def check_row(self, row: Row, ctx: Context) -> None:
        v = row.values
        try:
            unit = ctx.cache["units"].find(v.get("unit"), v.get("township_hint", ""))
        except cells.CellError as exc:
            row.fail("unit", v.get("unit"), str(exc))
            unit = None
        v["unit"] = unit
        grid = v.get("grid")
        if grid and unit is not None:
            candidates = [g for g in ctx.cache["grids"].by_name.get("".join(grid.split()), [])
                          if g.parent_id == unit.pk]
            if len(candidates) != 1:
                row.fail("grid", grid, _("The grid is not one of %(unit)s's grids.")
                         % {"unit": unit.name})
            else:
                v["grid"] = candidates[0]
        else:
            v["grid"] = None
        number = v.get("id_number")
        if number:
            try:
                validate_id(number, today=ctx.cache["today"])
            except ValidationError as exc:
                row.fail("id_number", number, exc.messages[0])
                return
            birth, gender = birth_date_of(number), gender_of(number)
            if v.get("birth_date") and v["birth_date"] != birth:
                row.fail("birth_date", v["birth_date"], _(
                    "The birth date differs from the one in the ID number (%(date)s)."
                ) % {"date": birth.isoformat()})
            if v.get("gender") and v["gender"] != gender:
                row.fail("gender", v["gender"], _("The gender differs from the ID number."))
            v["birth_date"], v["gender"] = birth, gender
        else:
            if not v.get("birth_date"):
                row.fail("birth_date", "", _("Without an ID number, the birth date is needed."))
            if not v.get("gender"):
                row.fail("gender", "", _("Without an ID number, the gender is needed."))
        if v.get("birth_date") and v["birth_date"] > ctx.cache["today"]:
            row.fail("birth_date", v["birth_date"], _("The birth date is in the future."))
        cert = v.get("certificate_number")
        if cert:
            if not number:
                row.fail("certificate_number", cert,
                         _("A certificate number needs the holder's ID number."))
            for name, message in certificate_problems(cert, id_number=number,
                                                      category=v.get("category"),
                                                      grade=v.get("grade")).items():
                row.fail(name, v.get(name, cert), message)
            if not row.errors:
                # Category and grade may be read from the certificate number itself.
                v["category"] = v.get("category") or int(cert[18])
                v["grade"] = v.get("grade") or int(cert[19])
            if not v.get("certificate_issued_on"):
                v["certificate_issued_on"] = None
        elif v.get("category") or v.get("grade"):
            row.fail("certificate_number", "", _(
                "A category or grade without a certificate number: type the number, or leave "
                "category and grade empty for someone awaiting assessment."))
        status, since = v.get("status"), v.get("status_date")
        if since and status in ("", None, Status.ACTIVE):
            row.fail("status_date", since, _(
                "A status date goes with a status of moved out, deceased or certificate "
                "cancelled."))
        elif since and since > ctx.cache["today"]:
            row.fail("status_date", since, _("The date is in the future."))
        elif since and v.get("registered_on") and since < v["registered_on"]:
            row.fail("status_date", since, _(
                "The status changed before the person was registered (登记日期 %(date)s).")
                % {"date": v["registered_on"].isoformat()})
        if not v.get("hukou") and unit is not None:
            v["hukou"] = Hukou.URBAN if unit.kind == "community" else Hukou.RURAL
        if not v.get("hukou"):
            v["hukou"] = Hukou.RURAL

    def check_batch(self, rows: list[Row], ctx: Context) -> None:
        # Only the people whose ID number the register held when the import began are looked
        # up (most rows are new: most batches ask nothing). A certificate number begins with
        # its holder's ID number (check_row, and a constraint of the table), so a certificate
        # can only be taken by the person with the row's ID number. Someone registered by
        # another user while the import runs is caught by the table's unique constraint: the
        # job then stops, writing nothing, and says so.
        ids = [r.values["id_number"] for r in rows if r.extra.get("registered")]
        if not ids:
            return
        existing_people = {
            p["id_number"]: p for p in Person.objects.filter(id_number__in=ids).values(
                "id", "id_number", "unit__name", "unit__path")}
        scope = ctx.actor.unit.path if ctx.actor is not None and not ctx.actor.is_superuser \
            else ""
        for row in rows:
            number = row.values.get("id_number")
            current = existing_people.get(number) if number else None
            if current is None:
                continue
            if scope and not current["unit__path"].startswith(scope):
                row.fail("id_number", number, _(
                    "Already registered by %(unit)s, outside your area: ask that unit to "
                    "transfer the person.") % {"unit": current["unit__name"]})
            elif not ctx.update_existing:
                row.fail("id_number", number, _(
                    "Already registered (in %(unit)s). Choose “update people already "
                    "registered” to change their details.") % {"unit": current["unit__name"]})
            else:
                row.extra["existing"] = current["id"]

    def may_fail_in_batch(self, row: Row, ctx: Context) -> bool:
        return bool(row.extra.get("registered"))  # see check_batch

    def prepare(self, row: Row, ctx: Context) -> None:
        """The row as insert_rows writes it (built beside the database work); the unit and
        grid by their keys, which is all the rest needs (and cheap to send)."""
        v = row.values
        v["unit"] = v["unit"].pk
        v["grid"] = v["grid"].pk if v.get("grid") else None
        v["search_key"] = search_key(v["name"])
        if not v.get("status"):
            v.pop("status", None)  # the column's default, active; in update mode, no change
        if not v.get("registered_on"):
            v["registered_on"] = ctx.cache["today"]
        if v.get("id_number") and compact_key(v["id_number"]) in ctx.cache["registered"]:
            row.extra["registered"] = True  # check_batch finds out by whom, and where
        row.extra["insert"] = ctx.cache["build"](v)

    def values_to_send(self, row: Row, ctx: Context) -> dict:
        if ctx.update_existing:
            return row.values
        v = row.values  # new people are written from row.extra["insert"]
        return {"id_number": v.get("id_number")}

    def write(self, rows: list[Row], ctx: Context) -> tuple[int, int]:
        new = [r.extra["insert"] for r in rows if not r.extra.get("existing")]
        old = [r for r in rows if r.extra.get("existing")]
        insert_rows(Person, ctx.cache["fields"], new, encoded=True)
        updated = _update_people(old, ctx) if old else 0
        return len(new), updated

    def finish(self, ctx: Context) -> None:
        """The history of each person the import registered with a status other than active
        (moved out, deceased, cancelled): one event each, on the day the ledger gives (or
        the registration's), as the status page writes it. One statement for the whole file.
        (The registration itself is the person row's own fact: see
        selectors.status_history.)"""
        if ctx.job is None:
            return  # imports run as jobs; without one, the people written cannot be found
        quote = connection.ops.quote_name
        events, people = quote(PersonEvent._meta.db_table), quote(Person._meta.db_table)
        columns = ", ".join(quote(PersonEvent._meta.get_field(f).column)
                            for f in ("person", "kind", "on", "unit", "note", "by", "at"))
        p = {f: quote(Person._meta.get_field(f).column) for f in (
            "id", "registered_on", "unit", "status", "status_date", "import_job")}
        now = connection.ops.adapt_datetimefield_value(ctx.cache["now"])
        by = ctx.actor.pk if ctx.actor is not None else None
        kinds = " ".join(f"WHEN '{status}' THEN '{kind}'" for status, kind in
                         STATUS_EVENTS.items() if status != Status.ACTIVE)
        with connection.cursor() as cursor:
            # Model identifiers, quoted; the status codes are the model's own; values are
            # parameters.
            cursor.execute(
                f"INSERT INTO {events} ({columns}) SELECT {p['id']}, "  # noqa: S608
                f"CASE {p['status']} {kinds} END, "
                f"COALESCE({p['status_date']}, {p['registered_on']}), {p['unit']}, %s, %s, %s "
                f"FROM {people} WHERE {p['import_job']} = %s AND {p['status']} <> %s "
                f"ORDER BY {p['id']}",
                [_import_note(ctx), by, now, ctx.job.pk, Status.ACTIVE])

def _import_note(ctx: Context) -> str:
    return _("Import %(job)s") % {"job": ctx.job.pk} if ctx.job is not None else _("Import")


def _update_people(rows: list[Row], ctx: Context) -> int:
    """Update mode: change the listed fields of people already registered, one audit
    entry (the version) per person changed."""
    people = Person.objects.in_bulk([r.extra["existing"] for r in rows])
    changed, entries, events = [], [], []
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(Person)
    attributes = [f if f != "grid" else "grid_id" for f in UPDATABLE]  # grids come as keys
    for row in rows:
        person = people[row.extra["existing"]]
        before = {f: getattr(person, a) for f, a in zip(UPDATABLE, attributes, strict=True)}
        for name, attribute in zip(UPDATABLE, attributes, strict=True):
            if name in row.values and row.values[name] not in (None, ""):
                setattr(person, attribute, row.values[name])
        after = {f: getattr(person, a) for f, a in zip(UPDATABLE, attributes, strict=True)}
        changes = diff_fields(before, after)
        if "status" in changes:
            if "status_date" not in changes or person.status_date is None:
                person.status_date = ctx.cache["today"]
                after["status_date"] = person.status_date
                changes = diff_fields(before, after)
            events.append(PersonEvent(
                person=person, kind=STATUS_EVENTS[person.status], on=person.status_date,
                unit_id=person.unit_id, by=ctx.actor, note=_import_note(ctx)))
        if changes:
            person.search_key = search_key(person.name)
            changed.append(person)
            entries.append(AuditLog(
                actor=ctx.actor, actor_name=ctx.actor.get_username() if ctx.actor else "",
                action=Action.UPDATE, content_type=content_type, object_id=str(person.pk),
                object_repr=str(person)[:200], unit_id=person.unit_id, changes=changes,
                detail={"import": ctx.job.pk if ctx.job is not None else None},
            ))
    if changed:
        Person.objects.bulk_update(changed, [*UPDATABLE, "search_key"], batch_size=500)
        PersonEvent.objects.bulk_create(events, batch_size=500)
        AuditLog.objects.bulk_create(entries, batch_size=500)
    return len(changed)


# ---- needs, visits, job seekers: rows about people already registered ---------------------------

def _person_column():
    return Column("id_number", "身份证号", _aliases("身份证号", "身份证号码", "公民身份号码",
                                                    "身份证"), read=read_id, required=True)


class _ForPersonImport(ImportSpec):
    """Rows that belong to a registered person, found by ID number inside the user's area."""

    model = None

    def begin(self, ctx: Context) -> None:
        ctx.cache["today"] = timezone.localdate()
        ctx.cache["fields"] = insert_columns(self.model)
        ctx.cache["build"] = RowBuilder(ctx.cache["fields"])

    def check_batch(self, rows: list[Row], ctx: Context) -> None:
        ids = {r.values["id_number"] for r in rows}
        qs = Person.objects.visible_to(ctx.actor) if ctx.actor is not None else \
            Person.objects.all()
        people = dict(qs.filter(id_number__in=ids).values_list("id_number", "id"))
        for row in rows:
            person = people.get(row.values["id_number"])
            if person is None:
                row.fail("id_number", row.values["id_number"],
                         _("No one with this ID number is registered in your area."))
            row.values["person"] = person

    def write(self, rows: list[Row], ctx: Context) -> tuple[int, int]:
        build = ctx.cache["build"]
        lines = [build(self.record(row, ctx)) for row in rows]
        insert_rows(self.model, ctx.cache["fields"], lines, encoded=True)
        return len(lines), 0

    @abc.abstractmethod
    def record(self, row: Row, ctx: Context) -> dict:
        """The model's fields for one good row (each ledger maps its own columns)."""


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


class NeedImport(_ForPersonImport):
    kind = "needs"
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

    def check_row(self, row: Row, ctx: Context) -> None:
        v = row.values
        status = v.get("status") or NeedStatus.OPEN
        v["status"] = status
        if status == NeedStatus.MET and not (v.get("closed_on") and v.get("outcome")):
            row.fail("closed_on", v.get("closed_on"),
                     _("A met need needs the date it was met and what was done."))
        if status == NeedStatus.UNMET and not v.get("unmet_reason"):
            row.fail("unmet_reason", "", _("Say why the need cannot be met."))

    def record(self, row: Row, ctx: Context) -> dict:
        v = row.values
        return {**v, "person": v["person"], "registered_on": v.get("registered_on")
                or ctx.cache["today"], "registered_by": ctx.actor.pk if ctx.actor else None,
                "visit": None}


read_visit_mode = _choice_reader(VisitMode.choices, {
    "入户": VisitMode.HOME, "入户走访": VisitMode.HOME, "上门": VisitMode.HOME,
    "来访": VisitMode.OFFICE, "电话": VisitMode.PHONE, "电话联系": VisitMode.PHONE,
    "未联系上": VisitMode.UNREACHABLE, "未能联系上": VisitMode.UNREACHABLE,
}, gettext_lazy("visit mode"))


class VisitImport(_ForPersonImport):
    kind = "visits"
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

    def check_row(self, row: Row, ctx: Context) -> None:
        v = row.values
        v["mode"] = v.get("mode") or VisitMode.HOME
        if v.get("visited_on") and v["visited_on"] > ctx.cache["today"]:
            row.fail("visited_on", v["visited_on"], _("The date is in the future."))
        if v.get("next_due") and v.get("visited_on") and v["next_due"] <= v["visited_on"]:
            row.fail("next_due", v["next_due"], _("The next visit must come after this one."))

    def record(self, row: Row, ctx: Context) -> dict:
        return {**row.values, "worker": ctx.actor.pk if ctx.actor else None,
                "created_at": timezone.now()}


read_ability = _choice_reader(WorkAbility.choices, {
    "完全": WorkAbility.FULL, "有完全劳动能力": WorkAbility.FULL, "部分": WorkAbility.PARTIAL,
    "有部分劳动能力": WorkAbility.PARTIAL, "辅助性": WorkAbility.SHELTERED,
}, gettext_lazy("ability to work"))
read_job_status = _choice_reader(JobStatus.choices, {
    "求职中": JobStatus.SEEKING, "已就业": JobStatus.PLACED, "已安置": JobStatus.PLACED,
    "撤销": JobStatus.WITHDRAWN, "已撤销": JobStatus.WITHDRAWN,
}, gettext_lazy("status"))


class JobSeekerImport(_ForPersonImport):
    kind = "jobseekers"
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

    def check_row(self, row: Row, ctx: Context) -> None:
        v = row.values
        v["status"] = v.get("status") or JobStatus.SEEKING
        if v["status"] == JobStatus.PLACED and not (v.get("employer") and v.get("placed_on")):
            row.fail("employer", v.get("employer"),
                     _("A placement needs the employer and the date."))

    def record(self, row: Row, ctx: Context) -> dict:
        return {**row.values, "registered_on": row.values.get("registered_on")
                or ctx.cache["today"]}


SPECS = {spec.kind: spec for spec in (PersonImport(), NeedImport(), VisitImport(),
                                      JobSeekerImport())}
