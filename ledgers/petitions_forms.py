"""The forms of letters and visits: the shape of the input only; the rules are in rules.py
and the services apply them."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orgs.forms import DateInput, UnitPickerField

from .petitions_choices import ReceivedHow, Satisfaction
from .petitions_services import PETITION_LEVELS

TEXT = {"autocomplete": "off"}


class PetitionForm(forms.Form):
    """Registering a petition, or correcting it: what a phone fills in first (how, when,
    who, about what), then what is optional."""

    received_how = forms.ChoiceField(label=_("Received how"), choices=ReceivedHow.choices,
                                     initial=ReceivedHow.VISIT)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    petitioner_name = forms.CharField(
        label=_("Petitioner's name"), max_length=50, required=False,
        widget=forms.TextInput(attrs=TEXT),
        help_text=_("May be left empty when the ID number finds a registered person."))
    petitioner_phone = forms.CharField(
        label=_("Phone"), max_length=40, required=False,
        widget=forms.TextInput(attrs={**TEXT, "type": "tel", "inputmode": "tel"}))
    category = forms.ModelChoiceField(label=_("Subject category"), queryset=None,
                                      empty_label=_("Choose…"))
    content = forms.CharField(label=_("What the petitioner raises"),
                              widget=forms.Textarea(attrs={"rows": 4}))
    id_number = forms.CharField(
        label=_("ID number (optional)"), max_length=40, required=False,
        widget=forms.TextInput(attrs={**TEXT, "spellcheck": "false",
                                      "autocapitalize": "characters"}),
        help_text=_("A registered person is found by it and linked; otherwise it is kept "
                    "encrypted."))
    petitioner_address = forms.CharField(label=_("Address"), max_length=200, required=False,
                                         widget=forms.TextInput(attrs=TEXT))
    handler_name = forms.CharField(label=_("Handled by (name)"), max_length=50,
                                   required=False, widget=forms.TextInput(attrs=TEXT))
    notes = forms.CharField(label=_("Notes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    unit = UnitPickerField(label=_("Unit registering it"), levels=PETITION_LEVELS,
                           required=False,
                           help_text=_("Empty: your own unit. Type a division code or a name "
                                       "to register it for a unit beneath yours."))

    def __init__(self, *args, user, petition=None, **kwargs):
        from .petitions_selectors import categories_for

        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories_for(user=user).order_by(
            "parent__order", "parent_id", "order", "name")
        self.fields["category"].label_from_instance = (
            lambda c: f"{c.parent.name} › {c.name}" if c.parent_id else c.name)
        self.fields["unit"].user = user
        if petition is None:
            self.fields["received_on"].initial = timezone.localdate()
            self.fields["unit"].initial = user.unit
        else:
            del self.fields["unit"]
            for name in self.fields:
                if name == "id_number":
                    self.initial[name] = petition.id_number or ""
                elif name == "category":
                    self.initial[name] = petition.category_id
                else:
                    self.initial[name] = getattr(petition, name)
            if petition.person_id is not None:
                del self.fields["id_number"]


class AcceptForm(forms.Form):
    handler = forms.ModelChoiceField(label=_("Handled by"), queryset=None, required=False,
                                     empty_label=_("(a person named below)"))
    handler_name = forms.CharField(label=_("Or their name"), max_length=50, required=False,
                                   widget=forms.TextInput(attrs=TEXT))
    note = forms.CharField(label=_("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, petition, **kwargs):
        from accounts.models import User

        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = User.objects.filter(
            unit_id=petition.unit_id, is_active=True).order_by("username")
        self.fields["handler"].label_from_instance = (
            lambda u: u.get_full_name() or u.get_username())
        if petition.handler_id is None and petition.handler_name:
            self.initial["handler_name"] = petition.handler_name


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Why it is not accepted"),
                             widget=forms.Textarea(attrs={"rows": 3}))


class StartForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("Reply given"), widget=forms.Textarea(attrs={"rows": 4}))
    replied_on = forms.DateField(label=_("Replied on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replied_on"].initial = timezone.localdate()


class CloseForm(forms.Form):
    satisfaction = forms.ChoiceField(label=_("Is the petitioner satisfied?"),
                                     choices=[("", _("Choose…")), *Satisfaction.choices])
    note = forms.CharField(label=_("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(forms.Form):
    note = forms.CharField(label=_("What the petitioner is not satisfied with"),
                           widget=forms.Textarea(attrs={"rows": 3}))


TRANSITION_FORMS = {"accept": AcceptForm, "refuse": RefuseForm, "start": StartForm,
                    "reply": ReplyForm, "close": CloseForm, "reopen": ReopenForm}


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=40)
    parent = forms.ModelChoiceField(label=_("Under"), queryset=None, required=False,
                                    empty_label=_("(a top category)"))
    deadline_days = forms.IntegerField(label=_("Days to reply"), min_value=1, max_value=365,
                                       initial=60)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=100)
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args, user, category=None, **kwargs):
        from .petitions_selectors import categories_for

        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = categories_for(user=user).filter(
            parent__isnull=True).order_by("order", "name")
        if category is not None:
            del self.fields["parent"]
            for name in ("name", "deadline_days", "order", "active"):
                self.initial[name] = getattr(category, name)
