"""Workers and appointments for tests."""

import datetime as dt

from core.actors import SYSTEM
from people.tests.factories import make_id
from workforce import services


def make_worker(*, unit, actor=SYSTEM, name="李专委", connection="none", **fields):
    fields.setdefault("id_number", make_id(birth=fields.pop("birth", dt.date(1980, 3, 1)),
                                           male=fields.pop("male", True)))
    return services.worker_create(actor=actor, unit=unit, name=name, connection=connection,
                                  **fields)


def make_officer(*, unit, actor=SYSTEM, kind="liaison", starts_on=dt.date(2024, 1, 1),
                 term_ends_on=None, **fields):
    """A worker appointed to a post of ``kind`` at ``unit``; returns the appointment."""
    worker = make_worker(unit=unit, actor=actor, **fields)
    return services.appoint(actor=actor, worker=worker, unit=unit, kind=kind,
                            starts_on=starts_on, term_ends_on=term_ends_on)
