"""The writes of the work record book, the meetings and the annual plan: keyword-only, one
transaction each, the rules of ledgers/rules.py, an audit entry per write, the optimistic
lock by ``version``. ``now``/``today`` may be passed in (tests, imports); they default to
the clock."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import audit_record, audit_ref, diff_fields
from core.actors import require, user_of
from core.versions import check_version
from orgs.models import OrgUnit
from workforce.models import Worker

from . import rules
from .models import (
    AnnualPlan,
    Meeting,
    PlanFulfilment,
    PlanItem,
    WorkEntry,
    WorkEntryNote,
)
from .registry import ledgers
from .services import attach


def _errors(problems: dict[str, str]) -> None:
    if problems:
        raise ValidationError({name: [message] for name, message in problems.items()})


def _snapshot(obj, fields) -> dict:
    return {name: getattr(obj, name) for name in fields}


def _check_fields(fields: dict, allowed) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")


def _keeping_unit(actor, unit: OrgUnit | None) -> OrgUnit:
    """The unit whose book is written: the one named (in the actor's scope), else theirs."""
    unit = unit or getattr(actor, "unit", None)
    if unit is None:
        raise ValidationError({"unit": _("Choose the unit whose book this is.")})
    return unit


# ---- the work record book --------------------------------------------------------------------

WORK_FIELDS = ("written_on", "subject", "content")


@transaction.atomic
def work_entry_create(*, actor, unit: OrgUnit | None = None, files=(), today=None,
                      **fields) -> WorkEntry:
    """Write an entry in ``unit``'s work record book (the actor's own unit by default)."""
    _check_fields(fields, WORK_FIELDS)
    unit = _keeping_unit(actor, unit)
    require(actor, "ledgers.add_workentry", unit)
    today = today or timezone.localdate()
    entry = WorkEntry(unit=unit, created_by=user_of(actor),
                      **{k: v if v is not None else "" for k, v in fields.items()})
    _errors(rules.work_entry_problems(_snapshot(entry, WORK_FIELDS), today=today))
    entry.save()
    audit_record(actor=actor, action=Action.CREATE, obj=entry, changes=diff_fields(
        {}, {"unit": audit_ref(unit), **_snapshot(entry, WORK_FIELDS)}))
    if files:
        attach(actor=actor, owner=entry, files=files)
    return entry


def work_entry_refusal(*, actor, entry: WorkEntry, now=None) -> str | None:
    """Why ``actor`` may not change ``entry`` now (rules.entry_edit_refusal), or None. The
    system (the demo, a command) counts as the unit's own."""
    user = user_of(actor)
    system = getattr(actor, "is_system", False)
    return rules.entry_edit_refusal(
        created_at=entry.created_at, now=now or timezone.now(),
        is_author=system or (user is not None and entry.created_by_id == user.pk),
        same_unit=system or (user is not None and user.unit_id == entry.unit_id))


@transaction.atomic
def work_entry_update(*, actor, workentry: WorkEntry, files=(), now=None,
                      expected_version: int | None = None, started_from: dict | None = None,
                      **fields) -> WorkEntry:
    """Change a work record: by its author or the unit's users, for 7 days after it was
    written; refused (a ValidationError saying why) after that."""
    _check_fields(fields, WORK_FIELDS)
    require(actor, "ledgers.change_workentry", workentry)
    now = now or timezone.now()
    entry = WorkEntry.objects.select_for_update().select_related("unit").get(pk=workentry.pk)
    refusal = work_entry_refusal(actor=actor, entry=entry, now=now)
    if refusal:
        raise ValidationError(refusal, code="locked")
    check_version(entry, expected_version=expected_version, started_from=started_from)
    before = _snapshot(entry, WORK_FIELDS)
    for name, value in fields.items():
        setattr(entry, name, value if value is not None else "")
    _errors(rules.work_entry_problems(_snapshot(entry, WORK_FIELDS),
                                      today=timezone.localtime(now).date()))
    changes = diff_fields(before, _snapshot(entry, WORK_FIELDS))
    if changes:
        entry.version += 1
        entry.save()
        audit_record(actor=actor, action=Action.UPDATE, obj=entry, changes=changes)
    if files:
        attach(actor=actor, owner=entry, files=files)
    return entry


@transaction.atomic
def work_entry_annotate(*, actor, workentry: WorkEntry, text: str) -> WorkEntryNote:
    """Add a note to a work record (any time, by anyone who may see it and keep ledgers)."""
    require(actor, "ledgers.add_workentrynote", workentry)
    _errors(rules.note_problems({"text": text}))
    user = user_of(actor)
    note = WorkEntryNote.objects.create(
        entry=workentry, text=text.strip(), written_by=user,
        written_by_name=(str(user) if user is not None else str(actor))[:60])
    audit_record(actor=actor, action=Action.CREATE, obj=note, unit=workentry.unit,
                 changes=diff_fields({}, {"entry": audit_ref(workentry), "text": note.text}))
    return note


# ---- meetings ----------------------------------------------------------------------------

MEETING_FIELDS = ("held_on", "kind", "title", "place", "host", "recorder", "attendee_names",
                  "expected_count", "present_count", "absent", "minutes", "decisions")
_NUMBERS = ("expected_count", "present_count")


def _meeting_values(meeting: Meeting, fields: dict) -> None:
    for name, value in fields.items():
        setattr(meeting, name, value if value is not None or name in _NUMBERS else "")


def _meeting_check(meeting: Meeting, *, today, workers: int) -> None:
    meeting.present_count = rules.present_count(
        given=meeting.present_count, names=meeting.attendee_names, workers=workers)
    _errors(rules.meeting_problems(_snapshot(meeting, MEETING_FIELDS), today=today))


def _checked_workers(actor, workers) -> list[Worker]:
    """The workers ticked as attending: workers the actor may see (else refused)."""
    workers = list(workers or ())
    if not workers:
        return []
    pks = [w.pk for w in workers]
    visible = set(Worker.objects.visible_to(actor).filter(pk__in=pks)
                  .values_list("pk", flat=True))
    if set(pks) - visible:
        raise PermissionDenied
    return workers


@transaction.atomic
def meeting_create(*, actor, unit: OrgUnit | None = None, workers=(), files=(), today=None,
                   **fields) -> Meeting:
    """Record a meeting of ``unit`` (the actor's own by default)."""
    _check_fields(fields, MEETING_FIELDS)
    unit = _keeping_unit(actor, unit)
    require(actor, "ledgers.add_meeting", unit)
    meeting = Meeting(unit=unit, created_by=user_of(actor))
    _meeting_values(meeting, fields)
    workers = _checked_workers(actor, workers)
    _meeting_check(meeting, today=today or timezone.localdate(), workers=len(workers))
    meeting.save()
    meeting.attendees.set(workers)
    audit_record(actor=actor, action=Action.CREATE, obj=meeting, changes=diff_fields(
        {}, {"unit": audit_ref(unit), **_snapshot(meeting, MEETING_FIELDS),
             "attendees": sorted(w.pk for w in workers)}))
    if files:
        attach(actor=actor, owner=meeting, files=files)
    return meeting


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, workers=None, files=(), today=None,
                   expected_version: int | None = None, started_from: dict | None = None,
                   **fields) -> Meeting:
    """Change a meeting's record; ``workers`` (when given) are exactly the workers who came."""
    _check_fields(fields, MEETING_FIELDS)
    require(actor, "ledgers.change_meeting", meeting)
    meeting = Meeting.objects.select_for_update().select_related("unit").get(pk=meeting.pk)
    check_version(meeting, expected_version=expected_version, started_from=started_from)
    before = {**_snapshot(meeting, MEETING_FIELDS),
              "attendees": sorted(meeting.attendees.values_list("pk", flat=True))}
    _meeting_values(meeting, fields)
    if workers is not None:
        workers = _checked_workers(actor, workers)
    count = len(workers) if workers is not None else len(before["attendees"])
    if "present_count" in fields and fields["present_count"] is None:
        meeting.present_count = None  # counted again from the names and workers
    _meeting_check(meeting, today=today or timezone.localdate(), workers=count)
    after = {**_snapshot(meeting, MEETING_FIELDS),
             "attendees": sorted(w.pk for w in workers) if workers is not None
             else before["attendees"]}
    changes = diff_fields(before, after)
    if changes:
        meeting.version += 1
        meeting.save()
        if workers is not None:
            meeting.attendees.set(workers)
        audit_record(actor=actor, action=Action.UPDATE, obj=meeting, changes=changes)
    if files:
        attach(actor=actor, owner=meeting, files=files)
    return meeting


