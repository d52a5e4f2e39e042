"""The reports' part of the demo (``manage.py load_demo``, after the standards): last year's
figures of the demo county frozen — its summary tables (the county's, each township's and
village's) and the attainment of last year's national standards — so the frozen pages and
the list of frozen sets have something to show. Through the services, as on the freeze
pages (the populations that the summary table's, the overview's and the dashboard's shares
need come from the organisations' demo, ``orgs.demo.populations_fill``). Loading it twice
changes nothing."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from core import snapshots
from core.actors import SYSTEM
from core.models import Snapshot
from orgs.demo import demo_county
from orgs.models import OrgUnit
from standards import selectors as standards_selectors
from standards import services as standards_services

from . import services
from .selectors import SUMMARY_KIND

NOTE = "年度统计年报数据"


def load_reports_demo(*, county: OrgUnit, today: dt.date) -> int:
    """Freeze ``county``'s figures of the year before ``today``'s (what is not frozen yet);
    the number of frozen sets of that year in the county."""
    year = today.year - 1
    if not snapshots.frozen_units(kind=SUMMARY_KIND, year=year, units=[county]):
        services.summary_tables_freeze(actor=SYSTEM, unit=county, year=year, note=NOTE)
    kind = standards_selectors.ATTAINMENT_KIND
    if not snapshots.frozen_units(kind=kind, year=year, units=[county]):
        standards_services.defaults_ensure(year=year)
        standards_services.attainment_freeze(actor=SYSTEM, region=county, year=year, note=NOTE)
    return Snapshot.objects.within(county).filter(year=year).count()


def load() -> list[str]:
    county = demo_county()
    if county is None:
        return []
    count = load_reports_demo(county=county, today=timezone.localdate())
    lines = [gettext("Reports: %(n)s sets of last year's figures frozen.") % {"n": count}]
    from .committee_demo import load_committee_demo

    departments, members = load_committee_demo(county=county, today=timezone.localdate())
    lines.append(gettext("Work committee: %(d)s member departments; special associations: "
                         "%(m)s members.") % {"d": departments, "m": members})
    lines.append(public_demo_line())
    return lines


def public_demo_line() -> str:
    """Where the demo's public page is: the demo community's liaison officer (made by the
    workforce's demo) and 会师镇's service window (the organisations' demo), no login."""
    from orgs.demo import VILLAGE_CODE

    return gettext("Public page (no login): %(url)s; the service cards from a township's "
                   "page.") % {"url": reverse("public:unit", args=[VILLAGE_CODE])}
