"""The network's ledgers as import specs: the division list (统计用区划代码) and the
organisation profiles. Also ``UnitIndex``, which finds the villages, communities and grids a
row names for every ledger that has a unit column.

``ProfileImport`` is the smallest real spec, the one to copy for a new ledger."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import CharField, F, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat, LPad
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import cells
from core.scope import SEGMENT_WIDTH
from core.text import normalise_text
from imports.engine import Column, Context, ImportSpec, Row, aliases
from imports.registry import register

from . import rules
from .models import CODE_LENGTH, LEVEL_BY_CODE_LENGTH, Level, OrgProfile, OrgUnit

# ---- finding the unit a row names -----------------------------------------------------------

_UNIT_SUFFIXES = ("居民委员会", "村民委员会", "委员会", "居委会", "村委会")


def _short(name: str) -> str:
    name = "".join(name.split())
    for suffix in _UNIT_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def hint_matches(name: str, hint: str) -> bool:
    hint = "".join(hint.split())
    return bool(hint) and (hint in name or name in hint)


class UnitIndex:
    """The active units of ``levels`` the user may see, found by code or by name (with or
    without 居民委员会/村民委员会); a name that fits several is an error naming them."""

    def __init__(self, actor, levels=(Level.VILLAGE,)):
        qs = OrgUnit.objects.visible_to(actor)
        units = list(qs.active().filter(level__in=levels)
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


# ---- organisation profiles: the smallest spec ------------------------------------------------

@dataclass
class ProfileState:
    ctx: Context
    units: dict  # division code: unit id, the user's active units with an organisation
    existing: set  # units that have a profile already


@register
class ProfileImport(ImportSpec):
    """Office address, phone and service hours of each unit's organisation, by division
    code: one row per unit; a unit that has a profile gets it updated (update mode)."""

    kind = "profiles"
    order = 80
    title = gettext_lazy("Organisation profiles (address, phone, hours)")
    ledger_name = "残疾人组织基本情况表"
    permission = "orgs.change_orgprofile"
    model = OrgProfile
    key = "code"
    supports_update = True
    update_label = gettext_lazy("Update organisations that have a profile already")
    columns = [
        Column("code", "区划代码", aliases("区划代码", "统计用区划代码", "代码"), required=True,
               kind="id"),
        Column("address", "办公地址", aliases("办公地址", "地址"), max_length=200),
        Column("phone", "办公电话", aliases("办公电话", "电话", "联系电话"), max_length=40),
        Column("service_hours", "服务窗口时间", aliases("服务窗口时间", "服务时间", "办公时间"),
               max_length=200),
    ]

    def begin(self, ctx: Context) -> ProfileState:
        units = OrgUnit.objects.visible_to(ctx.actor).active().exclude(
            level=Level.GRID).exclude(code=None)
        return ProfileState(ctx, dict(units.values_list("code", "id")),
                            set(OrgProfile.objects.visible_to(ctx.actor)
                                .values_list("unit_id", flat=True)))

    def check_row(self, values, state):
        if normalise_text(values["code"]) not in state.units:
            return {"code": _("No unit in your area has this code.")}
        return {}

    def fixed(self, state):
        return {"updated_at": state.ctx.now}

    def record(self, values, state):
        return {**values, "unit": state.units[normalise_text(values["code"])]}

    def check_batch(self, rows: list[Row], state) -> None:
        for row in rows:
            if row.record["unit"] in state.existing:
                row.existing = row.record["unit"]

    def update(self, rows: list[Row], state) -> int:
        from .services import profile_update  # writes go through the service, audited

        units = OrgUnit.objects.in_bulk([r.existing for r in rows])
        for row in rows:
            profile_update(actor=state.ctx.actor, unit=units[row.existing],
                           **{k: row.record[k] for k in ("address", "phone", "service_hours")
                              if row.record.get(k)})
        return len(rows)


# ---- the division list -----------------------------------------------------------------------

LEVEL_WORDS = {
    "province": Level.PROVINCE, "省": Level.PROVINCE, "省级": Level.PROVINCE,
    "city": Level.CITY, "市": Level.CITY, "地级": Level.CITY, "市级": Level.CITY,
    "county": Level.COUNTY, "县": Level.COUNTY, "县级": Level.COUNTY, "区县": Level.COUNTY,
    "township": Level.TOWNSHIP, "乡": Level.TOWNSHIP, "乡级": Level.TOWNSHIP,
    "乡镇": Level.TOWNSHIP, "乡镇街道": Level.TOWNSHIP,
    "village": Level.VILLAGE, "村": Level.VILLAGE, "村级": Level.VILLAGE,
    "村社区": Level.VILLAGE,
}


def _name(value) -> str:
    """A unit's name keeps its own characters (full-width brackets are part of it)."""
    return " ".join(str(value or "").split())


