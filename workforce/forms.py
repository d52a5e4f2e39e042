"""The workforce's forms: they check the shape of the input; the services apply the rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orgs.forms import DateInput, UnitPickerField
from orgs.models import Level, OrgUnit
from people.choices import Education

from .choices import POST_LEVELS, EndReason, NominationDecision, PostKind
from .models import (
    Appointment,
    Appraisal,
    SelectionRule,
    StaffingNorm,
    TrainingSession,
    Worker,
)


class ServiceModelForm(forms.ModelForm):
    def _post_clean(self):
        pass


NUMBER_ATTRS = {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}

WORKER_GROUPS = [
    (_("The worker"), ["unit", "name", "id_number", "phone", "education", "political_status"]),
    (_("Tie to disability"), ["connection", "relative_id_number", "relation"]),
    (_("Work certificate"), ["certificate_number", "certificate_issued_on",
                             "certificate_valid_until"]),
    (_("Subsidy payments"), ["bank_name", "bank_account"]),
    (_("Notes"), ["notes"]),
]


class WorkerForm(ServiceModelForm):
    unit = UnitPickerField(label=_("Unit keeping the record"), levels=POST_LEVELS)
    id_number = forms.CharField(
        label=_("ID number"), max_length=40, widget=forms.TextInput(attrs=NUMBER_ATTRS),
        help_text=_("18 characters; birth date and gender are read from it. A disabled "
                    "worker's number finds their entry in the register."))
    relative_id_number = forms.CharField(
        label=_("ID number of the disabled relative"), required=False, max_length=40,
        widget=forms.TextInput(attrs=NUMBER_ATTRS),
        help_text=_("Only for a relative: the number as it is registered in your area."))
    bank_account = forms.CharField(
        label=_("Bank account number"), required=False, max_length=40,
        widget=forms.TextInput(attrs={**NUMBER_ATTRS, "inputmode": "numeric"}),
        help_text=_("For the subsidy's bank file; shown masked in lists."))

    class Meta:
        model = Worker
        fields = ["name", "phone", "education", "political_status", "connection", "relation",
                  "certificate_number", "certificate_issued_on", "certificate_valid_until",
                  "bank_name", "notes"]
        widgets = {"certificate_issued_on": DateInput(), "certificate_valid_until": DateInput(),
                   "notes": forms.Textarea(attrs={"rows": 3}),
                   "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"})}

    def __init__(self, *args, user, editing=False, show_bank=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].user = user
        if self.instance.pk:
            self.initial.setdefault("id_number", self.instance.id_number)
            if self.instance.person_id and self.instance.connection == "relative":
                self.initial.setdefault("relative_id_number", self.instance.person.id_number)
            if show_bank:
                self.initial.setdefault("bank_account", self.instance.bank_account)
        if editing:
            del self.fields["unit"]
        elif user.unit is not None:
            self.fields["unit"].initial = user.unit
        if not show_bank:
            del self.fields["bank_account"]

    def groups(self):
        return [(title, [self[name] for name in names if name in self.fields])
                for title, names in WORKER_GROUPS]


class AppointForm(forms.Form):
    unit = UnitPickerField(label=_("Unit of the post"), levels=POST_LEVELS)
    kind = forms.ChoiceField(label=_("Post"), choices=PostKind.choices,
                             help_text=_("At a village or community: its association's post "
                                         "(残协主席, 村专职委员); at a township: its DPF's."))
    holding = forms.ChoiceField(label=_("Held"), choices=Appointment._meta.get_field(
        "holding").choices, initial="full_time")
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput(),
                                initial=timezone.localdate)
    term_ends_on = forms.DateField(label=_("Term ends on"), required=False, widget=DateInput())
    document_number = forms.CharField(label=_("Appointing document"), required=False,
                                      max_length=60, help_text=_("e.g. 会残联发〔2012〕14号"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].user = user


class GridChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class AppointmentForm(ServiceModelForm):
    """A current appointment: its term (a renewal extends it), document, holding and the
    grids the worker answers for."""

    grids = GridChoiceField(label=_("Grids answered for"), required=False,
                            queryset=OrgUnit.objects.none(),
                            widget=forms.CheckboxSelectMultiple,
                            help_text=_("包片负责: the grids of this village or community the "
                                        "worker answers for."))

    class Meta:
        model = Appointment
        fields = ["term_ends_on", "document_number", "holding", "grids"]
        widgets = {"term_ends_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        unit = self.instance.post.unit
        if unit.level == Level.VILLAGE:
            self.fields["grids"].queryset = OrgUnit.objects.active().filter(
                parent=unit, level=Level.GRID).order_by("path")
        else:
            del self.fields["grids"]


class EndForm(forms.Form):
    ended_on = forms.DateField(label=_("Ended on"), widget=DateInput(),
                               initial=timezone.localdate)
    reason = forms.ChoiceField(label=_("Why"), choices=EndReason.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class NormForm(ServiceModelForm):
    class Meta:
        model = StaffingNorm
        fields = ["count", "extra_threshold", "extra_basis", "extra_required"]


class SelectionRuleForm(ServiceModelForm):
    class Meta:
        model = SelectionRule
        fields = ["max_age_at_hiring", "min_education"]


class UnitScopeForm(forms.Form):
    """The unit a computed list is narrowed to (the search-as-you-type picker)."""

    unit = UnitPickerField(label=_("Unit"), levels=[1, 2, 3, 4, 5], required=False,
                           help_text=_("Type a division code or a name; empty: all your "
                                       "units."))
    kind = forms.ChoiceField(label=_("Post"), required=False,
                             choices=[("", _("Any")), *PostKind.choices])

    def __init__(self, *args, user, with_kind=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].user = user
        if not with_kind:
            del self.fields["kind"]


class NormCreateForm(forms.Form):
    unit = UnitPickerField(label=_("Region"), levels=[1, 2, 3, 4],
                           help_text=_("The norm applies to every unit beneath it."))
    level = forms.TypedChoiceField(label=_("Level"), coerce=int, choices=[
        (Level.TOWNSHIP, _("Township / street")), (Level.VILLAGE, _("Village / community"))])
    kind = forms.ChoiceField(label=_("Post"), choices=PostKind.choices,
                             initial=PostKind.LIAISON)
    count = forms.IntegerField(label=_("Required"), min_value=0, max_value=20, initial=1)
    extra_threshold = forms.IntegerField(label=_("A second one from"), min_value=1,
                                         required=False)
    extra_basis = forms.ChoiceField(label=_("Counting"), choices=StaffingNorm._meta.get_field(
        "extra_basis").choices, initial="people")
    extra_required = forms.BooleanField(label=_("The second one is required"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].user = user


class SelectionForm(forms.Form):
    unit = UnitPickerField(label=_("County or district"), levels=[Level.COUNTY])
    kind = forms.ChoiceField(label=_("Post"), choices=PostKind.choices,
                             initial=PostKind.LIAISON)
    max_age_at_hiring = forms.IntegerField(label=_("Oldest age at hiring"), min_value=16,
                                           max_value=80, required=False)
    min_education = forms.ChoiceField(label=_("Least schooling"), required=False,
                                      choices=[("", _("Any")), *Education.choices])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].user = user
        if user.unit is not None and user.unit.level == Level.COUNTY:
            self.fields["unit"].initial = user.unit


# ---- training, appraisal and awards ----------------------------------------------------------

class TrainingForm(ServiceModelForm):
    unit = UnitPickerField(label=_("Organising unit"), levels=[Level.CITY, Level.COUNTY,
                                                               Level.TOWNSHIP])

    class Meta:
        model = TrainingSession
        fields = ["title", "level", "starts_on", "ends_on", "hours", "trainer", "content"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(),
                   "content": forms.Textarea(attrs={"rows": 4}),
                   "hours": forms.NumberInput(attrs={"step": "0.5", "min": "0.5"})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].user = user
        if self.instance.pk:
            del self.fields["unit"]
        elif user.unit is not None:
            self.fields["unit"].initial = user.unit
            self.fields["level"].initial = {Level.CITY: "city", Level.COUNTY: "county",
                                            Level.TOWNSHIP: "township"}.get(user.unit.level)
        if "unit" in self.fields:
            self.order_fields(["unit"])


class AttendanceForm(forms.Form):
    """The attendees ticked from the workers of the organising unit's area (the candidates,
    read once: the choices need no query of their own)."""

    workers = forms.MultipleChoiceField(label=_("Attended"), required=False,
                                        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.by_pk = {str(w.pk): w for w in candidates}
        self.fields["workers"].choices = [(str(w.pk), w.name) for w in candidates]

    def clean_workers(self):
        return [self.by_pk[value] for value in self.cleaned_data["workers"]]


class AppraisalForm(ServiceModelForm):
    class Meta:
        model = Appraisal
        fields = ["score", "grade", "decision", "comments"]
        widgets = {"score": forms.NumberInput(attrs={"step": "0.5", "min": "0",
                                                     "max": "100"}),
                   "comments": forms.Textarea(attrs={"rows": 4})}


class ConfirmForm(forms.Form):
    """Nothing to type: the guards' token and version only."""


