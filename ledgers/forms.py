"""The ledgers' forms: the shape of the input only; the rules are in rules.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import rules, services

ACCEPT = "image/jpeg,image/png,image/webp,application/pdf"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files (Django's documented pattern for ``multiple``)."""

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class AttachmentFields(forms.Form):
    """Photos and PDF files for a ledger's entry: "take a photo" opens a phone's camera
    straight away, "choose files" picks saved photos or PDF files (several at once). Each
    file is checked from its content (rules.clean_file); ``cleaned_data["files"]`` is the
    list of (CleanFile, name) the service attaches."""

    photo = forms.FileField(
        label=_("Take a photo"), required=False,
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}))
    attachments = MultipleFileField(
        label=_("Choose photos or PDF files"), required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPT}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = _(
            "Photos and PDF files up to %(limit)s each. If the form shows an error, choose "
            "the files again.") % {"limit": rules.human_size(services.attachment_limit())}

    def clean(self):
        data = super().clean()
        uploads = [u for u in [data.get("photo"), *(data.get("attachments") or [])] if u]
        files, errors = [], []
        for upload in uploads:
            try:
                files.append((services.read_upload(upload), upload.name))
            except rules.FileRefused as exc:
                errors.append(_("File %(name)s: %(reason)s") % {"name": upload.name,
                                                           "reason": exc})
        if errors:
            self.add_error("attachments", errors)
        data["files"] = files
        return data


class YearForm(forms.Form):
    """The year a page shows (this year when none is asked for)."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
