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
