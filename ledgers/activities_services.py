"""Writes to the assistance and volunteer activities, the volunteer roster and the hours
certificates: keyword-only, checked against the rules (ledgers/rules.py), in one
transaction, with an audit entry each.

People helped or served, and volunteers who came, are taken only from the actor's scope:
naming anyone else is refused (PermissionDenied), whatever the form offered."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import audit_record, audit_ref, diff_fields
from core.actors import require, user_of
from core.versions import check_version
from orgs.models import Level, OrgUnit
from people.models import Person

from . import rules
from .models import (
    AssistanceActivity,
    Volunteer,
    VolunteerActivity,
    VolunteerCertificate,
    VolunteerService,
)
from .services import attach

ASSISTANCE_FIELDS = ("held_on", "title", "kind", "organiser", "partners", "place",
                     "participants", "money", "goods", "description", "influential")
VOLUNTEER_FIELDS = ("name", "phone", "organisation", "skills", "active")
VOLUNTEER_ACTIVITY_FIELDS = ("held_on", "title", "place", "content")
KEEPING_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)
TEXT_FIELDS = {"title", "kind", "organiser", "partners", "place", "goods", "description",
               "content", "name", "phone", "organisation", "skills"}


def _errors(problems: dict[str, str]) -> None:
    if problems:
        raise ValidationError({name: [message] for name, message in problems.items()})


def _check_unit(actor, unit: OrgUnit, permission: str) -> None:
    require(actor, permission, unit)
    if unit.level not in KEEPING_LEVELS:
        raise ValidationError({"unit": [_("Activities are kept by a county, a township or a "
                                          "village (community).")]})


def _assign(obj, fields: dict, allowed) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(obj, name, "" if value is None and name in TEXT_FIELDS else value)


def _people_in_scope(actor, people) -> list[Person]:
    """``people`` as Person rows, every one of them in the actor's scope (else refused)."""
    people = list(people or [])
    ids = {p.pk if hasattr(p, "pk") else int(p) for p in people}
    if not ids:
        return []
    found = list(Person.objects.visible_to(actor).filter(pk__in=ids).only("id", "name"))
    if len(found) != len(ids):
        raise PermissionDenied
    return found


def _set_people(actor, entry, people) -> dict | None:
    """Set ``entry.people`` to exactly ``people`` (None: leave them); the change for the
    audit entry, or None when nothing changed."""
    if people is None:
        return None
    chosen = _people_in_scope(actor, people)
    before = set(entry.people.values_list("pk", flat=True)) if entry.pk else set()
    after = {p.pk for p in chosen}
    if before == after:
        return None
    entry.people.set(after)
    names = dict(Person.objects.filter(pk__in=before | after).values_list("pk", "name"))
    return {"people": [sorted(names[pk] for pk in before), sorted(names[pk] for pk in after)]}


def _values(obj, names) -> dict:
    return {name: getattr(obj, name) for name in names}


# ---- assistance activities ------------------------------------------------------------------

def _assistance_problems(entry) -> dict[str, str]:
    return rules.activity(_values(entry, ASSISTANCE_FIELDS), today=timezone.localdate())


@transaction.atomic
def assistance_create(*, actor, unit: OrgUnit, people=(), files=(), **fields):
    """Record an assistance activity of ``unit`` with the people it helped (from the
    actor's scope) and its files."""
    _check_unit(actor, unit, "ledgers.add_assistanceactivity")
    entry = AssistanceActivity(unit=unit, created_by=user_of(actor))
    _assign(entry, fields, ASSISTANCE_FIELDS)
    _errors(_assistance_problems(entry))
    entry.save()
    changes = diff_fields({}, {"unit": audit_ref(unit), **_values(entry, ASSISTANCE_FIELDS)})
    changes.update(_set_people(actor, entry, people) or {})
    audit_record(actor=actor, action=Action.CREATE, obj=entry, changes=changes)
    if files:
        attach(actor=actor, owner=entry, files=files)
    return entry


@transaction.atomic
def assistance_update(*, actor, activity: AssistanceActivity, people=None, files=(),
                      expected_version: int | None = None, started_from: dict | None = None,
                      **fields):
    """Change an assistance activity (its unit stays); ``people`` given: exactly these."""
    require(actor, "ledgers.change_assistanceactivity", activity)
    entry = AssistanceActivity.objects.select_for_update().get(pk=activity.pk)
    check_version(entry, expected_version=expected_version, started_from=started_from)
    before = _values(entry, ASSISTANCE_FIELDS)
    _assign(entry, fields, ASSISTANCE_FIELDS)
    _errors(_assistance_problems(entry))
    changes = diff_fields(before, _values(entry, ASSISTANCE_FIELDS))
    changes.update(_set_people(actor, entry, people) or {})
    if changes:
        entry.version += 1
        entry.save()
        audit_record(actor=actor, action=Action.UPDATE, obj=entry, changes=changes)
    if files:
        attach(actor=actor, owner=entry, files=files)
    return entry


