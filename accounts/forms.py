from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from orgs.forms import UnitPickerField
from orgs.models import Level

from .roles import Role


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("Login name"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=60, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    unit = UnitPickerField(label=_("Unit"), levels=[lv for lv in Level.values if lv < Level.GRID])
    role = forms.ChoiceField(label=_("Role"), choices=[("", "---------"), *Role.choices])
    password1 = forms.CharField(
        label=_("Password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].user = actor

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


def _new_password(label):
    return forms.CharField(label=label, strip=False,
                           widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))


class _TwoPasswords(forms.Form):
    """A new password typed twice (``password1``, ``password2``); the service checks it."""

    first, second = "password1", "password2"

    def clean(self):
        data = super().clean()
        if data.get(self.first) and data.get(self.first) != data.get(self.second):
            self.add_error(self.second, _("The two passwords differ."))
        return data


class PasswordChangeForm(_TwoPasswords):
    first, second = "new_password1", "new_password2"

    old_password = forms.CharField(
        label=_("Current password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = _new_password(_("New password"))
    new_password2 = _new_password(_("New password again"))


class TemporaryPasswordForm(_TwoPasswords):
    password1 = _new_password(_("Temporary password"))
    password2 = _new_password(_("Temporary password again"))


# --- API tokens (issue 15) ------------------------------------------------------------------
class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60,
                           help_text=_("What the token is for, e.g. the program that uses it."))
    expires_on = forms.DateField(label=_("Valid until"), required=False,
                                 help_text=_("Leave empty for a token without an end."))

    def __init__(self, *args, **kwargs):
        from orgs.forms import DateInput

        super().__init__(*args, **kwargs)
        self.fields["expires_on"].widget = DateInput()
