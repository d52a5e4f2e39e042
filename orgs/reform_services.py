"""Writes of the reforms 机构改革: plan a reform as operations, preview it, apply it.

Applying runs every operation in order in one transaction; a failure changes nothing. A
unit is never deleted: it ends (valid_to) on the reform's date and names its successors;
what it held goes to them as each table declares (orgs/successors.py); a unit that moves
or is renamed keeps its earlier state as a UnitPeriod, so the tree as it stood on any date
can be read (orgs/reform_selectors.py). The preview is the same run, rolled back: what it
shows is what applying does.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import audit_record
from core.actors import require, user_of
from core.scope import path_segment, subtree_filter
from core.versions import check_version

from . import reform_rules, successors
from .models import (
    CODE_LENGTH,
    Level,
    OperationKind,
    OrgProfile,
    OrgUnit,
    Reform,
    ReformOperation,
    ReformStatus,
    Succession,
    SuccessionKind,
    active_q,
)
from .rules import code_problem, kind_from_code, unit_search_key, urban_rural_from_kind
from .services import unit_periods_keep

REFORM_FIELDS = ("title", "document_number", "effective_on", "note")


# ---- planning ---------------------------------------------------------------------------------

def _clean_reform(reform: Reform) -> None:
    reform.title = reform.title.strip()
    reform.document_number = reform.document_number.strip()
    reform.full_clean(exclude=["unit", "created_by", "applied_by"])


@transaction.atomic
def reform_create(*, actor, unit: OrgUnit, title: str, effective_on: dt.date,
                  document_number: str = "", note: str = "") -> Reform:
    require(actor, "orgs.add_reform", unit)
    reform = Reform(unit=unit, title=title, effective_on=effective_on,
                    document_number=document_number, note=note, created_by=user_of(actor))
    _clean_reform(reform)
    reform.save()
    audit_record(actor=actor, action=Action.CREATE, obj=reform, unit=unit)
    return reform


def _draft(reform: Reform, actor, expected_version=None) -> Reform:
    reform = Reform.objects.select_for_update().select_related("unit").get(pk=reform.pk)
    require(actor, "orgs.change_reform", reform.unit)
    check_version(reform, expected_version=expected_version)
    if not reform.is_draft:
        raise ValidationError(_("This reform has been applied; it can no longer change."))
    return reform


@transaction.atomic
def reform_update(*, actor, reform: Reform, expected_version: int | None = None,
                  **fields) -> Reform:
    unknown = set(fields) - set(REFORM_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    reform = _draft(reform, actor, expected_version)
    for name, value in fields.items():
        setattr(reform, name, value)
    _clean_reform(reform)
    reform.version += 1
    reform.save()
    audit_record(actor=actor, action=Action.UPDATE, obj=reform, unit=reform.unit)
    return reform


@transaction.atomic
def operation_add(*, actor, reform: Reform, kind: str, params: dict) -> ReformOperation:
    """Add an operation at the end of a draft reform; its parameters are checked (rules)
    and so are the units it names (in the reform's unit, of levels that fit)."""
    reform = _draft(reform, actor)
    clean, problems = reform_rules.operation_problems(kind, params)
    if problems:
        raise ValidationError(problems)
    last = reform.operations.aggregate(m=Max("order"))["m"] or 0
    operation = ReformOperation(reform=reform, order=last + 1, kind=kind, params=clean)
    _check_refs(reform, operation)
    operation.save()
    reform.version += 1
    reform.save(update_fields=["version"])
    audit_record(actor=actor, action=Action.UPDATE, obj=reform, unit=reform.unit,
                 detail={"operation": operation.order, "kind": kind})
    return operation


@transaction.atomic
def operation_update(*, actor, operation: ReformOperation, params: dict) -> ReformOperation:
    """Change an operation of a draft reform (resolve a conflict the preview showed)."""
    reform = _draft(operation.reform, actor)
    operation = ReformOperation.objects.select_for_update().get(pk=operation.pk)
    clean, problems = reform_rules.operation_problems(operation.kind, params)
    if problems:
        raise ValidationError(problems)
    operation.params = clean
    _check_refs(reform, operation, earlier_than=operation.order)
    operation.save(update_fields=["params"])
    reform.version += 1
    reform.save(update_fields=["version"])
    audit_record(actor=actor, action=Action.UPDATE, obj=reform, unit=reform.unit,
                 detail={"operation": operation.order})
    return operation


@transaction.atomic
def operations_abolish_level(*, actor, reform: Reform, level: int,
                             children_to: OrgUnit | None = None) -> list[ReformOperation]:
    """Abolish a whole level beneath the reform's unit (扁平化: every street office of a
    district): an abolish operation for each of its active units there, their children
    going to ``children_to`` or each one's parent."""
    units = (OrgUnit.objects.active(reform.effective_on)
             .filter(subtree_filter(reform.unit.path), level=level).exclude(pk=reform.unit_id)
             .order_by("code", "name"))
    return [operation_add(actor=actor, reform=reform, kind=OperationKind.ABOLISH,
                          params={"unit": u.pk,
                                  "children_to": children_to.pk if children_to else None})
            for u in units]


@transaction.atomic
def operation_remove(*, actor, operation: ReformOperation) -> None:
    reform = _draft(operation.reform, actor)
    operation.delete()
    for n, op in enumerate(reform.operations.order_by("order", "id"), start=1):
        if op.order != n:
            ReformOperation.objects.filter(pk=op.pk).update(order=n)
    reform.version += 1
    reform.save(update_fields=["version"])
    audit_record(actor=actor, action=Action.UPDATE, obj=reform, unit=reform.unit,
                 detail={"removed operation": operation.order})


def _check_refs(reform: Reform, operation: ReformOperation,
                earlier_than: int | None = None) -> None:
    ids = reform_rules.unit_ids(operation.params)
    inside = set(OrgUnit.objects.filter(subtree_filter(reform.unit.path), pk__in=ids)
                 .values_list("pk", flat=True))
    if set(ids) - inside:
        raise ValidationError(_("Every unit of a reform lies within %(unit)s.")
                              % {"unit": reform.unit.name})
    earlier = {op.order for op in reform.operations.all()
               if earlier_than is None or op.order < earlier_than}
    for value in reform_rules.new_refs(operation.params):
        order = int(reform_rules.NEW_REF.match(value)["order"])
        if order not in earlier:
            raise ValidationError(_("%(ref)s names no earlier operation of this reform.")
                                  % {"ref": value})


# ---- what a run reports -----------------------------------------------------------------------

@dataclass
class Step:
    """What one operation did (or, in a preview, will do)."""

    order: int
    kind: str
    label: str
    created: list = field(default_factory=list)
    ended: list = field(default_factory=list)
    moved: list = field(default_factory=list)       # (unit, from parent, to parent)
    renamed: list = field(default_factory=list)     # (old name, new name)
    renumbered: list = field(default_factory=list)  # (grid, old code, new code)
    handed: list = field(default_factory=list)      # (sources, target, {holding key: n})
    quotas: list = field(default_factory=list)      # (unit, before, after)
    notes: list = field(default_factory=list)


@dataclass
class Report:
    reform: Reform
    steps: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)
    totals: Counter = field(default_factory=Counter)
    applied: bool = False

    def as_json(self) -> dict:
        return {"totals": dict(self.totals),
                "steps": [{"order": s.order, "kind": s.kind, "label": s.label,
                           "created": s.created, "ended": s.ended,
                           "moved": [list(m) for m in s.moved],
                           "renamed": [list(r) for r in s.renamed],
                           "renumbered": [list(r) for r in s.renumbered],
                           "handed": [[src, tgt, dict(n)] for src, tgt, n in s.handed],
                           "quotas": [list(q) for q in s.quotas], "notes": s.notes}
                          for s in self.steps]}