# ---- the volunteer roster -------------------------------------------------------------------

@transaction.atomic
def volunteer_create(*, actor, unit: OrgUnit, **fields) -> Volunteer:
    _check_unit(actor, unit, "ledgers.add_volunteer")
    volunteer = Volunteer(unit=unit)
    _assign(volunteer, fields, VOLUNTEER_FIELDS)
    _errors(rules.volunteer(_values(volunteer, VOLUNTEER_FIELDS)))
    volunteer.save()
    audit_record(actor=actor, action=Action.CREATE, obj=volunteer, changes=diff_fields(
        {}, {"unit": audit_ref(unit), **_values(volunteer, VOLUNTEER_FIELDS)}))
    return volunteer


@transaction.atomic
def volunteer_update(*, actor, volunteer: Volunteer, unit: OrgUnit | None = None,
                     expected_version: int | None = None, started_from: dict | None = None,
                     **fields) -> Volunteer:
    """Change a volunteer's details; ``unit``: move them to another unit of the actor's
    scope (their services, hours and certificates go with them: they are keyed by the
    volunteer, not by a unit)."""
    require(actor, "ledgers.change_volunteer", volunteer)
    volunteer = Volunteer.objects.select_for_update().select_related("unit").get(
        pk=volunteer.pk)
    check_version(volunteer, expected_version=expected_version, started_from=started_from)
    before = {"unit": audit_ref(volunteer.unit), **_values(volunteer, VOLUNTEER_FIELDS)}
    if unit is not None and unit.pk != volunteer.unit_id:
        _check_unit(actor, unit, "ledgers.change_volunteer")
        volunteer.unit = unit
    _assign(volunteer, fields, VOLUNTEER_FIELDS)
    _errors(rules.volunteer(_values(volunteer, VOLUNTEER_FIELDS)))
    changes = diff_fields(before, {"unit": audit_ref(volunteer.unit),
                                   **_values(volunteer, VOLUNTEER_FIELDS)})
    if changes:
        volunteer.version += 1
        volunteer.save()
        audit_record(actor=actor, action=Action.UPDATE, obj=volunteer, changes=changes)
    return volunteer


# ---- volunteer activities -------------------------------------------------------------------

def _set_services(actor, activity: VolunteerActivity, services) -> dict | None:
    """The volunteers who came and their hours: exactly ``services`` ({Volunteer or id:
    hours}; None: leave them). Volunteers from the actor's scope only."""
    if services is None:
        return None
    hours = {(v.pk if hasattr(v, "pk") else int(v)): Decimal(h) for v, h in services.items()}
    problems = {}
    for pk, value in hours.items():
        problem = rules.service_hours(value)
        if problem:
            problems[f"hours_{pk}"] = problem
    _errors(problems)
    if hours:
        visible = set(Volunteer.objects.visible_to(actor).filter(pk__in=list(hours))
                      .values_list("pk", flat=True))
        if set(hours) - visible:
            raise PermissionDenied
    before = dict(VolunteerService.objects.filter(activity=activity)
                  .values_list("volunteer_id", "hours"))
    if before == hours:
        return None
    VolunteerService.objects.filter(activity=activity).exclude(
        volunteer_id__in=list(hours)).delete()
    for pk, value in hours.items():
        if pk not in before:
            VolunteerService.objects.create(activity=activity, volunteer_id=pk, hours=value)
        elif before[pk] != value:
            VolunteerService.objects.filter(activity=activity, volunteer_id=pk).update(
                hours=value)
    names = dict(Volunteer.objects.filter(pk__in=set(before) | set(hours))
                 .values_list("pk", "name"))
    return {"services": [sorted(f"{names[pk]} {h}" for pk, h in before.items()),
                         sorted(f"{names[pk]} {h}" for pk, h in hours.items())]}


def _volunteer_activity_problems(entry) -> dict[str, str]:
    return rules.activity(_values(entry, VOLUNTEER_ACTIVITY_FIELDS),
                          today=timezone.localdate())


