"""The funds ledger's list as a table (rows stack on a phone)."""

from decimal import Decimal

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from core.tables import ChoiceColumn, DateColumn, ObjectTable

from .models import FundEntry


def yuan(value) -> str:
    """An amount as the pages show it, grouped by thousands as Chinese accounts write it
    (9,000.00) whatever the language's number format (zh-hans has no separator)."""
    return f"{Decimal(value):,.2f}"


class FundEntryTable(ObjectTable):
    caption = ngettext_lazy("%(n)s funds entry", "%(n)s funds entries", "n")

    occurred_on = DateColumn(verbose_name=_("Date"), orderable=True)
    summary = tables.Column(verbose_name=pgettext_lazy("funds", "Summary"))
    unit = tables.Column(verbose_name=_("Unit"))
    kind = ChoiceColumn("kind", verbose_name=_("Kind of funds"))
    flow = ChoiceColumn("flow", verbose_name=_("Movement"))
    counterpart = tables.Column(verbose_name=_("Transferred to"))
    amount = tables.Column(verbose_name=_("Amount (yuan)"), orderable=False,
                           attrs={"td": {"class": "num"}})

    class Meta(ObjectTable.Meta):
        model = FundEntry
        fields = ()
        empty_text = _("No funds entries match.")

    def render_summary(self, record):
        if record.voided:
            return format_html('<a href="{}">{}</a> <span class="badge">{}</span>',
                               record.get_absolute_url(), record.summary, _("Voided"))
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.summary)

    def render_unit(self, record):
        return record.unit.name

    def render_counterpart(self, record):
        return record.counterpart.name if record.counterpart_id else "—"

    def render_amount(self, value):
        return yuan(value)