class _TrialRun(Exception):
    def __init__(self, report: Report):
        super().__init__("trial run")
        self.report = report


# ---- running ---------------------------------------------------------------------------------

class _Run:
    """One run of a reform's operations, in order, inside the caller's transaction."""

    def __init__(self, reform: Reform, actor):
        self.reform, self.actor, self.on = reform, actor, reform.effective_on
        self.new: dict[str, OrgUnit] = {}
        self.touched: set[int] = set()
        self.ended: set[int] = set()
        self.report = Report(reform=reform)
        ids = {i for op in reform.operations.all() for i in reform_rules.unit_ids(op.params)}
        self.units = {u.pk: u for u in OrgUnit.objects.filter(
            subtree_filter(reform.unit.path), pk__in=ids)}

    # -- units ----------------------------------------------------------------------------

    def unit(self, value, name: str) -> OrgUnit | None:
        value = reform_rules.ref(value)
        if value is None:
            return None
        unit = self.new.get(value) if isinstance(value, str) else self.units.get(value)
        if unit is None:
            raise ValidationError({name: _("A unit this operation names does not exist.")})
        if isinstance(value, int):
            unit.refresh_from_db()
        if unit.pk in self.ended or (unit.valid_to is not None and unit.valid_to <= self.on):
            raise ValidationError({name: _("%(unit)s has ended already.") % {"unit": unit}})
        return unit

    def children(self, unit: OrgUnit) -> list[OrgUnit]:
        return list(OrgUnit.objects.filter(parent=unit).filter(active_q(self.on))
                    .order_by("code", "name", "pk"))

    def periods(self, units) -> None:
        """Keep the state of ``units`` as it was until this reform (once a reform)."""
        unit_periods_keep(units, self.on, self.reform)

    def end(self, unit: OrgUnit) -> None:
        OrgUnit.objects.filter(pk=unit.pk).update(valid_to=self.on, version=F("version") + 1)
        unit.valid_to = self.on
        self.ended.add(unit.pk)
        self.touched.add(unit.pk)
        audit_record(actor=self.actor, action=Action.UPDATE, obj=unit,
                     changes={"valid_to": [None, self.on.isoformat()]},
                     detail={"reform": self.reform.pk})

    def create(self, *, parent: OrgUnit, level: int, name: str, code: str, kind: str = "",
               like: OrgUnit | None = None) -> OrgUnit:
        code = code or None
        if code:
            problem = code_problem(code, level, parent.code)
            if problem:
                raise ValidationError({"code": f"{name}：{problem}"})
            if OrgUnit.objects.filter(code=code, valid_to__isnull=True).exists():
                raise ValidationError({"code": _("Another unit already has the code %(code)s.")
                                       % {"code": code}})
        if level <= parent.level:
            raise ValidationError({"level": _("A unit must be at a lower level than its "
                                              "parent (%(parent)s).")
                                   % {"parent": parent.get_level_display()}})
        kind = kind or kind_from_code(code, level) or (like.kind if like else "")
        unit = OrgUnit.objects.create(
            parent=parent, level=level, name=name, code=code, kind=kind,
            search_key=unit_search_key(name),
            urban_rural=(like.urban_rural if like else "") or urban_rural_from_kind(kind),
            valid_from=self.on)
        unit.path = parent.path + path_segment(unit.pk)
        unit.save(update_fields=["path"])
        self.touched.add(unit.pk)
        audit_record(actor=self.actor, action=Action.CREATE, obj=unit,
                     detail={"reform": self.reform.pk})
        return unit

    def move(self, unit: OrgUnit, parent: OrgUnit, step: Step) -> None:
        """Hang ``unit`` (and its subtree) under ``parent``, keeping where they were."""
        if parent.path.startswith(unit.path):
            raise ValidationError({"parent": _("A unit cannot be moved under itself.")})
        if unit.level <= parent.level:
            raise ValidationError({"parent": _("%(unit)s must be at a lower level than "
                                               "%(parent)s.") % {"unit": unit, "parent": parent}})
        if unit.level == Level.GRID and parent.level != Level.VILLAGE:
            raise ValidationError({"parent": _("A grid belongs to a village or community.")})
        old_parent = OrgUnit.objects.filter(pk=unit.parent_id).first()
        self.periods(OrgUnit.objects.filter(subtree_filter(unit.path)))
        old_path, new_path = unit.path, parent.path + path_segment(unit.pk)
        OrgUnit.objects.filter(subtree_filter(old_path)).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
            version=F("version") + 1)
        OrgUnit.objects.filter(pk=unit.pk).update(parent=parent)
        unit.refresh_from_db()
        step.moved.append((unit.name, old_parent.name if old_parent else "", parent.name))
        audit_record(actor=self.actor, action=Action.MOVE, obj=unit,
                     changes={"parent": [old_parent.name if old_parent else None, parent.name]},
                     detail={"reform": self.reform.pk, "to": parent.pk})
        if unit.level == Level.GRID:
            self.renumber(unit, parent, step)

    def renumber(self, grid: OrgUnit, village: OrgUnit, step: Step) -> None:
        """A grid's code is its village's followed by three digits: under another village
        it takes the next free number there (the preview lists old and new)."""
        if village.code and grid.code and grid.code.startswith(village.code):
            return
        code = None
        if village.code and len(village.code) == CODE_LENGTH[Level.VILLAGE]:
            last = (OrgUnit.objects.filter(parent=village, level=Level.GRID,
                                           code__startswith=village.code)
                    .exclude(pk=grid.pk).aggregate(m=Max("code"))["m"])
            n = int(last[-3:]) + 1 if last else 1
            code = f"{village.code}{n:03d}" if n <= 999 else None
        if code != grid.code:
            step.renumbered.append((grid.name, grid.code or "", code or ""))
            OrgUnit.objects.filter(pk=grid.pk).update(code=code)
            grid.code = code

    def hand_over(self, sources, target: OrgUnit, step: Step, options: dict, *,
                  abolished=False, grids=None, kind=SuccessionKind.MERGED) -> None:
        handover = successors.Handover(
            reform=self.reform, sources=list(sources), target=target, on=self.on,
            actor=self.actor, abolished=abolished, grids=grids, options=options)
        successors.hand_over(handover)
        moved = {k: n for k, n in handover.result.items() if n}
        step.handed.append(("、".join(u.name for u in sources), target.name, moved))
        step.notes += handover.notes
        self.report.totals.update(moved)
        self.touched.update([target.pk, *(u.pk for u in sources)])
        Succession.objects.bulk_create(
            [Succession(reform=self.reform, predecessor=u, successor=target, kind=kind,
                        on=self.on) for u in sources], ignore_conflicts=True)
        for source in sources:
            audit_record(actor=self.actor, action=Action.MOVE, obj=self.reform, unit=source,
                         object_repr=f"{source.name} → {target.name}",
                         detail={"reform": self.reform.pk, "to": target.pk, "moved": moved})

    def quotas(self, target: OrgUnit, sources, step: Step, *, copy_from=None) -> None:
        profiles = {p.unit_id: p for p in OrgProfile.objects.filter(
            unit__in=[target, *sources])}
        mine = profiles.get(target.pk)
        theirs = [(p.quota_administrative, p.quota_institutional)
                  for p in (profiles.get(u.pk) for u in sources) if p]
        before = (mine.quota_administrative, mine.quota_institutional) if mine else None
        after = reform_rules.quotas_after(before, theirs)
        if mine is None:
            like = profiles.get(copy_from.pk) if copy_from else None
            if like is None and not any(after):
                return
            mine = OrgProfile(unit=target)
            if like is not None:
                for name in ("independence", "co_located_with", "has_party_group", "address",
                             "phone", "service_hours", "has_plaque", "office_funds_per_year"):
                    setattr(mine, name, getattr(like, name))
                mine.established_on = self.on
        mine.quota_administrative, mine.quota_institutional = after
        if before != after:
            was = before or (0, 0)
            step.quotas.append((target.name, f"{was[0]}+{was[1]}", f"{after[0]}+{after[1]}"))
        if mine.pk:
            mine.version += 1
        mine.save()

    # -- operations ---------------------------------------------------------------------

    def run(self) -> Report:
        for op in self.reform.operations.order_by("order", "id"):
            step = Step(order=op.order, kind=op.kind, label=op.get_kind_display())
            getattr(self, f"op_{op.kind}")(op, op.params, step)
            self.report.steps.append(step)
        affected = sorted(self.touched)
        successors.finish(affected)
        self.report.conflicts = successors.conflicts(affected, self.on)
        return self.report

    def op_merge(self, op, p, step):
        sources = [self.unit(s, "sources") for s in p["sources"]]
        levels = {u.level for u in sources}
        if len(levels) > 1:
            raise ValidationError({"sources": _("Units of different levels cannot merge.")})
        target = self.unit(p.get("into"), "into")
        for source in sources:
            self.end(source)
            step.ended.append(source.name)
        if target is None:
            parent = self.unit(p.get("parent"), "parent") or OrgUnit.objects.get(
                pk=sources[0].parent_id)
            target = self.create(parent=parent, level=sources[0].level, name=p["name"],
                                 code=p.get("code") or "", like=sources[0])
            self.new[f"new:{op.order}"] = target
            step.created.append(target.name)
        elif target.level != sources[0].level:
            raise ValidationError({"into": _("Units of different levels cannot merge.")})
        for source in sources:
            for child in self.children(source):
                self.move(child, target, step)
        self.hand_over(sources, target, step, p)
        self.quotas(target, sources, step, copy_from=sources[0])

    def op_split(self, op, p, step):
        source = self.unit(p["source"], "source")
        self.end(source)
        step.ended.append(source.name)
        parent = OrgUnit.objects.get(pk=source.parent_id)
        parts = []
        for i, part in enumerate(p["parts"], start=1):
            unit = self.unit(part.get("into"), "parts")
            if unit is None:
                unit = self.create(parent=self.unit(part.get("parent"), "parts") or parent,
                                   level=source.level, name=part["name"],
                                   code=part.get("code") or "", like=source)
                self.new[f"new:{op.order}.{i}"] = unit
                step.created.append(unit.name)
            elif unit.level != source.level:
                raise ValidationError({"parts": _("A part is a unit of the same level.")})
            parts.append(unit)
        main = parts[p.get("main", 1) - 1]
        going, chosen = {}, {int(k): v for k, v in (p.get("children") or {}).items()}
        for child in self.children(source):
            index = chosen.get(child.pk)
            going[child.pk] = parts[index - 1] if index else main
            self.move(child, going[child.pk], step)
        for unit in parts:
            if unit is main:
                continue
            grids = tuple(pk for pk, to in going.items() if to is unit)
            self.hand_over([source], unit, step, p, grids=grids, kind=SuccessionKind.SPLIT)
        self.hand_over([source], main, step, p, kind=SuccessionKind.SPLIT)
        self.quotas(main, [source], step, copy_from=source)

    def op_abolish(self, op, p, step):
        unit = self.unit(p["unit"], "unit")
        parent = OrgUnit.objects.filter(pk=unit.parent_id).first()
        to = self.unit(p.get("children_to"), "children_to") or parent
        work_to = self.unit(p.get("work_to"), "work_to") or to
        if to is None or work_to is None:
            raise ValidationError({"unit": _("A unit without a parent cannot be abolished.")})
        if to.path.startswith(unit.path) or work_to.path.startswith(unit.path):
            raise ValidationError({"children_to": _("Its work goes to a unit outside it.")})
        self.end(unit)
        step.ended.append(unit.name)
        for child in self.children(unit):
            self.move(child, to, step)
        self.hand_over([unit], work_to, step, p, abolished=True,
                       kind=SuccessionKind.ABOLISHED)
        self.quotas(work_to, [unit], step)

    def op_move(self, op, p, step):
        unit, parent = self.unit(p["unit"], "unit"), self.unit(p["parent"], "parent")
        if unit.parent_id != parent.pk:
            self.move(unit, parent, step)

    def op_rename(self, op, p, step):
        unit = self.unit(p["unit"], "unit")
        name, code = p.get("name") or unit.name, p.get("code") or unit.code
        if code != unit.code:
            parent = OrgUnit.objects.filter(pk=unit.parent_id).first()
            problem = code_problem(code, unit.level, parent.code if parent else None)
            if problem:
                raise ValidationError({"code": problem})
            if OrgUnit.objects.filter(code=code, valid_to__isnull=True).exclude(
                    pk=unit.pk).exists():
                raise ValidationError({"code": _("Another unit already has the code %(code)s.")
                                       % {"code": code}})
        self.periods([unit])
        step.renamed.append((f"{unit.name}（{unit.code or '—'}）", f"{name}（{code or '—'}）"))
        audit_record(actor=self.actor, action=Action.UPDATE, obj=unit,
                     changes={"name": [unit.name, name], "code": [unit.code, code]},
                     detail={"reform": self.reform.pk})
        OrgUnit.objects.filter(pk=unit.pk).update(name=name, code=code,
                                                  search_key=unit_search_key(name),
                                                  version=F("version") + 1)

    def op_create(self, op, p, step):
        parent = self.unit(p["parent"], "parent")
        unit = self.create(parent=parent, level=p.get("level") or parent.level + 1,
                           name=p["name"], code=p.get("code") or "", kind=p.get("kind") or "")
        self.new[f"new:{op.order}"] = unit
        step.created.append(unit.name)


