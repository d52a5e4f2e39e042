from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.scope import get_visible_or_404
from core.views import add_service_errors, export_filters, xlsx_export

from . import exports, selectors, services
from .forms import AuditFilterForm, LoginForm, UserCreateForm
from .models import User


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
@permission_required("accounts.view_user", raise_exception=True)
def user_list(request):
    page = Paginator(selectors.user_list(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page})


@login_required
@permission_required("accounts.view_user", raise_exception=True)
def user_export(request):
    users = selectors.user_list(user=request.user)
    return xlsx_export(request, name="用户名单", columns=exports.USER_COLUMNS,
                       rows=exports.user_rows(users), filters={})


@login_required
@permission_required("accounts.view_user", raise_exception=True)
def user_detail(request, pk):
    shown = get_visible_or_404(User.objects.select_related("unit"), request.user, pk=pk)
    return render(request, "accounts/user_detail.html", {"shown": shown})


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


def _audit_filters(request):
    """The audit log's filter form and the filters to apply, for the log and its export."""
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, {k: v for k, v in filters.items() if v}


@login_required
@permission_required("accounts.view_auditlog", raise_exception=True)
def audit_list(request):
    form, filters = _audit_filters(request)
    qs = selectors.audit_list(user=request.user, **filters)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/audit_list.html", {
        "form": form, "page": page, "query": query.urlencode(),
    })


@login_required
@permission_required("accounts.view_auditlog", raise_exception=True)
def audit_export(request):
    _form, filters = _audit_filters(request)
    entries = selectors.audit_list(user=request.user, **filters)
    return xlsx_export(request, name="操作日志", columns=exports.AUDIT_COLUMNS,
                       rows=exports.audit_rows(entries), filters=export_filters(filters))
