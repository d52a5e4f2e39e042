import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgers.forms import YearForm


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
