"""Optimistic locking, the service side: a model edited on a form carries ``version``
(a PositiveIntegerField, 1 when created) that every service write increments. An update
service takes ``expected_version`` (the version the form was opened on) and
``started_from`` (the form's values then, core.versions.snapshot) and, inside its
transaction, after ``select_for_update``, calls ``check_version``: a stale save is refused
with a message that names what the other save changed.

    @transaction.atomic
    def need_update(*, actor, need, expected_version=None, started_from=None, **fields):
        need = Need.objects.select_for_update().get(pk=need.pk)
        check_version(need, expected_version=expected_version, started_from=started_from)
        ...
        need.version += 1          # bulk writes: .update(version=F("version") + 1)
        need.save()

The form side is core.guards.VersionGuard (in FORM_GUARDS, so every form page has it)."""

import datetime as dt
import json

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def is_versioned(obj) -> bool:
    """Whether ``obj`` is a model instance with a ``version`` field."""
    meta = getattr(obj, "_meta", None)
    if meta is None:
        return False
    try:
        return isinstance(meta.get_field("version"), models.IntegerField)
    except FieldDoesNotExist:
        return False


def snapshot(obj, fields) -> dict:
    """The values of the model ``fields`` of ``obj`` as JSON values (a foreign key as its
    key), so two snapshots compare equal exactly when the values are the same."""
    values = {name: obj._meta.get_field(name).value_from_object(obj) for name in fields}
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


def display_value(obj, name: str) -> str:
    """A field's value as the pages show it."""
    field = obj._meta.get_field(name)
    if field.choices:
        value = getattr(obj, f"get_{name}_display")()
    elif field.is_relation:
        value = getattr(obj, name)
    else:
        value = getattr(obj, field.attname)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value is None or value == "":
        return _("(empty)")
    if isinstance(value, dt.date):
        return value.isoformat()
    return formats.localize(value) if not isinstance(value, str) else value


class StaleVersion(ValidationError):
    """Someone else saved ``obj`` after the form was opened. ``obj`` is the row as it is
    now (its ``version``), ``changed`` the fields it has that differ from the form's start."""

    def __init__(self, message, *, obj, changed):
        super().__init__(message, code="stale")
        self.obj = obj
        self.changed = changed
        self.stale = (self,)


class StaleVersions(ValidationError):
    """Several objects saved together (one page of forms) were saved by someone else:
    every StaleVersion in one error, so the page shows them all at once (``stale``)."""

    def __init__(self, errors):
        super().__init__(list(errors))
        self.stale = tuple(one for error in errors for one in error.stale)


def check_version(obj, *, expected_version: int | None, started_from: dict | None = None,
                  ignore=("version",)) -> None:
    """Refuse the save when ``obj`` (read with select_for_update) is no longer at
    ``expected_version`` (None: no check). The message names the current values of the
    fields that differ from ``started_from`` (what the form started from)."""
    if expected_version is None or obj.version == expected_version:
        return
    names = [name for name in (started_from or {}) if name not in ignore
             and _has_field(obj, name)]
    now = snapshot(obj, names)
    changed = [name for name in names if now[name] != started_from[name]]
    if changed:
        # Chinese lists with full-width punctuation.
        chinese = (get_language() or "").startswith("zh")
        colon, separator = ("：", "；") if chinese else (": ", "; ")
        listed = separator.join(
            f"{capfirst(obj._meta.get_field(name).verbose_name)}{colon}"
            f"{display_value(obj, name)}" for name in changed)
        message = _("Someone else saved this %(what)s after you opened the form. Their save "
                    "changed: %(changes)s. The form below keeps what you typed and takes their "
                    "changes where you changed nothing: check it, then save again.") \
            % {"what": obj._meta.verbose_name, "changes": listed}
    else:
        message = _("Someone else saved this %(what)s after you opened the form. Your input "
                    "is kept below: check it, then save again to keep it.") \
            % {"what": obj._meta.verbose_name}
    raise StaleVersion(message, obj=obj, changed=changed)


def _has_field(obj, name: str) -> bool:
    try:
        obj._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def link_set(*, actor, obj, field: str, target):
    """Point ``obj``'s link ``field`` (a foreign key) at ``target`` (None: at nothing),
    as one versioned write: the version goes up so an edit form opened before is refused,
    and the audit entry names the old and the new key. Nothing happens (and nothing is
    recorded) when it points there already. The caller holds the row locked and has
    checked who may link what; returns ``obj``."""
    from audit.models import Action
    from audit.services import audit_record

    attname = f"{field}_id"
    old, new = getattr(obj, attname), (target.pk if target is not None else None)
    if old == new:
        return obj
    setattr(obj, field, target)
    obj.version += 1
    fields = [field, "version", *(["updated_at"] if _has_field(obj, "updated_at") else [])]
    obj.save(update_fields=fields)
    audit_record(actor=actor, action=Action.UPDATE, obj=obj, changes={field: [old, new]})
    return obj
