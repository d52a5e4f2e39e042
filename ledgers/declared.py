"""The ledgers of the book (ledgers/registry.py), declared: the register's, kept by people,
then each of this app's. Imported once, by ledgers/apps.py."""

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from orgs.models import Level
from people.models import JobSeeker, Need, Person, Visit

from .registry import Ledger, register


def _register_at_year_end(unit_ids, year):
    """个人登记表: the unit's register as it stood at the end of the year (everyone
    registered by then, whatever became of them since)."""
    return Person._base_manager.filter(unit_id__in=list(unit_ids),
                                       registered_on__lte=dt.date(year, 12, 31))


def _link(url_name, **extra):
    def link(unit, year):
        return f"{reverse(url_name)}?{urlencode({'unit': unit.pk, **extra})}"
    return link


def _visit_link(unit, year):
    return f"{reverse('people:visit_coverage_unit', args=[unit.pk])}?year={year}"


register(Ledger(key="register", order=10, title=_("Personal registration"),
                model=Person, date_field="registered_on", entries=_register_at_year_end,
                list_url="people:person_list", link=_link("people:person_list"),
                chapter="ledgers/book/register.html",
                chapter_rows=lambda qs: qs.order_by("name", "pk"),
                levels=frozenset({Level.VILLAGE})))
register(Ledger(key="needs", order=20, title=_("Service needs registration"),
                model=Need, date_field="registered_on", unit_field="person__unit",
                list_url="people:need_list", link=_link("people:need_list", status=""),
                chapter="ledgers/book/needs.html",
                chapter_rows=lambda qs: qs.select_related("person").order_by(
                    "registered_on", "pk"),
                levels=frozenset({Level.VILLAGE})))
register(Ledger(key="jobseekers", order=50, title=_("Job seekers registration"),
                model=JobSeeker, date_field="registered_on", unit_field="person__unit",
                list_url="people:jobseeker_list", chapter="ledgers/book/jobseekers.html",
                chapter_rows=lambda qs: qs.select_related("person").order_by(
                    "registered_on", "pk"),
                levels=frozenset({Level.VILLAGE}), extra={"expected": False}))
register(Ledger(key="visits", order=90, title=_("Visit log"),
                model=Visit, date_field="visited_on", unit_field="person__unit",
                list_url="people:visit_coverage", link=_visit_link,
                chapter="ledgers/book/visits.html",
                chapter_rows=lambda qs: qs.select_related("person").order_by(
                    "visited_on", "pk"),
                levels=frozenset({Level.VILLAGE})))

# Each ledger of this app declares itself below, in its own section (orders: assistance
# activities 30, volunteer activities 40, letters and visits 60, the work record book 70,
# meetings 80, the annual plan 5).

# ---- the work record book, meetings and the annual plan (issue 14, records) -----------------
from . import records_selectors  # noqa: E402
from .models import AnnualPlan, Meeting, WorkEntry  # noqa: E402


def _plans_of_year(unit_ids, year):
    """年度工作计划: the plan made for the year (dated by its year, not by a day)."""
    return AnnualPlan._base_manager.filter(unit_id__in=list(unit_ids), year=year)


register(Ledger(key="plan", order=5, title=_("Annual plan"), model=AnnualPlan,
                date_field="year", entries=_plans_of_year, list_url="ledgers:annualplan_list",
                create_url="ledgers:annualplan_create",
                chapter="ledgers/book/plan.html",
                chapter_rows=lambda qs: qs.select_related("unit").prefetch_related(
                    records_selectors.plan_items_prefetch()),
                batch_shortfalls=records_selectors.plan_shortfalls))
register(Ledger(key="workbook", order=70, title=_("Work record book"), model=WorkEntry,
                date_field="written_on", list_url="ledgers:workentry_list",
                create_url="ledgers:workentry_create",
                chapter="ledgers/book/workbook.html",
                chapter_rows=lambda qs: qs.select_related("created_by").prefetch_related(
                    "notes").order_by("written_on", "id"),
                batch_shortfalls=records_selectors.workbook_shortfalls))
register(Ledger(key="meetings", order=80, title=_("Meetings"), model=Meeting,
                date_field="held_on", list_url="ledgers:meeting_list",
                create_url="ledgers:meeting_create",
                chapter="ledgers/book/meetings.html",
                chapter_rows=lambda qs: qs.order_by("held_on", "id"),
                shortfalls=records_selectors.meeting_shortfalls))


# ---- assistance and volunteer activities (issue 14, activities) ----------------------------

from django.db.models import Prefetch  # noqa: E402

from .models import AssistanceActivity, VolunteerActivity, VolunteerService  # noqa: E402
from .rules import influential_shortfall  # noqa: E402


def _assistance_shortfalls(units, year, counts):
    """doc3: at least one influential activity a year, for a township and a village (one
    query for any number of units)."""
    from django.db.models import Count

    influential = dict(AssistanceActivity._base_manager.filter(
        unit__in=[unit.pk for unit in units], held_on__year=year, influential=True)
        .order_by().values("unit").annotate(n=Count("pk")).values_list("unit", "n"))
    return {unit.pk: [_("No influential activity this year")]
            for unit in units if influential_shortfall(influential.get(unit.pk, 0))}


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
                list_url="ledgers:assistance_list",
                create_url="ledgers:assistance_create", chapter="ledgers/book/assistance.html",
                batch_shortfalls=_assistance_shortfalls,
                chapter_rows=_assistance_chapter_rows))
register(Ledger(key="volunteer", order=40, title=_("Volunteer activities"),
                short_title=_("Volunteers"), model=VolunteerActivity, date_field="held_on",
                list_url="ledgers:volunteer_activity_list",
                create_url="ledgers:volunteer_activity_create",
                chapter="ledgers/book/volunteer.html",
                chapter_rows=_volunteer_chapter_rows))


# ---- letters and visits 来信来访 (issue 14) ----------------------------------------------------
from .models import Petition  # noqa: E402


def _petition_shortfalls(units, year, counts):
    """The petitions still open at the end of the year past their deadline, for every unit
    at once (one query)."""
    from django.db.models import Count
    from django.utils.translation import ngettext

    from .petitions_selectors import year_open_overdue

    late = dict(year_open_overdue([u.pk for u in units], year).order_by().values("unit_id")
                .annotate(n=Count("pk")).values_list("unit_id", "n"))
    return {unit_id: [ngettext(
        "%(n)s petition was open past its deadline at the end of the year.",
        "%(n)s petitions were open past their deadline at the end of the year.", n)
        % {"n": n}] for unit_id, n in late.items() if n}


register(Ledger(key="petitions", order=60, title=_("Letters and visits registration"),
                short_title=_("Letters and visits"), model=Petition, date_field="received_on",
                list_url="ledgers:petition_list", chapter="ledgers/book/petitions.html",
                batch_shortfalls=_petition_shortfalls,
                chapter_rows=lambda qs: qs.select_related("category").order_by(
                    "received_on", "id")))
