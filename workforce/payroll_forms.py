"""The forms of subsidies and payroll: they check the shape of the input; the services
apply the rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orgs.forms import DateInput, UnitPickerField
from orgs.models import Kind

from .choices import PayCycle, SubsidyKind
from .forms import NUMBER_ATTRS, ServiceModelForm
from .models import SubsidyPolicy

UNIT_KIND_CHOICES = [("", _("Every unit of that level")),
                     *[(k, label) for k, label in Kind.choices if k != Kind.OTHER]]


class PolicyForm(ServiceModelForm):
    unit = UnitPickerField(label=_("Region"), levels=[1, 2, 3, 4],
                           help_text=_("The policy applies to the posts everywhere beneath "
                                       "this unit (usually the county)."))
    unit_kind = forms.ChoiceField(label=_("Only units of the kind"), required=False,
                                  choices=UNIT_KIND_CHOICES,
                                  help_text=_("e.g. communities only, not villages."))

    class Meta:
        model = SubsidyPolicy
        fields = ["name", "post_kind", "unit_level", "unit_kind", "kind", "funding", "cycle",
                  "monthly_amount", "valid_from", "valid_to", "document_number"]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput(),
                   "monthly_amount": forms.NumberInput(attrs={"step": "0.01", "min": "0.01"})}

    def __init__(self, *args, user, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].user = user
        if editing:
            del self.fields["unit"]
        elif user.unit is not None:
            self.fields["unit"].initial = user.unit


PART_CHOICES = [(str(m), _("Month %(m)s") % {"m": m}) for m in range(1, 13)]
HALF_CHOICES = [("1", _("First half (January–June)")), ("2", _("Second half (July–December)"))]


class RunForm(forms.Form):
    unit = UnitPickerField(label=_("Area"), levels=[1, 2, 3, 4, 5],
                           help_text=_("Every officer of this unit and beneath it."))
    cycle = forms.ChoiceField(label=_("Policies paid"), choices=PayCycle.choices,
                              initial=PayCycle.MONTHLY)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100,
                              initial=lambda: timezone.localdate().year)
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, required=False,
                                   choices=[("", "—"), *PART_CHOICES],
                                   help_text=_("For monthly policies."))
    half = forms.TypedChoiceField(label=_("Half-year"), coerce=int, required=False,
                                  choices=[("", "—"), *HALF_CHOICES],
                                  help_text=_("For half-yearly policies."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].user = user
        if user.unit is not None:
            self.fields["unit"].initial = user.unit
        self.fields["month"].initial = str(timezone.localdate().month)

    def clean(self):
        data = super().clean()
        if data.get("cycle") == PayCycle.HALF_YEARLY:
            if not data.get("half"):
                self.add_error("half", _("Choose the first or the second half-year."))
            data["part"] = data.get("half")
        else:
            if not data.get("month"):
                self.add_error("month", _("Choose the month."))
            data["part"] = data.get("month")
        data.pop("month", None)
        data.pop("half", None)
        return data


class AdjustForm(forms.Form):
    id_number = forms.CharField(label=_("ID number of the worker"), max_length=40,
                                widget=forms.TextInput(attrs=NUMBER_ATTRS))
    subsidy_kind = forms.ChoiceField(label=_("Kind of subsidy"), choices=SubsidyKind.choices)
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=11, decimal_places=2,
                                help_text=_("Negative to take back what was paid too much."),
                                widget=forms.NumberInput(attrs={"step": "0.01"}))
    reason = forms.CharField(label=_("Reason"), max_length=200)
