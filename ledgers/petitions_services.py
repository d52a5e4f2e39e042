"""Writes to letters and visits (来信来访): registering a petition, editing it, each step of
its way (ledgers/rules.py PETITION_TRANSITIONS, one service per step), and the categories.

Each checks permission and scope (core.actors.require), runs the rules, writes in one
transaction with optimistic locking (``expected_version``), records a PetitionEvent for
each step and an audit entry for each write. A petition is personal data: its audit
entries name which personal fields changed, never their values (the audit log is read by
auditors, who may not read petitions)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import audit_record, audit_ref, diff_fields
from core.actors import require, user_of
from core.text import normalise_text
from core.versions import check_version
from orgs.models import Level, OrgUnit
from people.identity import normalise_id, validate_id
from people.models import Person

from . import rules
from . import services as ledger_services
from .models import Petition, PetitionCategory, PetitionEvent, petition_id_lookup
from .petitions_choices import PetitionStatus, ReceivedHow, RepeatOf

S = PetitionStatus

# The levels of unit that register petitions: a county's, a township's, a village's.
PETITION_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)

EDITABLE = ("received_how", "received_on", "category", "content", "petitioner_name",
            "petitioner_phone", "petitioner_address", "id_number", "handler_name", "notes")
# Recorded in the audit log as changed, without their values.
PERSONAL = frozenset({"petitioner_name", "petitioner_phone", "petitioner_address",
                      "id_number", "content", "reply", "not_accepted_reason", "notes",
                      "note", "person"})
HIDDEN = "•••"


def _errors(problems: dict[str, str]) -> None:
    if problems:
        raise ValidationError({name: [message] for name, message in problems.items()})


def _snapshot(petition: Petition, fields) -> dict:
    values = {}
    for name in fields:
        value = getattr(petition, name)
        if name in ("unit", "category", "handler"):
            value = audit_ref(value)
        elif name == "person":
            value = value.pk if value is not None else None
        elif isinstance(value, dt.date):
            value = value.isoformat()
        values[name] = value
    return values


def _audited(changes: dict) -> dict:
    return {name: [HIDDEN, HIDDEN] if name in PERSONAL else values
            for name, values in changes.items()}


def _event(petition: Petition, *, actor, from_status: str, note: str = "") -> PetitionEvent:
    user = user_of(actor)
    return PetitionEvent.objects.create(
        petition=petition, actor=user, actor_name=actor.get_username() if actor else "",
        at=timezone.now(), from_status=from_status, to_status=petition.status, note=note)


def category_choices(unit: OrgUnit | None):
    """The categories a petition of ``unit`` may take: the defaults and those its regions
    (the unit and its ancestors) added, in use."""
    regions = Q(unit__isnull=True)
    if unit is not None:
        regions |= Q(unit_id__in=unit.ancestor_ids)
    return PetitionCategory._base_manager.filter(regions, active=True)


def _check_category(category: PetitionCategory, unit: OrgUnit) -> dict[str, str]:
    if category is None:
        return {"category": _("Choose the subject of the petition.")}
    if not category_choices(unit).filter(pk=category.pk).exists():
        return {"category": _("This category is not used in this unit's area.")}
    return {}


def _petitioner(*, actor, person, id_number: str, today) -> tuple[Person | None, str]:
    """The registered person the petition is from (given, or found by the ID number in
    ``actor``'s scope) and the checked ID number ("" when none was given)."""
    number = normalise_id(id_number or "")
    if number:
        try:
            number = validate_id(number, today=today)
        except ValidationError as exc:
            raise ValidationError({"id_number": exc.messages}) from exc
    if person is not None:
        require(actor, None, person)
        return person, ""
    if number:
        found = Person.objects.visible_to(actor).with_id(number).first()
        if found is not None:
            return found, ""
    return None, number


def _earlier(petition: Petition) -> tuple[Petition | None, str]:
    """The latest earlier petition by the same petitioner (the same registered person, the
    same ID number, or the same name and phone), else on the same subject (the same
    category at the same unit within REPEAT_SUBJECT_DAYS)."""
    before = (Petition._base_manager.exclude(pk=petition.pk)
              .filter(received_on__lte=petition.received_on).order_by("-received_on", "-id"))
    same = Q(pk__in=[])
    if petition.person_id is not None:
        same |= Q(person_id=petition.person_id)
        number = petition.person.id_number
        if number:
            same |= Q(id_hash=petition_id_lookup(number))
    if petition.id_hash:
        same |= Q(id_hash=petition.id_hash)
        same |= Q(person__id_hash=_person_hash(petition.id_number))
    if petition.petitioner_phone and petition.person_id is None:
        same |= Q(person__isnull=True, petitioner_name=petition.petitioner_name,
                  petitioner_phone=petition.petitioner_phone)
    found = before.filter(same).only("pk").first()
    if found is not None:
        return found, RepeatOf.PERSON
    window = petition.received_on - dt.timedelta(days=rules.REPEAT_SUBJECT_DAYS)
    found = before.filter(category_id=petition.category_id, unit_id=petition.unit_id,
                          received_on__gte=window).only("pk").first()
    if found is not None:
        return found, RepeatOf.SUBJECT
    return None, ""


def _person_hash(number: str | None) -> str | None:
    from people.models import id_lookup

    return id_lookup(number) if number else None


@transaction.atomic
def petition_register(*, actor, unit: OrgUnit, category: PetitionCategory,
                      received_on: dt.date, content: str,
                      received_how: str = ReceivedHow.VISIT, person: Person | None = None,
                      petitioner_name: str = "", petitioner_phone: str = "",
                      petitioner_address: str = "", id_number: str = "",
                      handler_name: str = "", notes: str = "", files=()) -> Petition:
    """Register a letter or a visit at ``unit``: its deadline from the category, linked to
    an earlier petition of the same petitioner or subject; ``files`` (CleanFile, name)
    attached."""
    require(actor, "ledgers.add_petition", unit)
    today = timezone.localdate()
    problems: dict[str, str] = {}
    if unit.level not in PETITION_LEVELS:
        problems["unit"] = _("Petitions are registered by a county, a township or a village.")
    if received_how not in ReceivedHow.values:
        problems["received_how"] = _("Choose how the petition was received.")
    problems.update(_check_category(category, unit))
    try:
        person, number = _petitioner(actor=actor, person=person, id_number=id_number,
                                     today=today)
    except ValidationError as exc:
        problems["id_number"] = exc.message_dict["id_number"][0]
        person, number = None, ""
    name = normalise_text(petitioner_name) or (person.name if person else "")
    phone = normalise_text(petitioner_phone) or (person.phone if person else "")
    address = normalise_text(petitioner_address) or (person.address if person else "")
    problems.update(rules.petition_problems({
        "received_on": received_on, "petitioner_name": name, "has_person": person is not None,
        "content": content, "petitioner_phone": phone,
        "category_active": category.active if category else None}, today=today))
    _errors(problems)
    petition = Petition(
        unit=unit, created_by=user_of(actor), received_how=received_how,
        received_on=received_on, person=person, petitioner_name=name[:50],
        petitioner_phone=phone[:40], petitioner_address=address[:200], category=category,
        content=content.strip(), handler_name=normalise_text(handler_name)[:50],
        notes=(notes or "").strip(),
        deadline=rules.petition_deadline(received_on, category.deadline_days))
    petition.id_number = number or None
    petition.earlier, petition.repeat_of = _earlier(petition)
    petition.save()
    _event(petition, actor=actor, from_status="")
    audit_record(actor=actor, action=Action.CREATE, obj=petition, changes=_audited(
        diff_fields({}, _snapshot(petition, (
            "unit", "received_how", "received_on", "category", "deadline", "person",
            "petitioner_name", "petitioner_phone", "content")))),
        detail={"earlier": petition.earlier_id, "repeat_of": petition.repeat_of})
    if files:
        ledger_services.attach(actor=actor, owner=petition, files=files)
    return petition


@transaction.atomic
def petition_update(*, actor, petition: Petition, expected_version: int | None = None,
                    started_from: dict | None = None, files=(), **fields) -> Petition:
    """Correct a petition's registration. The deadline follows a change of the category or
    the date received while the petition is not yet accepted; a closed or refused petition
    is no longer changed."""
    require(actor, "ledgers.change_petition", petition)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    petition = Petition.objects.select_for_update().select_related("category").get(
        pk=petition.pk)
    check_version(petition, expected_version=expected_version, started_from=started_from)
    if petition.status in (S.CLOSED, S.NOT_ACCEPTED):
        raise ValidationError(_("A closed or not accepted petition can no longer be changed."))
    today = timezone.localdate()
    tracked = ("received_how", "received_on", "category", "content", "petitioner_name",
               "petitioner_phone", "petitioner_address", "handler_name", "notes", "deadline")
    before = _snapshot(petition, tracked)
    old_id = petition.id_number or ""
    problems: dict[str, str] = {}
    for name, value in fields.items():
        if name == "id_number":
            continue
        if name in ("petitioner_name", "petitioner_phone", "petitioner_address",
                    "handler_name"):
            value = normalise_text(value)
        elif name in ("content", "notes"):
            value = (value or "").strip()
        setattr(petition, name, value)
    if "category" in fields:
        problems.update(_check_category(petition.category, petition.unit))
    if "id_number" in fields and petition.person_id is None:
        _person, number = _petitioner(actor=actor, person=None,
                                      id_number=fields["id_number"] or "", today=today)
        petition.id_number = number or None
    problems.update(rules.petition_problems({
        "received_on": petition.received_on, "petitioner_name": petition.petitioner_name,
        "has_person": petition.person_id is not None, "content": petition.content,
        "petitioner_phone": petition.petitioner_phone,
        "category_active": petition.category.active if "category" in fields else None},
        today=today))
    _errors(problems)
    if petition.status == S.REGISTERED:
        petition.deadline = rules.petition_deadline(petition.received_on,
                                                    petition.category.deadline_days)
    changes = diff_fields(before, _snapshot(petition, tracked))
    if (petition.id_number or "") != old_id:
        changes["id_number"] = [HIDDEN, HIDDEN]
    if changes:
        petition.version += 1
        petition.save()
        audit_record(actor=actor, action=Action.UPDATE, obj=petition,
                     changes=_audited(changes))
    if files:
        ledger_services.attach(actor=actor, owner=petition, files=files)
    return petition


# ---- the steps ---------------------------------------------------------------------------------

def _transition(action: str, *, actor, petition: Petition, expected_version, started_from,
                note: str = "", apply=None, **values) -> Petition:
    require(actor, "ledgers.change_petition", petition)
    petition = Petition.objects.select_for_update().select_related("category").get(
        pk=petition.pk)
    check_version(petition, expected_version=expected_version, started_from=started_from)
    today = timezone.localdate()
    note = (note or "").strip()
    _errors(rules.transition_problems(action, status=petition.status,
                                      values={**values, "note": note},
                                      received_on=petition.received_on, today=today))
    tracked = ("status", "handler", "handler_name", "not_accepted_reason", "reply",
               "replied_on", "satisfaction", "closed_on", "deadline")
    before = _snapshot(petition, tracked)
    from_status = petition.status
    petition.status = rules.PETITION_TRANSITIONS[action][1]
    if apply is not None:
        apply(petition, today)
    petition.version += 1
    petition.save()
    _event(petition, actor=actor, from_status=from_status, note=note)
    audit_record(actor=actor, action=Action.UPDATE, obj=petition, detail={"action": action},
                 changes=_audited(diff_fields(before, _snapshot(petition, tracked))))
    return petition


@transaction.atomic
def petition_accept(*, actor, petition: Petition, handler=None, handler_name: str = "",
                    note: str = "", expected_version: int | None = None,
                    started_from: dict | None = None) -> Petition:
    """Accept the petition and name who handles it (a user of its unit, or a name)."""
    if handler is not None and handler.unit_id != petition.unit_id:
        raise ValidationError({"handler": _("The handler is a user of the petition's unit.")})

    def apply(p, today):
        p.handler = handler
        p.handler_name = normalise_text(handler_name)[:50] if handler is None else ""

    return _transition("accept", actor=actor, petition=petition, note=note,
                       expected_version=expected_version, started_from=started_from,
                       apply=apply, handler=handler, handler_name=handler_name)


@transaction.atomic
def petition_refuse(*, actor, petition: Petition, reason: str,
                    expected_version: int | None = None,
                    started_from: dict | None = None) -> Petition:
    """Not accepted (不予受理), with the reason."""
    def apply(p, today):
        p.not_accepted_reason = reason.strip()
        p.closed_on = today

    return _transition("refuse", actor=actor, petition=petition, note=reason,
                       expected_version=expected_version, started_from=started_from,
                       apply=apply, reason=reason)


@transaction.atomic
def petition_start(*, actor, petition: Petition, note: str = "",
                   expected_version: int | None = None,
                   started_from: dict | None = None) -> Petition:
    """Start handling (again, after a reopening)."""
    return _transition("start", actor=actor, petition=petition, note=note,
                       expected_version=expected_version, started_from=started_from)


@transaction.atomic
def petition_reply(*, actor, petition: Petition, reply: str, replied_on: dt.date | None,
                   expected_version: int | None = None,
                   started_from: dict | None = None) -> Petition:
    """The reply given to the petitioner, and its date (kept in the event too: a reopened
    petition's later reply replaces it on the petition, not in its history)."""
    def apply(p, today):
        p.reply, p.replied_on = reply.strip(), replied_on

    return _transition("reply", actor=actor, petition=petition, note=reply,
                       expected_version=expected_version, started_from=started_from,
                       apply=apply, reply=reply, replied_on=replied_on)


@transaction.atomic
def petition_close(*, actor, petition: Petition, satisfaction: str, note: str = "",
                   expected_version: int | None = None,
                   started_from: dict | None = None) -> Petition:
    """Close a replied petition, with what the petitioner said of the reply."""
    def apply(p, today):
        p.satisfaction, p.closed_on = satisfaction, today

    return _transition("close", actor=actor, petition=petition, note=note,
                       expected_version=expected_version, started_from=started_from,
                       apply=apply, satisfaction=satisfaction)


@transaction.atomic
def petition_reopen(*, actor, petition: Petition, satisfaction: str, note: str = "",
                    expected_version: int | None = None,
                    started_from: dict | None = None) -> Petition:
    """The petitioner is not satisfied with the reply: the petition is handled again, with
    a new deadline counted from today by its category's days."""
    def apply(p, today):
        p.satisfaction = satisfaction
        p.deadline = rules.petition_deadline(today, p.category.deadline_days)

    return _transition("reopen", actor=actor, petition=petition, note=note,
                       expected_version=expected_version, started_from=started_from,
                       apply=apply, satisfaction=satisfaction)


TRANSITION_SERVICES = {"accept": petition_accept, "refuse": petition_refuse,
                       "start": petition_start, "reply": petition_reply,
                       "close": petition_close, "reopen": petition_reopen}


# ---- categories --------------------------------------------------------------------------------

def _depth(parent: PetitionCategory | None) -> int:
    depth = 0
    while parent is not None:
        depth += 1
        parent = parent.parent
    return depth


def _may_change_defaults(actor) -> bool:
    if getattr(actor, "is_system", False):
        return True
    unit = getattr(actor, "unit", None)
    return unit is not None and unit.parent_id is None


@transaction.atomic
def category_create(*, actor, unit: OrgUnit | None, name: str,
                    parent: PetitionCategory | None = None, deadline_days: int = 60,
                    active: bool = True, order: int = 100) -> PetitionCategory:
    """A category of the region ``unit`` (None: everywhere, for the province's
    administrators), optionally under ``parent``."""
    require(actor, "ledgers.add_petitioncategory", unit)
    if unit is None and not _may_change_defaults(actor):
        raise ValidationError(_("Only the province's administrators add the categories that "
                                "apply everywhere."))
    problems = rules.category_problems(name=name, deadline_days=deadline_days,
                                       parent_depth=_depth(parent))
    if parent is not None and not category_choices(unit).filter(pk=parent.pk).exists():
        problems["parent"] = _("Choose a category of your area.")
    _errors(problems)
    category = PetitionCategory.objects.create(unit=unit, parent=parent, name=name.strip(),
                                               deadline_days=deadline_days, active=active,
                                               order=order)
    audit_record(actor=actor, action=Action.CREATE, obj=category, unit=unit,
                 changes=diff_fields({}, {"name": category.name, "parent": audit_ref(parent),
                                          "deadline_days": deadline_days, "active": active}))
    return category


@transaction.atomic
def category_update(*, actor, category: PetitionCategory, expected_version: int | None = None,
                    started_from: dict | None = None, **fields) -> PetitionCategory:
    """Change a category's name, days to reply, order or whether it is in use (a change of
    the days applies to petitions registered from now on)."""
    require(actor, "ledgers.change_petitioncategory")
    if category.unit_id is not None:
        require(actor, "ledgers.change_petitioncategory", category)
    elif not _may_change_defaults(actor):
        raise ValidationError(_("Only the province's administrators change the categories "
                                "that apply everywhere; add one for your region instead."))
    allowed = ("name", "deadline_days", "active", "order")
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    category = PetitionCategory._base_manager.select_for_update().get(pk=category.pk)
    check_version(category, expected_version=expected_version, started_from=started_from)
    before = {name: getattr(category, name) for name in allowed}
    for name, value in fields.items():
        setattr(category, name, value)
    _errors(rules.category_problems(name=category.name, deadline_days=category.deadline_days,
                                    parent_depth=0))
    changes = diff_fields(before, {name: getattr(category, name) for name in allowed})
    if changes:
        category.version += 1
        category.save()
        audit_record(actor=actor, action=Action.UPDATE, obj=category, unit=category.unit,
                     changes=changes)
    return category


def default_categories() -> list[PetitionCategory]:
    """The default categories (everywhere), made when missing (the data migration makes
    them; a test database flushed between tests gets them back here)."""
    existing = {c.name: c for c in PetitionCategory._base_manager.filter(unit__isnull=True,
                                                                         parent__isnull=True)}
    made = []
    for order, name in enumerate(rules.DEFAULT_CATEGORIES, start=1):
        category = existing.get(name)
        if category is None:
            category = PetitionCategory._base_manager.create(
                name=name, order=order * 10, deadline_days=rules.DEFAULT_DEADLINE_DAYS)
        made.append(category)
    return made
