"""The 100-point assessment's writes: keyword-only, audited, in one transaction each. A
scheme is built and published by the county; its round gives every unit of its level in
the county a score sheet; the units score themselves, then the inspectors, then the county
confirms and the results are frozen (assessment_selectors.round_results computes them)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import audit_record, diff_fields
from core.actors import is_system, require, user_of
from core.versions import check_version
from orgs.models import Level, OrgUnit, active_q

from . import assessment_measures as measures
from . import assessment_rules as rules
from .choices import RoundStatus, StandardStatus
from .indicators import as_of
from .models import (
    AssessmentCategory,
    AssessmentItem,
    AssessmentRound,
    AssessmentScheme,
    AssessmentScore,
    AssessmentSheet,
)

SCHEME_FIELDS = ("name", "bonus_cap", "excellent_from", "good_from", "pass_from")
ITEM_FIELDS = ("text", "criteria", "max_points", "method", "measure", "target", "per_miss",
               "bonus_max", "veto_cap", "evidence")


# ---- schemes ---------------------------------------------------------------------------------

def _scheme_values(*, name: str, bonus_cap, excellent_from, good_from, pass_from) -> dict:
    problems = rules.bands_problems(excellent_from=excellent_from, good_from=good_from,
                                    pass_from=pass_from)
    if not (name or "").strip():
        problems["name"] = _("Give the scheme a name.")
    if bonus_cap is None or not 0 <= Decimal(bonus_cap) <= 50:
        problems["bonus_cap"] = _("Give the bonus points at most, between 0 and 50.")
    if problems:
        raise ValidationError(problems)
    return {"name": name.strip(), "bonus_cap": Decimal(bonus_cap),
            "excellent_from": Decimal(excellent_from), "good_from": Decimal(good_from),
            "pass_from": Decimal(pass_from)}


def _require_county(actor, permission: str, region: OrgUnit) -> None:
    require(actor, permission, region)
    if region.level != Level.COUNTY:
        raise ValidationError({"region": _("A scheme is a county's.")})


@transaction.atomic
def scheme_create(*, actor, region: OrgUnit, year: int, level: int, name: str,
                  bonus_cap=Decimal("0"), excellent_from=Decimal("90"),
                  good_from=Decimal("80"), pass_from=Decimal("60")) -> AssessmentScheme:
    """A draft scheme of ``region`` (a county) for its units of ``level`` in ``year``."""
    _require_county(actor, "standards.add_assessmentscheme", region)
    values = _scheme_values(name=name, bonus_cap=bonus_cap, excellent_from=excellent_from,
                            good_from=good_from, pass_from=pass_from)
    problems = rules.copy_problems(year=year, exists=AssessmentScheme.objects.filter(
        region=region, year=year, level=level).exists() if year else False)
    if level not in (Level.TOWNSHIP, Level.VILLAGE):
        problems["level"] = _("A scheme assesses townships or villages and communities.")
    if problems:
        raise ValidationError(problems)
    scheme = AssessmentScheme.objects.create(region=region, year=year, level=level, **values)
    audit_record(actor=actor, action=Action.CREATE, obj=scheme, unit=region,
                 detail={"year": year, "level": level})
    return scheme


def _locked_scheme(actor, scheme: AssessmentScheme) -> AssessmentScheme:
    scheme = AssessmentScheme.objects.select_for_update().select_related("region").get(
        pk=scheme.pk)
    require(actor, "standards.change_assessmentscheme", scheme.region)
    problem = rules.scheme_change_problem(scheme.status)
    if problem:
        raise ValidationError(problem)
    return scheme


@transaction.atomic
def scheme_update(*, actor, scheme: AssessmentScheme, expected_version: int | None = None,
                  started_from: dict | None = None, **fields) -> AssessmentScheme:
    scheme = _locked_scheme(actor, scheme)
    check_version(scheme, expected_version=expected_version, started_from=started_from)
    values = _scheme_values(**{name: fields.get(name, getattr(scheme, name))
                               for name in SCHEME_FIELDS})
    changes = diff_fields({name: getattr(scheme, name) for name in values}, values)
    if changes:
        for name, value in values.items():
            setattr(scheme, name, value)
        scheme.version += 1
        scheme.save()
        audit_record(actor=actor, action=Action.UPDATE, obj=scheme, unit=scheme.region,
                     changes=changes)
    return scheme


def max_total(scheme: AssessmentScheme) -> Decimal:
    """The sum of the items' maxima (the veto items have none)."""
    return sum((m for m in AssessmentItem.objects.filter(category__scheme=scheme)
                .values_list("max_points", flat=True)), Decimal(0))


