from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ImportJob

MAX_COLUMNS = 60


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Ledger"))
    file = forms.FileField(label=_("File (.xlsx or .csv)"),
                           help_text=_("CSV in UTF-8 or GB18030. Large files are imported in "
                                       "the background; you can leave the page."))

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds


class ConfigureForm(forms.Form):
    """Sheet, header row, the field of each column, and what to do with bad rows."""

    sheet = forms.ChoiceField(label=_("Sheet"), required=False)
    header_row = forms.IntegerField(label=_("Header row"), min_value=1, max_value=1000,
                                    help_text=_("The row holding the column names."))
    mode = forms.ChoiceField(label=_("When some rows are bad"), choices=[
        ("all", _("Import nothing (all or nothing)")),
        ("valid", _("Import the valid rows only")),
    ], widget=forms.RadioSelect)
    update_existing = forms.BooleanField(label=_("Update rows already in the system"),
                                         required=False)
    dry_run = forms.BooleanField(label=_("Check only, write nothing (dry run)"), required=False)

    def __init__(self, *args, job: ImportJob, sheets: list[str], header: list, spec, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sheet"].choices = [(s, s) for s in sheets]
        if not sheets:
            del self.fields["sheet"]
        choices = [("", _("— not imported —"))] + [(c.field, c.label) for c in spec.columns]
        self.column_fields = []
        for index, cell in enumerate(header[:MAX_COLUMNS]):
            name = f"col_{index}"
            title = str(cell).strip() if cell not in (None, "") else ""
            self.fields[name] = forms.ChoiceField(
                label=_("Column %(n)d: %(title)s") % {"n": index + 1,
                                                      "title": title or _("(no header)")},
                choices=choices, required=False,
                initial=job.mapping.get(str(index), ""),
            )
            self.column_fields.append(name)
        if spec.supports_update:
            if spec.update_label:
                self.fields["update_existing"].label = spec.update_label
        else:
            del self.fields["update_existing"]

    def mapping(self) -> dict:
        return {name.removeprefix("col_"): self.cleaned_data.get(name, "")
                for name in self.column_fields if self.cleaned_data.get(name)}

    def column_bound_fields(self):
        return [self[name] for name in self.column_fields]
