"""The forms of the work committee, its member departments and the special associations:
the shape of the input only (orgs/committee_services.py applies the rules)."""

from django import forms

from .forms import DateInput
from .models import CommitteeDepartment, SpecialAssociation, WorkCommittee


class _ServiceModelForm(forms.ModelForm):
    def _post_clean(self):
        pass  # the service runs the rules and full_clean


class CommitteeForm(_ServiceModelForm):
    class Meta:
        model = WorkCommittee
        fields = ["name", "chair_name", "chair_post", "vice_chairs", "established_on",
                  "document_number", "office", "note"]
        widgets = {"established_on": DateInput(), "vice_chairs": forms.Textarea(attrs={"rows": 4}),
                   "note": forms.Textarea(attrs={"rows": 3})}


class DepartmentForm(_ServiceModelForm):
    class Meta:
        model = CommitteeDepartment
        fields = ["name", "duties", "contact_person", "phone", "order"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 4}),
                   "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"})}


class AssociationForm(_ServiceModelForm):
    class Meta:
        model = SpecialAssociation
        fields = ["chair_name", "established_on", "phone", "note"]
        widgets = {"established_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3}),
                   "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"})}