@transaction.atomic
def volunteer_activity_create(*, actor, unit: OrgUnit, people=(), services=None, files=(),
                              **fields) -> VolunteerActivity:
    """Record a volunteer activity of ``unit``: the people served, the volunteers who came
    and their hours ({volunteer: hours}), its files."""
    _check_unit(actor, unit, "ledgers.add_volunteeractivity")
    entry = VolunteerActivity(unit=unit, created_by=user_of(actor))
    _assign(entry, fields, VOLUNTEER_ACTIVITY_FIELDS)
    _errors(_volunteer_activity_problems(entry))
    entry.save()
    changes = diff_fields({}, {"unit": audit_ref(unit),
                               **_values(entry, VOLUNTEER_ACTIVITY_FIELDS)})
    changes.update(_set_people(actor, entry, people) or {})
    changes.update(_set_services(actor, entry, services or {}) or {})
    audit_record(actor=actor, action=Action.CREATE, obj=entry, changes=changes)
    if files:
        attach(actor=actor, owner=entry, files=files)
    return entry


@transaction.atomic
def volunteer_activity_update(*, actor, activity: VolunteerActivity, people=None,
                              services=None, files=(), expected_version: int | None = None,
                              started_from: dict | None = None, **fields) -> VolunteerActivity:
    require(actor, "ledgers.change_volunteeractivity", activity)
    entry = VolunteerActivity.objects.select_for_update().get(pk=activity.pk)
    check_version(entry, expected_version=expected_version, started_from=started_from)
    before = _values(entry, VOLUNTEER_ACTIVITY_FIELDS)
    _assign(entry, fields, VOLUNTEER_ACTIVITY_FIELDS)
    _errors(_volunteer_activity_problems(entry))
    changes = diff_fields(before, _values(entry, VOLUNTEER_ACTIVITY_FIELDS))
    changes.update(_set_people(actor, entry, people) or {})
    changes.update(_set_services(actor, entry, services) or {})
    if changes:
        entry.version += 1
        entry.save()
        audit_record(actor=actor, action=Action.UPDATE, obj=entry, changes=changes)
    if files:
        attach(actor=actor, owner=entry, files=files)
    return entry


# ---- hours certificates ---------------------------------------------------------------------

def services_in(volunteer: Volunteer, starts_on: dt.date, ends_on: dt.date):
    """The volunteer's services of the period, whatever unit held the activity."""
    return (VolunteerService.objects.filter(volunteer=volunteer,
                                            activity__held_on__gte=starts_on,
                                            activity__held_on__lte=ends_on)
            .select_related("activity__unit").order_by("activity__held_on", "activity_id"))


@transaction.atomic
def certificate_issue(*, actor, volunteer: Volunteer, unit: OrgUnit, starts_on: dt.date,
                      ends_on: dt.date, issued_on: dt.date | None = None
                      ) -> VolunteerCertificate:
    """Issue an hours certificate for ``volunteer``'s services between ``starts_on`` and
    ``ends_on``, from ``unit`` (in the actor's scope), numbered next in the unit's year
    (the unit's row is locked while the number is taken; the unique constraint is the
    last word). The hours and activities are kept as printed."""
    require(actor, "ledgers.add_volunteercertificate", volunteer)
    require(actor, None, unit)
    issued_on = issued_on or timezone.localdate()
    _errors(rules.certificate_period(starts_on, ends_on, today=issued_on))
    lines = [{"date": s.activity.held_on.isoformat(), "title": s.activity.title,
              "unit": s.activity.unit.name, "hours": str(s.hours)}
             for s in services_in(volunteer, starts_on, ends_on)]
    if not lines:
        raise ValidationError({"starts_on": [_("The volunteer served at no activity in this "
                                               "period: there is nothing to certify.")]})
    total = services_in(volunteer, starts_on, ends_on).aggregate(n=Sum("hours"))["n"]
    OrgUnit.objects.select_for_update().filter(pk=unit.pk).first()
    last = (VolunteerCertificate.objects.filter(unit=unit, year=issued_on.year)
            .aggregate(n=Max("sequence"))["n"] or 0)
    certificate = VolunteerCertificate(
        volunteer=volunteer, unit=unit, year=issued_on.year, sequence=last + 1,
        starts_on=starts_on, ends_on=ends_on, hours=total, activities=lines,
        issued_on=issued_on, issued_by=user_of(actor))
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError as exc:
        raise ValidationError(_("Another certificate took this number at the same moment: "
                                "issue it again.")) from exc
    audit_record(actor=actor, action=Action.CREATE, obj=certificate, changes=diff_fields(
        {}, {"volunteer": audit_ref(volunteer), "unit": audit_ref(unit),
             "number": certificate.number, "hours": total,
             "starts_on": starts_on, "ends_on": ends_on}))
    return certificate
