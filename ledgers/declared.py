"""The ledgers of the book (ledgers/registry.py), declared: the register's, kept by people,
then each of this app's. Imported once, by ledgers/apps.py."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from people.models import JobSeeker, Need, Person, Visit

from .registry import Ledger, register


def _register_at_year_end(unit_ids, year):
    """个人登记表: the unit's register as it stood at the end of the year (everyone
    registered by then, whatever became of them since)."""
    return Person._base_manager.filter(unit_id__in=list(unit_ids),
                                       registered_on__lte=dt.date(year, 12, 31))


register(Ledger(key="register", order=10, title=_("Personal registration"),
                model=Person, date_field="registered_on", entries=_register_at_year_end,
                list_url="people:person_list"))
register(Ledger(key="needs", order=20, title=_("Service needs registration"),
                model=Need, date_field="registered_on", unit_field="person__unit",
                list_url="people:need_list"))
register(Ledger(key="jobseekers", order=50, title=_("Job seekers registration"),
                model=JobSeeker, date_field="registered_on", unit_field="person__unit",
                list_url="people:jobseeker_list"))
register(Ledger(key="visits", order=90, title=_("Visit log"),
                model=Visit, date_field="visited_on", unit_field="person__unit",
                list_url="people:visit_coverage"))

# Each ledger of this app declares itself below, in its own section (orders: assistance
# activities 30, volunteer activities 40, letters and visits 60, the work record book 70,
# meetings 80, the annual plan 5).


# ---- assistance and volunteer activities (issue 14, activities) ----------------------------

from django.db.models import Prefetch  # noqa: E402

from .models import AssistanceActivity, VolunteerActivity, VolunteerService  # noqa: E402
from .rules import influential_shortfall  # noqa: E402


def _assistance_shortfalls(unit, year, count):
    """doc3: at least one influential activity a year, for a township and a village."""
    influential = AssistanceActivity._base_manager.filter(
        unit=unit, held_on__year=year, influential=True).count()
    if influential_shortfall(influential):
        return [_("No influential activity this year")]
    return []


def _assistance_chapter_rows(queryset):
    return queryset.select_related("unit").prefetch_related(
        Prefetch("people", queryset=Person._base_manager.only("id", "name").order_by("name"))
    ).order_by("held_on", "id")


def _volunteer_chapter_rows(queryset):
    return queryset.select_related("unit").prefetch_related(
        Prefetch("people", queryset=Person._base_manager.only("id", "name").order_by("name")),
        Prefetch("services", queryset=VolunteerService._base_manager.select_related(
            "volunteer").order_by("volunteer__name"))).order_by("held_on", "id")


register(Ledger(key="assistance", order=30, title=_("Assistance activities"),
                short_title=_("Assistance"), model=AssistanceActivity, date_field="held_on",
                list_url="ledgers:assistance_list", chapter="ledgers/book/assistance.html",
                shortfalls=_assistance_shortfalls, chapter_rows=_assistance_chapter_rows))
register(Ledger(key="volunteer", order=40, title=_("Volunteer activities"),
                short_title=_("Volunteers"), model=VolunteerActivity, date_field="held_on",
                list_url="ledgers:volunteer_activity_list", chapter="ledgers/book/volunteer.html",
                chapter_rows=_volunteer_chapter_rows))
