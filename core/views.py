"""Base views: scope applied once, in get_queryset, so out of scope is a 404 everywhere."""

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.views.generic import DetailView, ListView


class ScopedMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Logged in, holding ``permission_required``, and reading only ``visible_to`` rows."""

    model = None
    raise_exception = False  # anonymous users go to the login page

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            self.raise_exception = True
        return super().handle_no_permission()

    def get_queryset(self):
        return self.model._default_manager.visible_to(self.request.user)


class ScopedListView(ScopedMixin, ListView):
    paginate_by = 50


class ScopedDetailView(ScopedMixin, DetailView):
    pass


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form, by field where the form has the field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for error in exc.error_list:
            form.add_error(None, error)
