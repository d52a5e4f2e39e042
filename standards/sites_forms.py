"""The demonstration sites' forms and the rules documents': the shape of the input only; the
rules are in sites_rules.py."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgers.forms import AttachmentFields
from orgs.forms import DateInput, UnitPickerField
from orgs.models import Level

from .choices import SiteKind


class TargetsForm(forms.Form):
    """A county's targets of a year: one number per kind."""

    def __init__(self, *args, initial_numbers=None, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in SiteKind.choices:
            self.fields[kind] = forms.IntegerField(
                label=label, min_value=0, max_value=10000,
                initial=(initial_numbers or {}).get(kind))

    def clean(self):
        data = super().clean()
        return {"numbers": {kind: data[kind] for kind in SiteKind.values
                            if data.get(kind) is not None}}


class DesignateForm(forms.Form):
    unit = UnitPickerField(label=_("Township, community or village"),
                           levels=(Level.TOWNSHIP, Level.VILLAGE))
    designated_on = forms.DateField(label=_("Designated on"), widget=DateInput())
    document_number = forms.CharField(label=_("Document number"), max_length=60,
                                      help_text=_("e.g. 会残联发〔2026〕5号"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, user, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].user = user
        if unit is not None:
            self.fields["unit"].initial = unit
        self.fields["designated_on"].initial = timezone.localdate


class WithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DateInput())
    document_number = forms.CharField(label=_("Document number"), max_length=60,
                                      required=False)
    note = forms.CharField(label=_("Reason for the withdrawal"), max_length=300,
                           required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["withdrawn_on"].initial = timezone.localdate


class RulesDocumentForm(forms.Form):
    """A unit's rules of a year: the title, the day adopted, and the document itself."""

    title = forms.CharField(label=_("Title"), max_length=120,
                            help_text=_("e.g. 村残协工作制度"))
    adopted_on = forms.DateField(label=_("Adopted on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adopted_on"].initial = timezone.localdate
        self._files_form = AttachmentFields(self.data or None, self.files or None)
        for name, field in self._files_form.fields.items():
            self.fields[name] = field

    def clean(self):
        data = super().clean()
        data.pop("photo", None)
        data.pop("attachments", None)
        data["files"] = []
        if self._files_form.is_valid():
            data["files"] = self._files_form.cleaned_data["files"]
        else:
            for name, errors in self._files_form.errors.items():
                for error in errors:
                    self.add_error(name if name in self.fields else None, error)
        return data