class AwardRoundForm(forms.Form):
    unit = UnitPickerField(label=_("Organising unit"), levels=[Level.CITY, Level.COUNTY,
                                                               Level.TOWNSHIP])
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100,
                              initial=lambda: timezone.localdate().year)
    title = forms.CharField(label=_("Title"), max_length=120,
                            initial="优秀残疾人工作专职委员")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].user = user
        if user.unit is not None:
            self.fields["unit"].initial = user.unit


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.unit.name}）"


class NominationForm(forms.Form):
    worker = WorkerChoiceField(label=_("Worker"), queryset=Worker.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("What the worker did this year."))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = candidates


class DecideForm(forms.Form):
    """One choice per nomination (``n<id>``)."""

    def __init__(self, *args, nominations, **kwargs):
        super().__init__(*args, **kwargs)
        self.nominations = nominations
        for nomination in nominations:
            self.fields[f"n{nomination.pk}"] = forms.ChoiceField(
                label=f"{nomination.worker.name}（{nomination.unit.name}）", required=False,
                choices=NominationDecision.choices, initial=nomination.decision)

    def decisions(self) -> dict:
        return {n.pk: self.cleaned_data.get(f"n{n.pk}", "") for n in self.nominations}


class YearScopeForm(UnitScopeForm):
    """The unit and the year a yearly list is narrowed to."""

    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000,
                              max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["year", "unit"])