# ---- the annual plan ---------------------------------------------------------------------

PLAN_FIELDS = ("summary", "notes")
ITEM_FIELDS = ("kind", "influential", "title", "target", "target_number", "due_on")


@transaction.atomic
def plan_create(*, actor, year: int, unit: OrgUnit | None = None, today=None,
                **fields) -> AnnualPlan:
    """Make ``unit``'s plan for ``year`` (one per unit and year)."""
    _check_fields(fields, PLAN_FIELDS)
    unit = _keeping_unit(actor, unit)
    require(actor, "ledgers.add_annualplan", unit)
    _errors(rules.plan_problems({"year": year}, today=today or timezone.localdate()))
    if AnnualPlan.objects.filter(unit=unit, year=year).exists():
        raise ValidationError({"year": _("%(unit)s has a plan for %(year)s already: open it "
                                         "to change it.") % {"unit": unit.name, "year": year}})
    plan = AnnualPlan(unit=unit, year=year, created_by=user_of(actor),
                      **{k: v or "" for k, v in fields.items()})
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as exc:  # made at the same moment by someone else
        raise ValidationError({"year": _("%(unit)s has a plan for %(year)s already: open it "
                                         "to change it.") % {"unit": unit.name, "year": year}}
                              ) from exc
    audit_record(actor=actor, action=Action.CREATE, obj=plan, changes=diff_fields(
        {}, {"unit": audit_ref(unit), "year": year, **_snapshot(plan, PLAN_FIELDS)}))
    return plan


