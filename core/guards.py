"""Form guards: the checks every form page makes around its service (core.views
submit_form, service_form and ObjectFormView run FORM_GUARDS on every form).

- VersionGuard, the optimistic lock: editing a versioned object (a model with a
  ``version`` field, core.versions), the form carries the version it was opened on and the
  values it started from, as hidden fields; the service gets ``expected_version=`` and
  ``started_from=`` and refuses a stale save (core.versions.check_version). So the
  service of a form page that edits a versioned object must take those two arguments.
- OnceGuard, the one-time submit token: every form carries a random token; the first valid
  submission consumes it (a FormSubmission row, written in the service's transaction, so
  a refused save leaves it unused and a concurrent second submission waits for the first);
  a second submission of the same token saves nothing and leads where the first one did.
"""

import datetime as dt
import json
import secrets

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.forms.widgets import Input

from .versions import is_versioned, snapshot


class FormGuard:
    """A check every form page makes around its service.

    ``contribute`` adds the guard's fields to the form (hidden, not required inputs) before
    it is shown or read; ``check`` runs on a valid submission, in the transaction of the
    service, before it: it raises ValidationError when the input must not be saved (or
    Repeated when it was saved already) and returns extra keyword arguments for the service
    (e.g. ``{"expected_version": 3}``) or None. ``saved`` runs after the service, in its
    transaction, with what it returned; ``rejected`` when the service refused the input,
    before the form is shown again. The guard's own fields never reach the service."""

    fields: tuple[str, ...] = ()

    def contribute(self, form, *, request, obj) -> None:
        pass

    def check(self, form, *, request, obj) -> dict | None:
        return None

    def saved(self, form, *, request, obj, result) -> None:
        pass

    def rejected(self, form, exc, *, request, obj) -> None:
        pass


def _set_bound(form, name: str, value: str) -> None:
    """Change what a bound form shows in its field ``name`` when it is shown again."""
    data = form.data.copy()
    data[form.add_prefix(name)] = value
    form.data = data


class VersionGuard(FormGuard):
    """The optimistic lock: ``version`` and ``version_started`` (hidden) on the form of a
    versioned object; ``expected_version`` and ``started_from`` for its service."""

    fields = ("version", "version_started")

    def _applies(self, obj) -> bool:
        return obj is not None and is_versioned(obj)

    @staticmethod
    def _model_fields(form, obj) -> list[str]:
        names = {f.name for f in obj._meta.concrete_fields}
        return [name for name in form.fields if name in names and name != "version"]

    def contribute(self, form, *, request, obj) -> None:
        if not self._applies(obj):
            return
        started = snapshot(obj, self._model_fields(form, obj))
        form.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, min_value=0,
            initial=obj.version if obj.pk else 0)
        form.fields["version_started"] = forms.CharField(
            widget=forms.HiddenInput, required=False, initial=json.dumps(started))

    def check(self, form, *, request, obj) -> dict | None:
        if not self._applies(obj) or form.cleaned_data.get("version") is None:
            return None  # a client without the field (an old page, a script) is not checked
        try:
            started = json.loads(form.cleaned_data.get("version_started") or "null")
        except ValueError:
            started = None
        return {"expected_version": form.cleaned_data["version"],
                "started_from": started if isinstance(started, dict) else None}

    def rejected(self, form, exc, *, request, obj) -> None:
        """Refused as stale: the form shown again is at the current version and takes the
        other save's changes of the fields the user left as they were, so saving it again
        (after comparing) keeps both; where both changed a field, the user's input stays."""
        if not self._applies(obj):
            return
        for stale in getattr(exc, "stale", ()):
            if type(stale.obj) is type(obj) and stale.obj.pk == obj.pk:
                self._merge(form, stale)

    def _merge(self, form, stale) -> None:
        try:
            started = json.loads(form.cleaned_data.get("version_started") or "null")
        except ValueError:
            started = None
        if isinstance(started, dict):
            current = stale.obj
            for name in stale.changed:
                if name not in form.fields or name not in started:
                    continue
                typed = _as_json(form.cleaned_data.get(name))
                if typed == started[name]:  # the user left it: the other save's value
                    _set_raw(form, name, getattr(current, name))
        _set_bound(form, "version", str(stale.obj.version))
        _set_bound(form, "version_started",
                   json.dumps(snapshot(stale.obj, self._model_fields(form, stale.obj))))


def _as_json(value):
    """A cleaned form value as core.versions.snapshot gives a model's (an object as its key)."""
    if hasattr(value, "pk"):
        value = value.pk
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _set_raw(form, name: str, value) -> None:
    """Put ``value`` into a bound form's field ``name`` as a browser would send it, for the
    plain widgets (text, number, date, select, textarea, checkbox); others keep the input."""
    widget = form.fields[name].widget
    key = form.add_prefix(name)
    if isinstance(widget, forms.CheckboxInput):
        data = form.data.copy()
        if value:
            data[key] = "on"
        else:
            data.pop(key, None)
        form.data = data
        return
    plain = isinstance(widget, (Input, forms.Textarea, forms.Select)) and not isinstance(
        widget, (forms.SelectMultiple, forms.FileInput, forms.MultiWidget))
    if not plain:
        return
    if value is None:
        raw = ""
    elif hasattr(value, "pk"):
        raw = str(value.pk)
    elif isinstance(value, dt.date):
        raw = value.isoformat()
    else:
        raw = str(value)
    _set_bound(form, name, raw)


class Repeated(Exception):  # noqa: N818 - a control flow signal, not an error
    """The form's token was used already: ``result`` says where the first submission led."""

    def __init__(self, result):
        super().__init__(result)
        self.result = result


class RepeatedSubmit:
    """What a repeated submission returns instead of the service's result: where the first
    one led (``get_absolute_url``; "" when it led to no page of its own)."""

    repeated = True

    def __init__(self, url: str):
        self.url = url

    def get_absolute_url(self) -> str:
        return self.url


class OnceGuard(FormGuard):
    """The one-time submit token (hidden ``form_token``)."""

    fields = ("form_token",)

    def contribute(self, form, *, request, obj) -> None:
        form.fields["form_token"] = forms.CharField(
            widget=forms.HiddenInput, required=False, max_length=64,
            initial=secrets.token_urlsafe(24))

    def check(self, form, *, request, obj) -> dict | None:
        from .models import FormSubmission

        token = form.cleaned_data.get("form_token")
        if not token:
            return None  # a client without the field is not protected, nor refused
        user = request.user if request.user.is_authenticated else None
        try:
            with transaction.atomic():
                FormSubmission.objects.create(token=token, user=user)
        except IntegrityError:
            first = FormSubmission.objects.filter(token=token).first()
            raise Repeated(RepeatedSubmit(first.result_url if first else "")) from None
        form._once_token = token
        return None

    def saved(self, form, *, request, obj, result) -> None:
        from .models import FormSubmission

        token = getattr(form, "_once_token", None)
        url = getattr(result, "get_absolute_url", None)
        if token and callable(url):
            FormSubmission.objects.filter(token=token).update(result_url=url()[:300])
