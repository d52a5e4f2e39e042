"""``{{ amount|yuan }}``: an amount of yuan as the funds pages show it, 9,000.00."""

from django import template

from ledgers.funds_tables import yuan as _yuan

register = template.Library()


@register.filter
def yuan(value) -> str:
    return "—" if value is None else _yuan(value)
