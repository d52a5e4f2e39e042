"""What every app's API endpoints (``<app>/api.py``) share: the answer to an error, cursor
pages, the permission check, and the audit entry of a read of personal data. The API itself
(the NinjaAPI, its authentication, throttling and error handlers) is the ``api`` app, which
mounts each app's router; the apps cannot import it (it sits above them), so what they
need of it lives here.

- Reads go through the app's selectors (``visible_to``: out of scope is a 404), writes
  through its services (rules, audit, optimistic locking): an endpoint only parses, calls
  and answers.
- ``need(request, perm)``: a missing permission is a 403, before anything is read.
- ``cursor_page(qs, cursor=, limit=)``: a keyset page on the primary key (``id > cursor``),
  the same two queries at any depth, and the cursor of the next page.
- ``audit_read(request, ...)``: one audit entry per answer naming the rows it showed, like a
  page view (never one per person).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from ninja import Schema

from audit.models import Action
from audit.services import audit_record

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class ErrorOut(Schema):
    """An error: ``detail`` says what went wrong; ``errors`` the messages field by field
    (the same as the forms show; "__all__" for the whole input)."""

    detail: str
    errors: dict[str, list[str]] = {}


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
          422: ErrorOut, 429: ErrorOut}
READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def need(request, *permissions: str) -> None:
    """403 unless the user (of the token or the session) holds every permission."""
    if not request.user.has_perms(permissions):
        raise PermissionDenied


@dataclass
class Page:
    items: list
    next_cursor: int | None


def cursor_page(qs, *, cursor: int | None, limit: int | None) -> Page:
    """One page of ``qs`` in the order of its primary key, after ``cursor`` (the last key
    of the page before): ``limit`` rows (PAGE_SIZE by default, MAX_PAGE_SIZE at most) and
    the cursor of the next page, None on the last."""
    limit = min(max(limit or PAGE_SIZE, 1), MAX_PAGE_SIZE)
    qs = qs.order_by("pk")
    if cursor is not None:
        qs = qs.filter(pk__gt=cursor)
    rows = list(qs[:limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, rows[-1].pk if more else None)


def audit_read(request, *, what: str, objects=(), obj=None, **detail) -> None:
    """The audit entry of one read through the API: ``obj`` (a detail) or ``objects`` (a
    list: their ids and count in one entry)."""
    ids = [o.pk for o in objects]
    if obj is None:
        detail = {"api": what, "count": len(ids), "ids": ids, **detail}
    else:
        detail = {"api": what, **detail}
    audit_record(actor=request.user, action=Action.VIEW, obj=obj,
                 object_repr="" if obj is not None else f"API: {what}", detail=detail)


# ---- input through the pages' own forms ------------------------------------------------------
MAX_ID = 2**53  # a primary key or cursor the schema accepts (past it nothing exists)


class FormErrors(Exception):  # noqa: N818 - answered as 422 by the api app
    """The input's shape is wrong: ``errors`` {field: [messages]}, as the form gives them."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def _form_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return [_form_value(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def form_data(values: dict) -> dict:
    """JSON input as a browser would post it to the page's form (dates as ISO text, yes or
    no as true/false, nothing as empty)."""
    return {name: _form_value(value) for name, value in values.items()}


def cleaned(form) -> dict:
    """The form's cleaned data, or 422 with its messages field by field (the very messages
    the page shows)."""
    if not form.is_valid():
        raise FormErrors({name: [str(m) for m in messages]
                          for name, messages in form.errors.items()})
    return form.cleaned_data


def _start_value(value):
    """A model form's initial value as a browser would post it back (objects as their ids)."""
    if hasattr(value, "_meta") and hasattr(value, "pk"):
        return value.pk
    if isinstance(value, list | tuple) or hasattr(value, "all"):
        items = value.all() if hasattr(value, "all") else value
        return [_start_value(v) for v in items]
    return value


def form_start(form) -> dict:
    """What an edit form starts from (the object's values), as form data: a change through
    the API sends only the fields it changes; the others stay as they are."""
    return form_data({name: _start_value(form.get_initial_for_field(field, name))
                      for name, field in form.fields.items()})


def multi_data(data: dict):
    """Form data as a posted form's QueryDict (a list: several values of one field)."""
    from django.utils.datastructures import MultiValueDict

    return MultiValueDict({name: value if isinstance(value, list) else [value]
                           for name, value in data.items()})