@dataclass
class DivisionState:
    scope: str | None  # the user's path (None: everywhere)
    known: dict = field(default_factory=dict)  # code: (id or None until written, level)
    existing: dict = field(default_factory=dict)  # code: the unit's row, as loaded


@register
class DivisionImport(ImportSpec):
    """The national statistical division list (code, name, parent_code, level): idempotent
    by code — a new code is created under its parent (in the system, or in a row above it),
    an existing one renamed if its name changed, never moved (a move is a reform)."""

    kind = "divisions"
    order = 90
    title = gettext_lazy("Division list (statistical division codes)")
    ledger_name = "统计用区划代码"
    permission = "orgs.import_divisions"
    model = OrgUnit
    key = "code"
    supports_update = True
    batch_size = 5000  # units are written level by level, each level's paths after it
    columns = [
        Column("code", "代码", aliases("code", "Code", "代码", "区划代码", "统计用区划代码",
                                       "行政区划代码"), required=True, kind="id"),
        Column("name", "名称", aliases("name", "Name", "名称", "区划名称", "单位名称"),
               read=_name, required=True, max_length=100),
        Column("parent_code", "上级代码", aliases("parent_code", "parent", "上级代码",
                                                 "上级区划代码", "父级代码"), kind="id"),
        Column("level", "级别", aliases("level", "Level", "级别", "层级")),
    ]

    def begin(self, ctx: Context) -> DivisionState:
        actor = ctx.actor
        scope = None if actor.is_superuser else (
            actor.unit.path if actor.unit_id else "x")  # "x" is below no path
        return DivisionState(scope=scope)

    def check_row(self, values, state):
        code = normalise_text(values["code"])
        values["code"] = code
        problem = rules.code_problem(code)
        if problem:
            return {"code": problem}
        level = LEVEL_BY_CODE_LENGTH[len(code)]
        if level == Level.GRID:
            return {"code": _("Grids are created on the village's page, not imported with "
                              "the divisions.")}
        values["level"], word = level, normalise_text(values.get("level") or "").lower()
        if word and LEVEL_WORDS.get(word) != level:
            return {"level": _("The level does not match the code, which is of the level "
                               "%(level)s.") % {"level": Level(level).label}}
        parent = normalise_text(values.get("parent_code") or "")
        if not parent and level != Level.PROVINCE:
            parent = code[: CODE_LENGTH[level - 1]]
        values["parent_code"] = parent
        if parent:
            problem = rules.code_problem(parent)
            if problem:
                return {"parent_code": problem}
            if not code.startswith(parent) or len(parent) >= len(code):
                return {"parent_code": _("The parent code must be the beginning of the code.")}
        return {}

    def record(self, values, state):
        return values

    def _in_scope(self, state, path: str) -> bool:
        return state.scope is None or path.startswith(state.scope)

    def check_batch(self, rows: list[Row], state: DivisionState) -> None:
        codes = {r.record["code"] for r in rows} | {r.record["parent_code"] for r in rows}
        codes = sorted(codes - set(state.existing))
        for start in range(0, len(codes), 2000):  # under every database's parameter limit
            new = OrgUnit.objects.active().filter(code__in=codes[start:start + 2000])
            for unit in new.values("id", "code", "name", "level", "path", "parent__code"):
                state.existing[unit["code"]] = unit
        for row in rows:
            v = row.record
            current = state.existing.get(v["code"])
            if current is not None:
                if not self._in_scope(state, current["path"]):
                    row.fail("code", _("This unit is outside your area; you cannot change it."))
                elif current["level"] != v["level"]:
                    row.fail("code", _("A unit with this code exists at another level."))
                elif v["parent_code"] and current["parent__code"] not in (None, v["parent_code"]):
                    row.fail("parent_code", _(
                        "This unit exists under %(parent)s; moving units is a reform, not an "
                        "import.") % {"parent": current["parent__code"]})
                else:
                    state.known[v["code"]] = (current["id"], v["level"])
                    if current["name"] == v["name"]:
                        row.unchanged = True
                    else:
                        row.existing = current["id"]
                continue
            if v["level"] == Level.PROVINCE:
                if state.scope is not None:
                    row.fail("code", _("This unit is outside your area; you cannot change it."))
                else:
                    state.known[v["code"]] = (None, v["level"])
                continue
            parent = state.existing.get(v["parent_code"])
            if parent is not None:
                if not self._in_scope(state, parent["path"]):
                    row.fail("parent_code", _("The parent unit is outside your area."))
                    continue
                if parent["level"] >= v["level"]:
                    row.fail("parent_code", _("The parent unit is not at a higher level."))
                    continue
            elif v["parent_code"] not in state.known:
                row.fail("parent_code", _(
                    "The parent unit %(code)s is neither in the system nor in a good row above "
                    "this one.") % {"code": v["parent_code"]})
                continue
            state.known[v["code"]] = (None, v["level"])

    def update(self, rows: list[Row], state: DivisionState) -> int:
        renamed = [OrgUnit(pk=r.existing, name=r.record["name"],
                           search_key=rules.unit_search_key(r.record["name"]),
                           version=F("version") + 1)
                   for r in rows]
        OrgUnit.objects.bulk_update(renamed, ["name", "search_key", "version"], batch_size=2000)
        return len(renamed)

    def write(self, rows: list[Row], state: DivisionState) -> int:
        """New units level by level, each under its parent (written before it, in this
        batch or an earlier one), then their paths (the parent's path and their own id)."""
        ids = {code: unit["id"] for code, unit in state.existing.items()}
        ids.update({code: pk for code, (pk, _level) in state.known.items() if pk})
        by_level: dict[int, list] = defaultdict(list)
        for row in rows:
            by_level[row.record["level"]].append(row.record)
        for level in sorted(by_level):
            units = []
            for v in by_level[level]:
                kind = rules.kind_from_code(v["code"], level)
                units.append(OrgUnit(
                    parent_id=ids.get(v["parent_code"]), level=level, code=v["code"],
                    name=v["name"], kind=kind, urban_rural=rules.urban_rural_from_kind(kind),
                    search_key=rules.unit_search_key(v["name"]), path=""))
            created = OrgUnit.objects.bulk_create(units, batch_size=2000)
            if any(u.pk is None for u in created):  # a backend that cannot return ids
                created = OrgUnit.objects.active().filter(code__in=[u.code for u in units])
            for unit in created:
                ids[unit.code] = unit.pk
                state.known[unit.code] = (unit.pk, level)
            _fill_paths(level)
        return len(rows)


def _fill_paths(level: int) -> None:
    """Give every new unit of ``level`` its path: its parent's path and its own id."""
    own = LPad(Cast("id", CharField()), SEGMENT_WIDTH, Value("0"))
    parent_path = Subquery(OrgUnit.objects.filter(pk=OuterRef("parent_id")).values("path")[:1])
    pending = OrgUnit.objects.filter(level=level, path="")
    pending.filter(parent__isnull=True).update(path=own)
    pending.filter(parent__isnull=False).update(path=Concat(parent_path, own))
