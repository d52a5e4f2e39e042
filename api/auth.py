"""Who calls the API: a user's token (``Authorization: Bearer <token>``, made on their
tokens page, accounts/) or the browser's session (with its CSRF token for writes). Either
way the request then acts as that user, with exactly their role and unit."""

from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer, SessionAuth

from accounts.services import token_user


class TokenAuth(HttpBearer):
    openapi_description = _("A token from your API tokens page: Authorization: Bearer <token>.")

    def authenticate(self, request, token):
        user, row = token_user(token)
        if user is None:
            return None
        request.user = user
        request.api_token = row
        return row


class BrowserSession(SessionAuth):
    """The logged-in browser (the docs page, the site's own scripts); writes need the
    CSRF token (X-CSRFToken)."""

    def _get_key(self, request):
        # A request that names a token is answered by the token alone (a wrong one is a
        # 401, never the session's); without a session there is no CSRF to check.
        if "Authorization" in request.headers or self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        if key is None:
            return None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            request.api_token = None
            return user
        return None