def _locked_draft(reform: Reform, actor, expected_version=None) -> Reform:
    reform = _draft(reform, actor, expected_version)
    require(actor, "orgs.apply_reform", reform.unit)
    if not reform.operations.exists():
        raise ValidationError(_("Add the reform's operations first."))
    if reform.effective_on > timezone.localdate():
        raise ValidationError({"effective_on": _(
            "A reform is applied on or after the day it takes effect (%(day)s).")
            % {"day": f"{reform.effective_on:%Y-%m-%d}"}})
    return reform


def reform_preview(*, actor, reform: Reform) -> Report:
    """What applying the reform would do, step by step, and what must be resolved first:
    the run itself inside a transaction that is rolled back. An operation that cannot run
    is a ValidationError, as applying would be."""
    try:
        with transaction.atomic():
            reform = _locked_draft(reform, actor)
            raise _TrialRun(_Run(reform, actor).run())
    except _TrialRun as trial:
        return trial.report


@transaction.atomic
def reform_apply(*, actor, reform: Reform, expected_version: int | None = None) -> Report:
    """Apply the reform: every operation in one transaction, refused (nothing changed)
    while the preview lists conflicts."""
    reform = _locked_draft(reform, actor, expected_version)
    report = _Run(reform, actor).run()
    if report.conflicts:
        raise ValidationError(report.conflicts)
    reform.status, reform.applied_at = ReformStatus.APPLIED, timezone.now()
    reform.applied_by = user_of(actor)
    reform.result = report.as_json()
    reform.version += 1
    reform.save()
    report.applied = True
    audit_record(actor=actor, action=Action.UPDATE, obj=reform, unit=reform.unit,
                 changes={"status": [ReformStatus.DRAFT, ReformStatus.APPLIED]},
                 detail={"totals": dict(report.totals)})
    return report
