"""The demonstration sites' writes 示范点, the rules documents and the new year's default
standards: keyword-only, the acting user first, audited, in one transaction each."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.models import Action
from audit.services import audit_record, diff_fields
from core.actors import require, user_of
from core.versions import check_version
from orgs.models import OrgUnit

from . import services, sites_rules
from .models import DemoSite, DemoSiteTarget, RulesDocument

# ---- targets -----------------------------------------------------------------------------------


@transaction.atomic
def target_set(*, actor, county: OrgUnit, year: int, kind: str, number: int) -> DemoSiteTarget:
    """The number of sites of ``kind`` ``county`` is to designate in ``year`` (set again:
    changed, one row per county, year and kind)."""
    require(actor, "standards.add_demositetarget", county)
    problems = sites_rules.target_problems(year=year, kind=kind, number=number)
    if problems:
        raise ValidationError(problems)
    target = DemoSiteTarget.objects.select_for_update().filter(
        county=county, year=year, kind=kind).first()
    if target is None:
        target = DemoSiteTarget.objects.create(county=county, year=year, kind=kind, number=number)
        audit_record(actor=actor, action=Action.CREATE, obj=target, unit=county,
                     detail={"year": year, "kind": kind, "number": number})
    elif target.number != number:
        changes = diff_fields({"number": target.number}, {"number": number})
        target.number = number
        target.version += 1
        target.save()
        audit_record(actor=actor, action=Action.UPDATE, obj=target, unit=county,
                     changes=changes)
    return target


@transaction.atomic
def targets_set(*, actor, county: OrgUnit, year: int, numbers: dict) -> list[DemoSiteTarget]:
    """target_set for each {kind: number} (the targets form sets the three together)."""
    return [target_set(actor=actor, county=county, year=year, kind=kind, number=number)
            for kind, number in numbers.items()]


# ---- designation and withdrawal ----------------------------------------------------------------

@transaction.atomic
def site_designate(*, actor, county: OrgUnit, unit: OrgUnit | None, year: int,
                   designated_on, document_number: str, note: str = "") -> DemoSite:
    """``county`` designates ``unit`` (a township, community or village beneath it) as a
    demonstration site of ``year``; what it is designated as follows from the unit."""
    require(actor, "standards.add_demosite", county)
    in_county = unit is not None and unit.path.startswith(county.path) and unit.pk != county.pk
    if in_county:
        OrgUnit.objects.select_for_update().filter(pk=unit.pk).first()  # one at a time
    kind = sites_rules.site_kind(unit.level, unit.kind) if in_county else None
    already = in_county and DemoSite.objects.filter(
        unit=unit, year=year, withdrawn_on__isnull=True).exists()
    problems = sites_rules.designate_problems(
        in_county=in_county, kind=kind, year=year, designated_on=designated_on,
        document_number=document_number, today=timezone.localdate(), already=already)
    if problems:
        raise ValidationError(problems)
    site = DemoSite(county=county, unit=unit, year=year, kind=kind,
                             designated_on=designated_on,
                             document_number=document_number.strip(), note=note.strip(),
                             designated_by=user_of(actor))
    site.full_clean()
    site.save()
    audit_record(actor=actor, action=Action.CREATE, obj=site,
                 detail={"county": county.pk, "year": year, "kind": kind,
                         "document_number": site.document_number})
    return site


@transaction.atomic
def site_withdraw(*, actor, site: DemoSite, withdrawn_on, document_number: str = "",
                  note: str = "", expected_version: int | None = None,
                  started_from: dict | None = None) -> DemoSite:
    """Withdraw a designation (on a day, by a document, for a reason); the row stays."""
    site = DemoSite.objects.select_for_update().select_related("county").get(
        pk=site.pk)
    require(actor, "standards.change_demosite", site.county)
    check_version(site, expected_version=expected_version, started_from=started_from)
    problems = sites_rules.withdraw_problems(
        withdrawn=site.is_withdrawn, designated_on=site.designated_on,
        withdrawn_on=withdrawn_on, today=timezone.localdate())
    if problems:
        raise ValidationError(problems)
    site.withdrawn_on = withdrawn_on
    site.withdrawal_document = (document_number or "").strip()
    site.withdrawal_note = (note or "").strip()
    site.version += 1
    site.full_clean()
    site.save()
    audit_record(actor=actor, action=Action.UPDATE, obj=site,
                 changes={"withdrawn_on": [None, withdrawn_on.isoformat()]},
                 detail={"document_number": site.withdrawal_document,
                         "note": site.withdrawal_note})
    return site


# ---- rules documents (the rules_attached indicator) --------------------------------------------

@transaction.atomic
def rules_document_add(*, actor, unit: OrgUnit, year: int, title: str, adopted_on,
                       note: str = "", files=()) -> RulesDocument:
    """Keep ``unit``'s rules 工作制度 of ``year`` with ``files`` (ledgers' (CleanFile,
    name) pairs) attached: the evidence of a standard's ``rules_attached`` item."""
    from ledgers.services import attach

    require(actor, "standards.add_rulesdocument", unit)
    problems = sites_rules.rules_document_problems(
        title=title, adopted_on=adopted_on, year=year, today=timezone.localdate(),
        files=len(files))
    if problems:
        raise ValidationError(problems)
    document = RulesDocument(unit=unit, year=year, title=title.strip(), adopted_on=adopted_on,
                             note=(note or "").strip(), created_by=user_of(actor))
    document.full_clean()
    document.save()
    audit_record(actor=actor, action=Action.CREATE, obj=document,
                 detail={"year": year, "files": len(files)})
    attach(actor=actor, owner=document, files=files)
    return document


# ---- the new year's default standards ----------------------------------------------------------

def defaults_may(*, actor) -> None:
    """Refuse (PermissionDenied) unless ``actor`` may write the national defaults (the
    province's administrators)."""
    services._require_region(actor, None)


@transaction.atomic
def defaults_new_year(*, actor, year: int):
    """The national default standards of ``year`` (the standards list's button for the
    province's administrators; the same as ``manage.py standards_defaults``): written once,
    the same every time; the press is audited."""
    defaults_may(actor=actor)
    problem = sites_rules.year_problem(year)
    if problem:
        raise ValidationError({"year": problem})
    made = services.defaults_ensure(year=year, actor=actor)
    audit_record(actor=actor, action=Action.UPDATE, obj=None,
                 object_repr=f"defaults {year}",
                 detail={"defaults_year": year, "standards": [s.pk for s in made]})
    return made
