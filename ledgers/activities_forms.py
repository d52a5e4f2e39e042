"""The forms of the activities and the roster: the shape of the input only (the rules are
in rules.py, applied by activities_services.py).

The person picker (PersonPickerField): the people helped or served are registered people
of the user's scope — the field's queryset is ``Person.objects.visible_to(user)``, so an id
from anywhere else is refused like one that does not exist. On the page the chosen people
are ticked boxes; a search box finds more by name, pinyin or ID number (the
``ledgers:person_pick`` htmx endpoint answers with more boxes to tick)."""

import datetime as dt

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orgs.forms import DateInput, UnitPickerField
from orgs.models import Level
from people.models import Person

from .forms import AttachmentFields
from .models import AssistanceActivity, Volunteer, VolunteerActivity

KEEPING = [Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE]


class ServiceModelForm(forms.ModelForm):
    def _post_clean(self):
        pass  # the service runs the rules


class PersonPickerWidget(forms.CheckboxSelectMultiple):
    """The chosen people as ticked boxes, and a search box listing more to tick."""

    template_name = "ledgers/activities/_person_picker.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.chosen: list[Person] = []

    def id_for_label(self, id_, index=None):
        """The field's label names the search box (each chosen person has their own)."""
        return f"{id_}-find" if id_ else id_

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update({"chosen": self.chosen, "url": reverse("ledgers:person_pick"),
                                  "field_name": name})
        return context


class PersonPickerField(forms.ModelMultipleChoiceField):
    widget = PersonPickerWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("queryset", Person.objects.none())
        kwargs.setdefault("help_text", _("Type a name, its pinyin or the last digits of an "
                                         "ID number, then tick the people; only people "
                                         "registered in your area are found."))
        super().__init__(**kwargs)

    def bind(self, user, initial_people) -> None:
        """Limit the field to ``user``'s scope; show ``initial_people`` ticked."""
        self.queryset = Person.objects.visible_to(user)
        self.widget.chosen = list(initial_people)


def _bind_people(form, user, name="people"):
    field = form.fields[name]
    posted = form.data.getlist(form.add_prefix(name)) if form.is_bound else None
    if posted is not None:
        ids = [v for v in posted if str(v).isdigit()]
        chosen = Person.objects.visible_to(user).filter(pk__in=ids).select_related("unit")
    elif form.instance.pk:
        chosen = form.instance.people.select_related("unit")
    else:
        chosen = Person.objects.none()
    field.bind(user, chosen.order_by("name", "pk"))


def _unit_field(form, user):
    field = form.fields["unit"]
    field.user = user
    if form.instance.pk:
        del form.fields["unit"]
    elif user.unit is not None and user.unit.level in KEEPING:
        field.initial = user.unit
    if "unit" in form.fields:
        form.order_fields(["unit"])


class AssistanceForm(AttachmentFields, ServiceModelForm):
    unit = UnitPickerField(label=_("Unit keeping the record"), levels=KEEPING)
    people = PersonPickerField(label=_("People helped"))

    class Meta:
        model = AssistanceActivity
        fields = ["held_on", "title", "kind", "organiser", "partners", "place", "participants",
                  "people", "money", "goods", "description", "influential"]
        widgets = {"held_on": DateInput(),
                   "description": forms.Textarea(attrs={"rows": 4}),
                   "participants": forms.NumberInput(attrs={"min": "0", "inputmode":
                                                            "numeric"}),
                   "money": forms.NumberInput(attrs={"min": "0", "step": "0.01",
                                                     "inputmode": "decimal"})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _unit_field(self, user)
        _bind_people(self, user)
        if not self.instance.pk:
            self.fields["held_on"].initial = timezone.localdate()
            self.fields["kind"].initial = "visit"
        self.fields["kind"].choices = [c for c in self.fields["kind"].choices if c[0]]


class VolunteerForm(ServiceModelForm):
    unit = UnitPickerField(label=_("Unit keeping the roster"), levels=KEEPING)

    class Meta:
        model = Volunteer
        fields = ["name", "phone", "organisation", "skills", "active"]
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel",
                                                   "autocomplete": "off"})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].user = user
        if self.instance.pk:
            self.fields["unit"].required = False
            self.fields["unit"].initial = self.instance.unit
            self.fields["unit"].help_text = _(
                "Change it when the volunteer moves (or their unit is merged): their hours "
                "and certificates stay with them.")
        elif user.unit is not None and user.unit.level in KEEPING:
            self.fields["unit"].initial = user.unit
        self.order_fields(["unit"])


class VolunteerActivityForm(AttachmentFields, ServiceModelForm):
    """The activity, the people served, and an hours box for each volunteer of the area
    (empty: did not come)."""

    unit = UnitPickerField(label=_("Unit keeping the record"), levels=KEEPING)
    people = PersonPickerField(label=_("People served"))

    class Meta:
        model = VolunteerActivity
        fields = ["held_on", "title", "place", "content", "people"]
        widgets = {"held_on": DateInput(), "content": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, volunteers, hours=None, **kwargs):
        super().__init__(*args, **kwargs)
        _unit_field(self, user)
        _bind_people(self, user)
        if not self.instance.pk:
            self.fields["held_on"].initial = timezone.localdate()
        self.volunteers = list(volunteers)
        hours = hours or {}
        for volunteer in self.volunteers:
            self.fields[f"hours_{volunteer.pk}"] = forms.DecimalField(
                label=f"{volunteer.name}（{volunteer.unit.name}）", required=False,
                min_value=0, max_digits=5, decimal_places=1, initial=hours.get(volunteer.pk),
                widget=forms.NumberInput(attrs={"step": "0.5", "min": "0",
                                                "inputmode": "decimal"}))

    def hour_fields(self):
        return [self[f"hours_{v.pk}"] for v in self.volunteers]

    def main_fields(self):
        return [field for field in self if not field.name.startswith("hours_")
                and field.name not in ("photo", "attachments")]

    def clean(self):
        data = super().clean()
        by_pk = {v.pk: v for v in self.volunteers}
        services = {}
        for pk, volunteer in by_pk.items():
            value = data.pop(f"hours_{pk}", None)
            if value:
                services[volunteer] = value
        data["services"] = services
        return data


class CertificateForm(forms.Form):
    unit = UnitPickerField(label=_("Issuing unit"), levels=KEEPING)
    starts_on = forms.DateField(label=_("First day counted"), widget=DateInput())
    ends_on = forms.DateField(label=_("Last day counted"), widget=DateInput())

    def __init__(self, *args, user, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].user = user
        if user.unit is not None and user.unit.level in KEEPING:
            self.fields["unit"].initial = user.unit
        self.fields["starts_on"].initial = dt.date(year, 1, 1)
        self.fields["ends_on"].initial = min(dt.date(year, 12, 31), timezone.localdate())


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
