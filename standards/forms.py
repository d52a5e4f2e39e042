"""The standards' forms: the shape of the input only; the rules are in rules.py."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgers.forms import AttachmentFields
from orgs.forms import DateInput, UnitPickerField
from orgs.models import Level

from . import indicators
from .choices import ItemKind
from .models import Standard, StandardItem


class ServiceModelForm(forms.ModelForm):
    def _post_clean(self):
        pass  # the service validates


class StandardForm(ServiceModelForm):
    class Meta:
        model = Standard
        fields = ["name"]


class CopyForm(forms.Form):
    year = forms.IntegerField(label=_("For the year"), min_value=2000, max_value=2100)
    region = UnitPickerField(label=_("Published by"),
                             levels=(Level.PROVINCE, Level.CITY, Level.COUNTY))
    name = forms.CharField(label=_("Name"), max_length=60, required=False,
                           help_text=_("Empty: the same name, e.g. 九有."))

    def __init__(self, *args, user, standard, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].user = user
        self.fields["region"].initial = user.unit
        self.fields["year"].initial = standard.year + 1


class ItemForm(ServiceModelForm):
    indicator = forms.ChoiceField(label=_("Indicator"), required=False,
                                  help_text=_("For a computed item: the check it is "
                                              "computed by."))

    class Meta:
        model = StandardItem
        fields = ["order", "text", "kind", "indicator"]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", "—"), *indicators.choices()]
        self.fields["kind"].choices = ItemKind.choices
        if "order" in self.fields:
            self.fields["order"].min_value = 1


class ItemAddForm(ItemForm):
    class Meta(ItemForm.Meta):
        fields = ["text", "kind", "indicator"]


class ConfirmForm(forms.Form):
    """A confirmation: the day, a note, and the photos or documents it rests on."""

    confirmed_on = forms.DateField(label=_("Confirmed on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=300, required=False,
                           help_text=_("e.g. 牌子悬挂于村委会门口"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirmed_on"].initial = timezone.localdate
        self._files_form = AttachmentFields(self.data or None, self.files or None)
        for name, field in self._files_form.fields.items():
            self.fields[name] = field

    def clean(self):
        data = super().clean()
        data.pop("photo", None)
        data.pop("attachments", None)
        if self._files_form.is_valid():
            data["files"] = self._files_form.cleaned_data["files"]
        else:
            for name, errors in self._files_form.errors.items():
                for error in errors:
                    self.add_error(name if name in self.fields else None, error)
        return data
