"""Filters for the annual plan's chapter of the ledger book (ledgers/book/plan.html)."""

from django import template

register = template.Library()


@register.filter
def plan_flags(plan) -> list[str]:
    """What the plan is flagged for (rules.plan_flags)."""
    from ledgers.records_selectors import plan_flags as flags

    return flags(plan).all


@register.filter
def fulfilled_count(item) -> int:
    from ledgers.records_selectors import item_state

    found = getattr(item, "fulfilled_n", None)
    return found if found is not None else int(item_state(item).fulfilled)