@transaction.atomic
def plan_update(*, actor, annualplan: AnnualPlan, expected_version: int | None = None,
                started_from: dict | None = None, **fields) -> AnnualPlan:
    _check_fields(fields, PLAN_FIELDS)
    require(actor, "ledgers.change_annualplan", annualplan)
    plan = AnnualPlan.objects.select_for_update().select_related("unit").get(pk=annualplan.pk)
    check_version(plan, expected_version=expected_version, started_from=started_from)
    before = _snapshot(plan, PLAN_FIELDS)
    for name, value in fields.items():
        setattr(plan, name, value or "")
    changes = diff_fields(before, _snapshot(plan, PLAN_FIELDS))
    if changes:
        plan.version += 1
        plan.save()
        audit_record(actor=actor, action=Action.UPDATE, obj=plan, changes=changes)
    return plan


def _item_values(item: PlanItem, fields: dict) -> None:
    for name, value in fields.items():
        if name in ("target_number", "due_on"):
            setattr(item, name, value)
        elif name == "influential":
            setattr(item, name, bool(value))
        else:
            setattr(item, name, value or "")
    if item.kind != "activity":
        item.influential = False if "influential" not in fields else item.influential


@transaction.atomic
def plan_item_add(*, actor, plan: AnnualPlan, **fields) -> PlanItem:
    """Add an item to a plan."""
    _check_fields(fields, ITEM_FIELDS)
    require(actor, "ledgers.change_annualplan", plan)
    item = PlanItem(plan=plan)
    _item_values(item, fields)
    _errors(rules.plan_item_problems(_snapshot(item, ITEM_FIELDS), year=plan.year))
    item.save()
    audit_record(actor=actor, action=Action.CREATE, obj=item, unit=plan.unit,
                 changes=diff_fields({}, {"plan": audit_ref(plan),
                                          **_snapshot(item, ITEM_FIELDS)}))
    return item