@transaction.atomic
def scheme_publish(*, actor, scheme: AssessmentScheme) -> AssessmentScheme:
    """Publish a draft whose items' maxima add up to 100; refused otherwise."""
    scheme = _locked_scheme(actor, scheme)
    problem = rules.publish_problem(
        max_total=max_total(scheme),
        items=AssessmentItem.objects.filter(category__scheme=scheme).count())
    if problem:
        raise ValidationError(problem)
    scheme.status = StandardStatus.PUBLISHED
    scheme.version += 1
    scheme.save()
    audit_record(actor=actor, action=Action.UPDATE, obj=scheme, unit=scheme.region,
                 changes={"status": [StandardStatus.DRAFT, StandardStatus.PUBLISHED]})
    return scheme


@transaction.atomic
def scheme_copy(*, actor, scheme: AssessmentScheme, year: int, name: str = "") \
        -> AssessmentScheme:
    """A draft copy of ``scheme`` for ``year``, with the same categories and items."""
    _require_county(actor, "standards.add_assessmentscheme", scheme.region)
    problems = rules.copy_problems(year=year, exists=AssessmentScheme.objects.filter(
        region=scheme.region, year=year, level=scheme.level).exists() if year else False)
    if problems:
        raise ValidationError(problems)
    copy = AssessmentScheme.objects.create(
        region=scheme.region, year=year, level=scheme.level, copied_from=scheme,
        name=(name or "").strip() or scheme.name,
        **{f: getattr(scheme, f) for f in SCHEME_FIELDS if f != "name"})
    items = list(AssessmentItem.objects.filter(category__scheme=scheme)
                 .order_by("category__order", "category_id", "order", "id"))
    for category in scheme.categories.order_by("order", "id"):
        new = AssessmentCategory.objects.create(scheme=copy, order=category.order,
                                                name=category.name)
        AssessmentItem.objects.bulk_create([
            AssessmentItem(category=new, order=i.order,
                           **{f: getattr(i, f) for f in ITEM_FIELDS})
            for i in items if i.category_id == category.pk])
    audit_record(actor=actor, action=Action.CREATE, obj=copy, unit=scheme.region,
                 detail={"copied_from": scheme.pk, "year": year})
    return copy


@transaction.atomic
def category_add(*, actor, scheme: AssessmentScheme, name: str) -> AssessmentCategory:
    scheme = _locked_scheme(actor, scheme)
    if not (name or "").strip():
        raise ValidationError({"name": _("Give the category a name.")})
    last = scheme.categories.order_by("-order").values_list("order", flat=True).first()
    category = AssessmentCategory.objects.create(scheme=scheme, order=(last or 0) + 1,
                                                 name=name.strip())
    audit_record(actor=actor, action=Action.CREATE, obj=category, unit=scheme.region,
                 detail={"scheme": scheme.pk, "name": category.name})
    return category


def _item_values(scheme: AssessmentScheme, fields: dict) -> dict:
    values = {name: fields.get(name) for name in ITEM_FIELDS}
    values["text"] = (values["text"] or "").strip()
    values["criteria"] = (values["criteria"] or "").strip()
    values["measure"] = values["measure"] or ""
    values["bonus_max"] = values["bonus_max"] or Decimal(0)
    values["evidence"] = values["evidence"] or "records"
    if values["method"] == rules.VETO and values["max_points"] in (None, ""):
        values["max_points"] = Decimal(0)
    problems = rules.item_problems(
        text=values["text"], method=values["method"], max_points=values["max_points"],
        measure=values["measure"], target=values["target"], per_miss=values["per_miss"],
        bonus_max=values["bonus_max"], veto_cap=values["veto_cap"],
        scheme_bonus_cap=scheme.bonus_cap, measures=measures.keys())
    if problems:
        raise ValidationError(problems)
    if values["method"] == rules.MANUAL:
        values["measure"] = ""
    return values


@transaction.atomic
def item_add(*, actor, category: AssessmentCategory, **fields) -> AssessmentItem:
    scheme = _locked_scheme(actor, category.scheme)
    values = _item_values(scheme, fields)
    last = category.items.order_by("-order").values_list("order", flat=True).first()
    item = AssessmentItem.objects.create(category=category, order=(last or 0) + 1, **values)
    audit_record(actor=actor, action=Action.CREATE, obj=item, unit=scheme.region,
                 detail={"scheme": scheme.pk, "text": item.text,
                         "max_points": str(item.max_points), "method": item.method})
    return item


