"""The writes of the responsibility agreements 目标责任书: keyword-only, audited, one
transaction each. Who manages an agreement is who may see its 甲方 (the unit above); 乙方
reads it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import audit_record, diff_fields
from core.actors import require, user_of
from core.versions import check_version
from orgs.models import OrgUnit

from . import agreements_rules as rules
from . import indicators
from .agreements_choices import AgreementStatus
from .models import Agreement, AgreementFinding, AgreementInspection, AgreementTask

MANAGE = "standards.change_agreement"


def _indicator_levels() -> dict:
    return {i.key: i.levels for i in indicators.indicators()}


def _raise(problems: dict) -> None:
    if problems:
        raise ValidationError({k: v for k, v in problems.items()})


def _locked(agreement: Agreement) -> Agreement:
    return Agreement.objects.select_for_update(of=("self",)).select_related("party_a", "party_b") \
        .get(pk=agreement.pk)


def _parties(party_a: OrgUnit | None, party_b: OrgUnit | None, party_b_name: str) -> None:
    inside = party_b is not None and party_a is not None and party_b.pk != party_a.pk \
        and party_b.path.startswith(party_a.path)
    _raise(rules.party_problems(
        party_a_level=party_a.level if party_a is not None else None,
        party_b_level=party_b.level if party_b is not None else None,
        party_b_in_subtree=inside, party_b_name=party_b_name))


def _duplicate(*, party_a, party_b, party_b_name, year, exclude=None) -> bool:
    found = Agreement.objects.filter(party_a=party_a, year=year)
    found = found.filter(party_b=party_b) if party_b is not None \
        else found.filter(party_b__isnull=True, party_b_name=party_b_name.strip())
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return found.exists()


@transaction.atomic
def agreement_create(*, actor, party_a: OrgUnit, year: int, title: str = "",
                     party_b: OrgUnit | None = None, party_b_name: str = "",
                     signatory_a: str = "", signatory_b: str = "",
                     note: str = "") -> Agreement:
    """A draft agreement of ``year`` between ``party_a`` and ``party_b`` (a unit beneath it)
    or ``party_b_name`` (a department of the county's work committee)."""
    require(actor, "standards.add_agreement", party_a)
    _parties(party_a, party_b, party_b_name)
    problem = rules.year_problem(year)
    if problem:
        raise ValidationError({"year": problem})
    if _duplicate(party_a=party_a, party_b=party_b, party_b_name=party_b_name, year=year):
        raise ValidationError({"party_b": _("These parties have an agreement for this year "
                                            "already.")})
    name = party_b.name if party_b is not None else party_b_name.strip()
    agreement = Agreement.objects.create(
        party_a=party_a, party_b=party_b, party_b_name=party_b_name.strip(), year=year,
        title=(title or "").strip() or _("%(year)s responsibility agreement of %(name)s") % {
            "year": year, "name": name},
        signatory_a=signatory_a.strip(), signatory_b=signatory_b.strip(), note=note.strip())
    audit_record(actor=actor, action=Action.CREATE, obj=agreement,
                 detail={"year": year, "party_b": agreement.party_b_label})
    return agreement


EDITED = ("title", "signatory_a", "signatory_b", "note")


@transaction.atomic
def agreement_update(*, actor, agreement: Agreement, title: str, signatory_a: str = "",
                     signatory_b: str = "", note: str = "",
                     expected_version: int | None = None,
                     started_from: dict | None = None) -> Agreement:
    """Change a draft's title, signatories and note (a signed agreement is refused)."""
    agreement = _locked(agreement)
    require(actor, MANAGE, agreement.party_a)
    check_version(agreement, expected_version=expected_version, started_from=started_from)
    problem = rules.change_problem(agreement.status)
    if problem:
        raise ValidationError(problem)
    if not (title or "").strip():
        raise ValidationError({"title": _("Give the agreement a title.")})
    values = {"title": title.strip(), "signatory_a": (signatory_a or "").strip(),
              "signatory_b": (signatory_b or "").strip(), "note": (note or "").strip()}
    changes = diff_fields({n: getattr(agreement, n) for n in EDITED}, values)
    if changes:
        for name, value in values.items():
            setattr(agreement, name, value)
        agreement.version += 1
        agreement.save()
        audit_record(actor=actor, action=Action.UPDATE, obj=agreement, changes=changes)
    return agreement


def _require_draft(actor, agreement: Agreement) -> None:
    require(actor, MANAGE, agreement.party_a)
    problem = rules.change_problem(agreement.status)
    if problem:
        raise ValidationError(problem)


@transaction.atomic
def task_add(*, actor, agreement: Agreement, text: str, target_value=None,
             target_unit: str = "", target_text: str = "",
             indicator: str = "") -> AgreementTask:
    """A task at the end of a draft's list."""
    agreement = _locked(agreement)
    _require_draft(actor, agreement)
    _raise(rules.task_problems(
        text=text, target_value=target_value, target_text=target_text, indicator=indicator,
        indicator_levels=_indicator_levels(),
        party_b_level=agreement.party_b.level if agreement.party_b_id else None))
    last = agreement.tasks.order_by("-order").values_list("order", flat=True).first()
    task = AgreementTask.objects.create(
        agreement=agreement, order=(last or 0) + 1, text=text.strip(),
        target_value=target_value, target_unit=(target_unit or "").strip(),
        target_text=(target_text or "").strip(), indicator=indicator or "")
    agreement.version += 1
    agreement.save(update_fields=["version", "updated_at"])
    audit_record(actor=actor, action=Action.CREATE, obj=task,
                 detail={"agreement": agreement.pk, "text": task.text,
                         "indicator": task.indicator})
    return task


@transaction.atomic
def task_remove(*, actor, task: AgreementTask) -> Agreement:
    agreement = _locked(task.agreement)
    _require_draft(actor, agreement)
    audit_record(actor=actor, action=Action.DELETE, obj=task,
                 detail={"agreement": agreement.pk, "text": task.text})
    task.delete()
    agreement.version += 1
    agreement.save(update_fields=["version", "updated_at"])
    return agreement


@transaction.atomic
def agreement_sign(*, actor, agreement: Agreement, signatory_a: str, signatory_b: str,
                   signed_a_on, signed_b_on, expected_version: int | None = None,
                   started_from: dict | None = None) -> Agreement:
    """Both parties signed on their days: from now on the tasks are frozen."""
    agreement = _locked(agreement)
    require(actor, MANAGE, agreement.party_a)
    check_version(agreement, expected_version=expected_version, started_from=started_from)
    _raise(rules.sign_problems(
        status=agreement.status, tasks=agreement.tasks.count(), signed_a_on=signed_a_on,
        signed_b_on=signed_b_on, signatory_a=signatory_a, signatory_b=signatory_b,
        year=agreement.year, today=timezone.localdate()))
    agreement.signatory_a, agreement.signatory_b = signatory_a.strip(), signatory_b.strip()
    agreement.signed_a_on, agreement.signed_b_on = signed_a_on, signed_b_on
    agreement.status = AgreementStatus.SIGNED
    agreement.version += 1
    agreement.save()
    audit_record(actor=actor, action=Action.UPDATE, obj=agreement,
                 changes={"status": [AgreementStatus.DRAFT, AgreementStatus.SIGNED]},
                 detail={"signed_a_on": str(signed_a_on), "signed_b_on": str(signed_b_on)})
    return agreement


@transaction.atomic
def inspection_record(*, actor, agreement: Agreement, quarter: int, inspected_on,
                      inspectors: str, summary: str = "", findings: dict | None = None,
                      files=()) -> AgreementInspection:
    """The quarter's inspection of a signed agreement, with a finding per task
    (``findings`` {task id: (finding, note)}; every task is to have one) and ``files``
    (ledgers' (CleanFile, name) pairs), attached through ledgers.services.attach."""
    from ledgers.services import attach

    agreement = _locked(agreement)
    require(actor, "standards.add_agreementinspection", agreement.party_a)
    exists = agreement.inspections.filter(quarter=quarter).exists()
    _raise(rules.inspection_problems(
        status=agreement.status, year=agreement.year, quarter=quarter,
        inspected_on=inspected_on, today=timezone.localdate(), exists=exists,
        inspectors=inspectors))
    findings = findings or {}
    tasks = list(agreement.tasks.order_by("order", "id"))
    if any(not findings.get(t.pk, ("", ""))[0] for t in tasks):
        raise ValidationError(_("Give a finding for every task."))
    inspection = AgreementInspection.objects.create(
        agreement=agreement, quarter=quarter, inspected_on=inspected_on,
        inspectors=inspectors.strip(), summary=(summary or "").strip(),
        recorded_by=user_of(actor))
    AgreementFinding.objects.bulk_create([
        AgreementFinding(inspection=inspection, task=t, finding=findings[t.pk][0],
                         note=(findings[t.pk][1] or "").strip()[:200]) for t in tasks])
    audit_record(actor=actor, action=Action.CREATE, obj=inspection,
                 detail={"agreement": agreement.pk, "quarter": quarter,
                         "findings": {str(t.pk): findings[t.pk][0] for t in tasks},
                         "files": len(files)})
    if files:
        attach(actor=actor, owner=inspection, files=files)
    return inspection


@transaction.atomic
def acceptance_record(*, actor, agreement: Agreement, accepted_on, accepted_by: str,
                      grade: str, note: str = "", results: dict | None = None,
                      expected_version: int | None = None,
                      started_from: dict | None = None) -> Agreement:
    """The year-end acceptance 检查验收: a result per task (``results`` {task id: (result,
    points or None, note)}) and overall; the agreement is then closed."""
    agreement = _locked(agreement)
    require(actor, "standards.accept_agreement", agreement.party_a)
    check_version(agreement, expected_version=expected_version, started_from=started_from)
    results = results or {}
    tasks = list(agreement.tasks.order_by("order", "id"))
    _raise(rules.acceptance_problems(
        status=agreement.status, accepted_on=accepted_on, today=timezone.localdate(),
        year=agreement.year, accepted_by=accepted_by, grade=grade,
        results={t.pk: results.get(t.pk, ("",))[0] for t in tasks}))
    for task in tasks:
        result, points, task_note = results[task.pk]
        task.result, task.points, task.result_note = result, points, (task_note or "")[:200]
    AgreementTask.objects.bulk_update(tasks, ["result", "points", "result_note"])
    agreement.accepted_on, agreement.accepted_by = accepted_on, accepted_by.strip()
    agreement.grade, agreement.acceptance_note = grade, (note or "").strip()
    agreement.status = AgreementStatus.CLOSED
    agreement.version += 1
    agreement.save()
    audit_record(actor=actor, action=Action.UPDATE, obj=agreement,
                 changes={"status": [AgreementStatus.SIGNED, AgreementStatus.CLOSED]},
                 detail={"grade": grade, "results": {str(t.pk): t.result for t in tasks}})
    return agreement
