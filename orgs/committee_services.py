"""Writes of the work committee 残工委 and of the special associations 专门协会: keyword-only,
the acting user first, full_clean, one transaction and one audit entry each; an edit takes
the version its form was opened on (core/versions.py)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, ProtectedError
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import audit_record, diff_fields
from core.actors import require
from core.versions import check_version

from . import committee_rules
from .models import (
    AssociationKind,
    CommitteeDepartment,
    OrgUnit,
    SpecialAssociation,
    WorkCommittee,
)

COMMITTEE_FIELDS = ("name", "chair_name", "chair_post", "vice_chairs", "established_on",
                    "document_number", "office", "note")
DEPARTMENT_FIELDS = ("name", "duties", "contact_person", "phone", "order")
ASSOCIATION_FIELDS = ("chair_name", "established_on", "phone", "note")


def _clean(fields: dict) -> dict:
    return {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}


def _raise(problems: dict) -> None:
    if problems:
        raise ValidationError(problems)


def _update(obj, *, fields: dict, names) -> dict:
    before = {name: getattr(obj, name) for name in names}
    for name, value in fields.items():
        if name in names:
            setattr(obj, name, value)
    return diff_fields(before, {name: getattr(obj, name) for name in names})


# ---- the committee ----------------------------------------------------------------------------

@transaction.atomic
def committee_create(*, actor, unit: OrgUnit, **fields) -> WorkCommittee:
    """``unit`` (a city or a county) gets its work committee; a second one is refused."""
    require(actor, "orgs.add_workcommittee", unit)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)  # one at a time per unit
    fields = _clean(fields)
    _raise(committee_rules.unit_problems(unit.level))
    if WorkCommittee.objects.filter(unit=unit).exists():
        raise ValidationError(_("This unit has a work committee already."))
    _raise(committee_rules.committee_problems(chair_name=fields.get("chair_name", "")))
    committee = WorkCommittee(unit=unit, **{k: v for k, v in fields.items()
                                            if k in COMMITTEE_FIELDS})
    committee.full_clean()
    committee.save()
    audit_record(actor=actor, action=Action.CREATE, obj=committee,
                 detail={"chair_name": committee.chair_name})
    return committee


@transaction.atomic
def committee_update(*, actor, committee: WorkCommittee, expected_version=None,
                     started_from=None, **fields) -> WorkCommittee:
    committee = WorkCommittee.objects.select_for_update().select_related("unit").get(
        pk=committee.pk)
    require(actor, "orgs.change_workcommittee", committee)
    check_version(committee, expected_version=expected_version, started_from=started_from)
    fields = _clean(fields)
    changes = _update(committee, fields=fields, names=COMMITTEE_FIELDS)
    _raise(committee_rules.committee_problems(chair_name=committee.chair_name))
    if not changes:
        return committee
    committee.full_clean()
    committee.version += 1
    committee.save()
    audit_record(actor=actor, action=Action.UPDATE, obj=committee, changes=changes)
    return committee


# ---- member departments -----------------------------------------------------------------------

@transaction.atomic
def department_add(*, actor, committee: WorkCommittee, name: str, duties: str = "",
                   contact_person: str = "", phone: str = "",
                   order: int | None = None) -> CommitteeDepartment:
    committee = WorkCommittee.objects.select_for_update().get(pk=committee.pk)
    require(actor, "orgs.change_workcommittee", committee)
    name = (name or "").strip()
    taken = committee.departments.filter(name=name).exists()
    _raise(committee_rules.department_problems(name=name, taken=taken))
    if order is None:
        order = (committee.departments.aggregate(n=Max("order"))["n"] or 0) + 1
    department = CommitteeDepartment(
        committee=committee, name=name, duties=(duties or "").strip(),
        contact_person=(contact_person or "").strip(), phone=(phone or "").strip(),
        order=order)
    department.full_clean()
    department.save()
    audit_record(actor=actor, action=Action.CREATE, obj=department, unit=committee.unit,
                 detail={"committee": committee.pk, "name": name})
    return department


@transaction.atomic
def department_update(*, actor, department: CommitteeDepartment, expected_version=None,
                      started_from=None, **fields) -> CommitteeDepartment:
    department = CommitteeDepartment.objects.select_for_update().select_related(
        "committee__unit").get(pk=department.pk)
    require(actor, "orgs.change_workcommittee", department.committee)
    check_version(department, expected_version=expected_version, started_from=started_from)
    fields = _clean(fields)
    changes = _update(department, fields=fields, names=DEPARTMENT_FIELDS)
    taken = department.committee.departments.filter(name=department.name).exclude(
        pk=department.pk).exists()
    _raise(committee_rules.department_problems(name=department.name, taken=taken))
    if not changes:
        return department
    department.full_clean()
    department.version += 1
    department.save()
    audit_record(actor=actor, action=Action.UPDATE, obj=department,
                 unit=department.committee.unit, changes=changes)
    return department


@transaction.atomic
def department_remove(*, actor, department: CommitteeDepartment) -> None:
    """A department leaves the committee; one that has signed responsibility agreements
    stays (the agreements name it)."""
    department = CommitteeDepartment.objects.select_for_update().select_related(
        "committee__unit").get(pk=department.pk)
    require(actor, "orgs.change_workcommittee", department.committee)
    unit, name, pk = department.committee.unit, department.name, department.pk
    try:
        with transaction.atomic():
            department.delete()
    except ProtectedError:
        raise ValidationError(_("This department has responsibility agreements: it cannot "
                                "be removed.")) from None
    audit_record(actor=actor, action=Action.DELETE, unit=unit, object_repr=name,
                 detail={"department": pk, "name": name})


# ---- the special associations -----------------------------------------------------------------

@transaction.atomic
def associations_set_up(*, actor, unit: OrgUnit) -> list[SpecialAssociation]:
    """The five special associations of ``unit`` (a city or a county): the missing ones are
    created, the existing ones kept (so a second click creates nothing). Returns all five."""
    require(actor, "orgs.add_specialassociation", unit)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    _raise(committee_rules.unit_problems(unit.level))
    have = set(SpecialAssociation.objects.filter(unit=unit).values_list("kind", flat=True))
    for kind in AssociationKind.values:
        if kind in have:
            continue
        association = SpecialAssociation(unit=unit, kind=kind)
        association.full_clean()
        association.save()
        audit_record(actor=actor, action=Action.CREATE, obj=association,
                     detail={"kind": kind})
    return list(SpecialAssociation.objects.filter(unit=unit).select_related("unit"))


@transaction.atomic
def association_create(*, actor, unit: OrgUnit, kind: str, **fields) -> SpecialAssociation:
    """One association of ``kind``; a second of the same kind in the unit is refused."""
    require(actor, "orgs.add_specialassociation", unit)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    _raise(committee_rules.unit_problems(unit.level))
    if SpecialAssociation.objects.filter(unit=unit, kind=kind).exists():
        raise ValidationError({"kind": _("This unit has this association already.")})
    association = SpecialAssociation(unit=unit, kind=kind, **{
        k: v for k, v in _clean(fields).items() if k in ASSOCIATION_FIELDS})
    association.full_clean()
    try:
        with transaction.atomic():
            association.save()
    except IntegrityError:
        raise ValidationError({"kind": _("This unit has this association already.")}) \
            from None
    audit_record(actor=actor, action=Action.CREATE, obj=association, detail={"kind": kind})
    return association


@transaction.atomic
def association_update(*, actor, association: SpecialAssociation, expected_version=None,
                       started_from=None, **fields) -> SpecialAssociation:
    association = SpecialAssociation.objects.select_for_update().select_related("unit").get(
        pk=association.pk)
    require(actor, "orgs.change_specialassociation", association)
    check_version(association, expected_version=expected_version, started_from=started_from)
    changes = _update(association, fields=_clean(fields), names=ASSOCIATION_FIELDS)
    if not changes:
        return association
    association.full_clean()
    association.version += 1
    association.save()
    audit_record(actor=actor, action=Action.UPDATE, obj=association, changes=changes)
    return association
