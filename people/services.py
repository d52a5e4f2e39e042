"""Writes to the register. Each checks scope and permission, validates, runs in one
transaction and writes its audit entry — the audit entries of a person are its versions."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action, AuditLog
from audit.services import audit_record, audit_ref, diff_fields, reseal_values
from core import crypto
from core.actors import is_system, require, user_of
from core.versions import check_version
from orgs.models import Level, OrgUnit

from . import counts, rules
from .choices import MoveKind, Status, TransferStatus
from .identity import masked_changes, validate_id
from .models import STATUS_EVENTS, JobSeeker, Need, Person, PersonEvent, Transfer, Visit
from .pinyin import search_key

PERSON_FIELDS = (
    "unit", "grid", "name", "id_number", "gender", "birth_date", "ethnicity", "phone",
    "address", "hukou", "education", "marital_status", "living", "guardian_name",
    "guardian_phone", "guardian_relation", "dibao", "tekun", "living_subsidy", "care_subsidy",
    "employment", "notes", "certificate_number", "certificate_issued_on",
    "certificate_valid_until", "category", "grade",
)
NEED_FIELDS = ("type", "detail", "registered_on", "responsible", "status", "closed_on",
               "outcome", "unmet_reason")
VISIT_FIELDS = ("visited_on", "worker_name", "mode", "findings", "next_due")
JOB_FIELDS = ("registered_on", "work_wished", "skills", "training_wanted", "ability", "status",
              "employer", "placed_on")


class DuplicatePerson(ValidationError):
    """The ID is registered already. ``person`` is set when the user may see that person;
    otherwise only ``holder`` (the unit holding them) is named, so a transfer can be asked."""

    def __init__(self, message, *, person=None, holder=None):
        super().__init__({"id_number": [message]})
        self.person = person
        self.holder = holder


def _clean(obj, errors: dict, *, exclude: list[str]) -> None:
    """Add the model's own field errors to ``errors``, and raise if there are any."""
    try:
        obj.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _update(obj, *, actor, fields: dict, allowed, check, unit, expected_version=None,
            started_from=None):
    """Change the allowed ``fields`` of ``obj`` (locked; refused when no longer at
    ``expected_version``), check it, and if anything changed save it, one version on, with
    an audit entry holding the diff."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    check_version(obj, expected_version=expected_version, started_from=started_from)
    before = _snapshot(obj, allowed)
    for name, value in fields.items():
        setattr(obj, name, value)
    check(obj)
    changes = diff_fields(before, _snapshot(obj, allowed))
    if changes:
        obj.version += 1
        obj.save()
        audit_record(actor=actor, action=Action.UPDATE, obj=obj, unit=unit, changes=changes)
    return obj


RELATIONS = ("unit", "grid")  # recorded in the audit log by id and name (audit_ref)


def _snapshot(obj, fields) -> dict:
    return {f: audit_ref(getattr(obj, f)) if f in RELATIONS else getattr(obj, f)
            for f in fields}


# The fields of a person the forms type that the register's rules read (people.rules.person;
# the status and its date change on the status page, people.rules.status_change).
RULE_FIELDS = ("id_number", "gender", "birth_date", "certificate_number", "category", "grade",
               "certificate_issued_on", "certificate_valid_until", "hukou")


def _check_person(person: Person, before: dict | None = None) -> None:
    """Everything the register requires of a person (people.rules, then the model's own
    field checks), with one message per field. ``before``: the stored values, when editing."""
    values = {name: getattr(person, name) for name in RULE_FIELDS}
    if before and before.get("id_number") and values["id_number"]:
        # Birth date and gender were read from the ID number; shown again unchanged on the
        # edit form, they were not typed, so a corrected ID number gives its own.
        if values["birth_date"] == before.get("birth_date"):
            values["birth_date"] = None
        if values["gender"] == before.get("gender"):
            values["gender"] = ""
    unit = person.unit if person.unit_id else None
    grid = person.grid if person.grid_id else None
    checked = rules.person(values, today=timezone.localdate(),
                           unit_kind=unit.kind if unit is not None else "")
    errors: dict[str, list[str]] = {name: [m] for name, m in checked.problems.items()}
    for name, message in rules.place(
            unit_level=unit.level if unit is not None else None,
            grid_level=grid.level if grid is not None else None,
            grid_parent_id=grid.parent_id if grid is not None else None,
            unit_id=person.unit_id).items():
        errors.setdefault(name, []).append(message)
    for name, value in checked.derived.items():
        if name not in errors:
            setattr(person, name, value)
    if not errors:
        person.certificate_checked()  # the number agrees with the ID, category and grade
    exclude = ["unit", "grid", "search_key", "registered_by", *errors]  # one message a field
    if person.id_number or "id_number" in errors:
        exclude += ["gender", "birth_date"]  # read from the ID, or the ID's error says it
    try:
        person.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            for message in messages:
                if message not in errors.get(name, []):
                    errors.setdefault(name, []).append(message)
    if errors:
        raise ValidationError(errors)


def _check_unique(person: Person, actor) -> None:
    # The certificate number holds the ID number: one person per ID, one per certificate.
    if person.id_number:
        holder = (
            Person.objects.select_related("unit").with_id(person.id_number)
            .exclude(pk=person.pk).first()
        )
        if holder is not None:
            visible = Person.objects.visible_to(actor).filter(
                pk=holder.pk).exists()
            if visible:
                raise DuplicatePerson(
                    _("This ID number is already registered: %(name)s in %(unit)s.")
                    % {"name": holder.name, "unit": holder.unit.name},
                    person=holder, holder=holder.unit,
                )
            raise DuplicatePerson(
                _("This ID number is already registered by %(unit)s. You can ask that unit "
                  "to transfer the person to you.") % {"unit": holder.unit.name},
                holder=holder.unit,
            )


@transaction.atomic
def person_register(*, actor, registered_on: dt.date | None = None, **fields) -> Person:
    """Register a person (with their certificate, if they have one)."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    if not fields.get("unit"):
        raise ValidationError({"unit": _("Choose the village or community.")})
    require(actor, "people.add_person", fields["unit"])
    person = Person(**fields)
    person.registered_on = registered_on or timezone.localdate()
    person.registered_by = user_of(actor)
    person.status = Status.ACTIVE
    _check_person(person)
    _check_unique(person, actor)
    person.search_key = search_key(person.name)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:  # registered at the same moment by someone else
        raise ValidationError({"id_number": _("This ID number is already registered.")}) from exc
    counts.person_registered(person)
    audit_record(actor=actor, action=Action.CREATE, obj=person,
                 changes=masked_changes(diff_fields({}, _snapshot(person, PERSON_FIELDS))))
    return person