@transaction.atomic
def item_update(*, actor, item: AssessmentItem, expected_version: int | None = None,
                started_from: dict | None = None, **fields) -> AssessmentItem:
    item = AssessmentItem.objects.select_for_update().select_related(
        "category__scheme").get(pk=item.pk)
    scheme = _locked_scheme(actor, item.category.scheme)
    check_version(item, expected_version=expected_version, started_from=started_from)
    values = _item_values(scheme, {name: fields.get(name, getattr(item, name))
                                   for name in ITEM_FIELDS})
    changes = diff_fields({name: getattr(item, name) for name in values}, values)
    if changes:
        for name, value in values.items():
            setattr(item, name, value)
        item.version += 1
        item.save()
        audit_record(actor=actor, action=Action.UPDATE, obj=item, unit=scheme.region,
                     changes=changes)
    return item


@transaction.atomic
def item_remove(*, actor, item: AssessmentItem) -> AssessmentScheme:
    scheme = _locked_scheme(actor, item.category.scheme)
    audit_record(actor=actor, action=Action.DELETE, obj=item, unit=scheme.region,
                 detail={"scheme": scheme.pk, "text": item.text})
    item.delete()
    return scheme


# ---- the round -------------------------------------------------------------------------------

def round_units(scheme: AssessmentScheme) -> list[OrgUnit]:
    """The units a round of ``scheme`` assesses: those of its level in its county,
    existing in its year (one query)."""
    return list(OrgUnit.objects.within(scheme.region).filter(
        active_q(as_of(scheme.year)), level=scheme.level).order_by("path"))


@transaction.atomic
def round_create(*, actor, scheme: AssessmentScheme, commend_percent=Decimal("35"),
                 criticise_count: int = 1) -> AssessmentRound:
    """The round of a published scheme: a score sheet for each unit it assesses."""
    scheme = AssessmentScheme.objects.select_for_update().select_related("region").get(
        pk=scheme.pk)
    require(actor, "standards.add_assessmentround", scheme.region)
    problems = rules.share_problems(commend_percent=commend_percent,
                                    criticise_count=criticise_count)
    if problems:
        raise ValidationError(problems)
    problem = rules.round_problem(scheme_status=scheme.status,
                                  exists=AssessmentRound.objects.filter(scheme=scheme).exists())
    if problem:
        raise ValidationError(problem)
    round_ = AssessmentRound.objects.create(scheme=scheme, commend_percent=commend_percent,
                                            criticise_count=criticise_count)
    units = round_units(scheme)
    AssessmentSheet.objects.bulk_create([AssessmentSheet(round=round_, unit=u)
                                         for u in units])
    audit_record(actor=actor, action=Action.CREATE, obj=round_, unit=scheme.region,
                 detail={"scheme": scheme.pk, "units": len(units)})
    return round_


def _locked_sheet(sheet: AssessmentSheet) -> AssessmentSheet:
    return AssessmentSheet.objects.select_for_update().select_related(
        "round__scheme", "unit").get(pk=sheet.pk)


def _hand_items(sheet: AssessmentSheet) -> list[AssessmentItem]:
    return [i for i in AssessmentItem.objects.filter(category__scheme=sheet.round.scheme)
            if not i.computed]


def _write_values(sheet, items, values: dict, field: str, reasons: dict | None = None):
    problems = {}
    for item in items:
        problem = rules.value_problem(method=item.method, max_points=item.max_points,
                                      value=values.get(item.pk))
        if problem:
            problems[f"value_{item.pk}"] = problem
        if reasons is not None and not (reasons.get(item.pk) or "").strip():
            problems[f"reason_{item.pk}"] = _("Give the reason for the score.")
    if problems:
        raise ValidationError(problems)
    current = {s.item_id: s for s in AssessmentScore.objects.filter(sheet=sheet)}
    changes = {}
    for item in items:
        score = current.get(item.pk) or AssessmentScore(sheet=sheet, item=item)
        before = getattr(score, field)
        setattr(score, field, values[item.pk])
        if reasons is not None:
            score.reason = reasons[item.pk].strip()
        score.save()
        if before != values[item.pk]:
            changes[item.text] = [str(before) if before is not None else None,
                                  str(values[item.pk])]
    return changes