@transaction.atomic
def plan_item_update(*, actor, planitem: PlanItem, expected_version: int | None = None,
                     started_from: dict | None = None, **fields) -> PlanItem:
    _check_fields(fields, ITEM_FIELDS)
    require(actor, "ledgers.change_annualplan", planitem.plan)
    item = PlanItem.objects.select_for_update().select_related("plan__unit").get(
        pk=planitem.pk)
    check_version(item, expected_version=expected_version, started_from=started_from)
    before = _snapshot(item, ITEM_FIELDS)
    _item_values(item, fields)
    _errors(rules.plan_item_problems(_snapshot(item, ITEM_FIELDS), year=item.plan.year))
    changes = diff_fields(before, _snapshot(item, ITEM_FIELDS))
    if changes:
        item.version += 1
        item.save()
        audit_record(actor=actor, action=Action.UPDATE, obj=item, unit=item.plan.unit,
                     changes=changes)
    return item


@transaction.atomic
def plan_item_remove(*, actor, planitem: PlanItem) -> AnnualPlan:
    """Take an item off its plan (with the links to what fulfilled it; the entries stay)."""
    require(actor, "ledgers.change_annualplan", planitem.plan)
    plan = planitem.plan
    audit_record(actor=actor, action=Action.DELETE, obj=planitem, unit=plan.unit,
                 detail={"plan": plan.pk, "title": planitem.title,
                         "fulfilments": planitem.fulfilments.count()})
    planitem.delete()
    return plan


def fulfilling_ledgers():
    """The ledgers whose entries can fulfil a plan item: every declared ledger of this app
    whose rows have a ``unit`` of their own (not the plan itself)."""
    found = []
    for ledger in ledgers():
        model = ledger.model
        if model is AnnualPlan or ledger.unit_field != "unit" \
                or model._meta.app_label != "ledgers":
            continue
        if any(f.name == "unit" for f in model._meta.concrete_fields):
            found.append(ledger)
    return found


def fulfilling_ledger(key: str):
    return next((ledger for ledger in fulfilling_ledgers() if ledger.key == key), None)


@transaction.atomic
def plan_fulfilment_add(*, actor, planitem: PlanItem, entry) -> PlanFulfilment:
    """Link ``entry`` (of a fulfilling ledger, the plan's unit and year) to the item it
    fulfils; linking it twice keeps one link."""
    plan = planitem.plan
    require(actor, "ledgers.add_planfulfilment", planitem)
    ledger = next((led for led in fulfilling_ledgers() if isinstance(entry, led.model)), None)
    if ledger is None:
        raise ValidationError({"entry": _("An entry of this ledger cannot fulfil a plan.")})
    in_year = ledger.year_entries([plan.unit_id], plan.year).filter(pk=entry.pk)
    if not in_year.exists():
        raise ValidationError({"entry": _("Choose an entry of %(unit)s dated in %(year)s.")
                               % {"unit": plan.unit.name, "year": plan.year}})
    if not type(entry)._default_manager.visible_to(actor).filter(pk=entry.pk).exists():
        raise PermissionDenied
    content_type = ContentType.objects.get_for_model(entry)
    link, created = PlanFulfilment.objects.get_or_create(
        item=planitem, content_type=content_type, object_id=entry.pk,
        defaults={"created_by": user_of(actor)})
    if created:
        audit_record(actor=actor, action=Action.CREATE, obj=link, unit=plan.unit,
                     detail={"item": planitem.pk, "ledger": ledger.key, "entry": entry.pk,
                             "entry_repr": str(entry)[:100]})
    return link


@transaction.atomic
def plan_fulfilment_remove(*, actor, fulfilment: PlanFulfilment) -> PlanItem:
    require(actor, "ledgers.delete_planfulfilment", fulfilment)
    item = fulfilment.item
    audit_record(actor=actor, action=Action.DELETE, obj=fulfilment, unit=item.plan.unit,
                 detail={"item": item.pk, "type": fulfilment.content_type_id,
                         "entry": fulfilment.object_id})
    fulfilment.delete()
    return item
