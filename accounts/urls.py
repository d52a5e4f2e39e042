from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/export.xlsx", views.UserListView.as_view(export=True), name="user_export"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("users/<int:pk>/active/", views.user_toggle_active, name="user_toggle_active"),
    path("users/<int:pk>/password/", views.user_set_password, name="user_set_password"),
    path("audit/", views.AuditListView.as_view(), name="audit_list"),
    path("audit/export.xlsx", views.AuditListView.as_view(export=True), name="audit_export"),
    # API tokens (issue 15)
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
