"""Writes to the organisation network. Every one checks scope and permission, validates,
runs in one transaction and writes its audit entry."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import audit_record, audit_ref, diff_fields
from core.actors import is_system, require
from core.scope import path_segment, subtree_filter
from core.versions import StaleVersion, StaleVersions, check_version

from .models import CODE_LENGTH, Level, OrgProfile, OrgUnit, UnitPeriod
from .rules import (
    KINDS_BY_LEVEL,
    code_problem,
    kind_from_code,
    unit_search_key,
    urban_rural_from_kind,
)

UNIT_EDITABLE_FIELDS = (
    "name", "code", "kind", "population", "households", "urban_rural", "buildings",
    "valid_from",
)
PROFILE_FIELDS = (
    "established_on", "independence", "co_located_with", "has_party_group", "address", "phone",
    "service_hours", "has_plaque", "quota_administrative", "quota_institutional",
    "office_funds_per_year",
)


def _snapshot(obj, fields) -> dict:
    return {f: getattr(obj, f) for f in fields}


def unit_validate(unit: OrgUnit) -> None:
    """Field checks plus the rules of the tree: levels go down, codes nest, kinds fit."""
    errors: dict[str, list[str]] = {}
    try:
        unit.full_clean(exclude=["path", "parent"], validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    parent = unit.parent
    if parent is None and unit.level != Level.PROVINCE and unit.pk is None:
        errors.setdefault("parent", []).append(
            _("Only a province can be created without a parent.")
        )
    if parent is not None and unit.level <= parent.level:
        errors.setdefault("level", []).append(
            _("A unit must be at a lower level than its parent (%(parent)s).")
            % {"parent": parent.get_level_display()}
        )
    if unit.level == Level.GRID and (parent is None or parent.level != Level.VILLAGE):
        errors.setdefault("parent", []).append(_("A grid belongs to a village or community."))
    if unit.code:
        problem = code_problem(unit.code, unit.level, parent.code if parent else None)
        if problem:
            errors.setdefault("code", []).append(problem)
        else:
            clash = OrgUnit.objects.active().filter(code=unit.code)
            if unit.pk:
                clash = clash.exclude(pk=unit.pk)
            if clash.exists():
                errors.setdefault("code", []).append(
                    _("Another unit already has the code %(code)s.") % {"code": unit.code}
                )
    allowed_kinds = KINDS_BY_LEVEL.get(unit.level)
    if unit.kind and (allowed_kinds is None or unit.kind not in allowed_kinds):
        errors.setdefault("kind", []).append(_("This kind does not fit the unit's level."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def unit_create(*, actor, parent: OrgUnit | None, level: int, name: str, code: str | None = None,
                kind: str = "", **fields) -> OrgUnit:
    require(actor, "orgs.add_orgunit", parent)
    if parent is None and not is_system(actor):
        raise PermissionDenied  # only the system creates a province
    unit = OrgUnit(parent=parent, level=level, name=name.strip(), code=code or None, **fields)
    unit.search_key = unit_search_key(unit.name)
    unit.kind = kind or kind_from_code(unit.code, level)
    if not unit.urban_rural:
        unit.urban_rural = urban_rural_from_kind(unit.kind)
    unit_validate(unit)
    unit.save()
    unit.path = (parent.path if parent else "") + path_segment(unit.pk)
    unit.save(update_fields=["path"])
    audit_record(actor=actor, action=Action.CREATE, obj=unit,
                 changes=diff_fields({}, _snapshot(unit, ("name", "code", "level"))))
    return unit


@transaction.atomic
def unit_update(*, actor, unit: OrgUnit, expected_version: int | None = None,
                started_from: dict | None = None, **fields) -> OrgUnit:
    """Change a unit's details; refused when someone else saved it since
    ``expected_version`` (the version the form was opened on, core.versions)."""
    require(actor, "orgs.change_orgunit", unit)
    unknown = set(fields) - set(UNIT_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    unit = OrgUnit.objects.select_for_update(of=("self",)).select_related("parent").get(pk=unit.pk)
    check_version(unit, expected_version=expected_version, started_from=started_from)
    before = _snapshot(unit, UNIT_EDITABLE_FIELDS)
    for name, value in fields.items():
        setattr(unit, name, value)
    if not unit.code:
        unit.code = None
    unit.search_key = unit_search_key(unit.name)
    unit_validate(unit)
    changes = diff_fields(before, _snapshot(unit, UNIT_EDITABLE_FIELDS))
    if changes:
        unit.version += 1
        unit.save()
        audit_record(actor=actor, action=Action.UPDATE, obj=unit, changes=changes)
    return unit


def unit_periods_keep(units, on, reform=None) -> None:
    """Keep the state of ``units`` (name, code, parent, path) as it was until ``on``, as a
    UnitPeriod each, before a move or a rename changes it — once a day: a unit begun (or
    already changed) on ``on`` has nothing earlier to keep. So the tree as it stood on any
    earlier day can be read (orgs/reform_selectors.py)."""
    units = list(units)
    last = dict(UnitPeriod.objects.filter(unit__in=units).values("unit_id")
                .annotate(m=Max("valid_to")).values_list("unit_id", "m"))
    rows = []
    for u in units:
        begun = last.get(u.pk) or u.valid_from
        if begun is not None and begun >= on:
            continue
        rows.append(UnitPeriod(unit=u, valid_from=begun, valid_to=on, parent_id=u.parent_id,
                               path=u.path, name=u.name, code=u.code, reform=reform))
    UnitPeriod.objects.bulk_create(rows)


@transaction.atomic
def unit_move(*, actor, unit: OrgUnit, new_parent: OrgUnit) -> OrgUnit:
    """Hang ``unit`` and its whole subtree under ``new_parent``; every path follows, and
    where they were until today is kept (unit_periods_keep)."""
    require(actor, "orgs.change_orgunit", unit)
    require(actor, "orgs.change_orgunit", new_parent)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    new_parent = OrgUnit.objects.get(pk=new_parent.pk)
    if new_parent.path.startswith(unit.path):
        raise ValidationError({"parent": _("A unit cannot be moved under itself.")})
    if unit.level <= new_parent.level:
        raise ValidationError(
            {"parent": _("A unit must be at a lower level than its parent (%(parent)s).")
             % {"parent": new_parent.get_level_display()}}
        )
    old_path, old_parent = unit.path, unit.parent
    unit_periods_keep(OrgUnit.objects.filter(subtree_filter(old_path)), timezone.localdate())
    new_path = new_parent.path + path_segment(unit.pk)
    OrgUnit.objects.filter(subtree_filter(old_path)).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        version=F("version") + 1,
    )
    OrgUnit.objects.filter(pk=unit.pk).update(parent=new_parent)
    unit.refresh_from_db()
    audit_record(actor=actor, action=Action.MOVE, obj=unit,
                 changes={"parent": [audit_ref(old_parent), audit_ref(new_parent)]},
                 detail={"from": old_parent.pk if old_parent else None, "to": new_parent.pk})
    return unit


def grid_next_code(village: OrgUnit) -> str | None:
    if not village.code or len(village.code) != CODE_LENGTH[Level.VILLAGE]:
        return None
    last = (
        OrgUnit.objects.filter(parent=village, level=Level.GRID, code__startswith=village.code)
        .aggregate(m=Max("code"))["m"]
    )
    n = int(last[-3:]) + 1 if last else 1
    return f"{village.code}{n:03d}" if n <= 999 else None


@transaction.atomic
def grid_create(*, actor, village: OrgUnit, name: str, households: int | None = None,
                buildings: str = "", code: str | None = None) -> OrgUnit:
    if village.level != Level.VILLAGE:
        raise ValidationError({"parent": _("A grid belongs to a village or community.")})
    return unit_create(
        actor=actor, parent=village, level=Level.GRID, name=name,
        code=code or grid_next_code(village), households=households, buildings=buildings,
        urban_rural=village.urban_rural,
    )


@transaction.atomic
def profile_update(*, actor, unit: OrgUnit, expected_version: int | None = None,
                   started_from: dict | None = None, **fields) -> OrgProfile:
    """Create or change the organisation at ``unit``; refused when someone else saved it
    since ``expected_version`` (0: the form was opened before there was one)."""
    require(actor, "orgs.change_orgprofile", unit)
    if not unit.has_organisation:
        raise ValidationError(_("A grid has no organisation of its own."))
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    profile = OrgProfile.objects.select_for_update().filter(unit=unit).first()
    created = profile is None
    if created:
        profile = OrgProfile(unit=unit)
    else:
        check_version(profile, expected_version=expected_version, started_from=started_from)
    before = {} if created else _snapshot(profile, PROFILE_FIELDS)
    for name, value in fields.items():
        setattr(profile, name, value)
    if profile.independence == "independent":
        profile.co_located_with = ""
    elif not profile.co_located_with.strip():
        raise ValidationError(
            {"co_located_with": _("Name the department it shares offices with.")}
        )
    profile.full_clean()
    changes = diff_fields(before, _snapshot(profile, PROFILE_FIELDS))
    if changes or created:
        if not created:
            profile.version += 1
        profile.save()
        audit_record(actor=actor, action=Action.CREATE if created else Action.UPDATE,
                     obj=profile, unit=unit, changes=changes)
    return profile


@transaction.atomic
def unit_edit(*, actor, unit: OrgUnit, unit_fields: dict, profile_fields: dict | None) -> OrgUnit:
    """The edit page: the unit and its organisation change together or not at all. When
    someone else saved either meanwhile, both are checked, so the page names every change."""
    stale = []
    try:
        unit_update(actor=actor, unit=unit, **unit_fields)
    except StaleVersion as exc:
        stale.append(exc)
    if profile_fields is not None:
        try:
            profile_update(actor=actor, unit=unit, **profile_fields)
        except StaleVersion as exc:
            stale.append(exc)
    if stale:
        raise stale[0] if len(stale) == 1 else StaleVersions(stale)
    return unit
