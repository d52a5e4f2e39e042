"""Filters of the funds ledger's list, applied by ledgers/funds_selectors.py."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, NumberFilter

from core.filters import ChoiceFilter, FilterSet
from core.text import normalise_text
from orgs.filters import UnitFilter

from .funds_choices import FundFlow, FundKind
from .models import FundEntry


class FundEntryFilterSet(FilterSet):
    more_filters = ("unit", "status")
    defaults = {"status": "live"}

    q = CharFilter(label=_("Summary, party or voucher no."), method="filter_q", max_length=50)
    year = NumberFilter(label=_("Year"), field_name="year", min_value=2000, max_value=2100)
    kind = ChoiceFilter(label=_("Kind of funds"), choices=FundKind.choices)
    flow = ChoiceFilter(label=_("Movement"), choices=FundFlow.choices)
    unit = UnitFilter()
    status = ChoiceFilter(label=_("Voided entries"), method="filter_status", empty_label=None,
                          choices=[("live", _("Not voided")), ("voided", _("Voided only")),
                                   ("all", _("All"))])

    class Meta:
        model = FundEntry
        fields = []

    def filter_q(self, qs, name, value):
        text = normalise_text(value)
        return qs.filter(Q(summary__contains=text) | Q(party__contains=text)
                         | Q(voucher__contains=text))

    def filter_status(self, qs, name, value):
        if value == "live":
            return qs.filter(voided=False)
        if value == "voided":
            return qs.filter(voided=True)
        return qs
