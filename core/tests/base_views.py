"""Pages declared on the base views for core/tests/test_base_views.py, on the users of the
standard tree: a list exported by ``?export=xlsx`` (no sibling URL) that needs a named
export permission, a detail page that audits every look, and an edit form whose service
can refuse and whose guards can be swapped. Served by ``urlpatterns`` below (the project's
URLs plus these), with ``@pytest.mark.urls("core.tests.base_views")``."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import path
from django.utils.translation import gettext_lazy

from accounts import selectors
from accounts.filters import UserFilterSet
from accounts.models import User
from accounts.tables import UserTable
from canlian.urls import urlpatterns as project_urls
from core.exports import XlsxColumn
from core.views import FormGuard, ObjectDetailView, ObjectFormView, ObjectListView

SERVICE_CALLS = []


class UserList(ObjectListView):
    model = User
    filterset_class = UserFilterSet
    table_class = UserTable
    selector = selectors.user_list
    search_label = gettext_lazy("Find users")
    export_name = "测试名单"
    export_columns = [XlsxColumn("登录名")]
    export_permission = "accounts.change_user"

    @staticmethod
    def export_rows(users):
        return ([u.username] for u in users)


class UserDetail(ObjectDetailView):
    model = User
    selector = selectors.user_get
    template_name = "accounts/user_detail.html"
    context_object_name = "shown"
    audit_view = True


class RenameForm(forms.Form):
    full_name = forms.CharField(label="姓名", max_length=60)


def user_rename(*, actor, user, full_name):
    """A service: refuses "坏", else writes the name."""
    SERVICE_CALLS.append({"actor": actor, "user": user, "full_name": full_name})
    if full_name == "坏":
        raise ValidationError({"full_name": "不能叫这个名字。"})
    user.full_name = full_name
    user.save(update_fields=["full_name"])
    return user


class TokenGuard(FormGuard):
    """A one-time-token stand-in: a hidden field that must come back as "ok"."""

    fields = ("token",)

    def contribute(self, form, *, request, obj):
        form.fields["token"] = forms.CharField(widget=forms.HiddenInput, required=False,
                                               initial="ok")

    def check(self, form, *, request, obj):
        if form.cleaned_data.get("token") != "ok":
            raise ValidationError("这张表已经提交过了。")
        return {}


class UserRename(ObjectFormView):
    model = User
    form_class = RenameForm
    selector = selectors.user_get
    service = user_rename
    template_name = "form_page.html"
    context_object_name = "shown"


class GuardedUserRename(UserRename):
    guards = (TokenGuard(),)


urlpatterns = [
    *project_urls,
    path("t/users/", UserList.as_view(), name="t_user_list"),
    path("t/users/<int:pk>/", UserDetail.as_view(), name="t_user_detail"),
    path("t/users/<int:pk>/rename/", UserRename.as_view(), name="t_user_rename"),
    path("t/users/<int:pk>/guarded/", GuardedUserRename.as_view(), name="t_user_guarded"),
]