@transaction.atomic
def sheet_self_score(*, actor, sheet: AssessmentSheet, values: dict,
                     expected_version: int | None = None,
                     started_from: dict | None = None) -> AssessmentSheet:
    """The unit scores itself: ``values`` {item id: value} for each hand-scored item (the
    computed ones are filled in from the data). Changed until the inspectors score it."""
    sheet = _locked_sheet(sheet)
    require(actor, "standards.selfscore_assessmentsheet", sheet)
    if not is_system(actor) and actor.unit_id != sheet.unit_id:
        raise PermissionDenied
    check_version(sheet, expected_version=expected_version, started_from=started_from)
    problem = rules.self_score_problem(round_status=sheet.round.status,
                                       inspected=sheet.inspected_at is not None)
    if problem:
        raise ValidationError(problem)
    changes = _write_values(sheet, _hand_items(sheet), values, "self_value")
    sheet.self_scored_at = timezone.now()
    sheet.version += 1
    sheet.save()
    audit_record(actor=actor, action=Action.UPDATE, obj=sheet, changes=changes,
                 detail={"step": "self"})
    return sheet


@transaction.atomic
def sheet_inspect(*, actor, sheet: AssessmentSheet, values: dict, reasons: dict,
                  inspectors: str = "", expected_version: int | None = None,
                  started_from: dict | None = None) -> AssessmentSheet:
    """The inspectors score a unit that has scored itself: a value and a reason for each
    hand-scored item. Changed until the county confirms the round."""
    sheet = _locked_sheet(sheet)
    require(actor, "standards.inspect_assessmentsheet", sheet)
    check_version(sheet, expected_version=expected_version, started_from=started_from)
    problem = rules.inspect_problem(round_status=sheet.round.status,
                                    self_scored=sheet.self_scored_at is not None)
    if problem:
        raise ValidationError(problem)
    changes = _write_values(sheet, _hand_items(sheet), values, "inspector_value", reasons)
    user = user_of(actor)
    sheet.inspected_at = timezone.now()
    sheet.inspected_by = (inspectors or "").strip() or (
        (user.get_full_name() or user.username) if user is not None else str(actor))
    sheet.version += 1
    sheet.save()
    audit_record(actor=actor, action=Action.UPDATE, obj=sheet, changes=changes,
                 detail={"step": "inspect"})
    return sheet


@transaction.atomic
def round_confirm(*, actor, round_: AssessmentRound) -> AssessmentRound:
    """The county confirms the round once every unit is inspected: each item's value,
    points and evidence and each unit's total, rank, grade, commendation and criticism are
    kept as they are now, and nothing is changed after."""
    from .assessment_selectors import round_results

    round_ = AssessmentRound.objects.select_for_update().select_related(
        "scheme__region").get(pk=round_.pk)
    require(actor, "standards.confirm_assessmentround", round_.scheme.region)
    sheets = round_.sheets.count()
    problem = rules.confirm_problem(
        round_status=round_.status, sheets=sheets,
        inspected=round_.sheets.filter(inspected_at__isnull=False).count())
    if problem:
        raise ValidationError(problem)
    found = round_results(round_)
    current = {(s.sheet_id, s.item_id): s
               for s in AssessmentScore.objects.filter(sheet__round=round_)}
    new, changed, done = [], [], []
    for result in found:
        for line in result.lines:
            score = current.get((result.sheet.pk, line.item.pk))
            if score is None:
                score = AssessmentScore(sheet=result.sheet, item=line.item)
                new.append(score)
            else:
                changed.append(score)
            score.final_value = line.final_value
            score.final_points = line.final.base + line.final.bonus
            score.evidence_text = line.evidence_text[:300]
            score.evidence_url = line.evidence_url[:300]
        sheet = result.sheet
        sheet.total, sheet.rank, sheet.grade = result.final_total, result.rank, result.grade
        sheet.commended, sheet.criticised = result.commended, result.criticised
        sheet.version += 1
        done.append(sheet)
    AssessmentScore.objects.bulk_create(new, batch_size=2000)
    AssessmentScore.objects.bulk_update(
        changed, ["final_value", "final_points", "evidence_text", "evidence_url"],
        batch_size=2000)
    AssessmentSheet.objects.bulk_update(
        done, ["total", "rank", "grade", "commended", "criticised", "version"],
        batch_size=2000)
    round_.status = RoundStatus.CONFIRMED
    round_.confirmed_at = timezone.now()
    round_.confirmed_by = user_of(actor)
    round_.version += 1
    round_.save()
    audit_record(actor=actor, action=Action.UPDATE, obj=round_, unit=round_.scheme.region,
                 changes={"status": [RoundStatus.OPEN, RoundStatus.CONFIRMED]},
                 detail={"units": sheets})
    return round_
