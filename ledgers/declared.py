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


# ---- letters and visits 来信来访 (issue 14) ----------------------------------------------------
from .models import Petition  # noqa: E402


def _petition_shortfalls(unit, year, count):
    """The petitions still open at the end of the year past their deadline."""
    from django.utils.translation import ngettext

    from .petitions_selectors import year_open_overdue

    late = year_open_overdue([unit.pk], year).count()
    if not late:
        return []
    return [ngettext("%(n)s petition was open past its deadline at the end of the year.",
                     "%(n)s petitions were open past their deadline at the end of the year.",
                     late) % {"n": late}]


register(Ledger(key="petitions", order=60, title=_("Letters and visits registration"),
                model=Petition, date_field="received_on", list_url="ledgers:petition_list",
                chapter="ledgers/book/petitions.html", shortfalls=_petition_shortfalls,
                chapter_rows=lambda qs: qs.select_related("category").order_by(
                    "received_on", "id")))
