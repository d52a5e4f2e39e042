"""Reads of the assistance and volunteer activities, the roster and the certificates: each
starts from ``visible_to`` (core/scope.py)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from core.scope import get_visible_or_404
from people.models import Person

from .models import (
    AssistanceActivity,
    Volunteer,
    VolunteerActivity,
    VolunteerCertificate,
    VolunteerService,
)

PICK_LIMIT = 20


def assistance_list(*, user, filters=None) -> QuerySet:
    from .activities_filters import AssistanceFilterSet

    qs = (AssistanceActivity.objects.visible_to(user).select_related("unit")
          .annotate(helped=Count("people", distinct=True)))
    return AssistanceFilterSet.apply(qs, filters, user=user)


def assistance_get(*, user, pk) -> AssistanceActivity:
    return get_visible_or_404(AssistanceActivity.objects.select_related("unit", "created_by"),
                              user, pk=pk)


def people_of(entry) -> list[Person]:
    """The people an activity helped or served, with their unit (one query)."""
    return list(entry.people.select_related("unit").order_by("unit__path", "name"))


def person_pick(*, user, query: str, exclude=()) -> list[Person]:
    """At most PICK_LIMIT registered people of the user's scope that ``query`` names (a
    name, its pinyin, an ID number or its last digits): the person picker's list."""
    from people.filters import search_people

    if not (query or "").strip():
        return []
    qs = Person.objects.visible_to(user).select_related("unit")
    qs = search_people(qs, query).exclude(pk__in=list(exclude))
    return list(qs.order_by("name", "pk")[:PICK_LIMIT])


# ---- the roster -----------------------------------------------------------------------------

def volunteer_list(*, user, filters=None) -> QuerySet:
    from .activities_filters import VolunteerFilterSet

    qs = (Volunteer.objects.visible_to(user).select_related("unit")
          .annotate(total_hours=Sum("services__hours")))
    return VolunteerFilterSet.apply(qs, filters, user=user)


def volunteer_get(*, user, pk) -> Volunteer:
    return get_visible_or_404(Volunteer.objects.select_related("unit"), user, pk=pk)


def volunteer_candidates(*, user, activity=None) -> list[Volunteer]:
    """The volunteers an activity's form offers: the serving volunteers of the user's
    scope, and those already recorded at ``activity`` (even if no longer serving)."""
    qs = Volunteer.objects.visible_to(user)
    condition = Q(active=True)
    if activity is not None and activity.pk:
        condition |= Q(services__activity=activity)
    return list(qs.filter(condition).select_related("unit").distinct()
                .order_by("unit__path", "name", "pk"))


@dataclass(frozen=True)
class YearHours:
    year: int
    activities: int
    hours: Decimal


def volunteer_years(volunteer: Volunteer) -> list[YearHours]:
    """The volunteer's activities and hours per year, newest first — from their services,
    whatever unit held the activity."""
    from django.db.models.functions import ExtractYear

    rows = (VolunteerService.objects.filter(volunteer=volunteer)
            .annotate(year=ExtractYear("activity__held_on")).order_by().values("year")
            .annotate(n=Count("pk"), hours=Sum("hours")).order_by("-year"))
    return [YearHours(r["year"], r["n"], r["hours"]) for r in rows]


def volunteer_services(volunteer: Volunteer, year: int | None = None) -> QuerySet:
    qs = VolunteerService.objects.filter(volunteer=volunteer).select_related("activity__unit")
    if year is not None:
        qs = qs.filter(activity__held_on__year=year)
    return qs.order_by("-activity__held_on", "-activity_id")


def volunteer_certificates(volunteer: Volunteer) -> list[VolunteerCertificate]:
    return list(VolunteerCertificate.objects.filter(volunteer=volunteer)
                .select_related("unit").order_by("-issued_on", "-id"))


def hours_by_volunteer(*, user, year: int, filters=None) -> QuerySet:
    """The volunteers of the user's scope with their activities and hours in ``year``
    (those who served that year), most hours first."""
    from .activities_filters import VolunteerFilterSet

    in_year = Q(services__activity__held_on__year=year)
    qs = (Volunteer.objects.visible_to(user).select_related("unit")
          .annotate(year_hours=Sum("services__hours", filter=in_year),
                    year_activities=Count("services", filter=in_year))
          .filter(year_activities__gt=0).order_by("-year_hours", "name", "pk"))
    return VolunteerFilterSet.apply(qs, filters, user=user)


def certificate_get(*, user, pk) -> VolunteerCertificate:
    return get_visible_or_404(VolunteerCertificate.objects.select_related(
        "unit", "volunteer__unit"), user, pk=pk)


# ---- volunteer activities -------------------------------------------------------------------

def volunteer_activity_list(*, user, filters=None) -> QuerySet:
    from .activities_filters import VolunteerActivityFilterSet

    qs = (VolunteerActivity.objects.visible_to(user).select_related("unit")
          .annotate(served=Count("people", distinct=True),
                    came=Count("services", distinct=True)))
    return VolunteerActivityFilterSet.apply(qs, filters, user=user)


def volunteer_activity_get(*, user, pk) -> VolunteerActivity:
    return get_visible_or_404(VolunteerActivity.objects.select_related("unit", "created_by"),
                              user, pk=pk)


def activity_services(activity: VolunteerActivity) -> list[VolunteerService]:
    """Who came to ``activity`` and their hours (volunteers of any unit)."""
    return list(activity.services.select_related("volunteer__unit")
                .order_by("volunteer__name", "volunteer_id"))


def with_export_relations(queryset, *, services: bool = False):
    """A list's queryset with what its export writes (the people, the volunteers) read in
    one query per chunk."""
    people = Prefetch("people", queryset=Person.objects.only("id", "name").order_by("name"))
    qs = queryset.prefetch_related(people)
    if services:
        qs = qs.prefetch_related(Prefetch(
            "services", queryset=VolunteerService.objects.select_related("volunteer")
            .order_by("volunteer__name")))
    return qs


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)
