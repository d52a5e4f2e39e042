"""Importing a list of administrative divisions (the columns of the national statistical
code list: code, name, parent_code, level) from .csv or .xlsx.

Idempotent by code: a unit whose code exists is updated (name) or left alone; new codes
are created under their parents, which must be in the file or already in the database.
Every bad row is reported with its row number, column, value and reason. The user
chooses: nothing at all when any row is bad ("all"), or the valid rows only ("valid").
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat, LPad
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import audit_record
from accounts.models import Action
from core.scope import SEGMENT_WIDTH
from core.text import normalise_text

from .models import CODE_LENGTH, LEVEL_BY_CODE_LENGTH, Level, OrgUnit
from .rules import code_problem, kind_from_code, urban_rural_from_kind

MODE_ALL = "all"
MODE_VALID = "valid"

COLUMN_LABELS = {
    "code": gettext_lazy("Code"),
    "name": gettext_lazy("Name"),
    "parent_code": gettext_lazy("Parent code"),
    "level": gettext_lazy("Level"),
}
HEADER_ALIASES = {
    "code": {"code", "代码", "区划代码", "统计用区划代码", "行政区划代码"},
    "name": {"name", "名称", "区划名称", "单位名称"},
    "parent_code": {"parent_code", "parent", "上级代码", "上级区划代码", "父级代码"},
    "level": {"level", "级别", "层级"},
}
LEVEL_WORDS = {
    "province": Level.PROVINCE, "省": Level.PROVINCE, "省级": Level.PROVINCE,
    "city": Level.CITY, "市": Level.CITY, "地级": Level.CITY, "市级": Level.CITY,
    "county": Level.COUNTY, "县": Level.COUNTY, "县级": Level.COUNTY, "区县": Level.COUNTY,
    "township": Level.TOWNSHIP, "乡": Level.TOWNSHIP, "乡级": Level.TOWNSHIP,
    "乡镇": Level.TOWNSHIP, "乡镇街道": Level.TOWNSHIP,
    "village": Level.VILLAGE, "村": Level.VILLAGE, "村级": Level.VILLAGE,
    "村社区": Level.VILLAGE,
}
MAX_ROWS = 1_000_000
CHUNK = 2000


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    reason: str

    @property
    def column_label(self) -> str:
        return str(COLUMN_LABELS.get(self.column, self.column))


@dataclass
class ImportResult:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False
    dry_run: bool = False
    mode: str = MODE_ALL

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})


@dataclass
class _Row:
    number: int
    code: str
    name: str
    parent_code: str
    level: int


def _header_map(cells: list) -> dict[str, int] | None:
    found = {}
    for index, cell in enumerate(cells):
        text = normalise_text(cell).lower()
        for column, aliases in HEADER_ALIASES.items():
            if text in aliases and column not in found:
                found[column] = index
    return found if {"code", "name"} <= found.keys() else None


def _cell(cells: list, header: dict[str, int], column: str) -> str:
    index = header.get(column)
    return normalise_text(cells[index]) if index is not None and index < len(cells) else ""


def parse_rows(table) -> tuple[list[_Row], list[RowError], int, dict[str, int]]:
    """Check each row on its own: (good rows, errors, rows seen, {code of a bad row: row})."""
    header = None
    rows: list[_Row] = []
    errors: list[RowError] = []
    bad_codes: dict[str, int] = {}
    seen = 0
    for number, cells in table:
        if header is None:
            if any(normalise_text(c) for c in cells):
                header = _header_map(cells)
                if header is None:
                    errors.append(RowError(number, "code", "", _(
                        "The first non-empty row must be the header, with the columns "
                        "code and name (and parent_code, level)."
                    )))
                    return [], errors, seen, bad_codes
            continue

        code, parent_code, level_text = (
            _cell(cells, header, c) for c in ("code", "parent_code", "level")
        )
        # Names keep their own characters (full-width brackets are part of the name).
        index = header["name"]
        name = " ".join(str(cells[index] or "").split()) if index < len(cells) else ""
        if not (code or name or parent_code or level_text):
            continue  # blank line
        seen += 1
        if seen > MAX_ROWS:
            errors.append(RowError(number, "code", "", _("Too many rows; split the file.")))
            break
        row_errors = []
        problem = code_problem(code) if code else _("The code is missing.")
        if problem:
            row_errors.append(RowError(number, "code", code, problem))
        if not name:
            row_errors.append(RowError(number, "name", name, _("The name is missing.")))
        elif len(name) > 100:
            row_errors.append(RowError(number, "name", name[:40], _("The name is too long.")))
        level = LEVEL_BY_CODE_LENGTH.get(len(code)) if not problem else None
        if level == Level.GRID:
            row_errors.append(RowError(number, "code", code, _(
                "Grids are created on the village's page, not imported with the divisions."
            )))
        if level_text and level and LEVEL_WORDS.get(level_text.lower()) != level:
            row_errors.append(RowError(number, "level", level_text, _(
                "The level does not match the code, which is of the level %(level)s."
            ) % {"level": Level(level).label}))
        if not parent_code and level and level != Level.PROVINCE:
            parent_code = code[: CODE_LENGTH[level - 1]]
        if parent_code and level:
            parent_problem = code_problem(parent_code)
            if parent_problem:
                row_errors.append(RowError(number, "parent_code", parent_code, parent_problem))
            elif not code.startswith(parent_code) or len(parent_code) >= len(code):
                row_errors.append(RowError(number, "parent_code", parent_code, _(
                    "The parent code must be the beginning of the code."
                )))
        if row_errors:
            errors.extend(row_errors)
            bad_codes.setdefault(code, number)
        else:
            rows.append(_Row(number, code, name, parent_code, level))
    return rows, errors, seen, bad_codes


def _existing(codes: list[str]) -> dict[str, dict]:
    found = {}
    for start in range(0, len(codes), CHUNK):
        for unit in OrgUnit.objects.filter(
            code__in=codes[start : start + CHUNK], valid_to__isnull=True
        ).values("id", "code", "name", "level", "path", "parent__code"):
            found[unit["code"]] = unit
    return found


def divisions_import(*, actor, table, mode: str = MODE_ALL, dry_run: bool = False,
                     source: str = "") -> ImportResult:
    """Import a division list. ``table`` yields (row number, cells); ``actor`` None is the
    system (the management command), anyone else may import only inside their subtree."""
    if mode not in (MODE_ALL, MODE_VALID):
        raise ValueError(mode)
    rows, errors, total, bad_codes = parse_rows(table)
    result = ImportResult(total=total, dry_run=dry_run, mode=mode)

    by_code: dict[str, _Row] = {}
    for row in rows:
        if row.code in by_code:
            errors.append(RowError(row.number, "code", row.code, _(
                "The code appears twice in the file (first in row %(row)d)."
            ) % {"row": by_code[row.code].number}))
        else:
            by_code[row.code] = row
    rows = list(by_code.values())
    existing = _existing(sorted({r.code for r in rows} | {r.parent_code for r in rows}))
    visible_paths = _scope_path(actor)

    def in_scope(path: str) -> bool:
        return visible_paths is None or path.startswith(visible_paths)

    # Check the rows top-down so that a row knows whether its parent row was good.
    good: dict[str, _Row] = {}
    to_create: list[_Row] = []
    to_update: list[tuple[_Row, dict]] = []
    for row in sorted(rows, key=lambda r: (r.level, r.number)):
        current = existing.get(row.code)
        if current is not None:
            if not in_scope(current["path"]):
                errors.append(RowError(row.number, "code", row.code, _(
                    "This unit is outside your area; you cannot change it."
                )))
                continue
            if current["level"] != row.level:
                errors.append(RowError(row.number, "code", row.code, _(
                    "A unit with this code exists at another level."
                )))
                continue
            if row.parent_code and current["parent__code"] not in (None, row.parent_code):
                errors.append(RowError(row.number, "parent_code", row.parent_code, _(
                    "This unit exists under %(parent)s; moving units is a reform, not an import."
                ) % {"parent": current["parent__code"]}))
                continue
            good[row.code] = row
            if current["name"] != row.name:
                to_update.append((row, current))
            else:
                result.unchanged += 1
            continue
        if row.level == Level.PROVINCE:
            if visible_paths is not None:
                errors.append(RowError(row.number, "code", row.code, _(
                    "This unit is outside your area; you cannot change it."
                )))
                continue
            good[row.code] = row
            to_create.append(row)
            continue
        parent = existing.get(row.parent_code)
        if parent is not None:
            if not in_scope(parent["path"]):
                errors.append(RowError(row.number, "parent_code", row.parent_code, _(
                    "The parent unit is outside your area."
                )))
                continue
            if parent["level"] >= row.level:
                errors.append(RowError(row.number, "parent_code", row.parent_code, _(
                    "The parent unit is not at a higher level."
                )))
                continue
        elif row.parent_code in good:
            pass
        elif row.parent_code in by_code or row.parent_code in bad_codes:
            parent_row = (
                by_code[row.parent_code].number if row.parent_code in by_code
                else bad_codes[row.parent_code]
            )
            errors.append(RowError(row.number, "parent_code", row.parent_code, _(
                "The parent's row (row %(row)d) has errors, so this row cannot be imported."
            ) % {"row": parent_row}))
            continue
        else:
            errors.append(RowError(row.number, "parent_code", row.parent_code, _(
                "The parent unit %(code)s is neither in the file nor in the system."
            ) % {"code": row.parent_code}))
            continue
        good[row.code] = row
        to_create.append(row)

    errors.sort(key=lambda e: (e.row, e.column))
    result.errors = errors
    blocked = bool(errors) and mode == MODE_ALL
    if not blocked:  # what was written, or for a dry run what would be
        result.created, result.updated = len(to_create), len(to_update)
    if blocked or dry_run:
        return result
    _apply(to_create, to_update, existing)
    result.applied = True
    if to_create or to_update:
        audit_record(
            actor=actor, action=Action.IMPORT, object_repr=source or _("division list"),
            detail={"created": result.created, "updated": result.updated,
                    "unchanged": result.unchanged, "errors": len(errors), "mode": mode},
        )
    return result


def _scope_path(actor) -> str | None:
    if actor is None or actor.is_superuser:
        return None
    return actor.unit.path if actor.unit_id else "x"  # "x" matches no path


@transaction.atomic
def _apply(to_create: list[_Row], to_update: list[tuple[_Row, dict]], existing: dict) -> None:
    if to_update:
        units = []
        for row, current in to_update:
            unit = OrgUnit(pk=current["id"], name=row.name)
            units.append(unit)
        OrgUnit.objects.bulk_update(units, ["name"], batch_size=CHUNK)

    ids = {code: unit["id"] for code, unit in existing.items()}
    by_level: dict[int, list[_Row]] = defaultdict(list)
    for row in to_create:
        by_level[row.level].append(row)
    for level in sorted(by_level):
        level_rows = by_level[level]
        units = []
        for row in level_rows:
            kind = kind_from_code(row.code, level)
            units.append(OrgUnit(
                parent_id=ids.get(row.parent_code), level=level, code=row.code, name=row.name,
                kind=kind, urban_rural=urban_rural_from_kind(kind), path="",
            ))
        created = OrgUnit.objects.bulk_create(units, batch_size=CHUNK)
        if any(u.pk is None for u in created):  # a backend that cannot return ids
            for unit in OrgUnit.objects.filter(
                code__in=[r.code for r in level_rows], valid_to__isnull=True
            ).only("id", "code"):
                ids[unit.code] = unit.pk
        else:
            ids.update({u.code: u.pk for u in created})
        _fill_paths(level)


def _fill_paths(level: int) -> None:
    """Give every new unit of ``level`` its path: its parent's path and its own id."""
    own = LPad(Cast("id", CharField()), SEGMENT_WIDTH, Value("0"))
    parent_path = Subquery(OrgUnit.objects.filter(pk=OuterRef("parent_id")).values("path")[:1])
    pending = OrgUnit.objects.filter(level=level, path="")
    pending.filter(parent__isnull=True).update(path=own)
    pending.filter(parent__isnull=False).update(path=Concat(parent_path, own))
