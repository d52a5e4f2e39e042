"""Helpers for the tests of letters and visits."""

import datetime as dt

from django.utils import timezone

from core.actors import SYSTEM
from ledgers import petitions_services as services


def categories() -> dict:
    return {c.name: c for c in services.default_categories()}


def make_petition(*, unit, actor=SYSTEM, category="康复", days_ago=3, name="马来访",
                  phone="13909435678", content="申请康复训练", **fields):
    found = categories()
    return services.petition_register(
        actor=actor, unit=unit, category=found[category] if isinstance(category, str)
        else category, received_on=timezone.localdate() - dt.timedelta(days=days_ago),
        content=content, petitioner_name=name, petitioner_phone=phone, **fields)


def walk(petition, *steps, actor=SYSTEM):
    """Take ``petition`` through ``steps`` (action names) with plain values."""
    for step in steps:
        kwargs = {}
        if step == "accept":
            kwargs = {"handler_name": "残联专干"}
        elif step == "refuse":
            kwargs = {"reason": "不属受理范围"}
        elif step == "reply":
            kwargs = {"reply": "已答复", "replied_on": timezone.localdate()}
        elif step == "close":
            kwargs = {"satisfaction": "satisfied"}
        elif step == "reopen":
            kwargs = {"satisfaction": "not_satisfied", "note": "不满意"}
        petition = services.TRANSITION_SERVICES[step](actor=actor, petition=petition,
                                                      **kwargs)
    return petition
