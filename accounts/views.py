from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.models import AuditLog
from core.scope import get_visible_or_404
from core.views import ListAction, ObjectDetailView, ObjectListView, add_service_errors

from . import exports, selectors, services
from .filters import AuditFilterSet, UserFilterSet
from .forms import LoginForm, UserCreateForm
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
