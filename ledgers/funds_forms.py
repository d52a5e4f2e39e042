"""The forms of the funds ledger: the shape of the input only (the rules are in
funds_rules.py, applied by funds_services.py). The amount is read by the same rule the
import uses, so "9000", "9,000.00" and "0.9万" are one amount everywhere."""

from django import forms
from django.utils.translation import gettext_lazy as _

from orgs.filters import FILTER_LEVELS
from orgs.forms import DateInput, UnitPickerField

from . import funds_rules as rules
from .funds_choices import FundKind
from .models import FundEntry


class FundEntryForm(forms.ModelForm):
    unit = UnitPickerField(label=_("Unit keeping the ledger"), levels=FILTER_LEVELS)
    counterpart = UnitPickerField(
        label=_("Transferred to (a unit beneath)"), levels=FILTER_LEVELS, required=False,
        help_text=_("Only for money transferred down with a task (费随事转): the unit beneath "
                    "that takes the task and the money."))
    amount = forms.CharField(label=_("Amount (yuan)"), max_length=30,
                             help_text=_("In yuan, e.g. 9000 or 9000.50; 0.9万 is read as "
                                         "9000."),
                             widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False,
                              help_text=_("Empty: the year of the date."))

    class Meta:
        model = FundEntry
        fields = ["kind", "flow", "amount", "occurred_on", "year", "counterpart", "summary",
                  "party", "voucher", "note"]
        widgets = {"occurred_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].user = user
        self.fields["counterpart"].user = user
        if self.instance.pk:
            del self.fields["unit"]
            self.initial["counterpart"] = self.instance.counterpart
        else:
            if user.unit is not None:
                self.fields["unit"].initial = user.unit
            self.order_fields(["unit"])

    def clean_amount(self):
        amount, problem = rules.parse_amount(self.cleaned_data.get("amount"))
        if problem:
            raise forms.ValidationError(problem)
        return amount

    def _post_clean(self):
        pass  # the service runs the rules


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Why is the entry voided?"), max_length=200,
                             help_text=_("E.g. entered twice, wrong amount: a voided entry "
                                         "stays in the ledger, marked, and counts nowhere."))


class TotalsForm(forms.Form):
    """The year and the kind of funds the totals show (this year, every kind by default)."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    kind = forms.ChoiceField(label=_("Kind of funds"), required=False,
                             choices=[("", _("Every kind"))] + list(FundKind.choices))
