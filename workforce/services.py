"""Writes to the workforce. Each checks permission and scope (core.actors.require), runs the
rules (workforce/rules.py), writes in one transaction and records its audit entry. ID and
bank account numbers are recorded sealed in the audit log and shown masked."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import audit_record, audit_ref, diff_fields, sealed_value
from core.actors import require
from core.versions import check_version
from orgs.models import OrgUnit
from people.identity import normalise_id
from people.models import Person

from . import rules
from .choices import Connection, Establishment
from .models import Appointment, Post, SelectionRule, StaffingNorm, Worker

WORKER_FIELDS = (
    "name", "id_number", "phone", "education", "political_status", "connection",
    "relation", "certificate_number", "certificate_issued_on", "certificate_valid_until",
    "bank_name", "bank_account", "notes",
)
SEALED = ("id_number", "bank_account")  # recorded sealed, shown masked
APPOINTMENT_FIELDS = ("starts_on", "term_ends_on", "document_number", "holding")


def _errors(problems: dict[str, str]) -> None:
    if problems:
        raise ValidationError({name: [message] for name, message in problems.items()})


def _snapshot(obj, fields) -> dict:
    values = {}
    for name in fields:
        value = getattr(obj, name)
        if name in ("unit", "person", "post", "worker"):
            value = audit_ref(value)
        values[name] = value
    return values


def _sealed_changes(changes: dict) -> dict:
    return {name: [sealed_value(v) for v in values] if name in SEALED else values
            for name, values in changes.items()}


DATE_FIELDS = ("certificate_issued_on", "certificate_valid_until")


def _assign(worker: Worker, fields: dict) -> None:
    """Set the typed ``fields`` on ``worker``; an empty text is "", an empty date None."""
    for name, value in fields.items():
        if value is None and name not in DATE_FIELDS:
            value = ""
        setattr(worker, name, value)


def _register_entry(actor, number: str):
    """The register entry with the ID ``number`` that ``actor`` may see, or None."""
    number = normalise_id(number or "")
    if not number:
        return None
    return Person.objects.visible_to(actor).with_id(number).first()


def _check_worker(worker: Worker, *, actor, relative_id_number: str) -> None:
    """Everything the workforce requires of a worker (rules.worker), with the register entry
    found in ``actor``'s scope: the worker's own when disabled, the relative's when a
    relative."""
    person = None
    if worker.connection == Connection.DISABLED:
        person = _register_entry(actor, worker.id_number)
    elif worker.connection == Connection.RELATIVE:
        person = _register_entry(actor, relative_id_number)
    checked = rules.worker({
        "name": worker.name, "id_number": worker.id_number, "connection": worker.connection,
        "has_person": person is not None, "relation": worker.relation,
        "certificate_number": worker.certificate_number,
        "certificate_issued_on": worker.certificate_issued_on,
        "certificate_valid_until": worker.certificate_valid_until,
    }, today=timezone.localdate())
    problems = dict(checked.problems)
    if "id_number" not in problems:
        worker.id_number = checked.derived["id_number"]
        worker.birth_date, worker.gender = checked.derived["birth_date"], \
            checked.derived["gender"]
        other = Worker.objects.with_id(worker.id_number).exclude(pk=worker.pk) \
            .select_related("unit").first()
        if other is not None:
            visible = Worker.objects.visible_to(actor).filter(pk=other.pk).exists()
            problems["id_number"] = (
                _("This worker is recorded already: %(name)s, %(unit)s.")
                % {"name": other.name, "unit": other.unit.name} if visible else
                _("This worker is recorded already by %(unit)s.") % {"unit": other.unit.name})
    worker.person = person
    if worker.connection != Connection.RELATIVE:
        worker.relation = ""
    _errors(problems)


def _save(worker: Worker) -> None:
    try:
        with transaction.atomic():
            worker.save()
    except IntegrityError as exc:  # the same ID saved at the same moment
        raise ValidationError({"id_number": _("This worker is recorded already.")}) from exc


@transaction.atomic
def worker_create(*, actor, unit: OrgUnit, relative_id_number: str = "", **fields) -> Worker:
    """Record a worker kept by ``unit``."""
    unknown = set(fields) - set(WORKER_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    require(actor, "workforce.add_worker", unit)
    worker = Worker(unit=unit)
    _assign(worker, fields)
    _check_worker(worker, actor=actor, relative_id_number=relative_id_number)
    _save(worker)
    audit_record(actor=actor, action=Action.CREATE, obj=worker, changes=_sealed_changes(
        diff_fields({}, _snapshot(worker, ("unit", *WORKER_FIELDS, "person")))))
    return worker


@transaction.atomic
def worker_update(*, actor, worker: Worker, relative_id_number: str = "",
                  expected_version: int | None = None, started_from: dict | None = None,
                  **fields) -> Worker:
    """Change a worker's details; refused when someone saved them since the form opened."""
    require(actor, "workforce.change_worker", worker)
    unknown = set(fields) - set(WORKER_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    check_version(worker, expected_version=expected_version, started_from=started_from)
    tracked = ("unit", *WORKER_FIELDS, "person")
    before = _snapshot(worker, tracked)
    if "relative_id_number" not in fields and not relative_id_number and worker.person_id \
            and worker.connection == Connection.RELATIVE:
        relative_id_number = worker.person.id_number
    _assign(worker, fields)
    _check_worker(worker, actor=actor, relative_id_number=relative_id_number)
    changes = diff_fields(before, _snapshot(worker, tracked))
    if changes:
        worker.version += 1
        _save(worker)
        audit_record(actor=actor, action=Action.UPDATE, obj=worker,
                     changes=_sealed_changes(changes))
    return worker


# ---- posts and appointments ------------------------------------------------------------------

@transaction.atomic
def post_create(*, actor, unit: OrgUnit, kind: str, title: str = "",
                establishment: str = Establishment.NONE) -> Post:
    require(actor, "workforce.add_appointment", unit)
    _errors(rules.post(kind=kind, unit_level=unit.level))
    post = Post.objects.create(unit=unit, kind=kind, title=title, establishment=establishment)
    audit_record(actor=actor, action=Action.CREATE, obj=post,
                 changes=diff_fields({}, {"unit": audit_ref(unit), "kind": kind,
                                          "title": title, "establishment": establishment}))
    return post


def _free_post(unit: OrgUnit, kind: str) -> Post | None:
    """A post of ``kind`` at ``unit`` that nobody holds now (the oldest)."""
    held = Appointment.objects.filter(post=OuterRef("pk"), ended_on__isnull=True)
    return (Post.objects.filter(unit=unit, kind=kind, valid_to__isnull=True)
            .exclude(Exists(held)).order_by("id").first())


def _check_appointment(appointment: Appointment, grids, *, today) -> None:
    post = appointment.post
    problems = rules.appointment({
        "starts_on": appointment.starts_on, "term_ends_on": appointment.term_ends_on,
        "ended_on": appointment.ended_on, "end_reason": appointment.end_reason,
        "post_open": Appointment.objects.filter(post=post, ended_on__isnull=True)
        .exclude(pk=appointment.pk).exists() and appointment.ended_on is None,
        "unit_id": post.unit_id,
        "grid_parents": [(g.parent_id, g.level) for g in grids],
    }, today=today)
    _errors(problems)


@transaction.atomic
def appoint(*, actor, worker: Worker, starts_on: dt.date, post: Post | None = None,
            unit: OrgUnit | None = None, kind: str = "", term_ends_on: dt.date | None = None,
            document_number: str = "", holding: str = "", grids=()) -> Appointment:
    """Appoint ``worker`` to ``post``, or to the free post of ``kind`` at ``unit`` (made
    when the unit has none free)."""
    require(actor, "workforce.add_appointment", worker)
    if post is None:
        if unit is None:
            raise ValidationError({"unit": _("Choose the unit.")})
        require(actor, "workforce.add_appointment", unit)
        _errors(rules.post(kind=kind, unit_level=unit.level))
        post = _free_post(unit, kind) or post_create(actor=actor, unit=unit, kind=kind)
    else:
        require(actor, "workforce.add_appointment", post)
    post = Post.objects.select_for_update().select_related("unit").get(pk=post.pk)
    appointment = Appointment(post=post, worker=worker, starts_on=starts_on,
                              term_ends_on=term_ends_on, document_number=document_number or "",
                              **({"holding": holding} if holding else {}))
    grids = list(grids)
    _check_appointment(appointment, grids, today=timezone.localdate())
    try:
        with transaction.atomic():
            appointment.save()
    except IntegrityError as exc:
        raise ValidationError({"post": _("This post is held by someone else: end that "
                                         "appointment first.")}) from exc
    appointment.grids.set(grids)
    audit_record(actor=actor, action=Action.CREATE, obj=appointment, changes=diff_fields({}, {
        "worker": audit_ref(worker), "post": audit_ref(post),
        **{name: getattr(appointment, name) for name in APPOINTMENT_FIELDS},
        "grids": [g.name for g in grids]}))
    return appointment


@transaction.atomic
def appointment_update(*, actor, appointment: Appointment, grids=None,
                       expected_version: int | None = None, started_from: dict | None = None,
                       **fields) -> Appointment:
    """Change an appointment's term, document, holding or grids (a renewal extends the
    term: the start stays)."""
    require(actor, "workforce.change_appointment", appointment)
    unknown = set(fields) - set(APPOINTMENT_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    appointment = Appointment.objects.select_for_update(of=("self",)).select_related(
        "post__unit", "worker").get(pk=appointment.pk)
    check_version(appointment, expected_version=expected_version, started_from=started_from)
    before = {name: getattr(appointment, name) for name in APPOINTMENT_FIELDS}
    before["grids"] = sorted(g.name for g in appointment.grids.all())
    for name, value in fields.items():
        setattr(appointment, name, value if value is not None or name == "term_ends_on"
                else "")
    grids = list(appointment.grids.all()) if grids is None else list(grids)
    _check_appointment(appointment, grids, today=timezone.localdate())
    after = {name: getattr(appointment, name) for name in APPOINTMENT_FIELDS}
    after["grids"] = sorted(g.name for g in grids)
    changes = diff_fields(before, after)
    if changes:
        appointment.version += 1
        appointment.save()
        appointment.grids.set(grids)
        audit_record(actor=actor, action=Action.UPDATE, obj=appointment, changes=changes)
    return appointment


@transaction.atomic
def appointment_end(*, actor, appointment: Appointment, ended_on: dt.date, reason: str,
                    note: str = "", expected_version: int | None = None,
                    started_from: dict | None = None) -> Appointment:
    """End an appointment on ``ended_on`` for ``reason``: kept, with the day and why."""
    require(actor, "workforce.change_appointment", appointment)
    appointment = Appointment.objects.select_for_update(of=("self",)).select_related(
        "post__unit", "worker").get(pk=appointment.pk)
    check_version(appointment, expected_version=expected_version, started_from=started_from)
    if appointment.ended_on is not None:
        raise ValidationError(_("This appointment has ended already."))
    _errors(rules.end(starts_on=appointment.starts_on, ended_on=ended_on, reason=reason,
                      today=timezone.localdate()))
    appointment.ended_on, appointment.end_reason, appointment.end_note = ended_on, reason, note
    appointment.version += 1
    appointment.save()
    audit_record(actor=actor, action=Action.UPDATE, obj=appointment, changes={
        "ended_on": [None, ended_on.isoformat()], "end_reason": ["", reason],
        **({"end_note": ["", note]} if note else {})})
    return appointment


# ---- norms and conditions --------------------------------------------------------------------

def ensure_default_norms() -> None:
    """The reports' staffing norms (rules.DEFAULT_NORMS) as rows, where none is set."""
    for level, kind, count, threshold in rules.DEFAULT_NORMS:
        StaffingNorm.objects.get_or_create(
            unit=None, level=level, kind=kind,
            defaults={"count": count, "extra_threshold": threshold})


@transaction.atomic
def norm_update(*, actor, norm: StaffingNorm, expected_version: int | None = None,
                started_from: dict | None = None, **fields) -> StaffingNorm:
    require(actor, "workforce.change_staffingnorm")
    if norm.unit_id is not None:
        require(actor, "workforce.change_staffingnorm", norm)
    elif not getattr(actor, "is_system", False) and actor.unit is not None \
            and actor.unit.parent_id is not None:
        raise ValidationError(_("Only the province's administrators change the norms that "
                                "apply everywhere; set one for your region instead."))
    norm = StaffingNorm.objects.select_for_update().get(pk=norm.pk)
    check_version(norm, expected_version=expected_version, started_from=started_from)
    allowed = ("count", "extra_threshold", "extra_basis", "extra_required")
    before = {name: getattr(norm, name) for name in allowed}
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(f"not editable: {name}")
        setattr(norm, name, value)
    changes = diff_fields(before, {name: getattr(norm, name) for name in allowed})
    if changes:
        norm.version += 1
        norm.save()
        audit_record(actor=actor, action=Action.UPDATE, obj=norm, unit=norm.unit,
                     changes=changes)
    return norm


@transaction.atomic
def norm_create(*, actor, unit: OrgUnit, level: int, kind: str, count: int = 1,
                extra_threshold: int | None = None, extra_basis: str = "people",
                extra_required: bool = False) -> StaffingNorm:
    """A region's own norm for ``kind`` posts at units of ``level`` beneath ``unit``."""
    require(actor, "workforce.change_staffingnorm", unit)
    if StaffingNorm.objects.filter(unit=unit, level=level, kind=kind).exists():
        raise ValidationError(_("This region has a norm for this post already: change it."))
    norm = StaffingNorm.objects.create(unit=unit, level=level, kind=kind, count=count,
                                       extra_threshold=extra_threshold,
                                       extra_basis=extra_basis, extra_required=extra_required)
    audit_record(actor=actor, action=Action.CREATE, obj=norm, unit=unit, changes=diff_fields(
        {}, {"level": level, "kind": kind, "count": count, "extra_threshold": extra_threshold,
             "extra_basis": extra_basis, "extra_required": extra_required}))
    return norm


@transaction.atomic
def selection_rule_set(*, actor, unit: OrgUnit, kind: str, max_age_at_hiring: int | None,
                       min_education: str) -> SelectionRule:
    """A county's selection conditions for ``kind`` posts (warnings, not refusals)."""
    require(actor, "workforce.change_staffingnorm", unit)
    rule, _created = SelectionRule.objects.select_for_update().get_or_create(
        unit=unit, kind=kind)
    before = {"max_age_at_hiring": rule.max_age_at_hiring, "min_education": rule.min_education}
    rule.max_age_at_hiring, rule.min_education = max_age_at_hiring, min_education or ""
    changes = diff_fields(before, {"max_age_at_hiring": rule.max_age_at_hiring,
                                   "min_education": rule.min_education})
    if changes:
        rule.version += 1
        rule.save()
        audit_record(actor=actor, action=Action.UPDATE, obj=rule, unit=unit, changes=changes)
    return rule


def reseal_numbers(*, actor, everything: bool = False, batch_size: int = 2000) -> dict:
    """The workers' ID and bank account numbers sealed again with the current keys (see
    people.services.reseal_numbers; ``manage.py reseal_numbers`` runs both). Each batch is one
    transaction; run again after an interruption, it goes on where it stopped."""
    from core import crypto
    from core.actors import is_system

    if not is_system(actor):
        raise PermissionError("resealing is a command for the operators")
    workers, last = 0, 0
    while True:
        with transaction.atomic():
            batch = list(Worker.objects.filter(pk__gt=last).order_by("pk")
                         .only("id_cipher", "id_hash", "bank_cipher")[:batch_size])
            if not batch:
                break
            last = batch[-1].pk
            stale = [w for w in batch if everything or not crypto.is_current(w.id_cipher)
                     or (w.bank_cipher and not crypto.is_current(w.bank_cipher))]
            for worker in stale:
                worker.id_number = worker.id_number  # opened with its key, sealed anew
                worker.bank_account = worker.bank_account
            Worker.objects.bulk_update(stale, ["id_cipher", "id_hash", "bank_cipher"])
            workers += len(stale)
    return {"workers": workers}


# ---- training, appraisal and awards (issue 13, second part) ---------------------------------

TRAINING_FIELDS = ("title", "level", "starts_on", "ends_on", "hours", "content", "trainer")


def _training_problems(session) -> dict[str, str]:
    return rules.training_session({
        "unit_level": session.unit.level, "level": session.level, "title": session.title,
        "starts_on": session.starts_on, "ends_on": session.ends_on, "hours": session.hours})


@transaction.atomic
def training_create(*, actor, unit: OrgUnit, **fields):
    """Record a training session organised by ``unit``."""
    from .models import TrainingSession

    unknown = set(fields) - set(TRAINING_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    require(actor, "workforce.add_trainingsession", unit)
    session = TrainingSession(unit=unit, **{k: (v if v is not None or k == "hours" else "")
                                            for k, v in fields.items()})
    _errors(_training_problems(session))
    session.save()
    audit_record(actor=actor, action=Action.CREATE, obj=session, changes=diff_fields(
        {}, {"unit": audit_ref(unit), **{k: getattr(session, k) for k in TRAINING_FIELDS}}))
    return session


@transaction.atomic
def training_update(*, actor, session, expected_version: int | None = None,
                    started_from: dict | None = None, **fields):
    """Change a session's details (its organising unit stays)."""
    from .models import TrainingSession

    require(actor, "workforce.change_trainingsession", session)
    unknown = set(fields) - set(TRAINING_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    session = TrainingSession.objects.select_for_update().select_related("unit").get(
        pk=session.pk)
    check_version(session, expected_version=expected_version, started_from=started_from)
    before = {k: getattr(session, k) for k in TRAINING_FIELDS}
    for name, value in fields.items():
        setattr(session, name, value if value is not None or name == "hours" else "")
    _errors(_training_problems(session))
    changes = diff_fields(before, {k: getattr(session, k) for k in TRAINING_FIELDS})
    if changes:
        session.version += 1
        session.save()
        audit_record(actor=actor, action=Action.UPDATE, obj=session, changes=changes)
    return session


@transaction.atomic
def attendance_set(*, actor, session, workers) -> tuple[int, int]:
    """Who attended ``session``: exactly ``workers`` (ticked from the workers of the
    organising unit's area). Returns (added, removed); a worker is never recorded twice,
    even when two people save the same session at once."""
    from .models import Attendance, TrainingSession

    require(actor, "workforce.add_attendance", session)
    session = TrainingSession.objects.select_for_update().select_related("unit").get(
        pk=session.pk)
    workers = {w.pk: w for w in workers}
    if workers:
        visible = set(Worker.objects.visible_to(actor).filter(pk__in=list(workers))
                      .values_list("pk", flat=True))
        if set(workers) - visible:
            raise PermissionDenied
    paths = dict(Worker.objects.filter(pk__in=list(workers)).values_list("pk", "unit__path"))
    _errors(rules.attendance(starts_on=session.starts_on, today=timezone.localdate(),
                             unit_path=session.unit.path,
                             worker_paths={workers[pk].name: path
                                           for pk, path in paths.items()}))
    present = set(Attendance.objects.filter(session=session)
                  .values_list("worker_id", flat=True))
    added, removed = set(workers) - present, present - set(workers)
    Attendance.objects.bulk_create([Attendance(session=session, worker_id=pk)
                                    for pk in sorted(added)], ignore_conflicts=True)
    if removed:
        Attendance.objects.filter(session=session, worker_id__in=removed).delete()
    if added or removed:
        names = dict(Worker.objects.filter(pk__in=added | removed).values_list("pk", "name"))
        audit_record(actor=actor, action=Action.UPDATE, obj=session, changes={
            "attendance": [sorted(names[pk] for pk in removed),
                           sorted(names[pk] for pk in added)]},
            detail={"added": sorted(added), "removed": sorted(removed)})
    return len(added), len(removed)


APPRAISAL_FIELDS = ("score", "grade", "comments", "decision")


@transaction.atomic
def appraisal_record(*, actor, appointment: Appointment, year: int, score, grade: str,
                     decision: str, comments: str = "", expected_version: int | None = None,
                     started_from: dict | None = None):
    """The appraisal of ``appointment`` for ``year``: made, or changed while its
    non-renewal is not confirmed."""
    from .models import Appraisal

    appraisal = Appraisal.objects.select_for_update().filter(
        appointment=appointment, year=year).first()
    require(actor, "workforce.change_appraisal" if appraisal else "workforce.add_appraisal",
            appointment)
    if appraisal is not None:
        check_version(appraisal, expected_version=expected_version, started_from=started_from)
    appointment = Appointment.objects.get(pk=appointment.pk)
    _errors(rules.appraisal({
        "year": year, "score": score, "grade": grade, "decision": decision,
        "starts_on": appointment.starts_on, "ended_on": appointment.ended_on,
        "confirmed": appraisal is not None and appraisal.confirmed_on is not None},
        today=timezone.localdate()))
    values = {"score": score, "grade": grade, "comments": comments or "",
              "decision": decision}
    if appraisal is None:
        try:
            with transaction.atomic():
                appraisal = Appraisal.objects.create(appointment=appointment, year=year,
                                                     **values)
        except IntegrityError as exc:
            raise ValidationError({"year": _("This officer has been appraised for this year "
                                             "already: open the appraisal again.")}) from exc
        audit_record(actor=actor, action=Action.CREATE, obj=appraisal,
                     changes=diff_fields({}, {"year": year, **values}))
        return appraisal
    before = {k: getattr(appraisal, k) for k in APPRAISAL_FIELDS}
    for name, value in values.items():
        setattr(appraisal, name, value)
    changes = diff_fields(before, values)
    if changes:
        appraisal.version += 1
        appraisal.save()
        audit_record(actor=actor, action=Action.UPDATE, obj=appraisal, changes=changes)
    return appraisal


@transaction.atomic
def appraisal_confirm(*, actor, appraisal, expected_version: int | None = None,
                      started_from: dict | None = None):
    """An administrator confirms the non-renewal an appraisal proposes: the appointment
    ends as not renewed (rules.non_renewal_end_day says on which day)."""
    from .choices import EndReason
    from .models import Appraisal

    require(actor, "workforce.confirm_appraisal", appraisal)
    appraisal = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
    check_version(appraisal, expected_version=expected_version, started_from=started_from)
    appointment = Appointment.objects.get(pk=appraisal.appointment_id)
    _errors(rules.non_renewal_confirmation(decision=appraisal.decision,
                                           confirmed=appraisal.confirmed_on is not None,
                                           appointment_open=appointment.ended_on is None))
    today = timezone.localdate()
    ended_on = rules.non_renewal_end_day(term_ends_on=appointment.term_ends_on,
                                         starts_on=appointment.starts_on, today=today)
    appointment_end(actor=actor, appointment=appointment, ended_on=ended_on,
                    reason=EndReason.NOT_RENEWED,
                    note=_("Appraisal of %(year)s") % {"year": appraisal.year})
    appraisal.confirmed_on = today
    appraisal.confirmed_by = None if getattr(actor, "is_system", False) else actor
    appraisal.version += 1
    appraisal.save()
    audit_record(actor=actor, action=Action.UPDATE, obj=appraisal, changes={
        "confirmed_on": [None, today.isoformat()]}, detail={"ended_on": ended_on.isoformat()})
    return appraisal


@transaction.atomic
def award_round_create(*, actor, unit: OrgUnit, year: int, title: str):
    from .models import AwardRound

    require(actor, "workforce.add_awardround", unit)
    _errors(rules.award_round(unit_level=unit.level, year=year, title=title,
                              today=timezone.localdate()))
    title = title.strip()
    if AwardRound.objects.filter(unit=unit, year=year, title=title).exists():
        raise ValidationError({"title": _("This unit holds this selection for this year "
                                          "already.")})
    award = AwardRound.objects.create(unit=unit, year=year, title=title)
    audit_record(actor=actor, action=Action.CREATE, obj=award, changes=diff_fields(
        {}, {"unit": audit_ref(unit), "year": year, "title": title}))
    return award


@transaction.atomic
def nomination_create(*, actor, award, unit: OrgUnit, worker: Worker, reason: str):
    """``unit`` nominates ``worker`` (kept in its area) in the round ``award``."""
    from .models import AwardRound, Nomination

    require(actor, "workforce.add_nomination", unit)
    require(actor, "workforce.view_worker", worker)
    award = AwardRound.objects.select_for_update().select_related("unit").get(pk=award.pk)
    worker = Worker.objects.select_related("unit").get(pk=worker.pk)
    _errors(rules.nomination(
        published=award.published_on is not None, round_path=award.unit.path,
        unit_path=unit.path, worker_path=worker.unit.path, reason=reason,
        nominated_already=Nomination.objects.filter(round=award, worker=worker).exists()))
    nomination = Nomination.objects.create(round=award, unit=unit, worker=worker,
                                           reason=reason.strip())
    audit_record(actor=actor, action=Action.CREATE, obj=nomination, changes=diff_fields(
        {}, {"round": audit_ref(award), "worker": audit_ref(worker), "reason": reason}))
    return nomination


@transaction.atomic
def nominations_decide(*, actor, award, decisions: dict) -> int:
    """The organiser's decision on each nomination: {nomination id: "selected",
    "not_selected" or ""}. Returns how many changed."""
    from .choices import NominationDecision
    from .models import AwardRound, Nomination

    require(actor, "workforce.change_awardround", award)
    award = AwardRound.objects.select_for_update().get(pk=award.pk)
    if award.published_on is not None:
        raise ValidationError(_("The list is published: the decisions are final."))
    changed = []
    by_pk = {n.pk: n for n in award.nominations.select_related("worker")}
    for pk, decision in decisions.items():
        nomination = by_pk.get(pk)
        if nomination is None or decision not in NominationDecision.values:
            raise ValidationError(_("Unknown nomination or decision."))
        if nomination.decision != decision:
            changed.append((nomination, nomination.decision))
            nomination.decision = decision
    if changed:
        Nomination.objects.bulk_update([n for n, _was in changed], ["decision"])
        award.version += 1
        award.save(update_fields=["version"])
        audit_record(actor=actor, action=Action.UPDATE, obj=award, changes={
            n.worker.name: [was, n.decision] for n, was in changed})
    return len(changed)


@transaction.atomic
def award_publish(*, actor, award):
    """Publish the list of those selected: then anyone in the area may read it, and the
    decisions are final."""
    from .choices import NominationDecision
    from .models import AwardRound

    require(actor, "workforce.change_awardround", award)
    award = AwardRound.objects.select_for_update().get(pk=award.pk)
    decisions = list(award.nominations.values_list("decision", flat=True))
    _errors(rules.award_publication(
        published=award.published_on is not None,
        undecided=decisions.count(NominationDecision.PENDING),
        selected=decisions.count(NominationDecision.SELECTED)))
    award.published_on = timezone.localdate()
    award.version += 1
    award.save()
    audit_record(actor=actor, action=Action.UPDATE, obj=award,
                 changes={"published_on": [None, award.published_on.isoformat()]})
    return award
