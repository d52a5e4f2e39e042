from django import forms
from django.utils.translation import gettext_lazy as _

from .models import OrgProfile, OrgUnit
from .rules import KINDS_BY_LEVEL
from .services import PROFILE_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class UnitChoiceField(forms.ModelChoiceField):
    """A unit chosen from a list, named with its parent ("会师镇 · 东山根社区")."""

    def label_from_instance(self, obj):
        parent = obj.parent.name if obj.parent_id and obj.parent else ""
        return f"{parent} · {obj.name}" if parent else obj.name


class UnitForm(forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = ["name", "code", "kind", "population", "households", "urban_rural", "buildings",
                  "valid_from"]
        widgets = {"valid_from": DateInput(), "buildings": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        unit = self.instance
        if not unit.is_grid:
            del self.fields["buildings"]
        if unit.level not in KINDS_BY_LEVEL:
            del self.fields["kind"]

    def _post_clean(self):
        # The service validates the model (with the rules of the tree); the form only
        # checks the shape of the input here.
        pass


class ProfileForm(forms.ModelForm):
    class Meta:
        model = OrgProfile
        fields = list(PROFILE_FIELDS)
        widgets = {"established_on": DateInput()}

    def _post_clean(self):
        pass


class GridForm(forms.Form):
    name = forms.CharField(label=_("Grid name"), max_length=100)
    households = forms.IntegerField(label=_("Households"), min_value=0, required=False)
    buildings = forms.CharField(
        label=_("Buildings covered"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The buildings, streets or groups the grid covers."),
    )


class UnitSearchForm(forms.Form):
    q = forms.CharField(label=_("Find a unit by name or code"), required=False, max_length=50)


class UnitMoveForm(forms.Form):
    new_parent_code = forms.CharField(
        label=_("Division code of the new parent unit"), max_length=15,
        help_text=_("The unit and everything under it move there, e.g. a community placed "
                    "directly under the county when its street office is abolished."),
    )
