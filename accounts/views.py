from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.models import AuditLog
from core.scope import get_visible_or_404
from core.views import (
    ListAction,
    ObjectDetailView,
    ObjectListView,
    add_service_errors,
    is_repeat,
    service_form,
    submit_form,
)

from . import exports, selectors, services
from .filters import AuditFilterSet, UserFilterSet
from .forms import (
    LoginForm,
    PasswordChangeForm,
    TemporaryPasswordForm,
    TokenForm,
    UserCreateForm,
)
from .models import User
from .tables import AuditTable, UserTable


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class UserListView(ObjectListView):
    model = User
    filterset_class = UserFilterSet
    table_class = UserTable
    selector = selectors.user_list
    search_label = gettext_lazy("Find users")
    actions = (ListAction("accounts:user_create", gettext_lazy("New user"), "accounts.add_user",
                          primary=True),)
    export_name = "用户名单"
    export_columns = exports.USER_COLUMNS
    export_rows = exports.user_rows
    export_url_name = "accounts:user_export"


class UserDetailView(ObjectDetailView):
    model = User
    selector = selectors.user_get
    context_object_name = "shown"  # "user" is who is looking


@login_required
@permission_required("accounts.add_user", raise_exception=True)
def user_create(request):
    form = UserCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=request.user, username=data["username"], password=data["password1"],
                unit=data["unit"], role=data["role"], full_name=data["full_name"],
                phone=data["phone"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                add_service_errors(form, exc)
            else:
                for error in exc.error_list:
                    form.add_error("password1", error)
        except PermissionDenied:
            form.add_error("unit", _("You cannot create users for this unit."))
        else:
            messages.success(request, _("User %(name)s created.") % {"name": user.username})
            return redirect(user)
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
@permission_required("accounts.change_user", raise_exception=True)
@require_POST
def user_toggle_active(request, pk):
    shown = get_visible_or_404(User.objects.select_related("unit"), request.user, pk=pk)
    try:
        services.user_set_active(actor=request.user, user=shown, active=not shown.is_active)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, exc.messages[0] if isinstance(exc, ValidationError)
                       else _("You cannot change this user."))
    return redirect(shown)


@login_required
def password_change(request):
    """The user's own password: the current one, then a new one twice. Their other sessions
    end; this one stays logged in."""
    forced = request.user.must_change_password

    def save(data):
        user = services.password_change(
            actor=request.user, user=request.user, old_password=data["old_password"],
            new_password=data["new_password1"], keep_session=request.session.session_key)
        update_session_auth_hash(request, user)
        return user

    return service_form(
        request, PasswordChangeForm(request.POST or None), save=save,
        success_message=_("Your password is changed. You were logged out everywhere else."),
        next_url="home", template="accounts/password_change.html", context={"forced": forced})


@login_required
@permission_required("accounts.change_user", raise_exception=True)
def user_set_password(request, pk):
    """An administrator gives a user in their scope a temporary password, to be changed at
    the next login."""
    shown = get_visible_or_404(User.objects.select_related("unit"), request.user, pk=pk)

    def save(data):
        try:
            return services.password_set_temporary(actor=request.user, user=shown,
                                                   password=data["password1"])
        except PermissionDenied as exc:
            raise ValidationError(_("You cannot set this user's password.")) from exc

    return service_form(
        request, TemporaryPasswordForm(request.POST or None), save=save,
        success_message=_("A temporary password is set for %(user)s: tell it to them in "
                          "person or by phone. They must change it when they next log in.")
        % {"user": shown},
        next_url=shown, template="accounts/user_password_form.html", context={"shown": shown})


class AuditListView(ObjectListView):
    model = AuditLog
    filterset_class = AuditFilterSet
    table_class = AuditTable
    selector = selectors.audit_list
    title = gettext_lazy("Audit log")
    search_label = gettext_lazy("Filter the audit log")
    export_name = "操作日志"
    export_columns = exports.AUDIT_COLUMNS
    export_rows = exports.audit_rows
    export_url_name = "accounts:audit_export"


# --- API tokens (issue 15) ------------------------------------------------------------------
@login_required
def token_list(request):
    """The user's own API tokens: make one (shown once, on the answer to the form), see
    which they have, revoke one. The page is never cached: it may carry a new token."""
    form = TokenForm(request.POST or None)
    saved, result = submit_form(request, form, save=lambda data: services.token_create(
        actor=request.user, **data))
    created = None
    if saved and not is_repeat(result):
        created = result[1]
        form = TokenForm()
    elif saved:
        messages.info(request, _("This form was sent already; the token was shown then, once."))
        form = TokenForm()
    response = render(request, "accounts/token_list.html", {
        "form": form, "created": created,
        "tokens": selectors.token_list(user=request.user),
        "today": timezone.localdate(),
    })
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def token_revoke(request, pk):
    token = selectors.token_get(user=request.user, pk=pk)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token %(name)s is revoked.") % {"name": token.name})
    return redirect("accounts:token_list")
