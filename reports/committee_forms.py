"""The forms of the committee's and the associations' pages that link ledgers' entries and
agreements, and add members (the shape of the input only; the services apply the rules)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgers.activities_forms import PersonPickerField
from ledgers.models import MemberRole
from orgs.forms import DateInput
from people.models import Person


class _Labelled(forms.ModelChoiceField):
    def __init__(self, queryset, label_from, **kwargs):
        super().__init__(queryset=queryset, **kwargs)
        self.label_from = label_from

    def label_from_instance(self, obj):
        return self.label_from(obj)


class MeetingLinkForm(forms.Form):
    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"] = _Labelled(
            meetings, lambda m: f"{m.held_on:%Y-%m-%d} {m.title or m.get_kind_display()}",
            label=_("Meeting"), empty_label=_("Choose a meeting"),
            help_text=_("The most recent meetings of the committee's unit (ledgers, "
                        "meetings) that are not linked yet."))


class AgreementLinkForm(forms.Form):
    def __init__(self, *args, agreements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"] = _Labelled(
            agreements, lambda a: f"{a.year} {a.party_b_name}：{a.title}",
            label=_("Responsibility agreement"), empty_label=_("Choose an agreement"),
            help_text=_("The unit's agreements with a department that name no member "
                        "department yet."))


class ActivityLinkForm(forms.Form):
    def __init__(self, *args, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"] = _Labelled(
            activities, lambda a: f"{a.held_on:%Y-%m-%d} {a.title}（{a.unit.name}）",
            label=_("Assistance activity"), empty_label=_("Choose an activity"),
            help_text=_("The most recent assistance activities of the association's area "
                        "that are not linked to it yet."))


class MembersAddForm(forms.Form):
    people = PersonPickerField(label=_("Registered people"), required=True)
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices,
                             initial=MemberRole.MEMBER)
    joined_on = forms.DateField(label=_("Joined on"), required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["people"]
        field.error_messages["required"] = _("Choose at least one registered person.")
        chosen = Person.objects.none()
        if self.is_bound:
            ids = [v for v in self.data.getlist("people") if str(v).isdigit()]
            chosen = Person.objects.visible_to(user).filter(pk__in=ids).select_related("unit")
        field.bind(user, chosen.order_by("name", "pk"))

    def clean_joined_on(self):
        value = self.cleaned_data.get("joined_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        return value