@transaction.atomic
def person_update(*, actor, person: Person, expected_version: int | None = None,
                  started_from: dict | None = None, **fields) -> Person:
    """Change a person's details; the audit entry records every field that changed.
    Refused when someone else saved the person since ``expected_version`` (the version
    the form was opened on; ``started_from``: its values then, core.versions)."""
    require(actor, "people.change_person", person)
    unknown = set(fields) - (set(PERSON_FIELDS) - {"unit"})
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    person = (Person.objects.select_for_update(of=("self",)).select_related("unit", "grid")
              .get(pk=person.pk))
    check_version(person, expected_version=expected_version, started_from=started_from)
    before = _snapshot(person, PERSON_FIELDS)
    counted = counts.person_values(person)
    stored = {name: getattr(person, name) for name in RULE_FIELDS}
    for name, value in fields.items():
        setattr(person, name, value)
    _check_person(person, before=stored)
    _check_unique(person, actor)
    changes = diff_fields(before, _snapshot(person, PERSON_FIELDS))
    if changes:
        person.search_key = search_key(person.name)
        person.version += 1
        person.save()
        counts.person_changed(counted, person)
        audit_record(actor=actor, action=Action.UPDATE, obj=person,
                     changes=masked_changes(changes))
    return person


@transaction.atomic
def person_set_status(*, actor, person: Person, status: str, on: dt.date,
                      note: str = "") -> Person:
    """Deceased, certificate cancelled, moved out of the area, or active again. Nothing is
    deleted; the history keeps every change."""
    require(actor, "people.change_person", person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    problems = rules.status_change(status=status, on=on, note=note, current=person.status,
                                   today=timezone.localdate())
    if problems:
        raise ValidationError({name: [m] for name, m in problems.items()})
    old = person.status
    person.status, person.status_date = status, on
    person.version += 1
    person.save(update_fields=["status", "status_date", "version", "updated_at"])
    PersonEvent.objects.create(person=person, kind=STATUS_EVENTS[status], on=on,
                               unit=person.unit, note=note.strip(), by=user_of(actor))
    counts.person_status_changed(person, old, on)
    audit_record(actor=actor, action=Action.UPDATE, obj=person,
                 changes={"status": [old, status]}, detail={"on": on.isoformat(), "note": note})
    return person


def _destination(to_unit: OrgUnit) -> None:
    if to_unit.level != Level.VILLAGE or to_unit.valid_to is not None:
        raise ValidationError({"to_unit": _("Choose a village or community that exists.")})


def _carry_out(transfer: Transfer, actor) -> Person:
    person = Person.objects.select_for_update(of=("self",)).select_related("grid").get(
        pk=transfer.person_id)
    today, by = timezone.localdate(), user_of(actor)
    changes = {"unit": [audit_ref(transfer.from_unit), audit_ref(transfer.to_unit)]}
    if person.grid is not None:
        changes["grid"] = [audit_ref(person.grid), None]
    PersonEvent.objects.create(person=person, kind=PersonEvent.Kind.MOVED_OUT, on=today,
                               unit=transfer.from_unit, note=str(transfer.to_unit), by=by)
    person.unit, person.grid = transfer.to_unit, None
    person.version += 1
    person.save(update_fields=["unit", "grid", "version", "updated_at"])
    PersonEvent.objects.create(person=person, kind=PersonEvent.Kind.MOVED_IN, on=today,
                               unit=transfer.to_unit, note=str(transfer.from_unit), by=by)
    counts.person_moved(person, transfer.from_unit_id, today)
    audit_record(actor=actor, action=Action.MOVE, obj=person, unit=transfer.to_unit,
                 changes=changes, detail={"transfer": transfer.pk, "kind": transfer.kind})
    return person


@transaction.atomic
def person_move(*, actor, person: Person, to_unit: OrgUnit, kind: str = MoveKind.HUKOU,
                reason: str = "") -> Transfer:
    """Move a person the user holds to another village or community, anywhere: the
    receiving unit sees them arrive (their transfers list)."""
    require(actor, "people.change_person", person)
    if kind not in MoveKind.values:
        raise ValidationError({"kind": _("Choose why the person moves.")})
    _destination(to_unit)
    person = Person.objects.select_related("unit").get(pk=person.pk)
    if to_unit.pk == person.unit_id:
        raise ValidationError({"to_unit": _("The person is already registered there.")})
    transfer = Transfer.objects.create(
        person=person, from_unit=person.unit, to_unit=to_unit, kind=kind,
        status=TransferStatus.DONE, reason=reason.strip(), requested_by=user_of(actor),
        decided_by=user_of(actor), decided_at=timezone.now(),
    )
    _carry_out(transfer, actor)
    return transfer


@transaction.atomic
def transfer_request(*, actor, id_number: str, to_unit: OrgUnit, reason: str = "") -> Transfer:
    """Ask the unit holding the person with ``id_number`` to transfer them to ``to_unit``
    (in the actor's scope). The holder accepts or declines."""
    require(actor, "people.add_person", to_unit)
    _destination(to_unit)
    number = validate_id(id_number)
    person = Person.objects.select_related("unit").with_id(number).first()
    if person is None:
        raise ValidationError({"id_number": _("No one is registered with this ID number.")})
    if person.unit_id == to_unit.pk:
        raise ValidationError({"to_unit": _("The person is already registered there.")})
    if Transfer.objects.filter(person=person, status=TransferStatus.REQUESTED).exists():
        raise ValidationError(_("A transfer of this person has been requested already."))
    transfer = Transfer.objects.create(
        person=person, from_unit=person.unit, to_unit=to_unit, kind=MoveKind.HUKOU,
        status=TransferStatus.REQUESTED, reason=reason.strip(), requested_by=user_of(actor),
    )
    audit_record(actor=actor, action=Action.CREATE, obj=transfer, unit=to_unit,
                 object_repr=_("transfer request to %(unit)s") % {"unit": to_unit.name})
    return transfer


@transaction.atomic
def transfer_decide(*, actor, transfer: Transfer, accept: bool) -> Transfer:
    """The holding unit accepts (the person moves) or declines a requested transfer."""
    transfer = Transfer.objects.select_for_update(of=("self",)).select_related(
        "from_unit", "to_unit").get(pk=transfer.pk)
    require(actor, "people.change_person", transfer.from_unit)
    if transfer.status != TransferStatus.REQUESTED:
        raise ValidationError(_("This transfer has been decided already."))
    if Person.objects.filter(pk=transfer.person_id).values_list(
            "unit_id", flat=True).first() != transfer.from_unit_id:
        raise ValidationError(_("The person is no longer registered at the giving unit."))
    transfer.status = TransferStatus.DONE if accept else TransferStatus.DECLINED
    transfer.decided_by, transfer.decided_at = user_of(actor), timezone.now()
    transfer.save(update_fields=["status", "decided_by", "decided_at"])
    if accept:
        _carry_out(transfer, actor)
    else:
        audit_record(actor=actor, action=Action.UPDATE, obj=transfer, unit=transfer.from_unit,
                     changes={"status": [TransferStatus.REQUESTED, TransferStatus.DECLINED]})
    return transfer


def _apply_rules(obj, checked: "rules.Checked", *, exclude: list[str]) -> None:
    """Set what a rule derived, then add the model's own field errors to its problems and
    raise if there are any."""
    errors = {name: [message] for name, message in checked.problems.items()}
    for name, value in checked.derived.items():
        if name not in errors:
            setattr(obj, name, value)
    _clean(obj, errors, exclude=exclude)


def _values(obj, names) -> dict:
    return {name: getattr(obj, name) for name in names}


def _check_need(need: Need) -> None:
    _apply_rules(need, rules.need(_values(need, NEED_FIELDS), today=timezone.localdate()),
                 exclude=["person", "registered_by", "visit", "client_id"])


@transaction.atomic
def need_create(*, actor, person: Person, visit: Visit | None = None, client_id=None,
                **fields) -> Need:
    """Register a need. ``client_id``: the id a phone gave it offline (need_create_once)."""
    require(actor, "people.add_need", person)
    unknown = set(fields) - set(NEED_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    fields.setdefault("registered_on", timezone.localdate())
    need = Need(person=person, registered_by=user_of(actor), visit=visit, client_id=client_id,
                **fields)
    _check_need(need)
    need.save()
    audit_record(actor=actor, action=Action.CREATE, obj=need, unit=person.unit,
                 changes=diff_fields({}, _snapshot(need, NEED_FIELDS)))
    return need


@transaction.atomic
def need_update(*, actor, need: Need, expected_version: int | None = None,
                started_from: dict | None = None, **fields) -> Need:
    """Change a need; refused when someone else saved it since ``expected_version``."""
    need = (Need.objects.select_for_update(of=("self",)).select_related("person__unit")
            .get(pk=need.pk))
    require(actor, "people.change_need", need.person)
    return _update(need, actor=actor, fields=fields, allowed=NEED_FIELDS, check=_check_need,
                   unit=need.person.unit, expected_version=expected_version,
                   started_from=started_from)


@transaction.atomic
def visit_record(*, actor, person: Person, needs: list[dict] | tuple = (), client_id=None,
                 **fields) -> Visit:
    """Record a visit; each need discovered on it (a dict of type and detail) becomes an
    open need linked to the visit. ``client_id``: the id a phone gave it offline
    (visit_record_once)."""
    require(actor, "people.add_visit", person)
    unknown = set(fields) - set(VISIT_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    # The person is locked first, so two visits recorded at once keep the facts of the
    # later one (each refresh then reads what the other committed).
    Person.objects.select_for_update().filter(pk=person.pk).values_list("pk").first()
    visit = Visit(person=person, worker=user_of(actor), client_id=client_id, **fields)
    if not visit.worker_name and not is_system(actor):
        visit.worker_name = str(actor)
    _apply_rules(visit, rules.visit(_values(visit, VISIT_FIELDS), today=timezone.localdate()),
                 exclude=["person", "worker", "client_id"])
    visit.save()
    audit_record(actor=actor, action=Action.CREATE, obj=visit, unit=person.unit,
                 changes=diff_fields({}, _snapshot(visit, VISIT_FIELDS)))
    visit_facts_refresh(people=[person.pk])
    counts.visits_added([person.pk], Q(pk=visit.pk))
    for need in needs:
        need_create(actor=actor, person=person, visit=visit, type=need["type"],
                    detail=need.get("detail", ""), registered_on=visit.visited_on)
    return visit


def visit_facts_refresh(*, people=None) -> int:
    """Set the kept visit facts of ``people`` (ids, or a queryset of ids; everyone when
    None) from their visits: ``last_visited_on`` the latest visit's date, ``next_visit_due``
    the next visit it set (the latest by date, then by id; both empty without a visit).
    Every write of visits calls it in its own transaction, for the people it touched; one
    UPDATE, each person's latest visit read from the index ``visit_person_latest_idx``.
    Not a change to the person: their version and updated_at stay. Returns the rows set."""
    latest = Visit.objects.filter(person=OuterRef("pk")).order_by("-visited_on", "-id")
    qs = Person.objects.all() if people is None else Person.objects.filter(pk__in=people)
    return qs.update(last_visited_on=Subquery(latest.values("visited_on")[:1]),
                     next_visit_due=Subquery(latest.values("next_due")[:1]))


def _check_job(job: JobSeeker) -> None:
    _apply_rules(job, rules.jobseeker(_values(job, JOB_FIELDS), today=timezone.localdate()),
                 exclude=["person"])


@transaction.atomic
def jobseeker_register(*, actor, person: Person, **fields) -> JobSeeker:
    require(actor, "people.add_jobseeker", person)
    fields.setdefault("registered_on", timezone.localdate())
    job = JobSeeker(person=person, **fields)
    _check_job(job)
    job.save()
    audit_record(actor=actor, action=Action.CREATE, obj=job, unit=person.unit,
                 changes=diff_fields({}, _snapshot(job, JOB_FIELDS)))
    return job


@transaction.atomic
def jobseeker_update(*, actor, job: JobSeeker, expected_version: int | None = None,
                     started_from: dict | None = None, **fields) -> JobSeeker:
    """Change a job seeking; refused when someone else saved it since ``expected_version``."""
    job = (JobSeeker.objects.select_for_update(of=("self",)).select_related("person__unit")
           .get(pk=job.pk))
    require(actor, "people.change_jobseeker", job.person)
    return _update(job, actor=actor, fields=fields, allowed=JOB_FIELDS, check=_check_job,
                   unit=job.person.unit, expected_version=expected_version,
                   started_from=started_from)


def reseal_numbers(*, actor, everything: bool = False, batch_size: int = 2000) -> dict:
    """Seal the ID numbers again with the current keys (core/crypto.py): after a new field
    key is put first in CANLIAN_FIELD_KEYS (the old one kept behind it until this is done)
    or a new CANLIAN_LOOKUP_KEY is set (``everything``: the hashes are recomputed, which
    needs every number opened). The audit log's sealed numbers follow. Each batch is one
    transaction; run again after an interruption, it goes on where it stopped.
    {"people": n, "audit_entries": n}."""
    if not is_system(actor):
        raise PermissionError("resealing is a command for the operators")
    people = audit_entries = 0
    last = 0
    while True:
        with transaction.atomic():
            batch = list(Person.objects.filter(pk__gt=last, id_cipher__isnull=False)
                         .order_by("pk").only("id_cipher", "id_hash", "id_tail")[:batch_size])
            if not batch:
                break
            last = batch[-1].pk
            stale = [p for p in batch if everything or not crypto.is_current(p.id_cipher)]
            for person in stale:
                person.id_number = person.id_number  # opened with its key, sealed anew
            Person.objects.bulk_update(stale, ["id_cipher", "id_hash", "id_tail"])
            people += len(stale)
    last = 0
    while True:
        with transaction.atomic():
            batch = list(AuditLog.objects.filter(pk__gt=last).order_by("pk")
                         .only("changes")[:batch_size])
            if not batch:
                break
            last = batch[-1].pk
            renewed = []
            for entry in batch:
                changes, changed = reseal_values(entry.changes)
                if changed:
                    entry.changes = changes
                    renewed.append(entry)
            AuditLog.objects.bulk_update(renewed, ["changes"])
            audit_entries += len(renewed)
    return {"people": people, "audit_entries": audit_entries}


# --- Offline sync (issue 15: the API) -------------------------------------------------------
def _once(model, *, actor, person: Person, client_id, create):
    """(the row made with ``client_id``, True) the first time; (the row made then, False)
    each time after, nothing written again. A ``client_id`` used for another person's row,
    or for one the actor may not see, is refused."""
    def earlier():
        row = model.objects.select_related("person__unit").filter(client_id=client_id).first()
        if row is None:
            return None
        if row.person_id != person.pk or not model.objects.visible_to(actor).filter(
                pk=row.pk).exists():
            raise ValidationError({"client_id": _(
                "This client id was already used for another record.")})
        return row

    found = earlier()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:  # the same id sent twice at once: the other one made it
        found = earlier()
        if found is None:
            raise
        return found, False


@transaction.atomic
def visit_record_once(*, actor, person: Person, client_id, **fields) -> tuple[Visit, bool]:
    """visit_record for a phone that recorded the visit offline: sent again (the answer
    was lost), it is recorded once. (visit, created)."""
    require(actor, "people.add_visit", person)
    return _once(Visit, actor=actor, person=person, client_id=client_id,
                 create=lambda: visit_record(actor=actor, person=person, client_id=client_id,
                                             **fields))


@transaction.atomic
def need_create_once(*, actor, person: Person, client_id, **fields) -> tuple[Need, bool]:
    """need_create for a phone that registered the need offline: sent again, it is made
    once. (need, created)."""
    require(actor, "people.add_need", person)
    return _once(Need, actor=actor, person=person, client_id=client_id,
                 create=lambda: need_create(actor=actor, person=person, client_id=client_id,
                                            **fields))
