"""Every error of the API is JSON, {"detail": ..., "errors": {field: [messages]}}, with the
same Chinese messages the forms give: a service's ValidationError field by field (422; a
stale version 409), a missing permission 403, anything out of scope (or missing) 404."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as SchemaError

from core.versions import StaleVersion, StaleVersions


def field_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in messages]
                for field, messages in exc.message_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}


def _schema_message(error: dict) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return _("This field is required.")
    if kind.startswith(("int", "float", "decimal")):
        return _("Enter a whole number.") if kind.startswith("int") else _("Enter a number.")
    if kind.startswith(("date", "datetime")):
        return _("Enter a valid date.")
    if kind.startswith("uuid"):
        return _("Enter a valid UUID.")
    if kind.startswith("bool"):
        return _("Enter yes or no (true or false).")
    if kind in ("string_too_long",):
        return _("Ensure this value has at most %(max)s characters.") % {
            "max": (error.get("ctx") or {}).get("max_length", "")}
    if kind in ("literal_error", "enum"):
        return _("Select a valid choice.")
    return _("Enter a valid value.")


def schema_errors(exc: SchemaError) -> dict[str, list[str]]:
    """Pydantic's errors as the fields they name (the last part of each location: the
    body's field, the query's parameter) with a form's message."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload")]
        name = ".".join(loc[1:] if loc and loc[0] in ("query", "path", "form", "file")
                        else loc) or "__all__"
        message = _schema_message(error)
        if message not in errors.setdefault(name, []):
            errors[name].append(message)
    return errors


def install(api) -> None:
    def answer(request, status, detail, errors=None):
        return api.create_response(request, {"detail": str(detail), "errors": errors or {}},
                                   status=status)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return answer(request, 404, _("Not found, or not in your scope."))

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return answer(request, 403, _("You do not have permission to do this."))

    @api.exception_handler(DjangoValidationError)
    def invalid(request, exc):
        if isinstance(exc, StaleVersion | StaleVersions):
            return answer(request, 409, exc.messages[0], {"version": list(exc.messages)})
        return answer(request, 422, _("Please correct the errors below."), field_errors(exc))

    @api.exception_handler(SchemaError)
    def malformed(request, exc):
        return answer(request, 422, _("Please correct the errors below."), schema_errors(exc))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return answer(request, 401, _("Log in, or send a valid token: "
                                      "Authorization: Bearer <token>."))

    @api.exception_handler(Throttled)
    def throttled(request, exc):
        return answer(request, 429, _("Too many requests: wait a minute, then try again."))

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        if exc.status_code == 403:
            return answer(request, 403, _("CSRF check failed: send the X-CSRFToken header."))
        return answer(request, exc.status_code, str(exc))


def install_form_errors(api) -> None:
    from core.api import FormErrors

    @api.exception_handler(FormErrors)
    def form_invalid(request, exc):
        return api.create_response(
            request, {"detail": _("Please correct the errors below."), "errors": exc.errors},
            status=422)
