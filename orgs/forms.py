from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from core.text import normalise_text

from . import selectors
from .models import OrgProfile, OrgUnit
from .rules import KINDS_BY_LEVEL
from .services import PROFILE_FIELDS
from .widgets import UnitPickerWidget


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


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


class UnitPickerField(forms.Field):
    """A unit of the user's scope, found by what is typed: its division code, its whole
    name, or the label the picker's list fills in — or chosen from that list (the id in the
    hidden input, taken when the text still names it). Cleans to an OrgUnit. A unit outside
    the scope, abolished or of another level is found by nothing, so it is refused like a
    unit that does not exist. Set ``user`` (the form's user) before the form is cleaned."""

    widget = UnitPickerWidget
    default_error_messages = {
        "required": _("Type the unit's division code or its name."),
    }

    def __init__(self, *, levels=None, user=None, **kwargs):
        self.levels = tuple(levels) if levels is not None else None
        self.user = user
        kwargs.setdefault("help_text", _(
            "Type the division code, or the name; as you type, the matching units of your "
            "area are listed."))
        super().__init__(**kwargs)
        self.widget.levels = self.levels

    def prepare_value(self, value):
        """(pk, text) for the widget: bound data as it came, an initial unit as its label."""
        if isinstance(value, tuple | list):
            return value
        if isinstance(value, OrgUnit):
            return (value.pk, selectors.unit_choice_label(value))
        if value not in (None, "") and self.user is not None:
            choice = selectors.unit_choice_get(user=self.user, pk=value, levels=self.levels)
            if choice is not None:
                return (choice.pk, choice.label)
        return ("", "")

    def to_python(self, value):
        if isinstance(value, OrgUnit) or value in (None, ""):
            return value or None
        pk, text = value if isinstance(value, tuple | list) else (value, "")
        text = str(text).strip()
        if not str(pk).strip() and not text:
            return None
        if str(pk).strip():
            chosen = selectors.unit_choice_get(user=self.user, pk=pk, levels=self.levels)
            # The id is what the list chose; it stands while the text still says that unit
            # (or says nothing). Typed over, the text decides.
            said = normalise_text(text)
            if chosen is not None and said in ("", normalise_text(chosen.label),
                                               chosen.unit.name, chosen.unit.code):
                return chosen.unit
            if not text:
                raise ValidationError(self._none(""), code="invalid_choice")
        found = selectors.unit_resolve(user=self.user, text=text, levels=self.levels)
        if len(found) == 1:
            return found[0].unit
        if found:
            raise ValidationError(
                gettext("Several units of your area are called “%(text)s”: %(units)s. "
                            "Type the division code of the one you mean.")
                % {"text": text, "units": _listing(found)}, code="ambiguous")
        raise ValidationError(self._none(text), code="invalid_choice")

    def _none(self, text: str) -> str:
        if not text:
            return gettext("That unit is not in your area. Type its division code or name.")
        if text.isascii() and text.isdigit():
            return gettext("No unit of your area has the division code %(code)s.") % {
                "code": text}
        near = selectors.unit_pick(user=self.user, query=text, levels=self.levels, limit=5)
        if near:
            return gettext("No unit of your area is called exactly “%(text)s”. Did you "
                               "mean: %(units)s? Type its division code.") % {
                "text": text, "units": _listing(near)}
        return gettext("No unit of your area is called “%(text)s”. Type its division "
                           "code or its whole name.") % {"text": text}


def _listing(choices) -> str:
    def one(choice):
        where = f"，{choice.parent_name}" if choice.parent_name else ""
        return f"{choice.unit.name}（{choice.unit.code or '—'}{where}）"

    # Chinese enumerates with 、; the units' names and brackets are Chinese in any language.
    separator = "、" if (get_language() or "").startswith("zh") else ", "
    return separator.join(one(c) for c in choices)
