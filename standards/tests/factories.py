"""Data for the standards' tests, built through the apps' services."""

import datetime as dt

from core.actors import SYSTEM
from orgs import services as org_services
from standards import services
from standards.models import Standard
from workforce import services as workforce_services
from workforce.tests.factories import make_worker


def defaults(year=None):
    """The national defaults of ``year`` (this year by default), by code."""
    from django.utils import timezone

    year = year or timezone.localdate().year
    return {s.code: s for s in services.defaults_ensure(year=year)}


def profile(unit, **fields):
    return org_services.profile_update(actor=SYSTEM, unit=unit, **fields)


def officer(unit, kind="liaison", document_number="", name="李专委",
            starts_on=dt.date(2024, 1, 1)):
    worker = make_worker(unit=unit, name=name)
    return workforce_services.appoint(actor=SYSTEM, worker=worker, unit=unit, kind=kind,
                                      starts_on=starts_on, document_number=document_number)


def item_of(standard: Standard, *, indicator="", text=""):
    items = standard.items.all()
    if indicator:
        return items.get(indicator=indicator)
    return items.get(text=text)
