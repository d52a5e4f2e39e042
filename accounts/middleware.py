"""A user given a temporary password goes to the change-password page before anything else."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    """While ``request.user.must_change_password`` is set, every page but the
    change-password page, logging out, the language switch and static files redirects to
    the change-password page (an htmx request is told to go there as a whole page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated \
                and getattr(user, "must_change_password", False):
            target = reverse("accounts:password_change")
            allowed = (target, reverse("accounts:logout"), reverse("set_language"))
            if request.path not in allowed and not request.path.startswith(
                    "/" + settings.STATIC_URL.lstrip("/")):
                if getattr(request, "htmx", False):
                    from django_htmx.http import HttpResponseClientRedirect

                    return HttpResponseClientRedirect(target)
                return redirect(target)
        return self.get_response(request)
