import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgers.forms import YearForm

from .models import WorkReportTemplate


class AsOfForm(forms.Form):
    """The day a summary table is read as of (today when not given)."""

    as_of = forms.DateField(
        label=_("As of"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The register as it stood at the end of that day, with ages on that day."),
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data, initial={"as_of": timezone.localdate()}, **kwargs)

    def clean_as_of(self):
        day = self.cleaned_data["as_of"]
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        return day

    def day(self) -> dt.date:
        """The day asked for, or today (also when what was typed is not a day)."""
        if self.is_bound and self.is_valid() and self.cleaned_data["as_of"]:
            return self.cleaned_data["as_of"]
        return timezone.localdate()


def year_asked(query) -> int | None:
    """The year of ``?year=`` (a frozen table's, or the live one as of its last day), or
    None when none or no year is asked for."""
    form = YearForm(query)
    if "year" in query and form.is_valid() and form.cleaned_data.get("year"):
        return form.cleaned_data["year"]
    return None


class WorkReportForm(forms.Form):
    """Which unit's yearly work report, of which year (a GET form: the preview's address
    says what it shows)."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False,
                                  empty_label=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)

    def __init__(self, data=None, *, units, unit, year: int, **kwargs):
        super().__init__(data, initial={"unit": unit.pk, "year": year}, **kwargs)
        self.fields["unit"].queryset = units


class WorkReportTemplateForm(forms.ModelForm):
    """A unit's template of the yearly work report; the service checks the placeholders
    and the headings (reports/workreport_rules.py)."""

    class Meta:
        model = WorkReportTemplate
        fields = ["title", "subtitle", "signature", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 30, "spellcheck": "false"})}
        help_texts = {
            "title": _("The title of the report, in 小标宋 二号. Placeholders such as "
                       "{单位名称} are filled in."),
            "subtitle": _("Under the title, e.g. ——{单位名称}{年度}年残疾人基层组织建设汇报材料."),
            "signature": _("Who signs, above the date, e.g. {单位名称}残疾人联合会."),
            "body": _("One paragraph a line. A line starting with # is a heading of the "
                      "first level (一、), ## of the second (（一）), ### of the third (1.), "
                      "#### of the fourth (（1）): the numbers are added when the report is "
                      "made. {name} stands for a figure; write {{ and }} for a brace."),
        }
