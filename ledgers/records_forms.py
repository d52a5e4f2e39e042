"""The forms of the work record book, the meetings and the annual plan: the shape of the
input only (the rules are in rules.py, applied by the services). Short enough to fill on a
phone in a minute: the date is today's, the unit the user's own."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orgs.forms import DateInput, UnitPickerField
from orgs.models import Level

from .forms import AttachmentFields
from .models import AnnualPlan, Meeting, PlanItem, PlanItemKind, WorkEntry

BOOK_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)


class ServiceModelForm(forms.ModelForm):
    def _post_clean(self):
        pass  # the service validates


class _Book(ServiceModelForm):
    """A ledger's form: the unit (a picker for a user above a village, who may keep the
    books of the units beneath; none for a village's user, whose book it is) and the files
    (ledgers.forms.AttachmentFields, read once the rest is valid)."""

    with_files = True

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        unit = getattr(user, "unit", None)
        if not self.instance.pk and (unit is None or unit.level < Level.VILLAGE):
            self.fields["unit"] = UnitPickerField(label=_("Unit keeping the book"),
                                                  levels=BOOK_LEVELS, user=user,
                                                  initial=unit)
            self.order_fields(["unit"])
        if self.with_files:
            self._files_form = AttachmentFields(self.data or None, self.files or None)
            for name, field in self._files_form.fields.items():
                self.fields[name] = field

    def clean(self):
        data = super().clean()
        data.pop("photo", None)
        data.pop("attachments", None)
        if self.with_files:
            if self._files_form.is_valid():
                data["files"] = self._files_form.cleaned_data["files"]
            else:
                for name, errors in self._files_form.errors.items():
                    for error in errors:
                        self.add_error(name if name in self.fields else None, error)
        return data


class WorkEntryForm(_Book):
    class Meta:
        model = WorkEntry
        fields = ["written_on", "subject", "content"]
        widgets = {"written_on": DateInput(), "content": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"subject": _("A few words, e.g. 走访困难残疾人家庭 (optional).")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["written_on"].initial = timezone.localdate


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class MeetingForm(_Book):
    class Meta:
        model = Meeting
        fields = ["held_on", "kind", "title", "place", "host", "recorder", "attendee_names",
                  "expected_count", "present_count", "absent", "minutes", "decisions"]
        widgets = {"held_on": DateInput(),
                   "attendee_names": forms.Textarea(attrs={"rows": 2}),
                   "minutes": forms.Textarea(attrs={"rows": 5}),
                   "decisions": forms.Textarea(attrs={"rows": 3}),
                   "expected_count": forms.NumberInput(attrs={"min": "0"}),
                   "present_count": forms.NumberInput(attrs={"min": "0"})}
        help_texts = {
            "attendee_names": _("Names separated by 、 or spaces; the unit's workers can be "
                                "ticked after saving."),
            "present_count": _("Empty: counted from the names and the workers ticked."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["held_on"].initial = timezone.localdate


class MeetingAttendanceForm(forms.Form):
    """The workers who came, ticked from the workers of the meeting's unit's area (read
    once: the choices need no query of their own)."""

    workers = forms.MultipleChoiceField(label=_("Came"), required=False,
                                        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.by_pk = {str(w.pk): w for w in candidates}
        self.fields["workers"].choices = [(str(w.pk), w.name) for w in candidates]

    def clean_workers(self):
        return [self.by_pk[value] for value in self.cleaned_data["workers"]]


class PlanForm(_Book):
    with_files = False

    class Meta:
        model = AnnualPlan
        fields = ["year", "summary", "notes"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4}),
                   "notes": forms.Textarea(attrs={"rows": 2}),
                   "year": forms.NumberInput(attrs={"min": "2000", "max": "2100"})}
        help_texts = {"summary": _("The year's aims, in a few lines. The planned activities "
                                   "and practical things are added next, one by one.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["year"]
        else:
            self.fields["year"].initial = timezone.localdate().year


class PlanItemForm(ServiceModelForm):
    class Meta:
        model = PlanItem
        fields = ["kind", "title", "influential", "target", "target_number", "due_on"]
        widgets = {"kind": forms.RadioSelect, "due_on": DateInput(),
                   "target_number": forms.NumberInput(attrs={"step": "any", "min": "0"})}
        help_texts = {
            "influential": _("At least one activity a year is the unit's influential one."),
            "target": _("e.g. 走访困难残疾人100户, 组织一次助残日活动."),
            "target_number": _("A number to count progress by (optional)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = PlanItemKind.choices


class FulfilmentForm(forms.Form):
    """The entry fulfilling an item, picked from the candidates (read once)."""

    entry = forms.ChoiceField(label=_("The entry that fulfils it"), widget=forms.RadioSelect)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.by_pk = {str(entry.pk): entry for entry in candidates}
        self.fields["entry"].choices = [(str(entry.pk), str(entry)) for entry in candidates]

    def clean_entry(self):
        return self.by_pk[self.cleaned_data["entry"]]


class PlanStatusForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    unit = UnitPickerField(label=_("Unit"), levels=(Level.CITY, Level.COUNTY, Level.TOWNSHIP),
                           required=False,
                           help_text=_("Type a division code or a name; empty: all your "
                                       "units."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].user = user
        self.fields["year"].initial = timezone.localdate().year
