from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orgs.forms import DateInput, UnitPickerField
from orgs.models import Level, OrgUnit

from .choices import (
    MoveKind,
    NeedType,
    Status,
)
from .models import JobSeeker, Need, Person, Visit
from .services import PERSON_FIELDS


def villages_for(user):
    return (OrgUnit.objects.visible_to(user).active().filter(level=Level.VILLAGE)
            .select_related("parent").order_by("path"))


class ServiceModelForm(forms.ModelForm):
    """A model form that checks only the shape of the input; the service validates the
    model with the rules of the register."""

    def _post_clean(self):
        pass


PERSON_GROUPS = [
    (_("The person"), ["unit", "grid", "name", "id_number", "gender", "birth_date", "ethnicity",
                       "hukou", "phone", "address"]),
    (_("Disability certificate"), ["certificate_number", "category", "grade",
                                   "certificate_issued_on", "certificate_valid_until"]),
    (_("Family and livelihood"), ["education", "marital_status", "living", "employment",
                                  "guardian_name", "guardian_relation", "guardian_phone",
                                  "dibao", "tekun", "living_subsidy", "care_subsidy", "notes"]),
]


class PersonForm(ServiceModelForm):
    unit = UnitPickerField(label=_("Village or community"), levels=[Level.VILLAGE])
    grid = UnitPickerField(label=_("Grid"), levels=[Level.GRID], required=False, help_text=_(
        "Type the grid's code or name; as you type, the matching grids of your area are "
        "listed."))

    # Not columns of the table (the numbers are stored encrypted; people.models): typed as
    # text, shown from the person. Spaces, dashes and full-width characters are allowed when
    # typing; the service normalises them, so the form takes more than the stored length.
    id_number = forms.CharField(
        label=_("ID number"), required=False, max_length=40,
        help_text=_("18 characters; a final x is fine. Birth date and gender are read from it."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                      "autocapitalize": "characters"}))
    certificate_number = forms.CharField(
        label=_("Certificate number"), required=False, max_length=40,
        help_text=_("20 characters: the ID number, then the category digit and the grade "
                    "digit. Leave empty if awaiting assessment."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                      "autocapitalize": "characters"}))

    class Meta:
        model = Person
        fields = [f for f in PERSON_FIELDS if f not in ("id_number", "certificate_number")]
        widgets = {
            "birth_date": DateInput(),
            "certificate_issued_on": DateInput(),
            "certificate_valid_until": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "guardian_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }
        help_texts = {
            "birth_date": _("Only for someone without an ID number yet."),
            "gender": _("Only for someone without an ID number yet."),
        }

    def __init__(self, *args, user, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("id_number", self.instance.id_number or "")
            self.initial.setdefault("certificate_number", self.instance.certificate_number or "")
        for name in ("unit", "grid"):
            self.fields[name].user = user
        for name in ("gender", "birth_date", "hukou"):
            self.fields[name].required = name == "hukou"
        if editing:
            del self.fields["unit"]
        else:
            only = list(villages_for(user)[:2])  # a village's officer: their own, filled in
            if len(only) == 1:
                self.fields["unit"].initial = only[0]

    def groups(self):
        return [(title, [self[name] for name in names if name in self.fields])
                for title, names in PERSON_GROUPS]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), required=False, max_length=200,
                           help_text=_("For a move out of the area, say where to."))


class MoveForm(forms.Form):
    to_code = forms.CharField(
        label=_("Division code of the receiving village or community"), max_length=20,
        help_text=_("12 digits, e.g. 620422101200. The receiving unit sees the person arrive."),
    )
    kind = forms.ChoiceField(label=_("Why"), choices=MoveKind.choices)
    reason = forms.CharField(label=_("Note"), required=False, max_length=200)


class TransferRequestForm(forms.Form):
    id_number = forms.CharField(label=_("ID number"), max_length=40)
    to_unit = UnitPickerField(label=_("Transfer to"), levels=[Level.VILLAGE])
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].user = user


class NeedForm(ServiceModelForm):
    class Meta:
        model = Need
        fields = ["type", "detail", "registered_on", "responsible", "status", "closed_on",
                  "outcome", "unmet_reason"]
        widgets = {"registered_on": DateInput(), "closed_on": DateInput(),
                   "detail": forms.Textarea(attrs={"rows": 3}),
                   "outcome": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, creating=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registered_on"].initial = timezone.localdate
        if creating:
            for name in ("status", "closed_on", "outcome", "unmet_reason"):
                del self.fields[name]


class VisitForm(ServiceModelForm):
    found_needs = forms.MultipleChoiceField(
        label=_("Needs found on this visit"), required=False, choices=NeedType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each one ticked becomes an open need of the person."),
    )
    found_detail = forms.CharField(label=_("About the needs found"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = Visit
        fields = ["visited_on", "worker_name", "mode", "findings", "next_due"]
        widgets = {"visited_on": DateInput(), "next_due": DateInput(),
                   "findings": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = timezone.localdate
        if user is not None:
            self.fields["worker_name"].initial = str(user)


class JobSeekerForm(ServiceModelForm):
    class Meta:
        model = JobSeeker
        fields = ["registered_on", "work_wished", "skills", "training_wanted", "ability",
                  "status", "employer", "placed_on"]
        widgets = {"registered_on": DateInput(), "placed_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registered_on"].initial = timezone.localdate


class VisitCoverageForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
