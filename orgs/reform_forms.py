"""The forms of the reform pages: they check the shape of the input and turn it into an
operation's parameters (orgs/reform_rules.py); the services check the rest."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.text import normalise_text

from . import selectors
from .forms import DateInput, UnitPickerField
from .models import Level, OperationKind

USERS_CHOICES = [("move", _("Move them to the unit that takes over")),
                 ("disable", _("Disable their accounts"))]
REFORM_LEVELS = (Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP)
BELOW_COUNTY = (Level.TOWNSHIP, Level.VILLAGE, Level.GRID)
PARENT_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)


class _UserForm(forms.Form):
    """A form whose unit pickers look in the user's scope."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            if isinstance(field, UnitPickerField):
                field.user = user


class ReformForm(_UserForm):
    unit = UnitPickerField(label=_("Reformed unit"), levels=REFORM_LEVELS)
    title = forms.CharField(label=_("Title"), max_length=200)
    document_number = forms.CharField(label=_("Document number"), max_length=60,
                                      required=False, help_text=_("e.g. 黄发〔2008〕12号"))
    effective_on = forms.DateField(label=_("Effective on"), widget=DateInput(),
                                   help_text=_("The first day of the new network."))
    note = forms.CharField(label=_("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["unit"]


def new_choices(refs) -> list[tuple[str, str]]:
    """The select of units made by earlier operations: ("new:N", "name (made by N)")."""
    return [("", "—")] + [(value, label) for value, label in refs]


class _OperationForm(_UserForm):
    """An operation's form: ``refs`` the units earlier operations make, [(ref, label)]."""

    kind = ""
    # Unit fields that may also name a unit an earlier operation makes ("<name>_new").
    with_new: tuple[str, ...] = ()

    def __init__(self, *args, refs=(), options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.options = list(options)
        for option in self.options:  # e.g. which appointments end (successors.options)
            self.fields[option.name] = forms.TypedMultipleChoiceField(
                label=option.label, choices=option.choices, coerce=int, required=False,
                widget=forms.CheckboxSelectMultiple)
        for name in self.with_new:
            label = self.fields[name].label
            self.fields[f"{name}_new"] = forms.ChoiceField(
                label=gettext("%(field)s: or a unit this reform makes") % {"field": label},
                choices=new_choices(refs), required=False)
        if not refs:
            for name in self.with_new:
                self.fields[f"{name}_new"].widget = forms.HiddenInput()
        order = [n for n in self.fields]
        for name in self.with_new:  # each select just after its picker
            order.remove(f"{name}_new")
            order.insert(order.index(name) + 1, f"{name}_new")
        self.order_fields(order)

    def ref(self, name):
        data = self.cleaned_data
        if data.get(f"{name}_new"):
            return data[f"{name}_new"]
        unit = data.get(name)
        return unit.pk if unit is not None else None

    def params(self) -> dict:
        """The operation's parameters from the cleaned data: each kind's form says them
        (this base is never a form of its own; every subclass overrides it)."""
        raise NotImplementedError

    def all_params(self) -> dict:
        return {**self.params(),
                **{o.name: self.cleaned_data.get(o.name) or [] for o in self.options}}

    @classmethod
    def initial_from(cls, params: dict, units: dict) -> dict:
        """The form's initial values for an operation's stored parameters."""
        initial = {}
        for name, value in params.items():
            if name in cls.base_fields and isinstance(cls.base_fields[name], UnitPickerField):
                if isinstance(value, str):
                    initial[f"{name}_new"] = value
                elif value in units:
                    initial[name] = units[value]
            elif name in cls.base_fields and not isinstance(value, list | dict):
                initial[name] = value
            elif name not in cls.base_fields and isinstance(value, list):
                initial[name] = value  # an option's choices (end_appointments)
        return initial


class SourcesField(forms.CharField):
    """Units one a line, each by its division code or name: cleans to the units, or
    reports every line it cannot read (its number, its text and why)."""

    widget = forms.Textarea(attrs={"rows": 6})

    def __init__(self, *, user=None, levels=None, **kwargs):
        self.user, self.levels = user, levels
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        units, errors = [], []
        for number, line in enumerate(value.splitlines(), start=1):
            text = normalise_text(line)
            if not text:
                continue
            found = selectors.unit_resolve(user=self.user, text=text, levels=self.levels)
            if len(found) == 1:
                units.append(found[0].unit)
                continue
            reason = (gettext("several units of your area have this name; give the "
                              "division code") if found
                      else gettext("no unit of your area has this code or name"))
            errors.append(ValidationError(
                gettext("Line %(line)d “%(text)s”: %(reason)s.")
                % {"line": number, "text": text, "reason": reason}))
        if errors:
            raise ValidationError(errors)
        return units


class MergeForm(_OperationForm):
    kind = OperationKind.MERGE
    with_new = ("into", "parent")

    sources = SourcesField(
        label=_("Units to merge"), levels=BELOW_COUNTY,
        help_text=_("One unit per line: its division code or name."))
    name = forms.CharField(label=_("Name of the merged unit"), max_length=100, required=False)
    code = forms.CharField(label=_("Its division code"), max_length=15, required=False)
    parent = UnitPickerField(label=_("It belongs to"), levels=PARENT_LEVELS, required=False,
                             help_text=_("Empty: the parent of the first unit."))
    into = UnitPickerField(label=_("Or merge into an existing unit"), levels=BELOW_COUNTY,
                           required=False)
    users = forms.ChoiceField(label=_("Users of the units that end"), choices=USERS_CHOICES,
                              initial="move")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sources"].user = self.user

    def params(self) -> dict:
        data = self.cleaned_data
        return {"sources": [u.pk for u in data["sources"]], "name": data["name"],
                "code": data["code"], "parent": self.ref("parent"), "into": self.ref("into"),
                "users": data["users"]}

    @classmethod
    def initial_from(cls, params, units):
        initial = super().initial_from(params, units)
        initial["sources"] = "\n".join(
            (units[s].code or units[s].name) if s in units else str(s)
            for s in params.get("sources") or [])
        return initial


class AbolishForm(_OperationForm):
    kind = OperationKind.ABOLISH
    with_new = ("children_to", "work_to")

    unit = UnitPickerField(label=_("Unit to abolish"), levels=BELOW_COUNTY)
    children_to = UnitPickerField(label=_("Its units below go to"), levels=PARENT_LEVELS,
                                  required=False, help_text=_("Empty: to its parent."))
    work_to = UnitPickerField(label=_("Its work goes to"), levels=PARENT_LEVELS,
                              required=False, help_text=_("Empty: where its units go."))
    users = forms.ChoiceField(label=_("Users of the unit"), choices=USERS_CHOICES,
                              initial="move")

    def params(self):
        return {"unit": self.cleaned_data["unit"].pk, "children_to": self.ref("children_to"),
                "work_to": self.ref("work_to"), "users": self.cleaned_data["users"]}


class MoveForm(_OperationForm):
    kind = OperationKind.MOVE
    with_new = ("parent",)

    unit = UnitPickerField(label=_("Unit to move"), levels=BELOW_COUNTY)
    parent = UnitPickerField(label=_("Its new parent"), levels=PARENT_LEVELS, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("parent") and not data.get("parent_new") and "parent" not in self.errors:
            self.add_error("parent", gettext("Choose where it goes."))
        return data

    def params(self):
        return {"unit": self.cleaned_data["unit"].pk, "parent": self.ref("parent")}


class RenameForm(_OperationForm):
    kind = OperationKind.RENAME

    unit = UnitPickerField(label=_("Unit to rename"), levels=BELOW_COUNTY)
    name = forms.CharField(label=_("New name"), max_length=100, required=False)
    code = forms.CharField(label=_("New division code"), max_length=15, required=False)

    def params(self):
        data = self.cleaned_data
        return {"unit": data["unit"].pk, "name": data["name"], "code": data["code"]}


class CreateForm(_OperationForm):
    kind = OperationKind.CREATE
    with_new = ("parent",)

    parent = UnitPickerField(label=_("It belongs to"), levels=PARENT_LEVELS, required=False)
    name = forms.CharField(label=_("Name"), max_length=100)
    code = forms.CharField(label=_("Division code"), max_length=15, required=False)
    level = forms.TypedChoiceField(
        label=_("Level"), coerce=int, required=False,
        choices=[("", _("One below its parent"))]
        + [(lv.value, lv.label) for lv in BELOW_COUNTY])

    def clean(self):
        data = super().clean()
        if not data.get("parent") and not data.get("parent_new") and "parent" not in self.errors:
            self.add_error("parent", gettext("Choose the unit it belongs to."))
        return data

    def params(self):
        data = self.cleaned_data
        return {"parent": self.ref("parent"), "name": data["name"], "code": data["code"],
                "level": data["level"] or None}


class SplitSourceForm(_UserForm):
    """A split's first step: the unit to split."""

    source = UnitPickerField(label=_("Unit to split"), levels=(Level.TOWNSHIP, Level.VILLAGE))


class SplitForm(_OperationForm):
    """A split's second step: the parts ("name code" one a line), which part each unit
    beneath goes to, and which part keeps the rest."""

    kind = OperationKind.SPLIT

    parts = forms.CharField(
        label=_("The parts"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One part per line: its name, then a space and its division code "
                    "(optional)."))
    main = forms.IntegerField(label=_("The part that keeps the rest (its number)"),
                              min_value=1, initial=1)
    users = forms.ChoiceField(label=_("Users of the unit"), choices=USERS_CHOICES,
                              initial="move")

    def __init__(self, *args, source, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.source, self.children = source, children
        for child in children:
            self.fields[f"child_{child.pk}"] = forms.IntegerField(
                label=gettext("%(unit)s goes to part") % {"unit": child.name}, min_value=1,
                required=False, help_text=gettext("Empty: the part that keeps the rest."))

    def clean_parts(self):
        parts = []
        for line in self.cleaned_data["parts"].splitlines():
            words = normalise_text(line).split()
            if not words:
                continue
            code = words[-1] if len(words) > 1 and words[-1].isdigit() else ""
            name = " ".join(words[:-1] if code else words)
            parts.append({"name": name, "code": code})
        if len(parts) < 2:
            raise ValidationError(gettext("A split makes at least two units: name them."))
        return parts

    def child_fields(self):
        return [self[f"child_{c.pk}"] for c in self.children]

    def params(self):
        data = self.cleaned_data
        return {"source": self.source.pk, "parts": data["parts"], "main": data["main"],
                "users": data["users"],
                "children": {str(c.pk): data[f"child_{c.pk}"] for c in self.children
                             if data.get(f"child_{c.pk}")}}

    @classmethod
    def initial_from(cls, params, units):
        initial = {"parts": "\n".join(f"{p.get('name', '')} {p.get('code') or ''}".strip()
                                      for p in params.get("parts") or []),
                   "main": params.get("main") or 1, "users": params.get("users") or "move"}
        for pk, part in (params.get("children") or {}).items():
            initial[f"child_{pk}"] = part
        return initial


OPERATION_FORMS = {form.kind: form for form in
                   (MergeForm, AbolishForm, MoveForm, RenameForm, CreateForm, SplitForm)}


class AbolishLevelForm(_UserForm):
    level = forms.TypedChoiceField(label=_("Level to abolish"), coerce=int,
                                   choices=[(Level.TOWNSHIP.value, Level.TOWNSHIP.label),
                                            (Level.VILLAGE.value, Level.VILLAGE.label)])
    children_to = UnitPickerField(label=_("Their units below go to"), levels=PARENT_LEVELS,
                                  required=False, help_text=_("Empty: each one's parent."))


class ConfirmForm(forms.Form):
    """A POST that only needs its one-time token (and, for a reform, its version)."""


class ApplyForm(forms.Form):
    checked = forms.BooleanField(label=_("I have checked the preview"))


class DateForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput())
