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


def make_policy(*, unit, actor=SYSTEM, name="专职委员公益性岗位补贴", post_kind="liaison",
                unit_level=5, unit_kind="", kind="public_welfare", funding="county_budget",
                cycle="monthly", monthly_amount="200.00", valid_from=dt.date(2020, 1, 1),
                valid_to=None, document_number=""):
    from decimal import Decimal

    from workforce import payroll_services

    return payroll_services.policy_create(
        actor=actor, unit=unit, name=name, post_kind=post_kind, unit_level=unit_level,
        unit_kind=unit_kind, kind=kind, funding=funding, cycle=cycle,
        monthly_amount=Decimal(monthly_amount), valid_from=valid_from, valid_to=valid_to,
        document_number=document_number)


def make_confirmed_run(*, unit, actor=SYSTEM, cycle="monthly", year=2024, part=3):
    from workforce import payroll_services

    run = payroll_services.payroll_run(actor=actor, unit=unit, cycle=cycle, year=year,
                                       part=part)
    return payroll_services.payroll_confirm(actor=actor, run=run)
