"""The forms of the responsibility agreements: the shape of the input only; the rules are in
agreements_rules.py, applied by the services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgers.forms import AttachmentFields
from orgs.forms import DateInput, UnitPickerField
from orgs.models import Level

from . import indicators
from .agreements_choices import Finding, Grade, TaskResult
from .models import Agreement

# Member departments of a county's disabled persons' work committee 残工委 (doc5 counts 31):
# offered as suggestions, any other name may be typed.
DEPARTMENTS = ["县财政局", "县民政局", "县卫生健康局", "县教育局", "县人力资源和社会保障局",
               "县住房和城乡建设局", "县农业农村局", "县交通运输局", "县公安局", "县司法局",
               "县文化和旅游局", "县医疗保障局", "县乡村振兴局", "县市场监督管理局",
               "县统计局", "县税务局", "县总工会", "团县委", "县妇联"]


class AgreementCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    party_a = UnitPickerField(label=_("Party A (the unit above)"),
                              levels=(Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP))
    party_b = UnitPickerField(label=_("Party B: a unit beneath party A"), required=False,
                              levels=(Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE))
    party_b_name = forms.CharField(
        label=_("or party B: a department of the work committee"), max_length=60,
        required=False, help_text=_("For a county's agreement with a member department, "
                                    "e.g. 县民政局; leave the unit empty."),
        widget=forms.TextInput(attrs={"list": "departments"}))
    title = forms.CharField(label=_("Title"), max_length=120, required=False,
                            help_text=_("Empty: the year and party B's name."))
    signatory_a = forms.CharField(label=_("Signatory of party A"), max_length=60,
                                  required=False)
    signatory_b = forms.CharField(label=_("Signatory of party B"), max_length=60,
                                  required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("party_a", "party_b"):
            self.fields[name].user = user
        self.fields["party_a"].initial = user.unit
        self.fields["year"].initial = timezone.localdate().year


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["title", "signatory_a", "signatory_b", "note"]

    def _post_clean(self):
        pass  # the service validates


class TaskForm(forms.Form):
    text = forms.CharField(label=_("Task"), max_length=300, widget=forms.Textarea(
        attrs={"rows": 3}))
    target_value = forms.DecimalField(label=_("Target (a number)"), max_digits=10,
                                      decimal_places=2, required=False)
    target_unit = forms.CharField(label=_("Unit of the target"), max_length=10,
                                  required=False, help_text=_("e.g. %, 次, 人"))
    target_text = forms.CharField(label=_("or the target in words"), max_length=200,
                                  required=False, help_text=_("e.g. 年内建成残疾人之家"))
    indicator = forms.ChoiceField(label=_("Computed by"), required=False,
                                  help_text=_("The indicator whose value for party B is shown "
                                              "against the target (optional)."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", "—"), *indicators.choices()]


class SignForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["signatory_a", "signed_a_on", "signatory_b", "signed_b_on"]
        widgets = {"signed_a_on": DateInput(), "signed_b_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.fields:
            self.fields[name].required = True
        today = timezone.localdate()
        for name in ("signed_a_on", "signed_b_on"):
            if not self.initial.get(name):
                self.initial[name] = today

    def _post_clean(self):
        pass


class InspectionForm(forms.Form):
    """A quarter's inspection: the day, the quarter, the inspectors, a finding and a note
    for each task (fields ``finding_<task id>``, ``note_<task id>``), photos and files."""

    inspected_on = forms.DateField(label=_("Inspected on"), widget=DateInput())
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int,
                                     choices=[(q, _("Quarter %(q)s") % {"q": q})
                                              for q in range(1, 5)])
    inspectors = forms.CharField(label=_("Inspectors"), max_length=200,
                                 help_text=_("e.g. 县残联 张三、李四"))
    summary = forms.CharField(label=_("Summary"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, tasks, quarter=None, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["inspected_on"].initial = today
        self.fields["quarter"].initial = quarter or (today.month - 1) // 3 + 1
        self.tasks = []
        for n, task in tasks:
            finding = f"finding_{task.pk}"
            note = f"note_{task.pk}"
            self.fields[finding] = forms.ChoiceField(
                label=_("Finding"), choices=Finding.choices, widget=forms.RadioSelect)
            self.fields[note] = forms.CharField(label=_("Note"), max_length=200,
                                                required=False)
            self.tasks.append((n, task, finding, note))
        self._files_form = AttachmentFields(self.data or None, self.files or None)
        for name, field in self._files_form.fields.items():
            self.fields[name] = field

    def task_fields(self):
        return [(n, task, self[finding], self[note]) for n, task, finding, note in self.tasks]

    def clean(self):
        data = super().clean()
        data.pop("photo", None)
        data.pop("attachments", None)
        data["findings"] = {task.pk: (data.pop(finding, ""), data.pop(note, ""))
                            for _n, task, finding, note in self.tasks}
        if self._files_form.is_valid():
            data["files"] = self._files_form.cleaned_data["files"]
        else:
            for name, errors in self._files_form.errors.items():
                for error in errors:
                    self.add_error(name if name in self.fields else None, error)
        return data


class AcceptanceForm(forms.Form):
    """The year-end acceptance: a result, points and a note per task, and the overall."""

    accepted_on = forms.DateField(label=_("Accepted on"), widget=DateInput())
    accepted_by = forms.CharField(label=_("Accepted by"), max_length=120,
                                  help_text=_("e.g. 县残联检查验收组"))
    grade = forms.ChoiceField(label=_("Overall result"), choices=Grade.choices,
                              widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accepted_on"].initial = timezone.localdate()
        self.tasks = []
        for n, task in tasks:
            names = (f"result_{task.pk}", f"points_{task.pk}", f"note_{task.pk}")
            self.fields[names[0]] = forms.ChoiceField(
                label=_("Result"), choices=TaskResult.choices, widget=forms.RadioSelect)
            self.fields[names[1]] = forms.DecimalField(
                label=_("Points"), max_digits=5, decimal_places=1, required=False)
            self.fields[names[2]] = forms.CharField(label=_("Note"), max_length=200,
                                                    required=False)
            self.tasks.append((n, task, names))

    def task_fields(self):
        return [(n, task, *(self[name] for name in names)) for n, task, names in self.tasks]

    def clean(self):
        data = super().clean()
        data["results"] = {task.pk: tuple(data.pop(name, None) for name in names)
                           for _n, task, names in self.tasks}
        return data
