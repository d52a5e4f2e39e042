"""The 100-point assessment's forms: the shape of the input only; the rules are in
assessment_rules.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from orgs.models import Level

from . import assessment_measures as measures
from .choices import SCHEME_LEVELS
from .forms import ServiceModelForm
from .models import AssessmentItem, AssessmentRound, AssessmentScheme

POINTS = {"min_value": 0, "max_digits": 8, "decimal_places": 1}


class SchemeForm(ServiceModelForm):
    class Meta:
        model = AssessmentScheme
        fields = ["name", "bonus_cap", "excellent_from", "good_from", "pass_from"]


class SchemeCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80,
                           help_text=_("e.g. 乡镇残联工作目标考核"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    level = forms.TypedChoiceField(label=_("Assesses units of"), choices=SCHEME_LEVELS,
                                   coerce=int, initial=Level.TOWNSHIP)
    bonus_cap = forms.DecimalField(label=_("Bonus points at most"), initial=0, **POINTS,
                                   help_text=_("0: no bonus points above the 100."))
    excellent_from = forms.DecimalField(label=_("Excellent from"), initial=90, **POINTS)
    good_from = forms.DecimalField(label=_("Good from"), initial=80, **POINTS)
    pass_from = forms.DecimalField(label=_("Pass from"), initial=60, **POINTS)


class SchemeCopyForm(forms.Form):
    year = forms.IntegerField(label=_("For the year"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("Name"), max_length=80, required=False,
                           help_text=_("Empty: the same name."))


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Category"), max_length=60,
                           help_text=_("e.g. 组织建设"))


class SchemeItemForm(ServiceModelForm):
    measure = forms.ChoiceField(label=_("Computed from"), required=False,
                                help_text=_("Empty: scored by hand. A computed item is "
                                            "filled in from the data for the unit and the "
                                            "inspectors alike."))

    class Meta:
        model = AssessmentItem
        fields = ["text", "criteria", "max_points", "method", "measure", "target",
                  "per_miss", "bonus_max", "veto_cap", "evidence"]
        widgets = {"criteria": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [("", "—"), *measures.choices()]
        self.fields["max_points"].required = False
        self.fields["bonus_max"].required = False
        self.fields["max_points"].help_text = _("The items' maxima add up to 100; a veto "
                                                "item has 0.")
        self.fields["target"].help_text = _("Pro rata: the amount that earns the maximum.")
        self.fields["per_miss"].help_text = _("Deduction: the points lost per miss or late "
                                              "report.")
        self.fields["veto_cap"].help_text = _("Veto: the total is capped at this when a case "
                                              "is found (0 zeroes it).")


class SchemeItemAddForm(SchemeItemForm):
    category = forms.ChoiceField(label=_("Category"))

    class Meta(SchemeItemForm.Meta):
        fields = ["category", *SchemeItemForm.Meta.fields]

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(c.pk, c.name) for c in categories]
        self.order_fields(["category"])


class RoundForm(ServiceModelForm):
    class Meta:
        model = AssessmentRound
        fields = ["commend_percent", "criticise_count"]


class ScoreForm(forms.Form):
    """A value for each hand-scored item of a sheet (and, for the inspectors, a reason)."""

    def __init__(self, *args, lines, reasons: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = [ln for ln in lines if not ln.computed]
        self.reasons = reasons
        for line in self.lines:
            item = line.item
            self.fields[f"value_{item.pk}"] = forms.DecimalField(
                label=_value_label(item), **POINTS,
                initial=line.inspector_value if reasons and line.inspector_value is not None
                else line.self_value,
                help_text=item.criteria)
            if reasons:
                self.fields[f"reason_{item.pk}"] = forms.CharField(
                    label=_("Reason: %(item)s") % {"item": item.text}, max_length=300,
                    initial=line.reason)
        if reasons:
            self.fields["inspectors"] = forms.CharField(
                label=_("Inspectors"), max_length=150, required=False,
                help_text=_("Empty: your name."))

    def rows(self):
        """(line, value field, reason field or None) for the template."""
        return [(line, self[f"value_{line.item.pk}"],
                 self[f"reason_{line.item.pk}"] if self.reasons else None)
                for line in self.lines]

    def clean(self):
        data = super().clean()
        out = {name: value for name, value in data.items()
               if not name.startswith(("value_", "reason_"))}
        out["values"] = {line.item.pk: data.get(f"value_{line.item.pk}")
                         for line in self.lines}
        if self.reasons:
            out["reasons"] = {line.item.pk: data.get(f"reason_{line.item.pk}", "")
                              for line in self.lines}
        return out


def _value_label(item) -> str:
    from . import assessment_rules as rules

    if item.method == rules.DEDUCTION:
        return _("%(item)s — number of misses") % {"item": item.text}
    if item.method == rules.PRO_RATA:
        return _("%(item)s — amount reached (target %(target)s)") % {
            "item": item.text, "target": item.target}
    if item.method == rules.VETO:
        return _("%(item)s — number of cases") % {"item": item.text}
    return _("%(item)s — points (at most %(max)s)") % {"item": item.text,
                                                       "max": item.max_points}
