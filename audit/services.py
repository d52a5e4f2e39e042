"""Writing the audit log. Services call ``audit_record`` inside their transaction (and
``audit_many`` for many rows at once). The actor is a user, the system (core.actors.SYSTEM:
named "system", no user row) or None (no one known: a failed login)."""

from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType

from core import crypto
from core.actors import is_system
from core.text import mask_digits

from .models import AuditLog

request_address: ContextVar[str | None] = ContextVar("request_address", default=None)


def _unit_of(obj):
    """The unit an object belongs to, by its model's ``scope_field`` ("" for a unit)."""
    if obj is None:
        return None
    scope_field = getattr(type(obj), "scope_field", None)
    if scope_field == "":
        return obj  # the object is a unit
    if not scope_field:
        return None
    target = obj
    for part in scope_field.split("__"):
        target = getattr(target, part, None)
        if target is None:
            return None
    return target


def _who(actor) -> tuple[Any, str]:
    """(the user row to store, the name to show) of an actor."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, ""
    if is_system(actor):
        return None, actor.get_username()
    return actor, actor.get_username()


def audit_record(*, actor, action: str, obj=None, unit=None, changes=None, detail=None,
                 object_repr: str = ""):
    """Add one entry: ``actor`` did ``action`` to ``obj`` (belonging to ``unit``)."""
    if unit is None:
        unit = _unit_of(obj)
    user, name = _who(actor)
    if unit is None and user is not None:
        unit = actor.unit
    return AuditLog.objects.create(
        actor=user,
        actor_name=name,
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:200],
        unit=unit,
        ip_address=request_address.get(),
        changes=changes or {},
        detail=detail or {},
    )


def audit_ref(obj) -> dict | None:
    """How an audit entry records a related object (a unit, a grid, a parent): its id and
    its name at the time, {"id": 12, "name": "东山根社区"}, so the entry still reads after the
    object is renamed, merged or gone. None for no object."""
    if obj is None:
        return None
    return {"id": obj.pk, "name": str(obj)}


SEALED_COLUMN = "audit.personal_number"


def sealed_value(value) -> dict | None:
    """How an audit entry records a personal number (an ID or certificate number): sealed
    (core.crypto), {"sealed": "<token>"}, and shown masked by ``entry_text``."""
    if value is None or value == "":
        return None
    return {"sealed": crypto.seal(str(value), column=SEALED_COLUMN)}


def reseal_values(value) -> tuple[object, bool]:
    """``value`` (an entry's changes, any JSON) with every sealed number not under the
    current key sealed again; and whether any was."""
    if isinstance(value, dict):
        if "sealed" in value and len(value) == 1:
            if crypto.is_current(value["sealed"]):
                return value, False
            opened = crypto.unseal(value["sealed"], column=SEALED_COLUMN)
            return {"sealed": crypto.seal(opened, column=SEALED_COLUMN)}, True
        pairs = {k: reseal_values(v) for k, v in value.items()}
        return {k: v for k, (v, _c) in pairs.items()}, any(c for _v, c in pairs.values())
    if isinstance(value, list):
        pairs = [reseal_values(v) for v in value]
        return [v for v, _c in pairs], any(c for _v, c in pairs)
    return value, False


def entry_text(value) -> str:
    """One value an audit entry holds, as text for the log's page and workbook: an
    audit_ref as the name it recorded, a sealed number masked, a list item by item,
    nothing as ∅."""
    if value is None or value == "":
        return "∅"
    if isinstance(value, dict) and "sealed" in value:
        try:
            return mask_digits(crypto.unseal(value["sealed"], column=SEALED_COLUMN))
        except crypto.SealError:
            return "********"  # sealed under a key this installation no longer has
    if isinstance(value, dict) and "name" in value:
        return str(value["name"])
    if isinstance(value, list | tuple):
        return "、".join(entry_text(item) for item in value) or "∅"
    return str(value)


def change_text(value) -> tuple[str, str]:
    """(old, new) of one recorded change, as text; a value not recorded as a pair is the
    new one."""
    if isinstance(value, list | tuple) and len(value) == 2:
        return entry_text(value[0]), entry_text(value[1])
    return "∅", entry_text(value)


def _entry_value(value):
    if value is None or isinstance(value, dict):  # nothing, or an audit_ref
        return value
    return str(value)


def diff_fields(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose values differ, as JSON-friendly strings
    (a related object as its ``audit_ref``)."""
    changes = {}
    for name, new in after.items():
        old = before.get(name)
        if old != new:
            changes[name] = [_entry_value(old), _entry_value(new)]
    return changes


@dataclass
class AuditItem:
    """One entry of ``audit_many``: the object, the unit it belongs to, what changed."""

    obj: Any
    unit_id: int | None
    changes: dict = field(default_factory=dict)
    detail: dict = field(default_factory=dict)


def audit_many(*, actor, action: str, items: Iterable[AuditItem], batch_size: int = 500) -> int:
    """Many entries at once (an import updating many rows): the same entries as
    ``audit_record`` would write, one per item, in batched inserts."""
    user, name = _who(actor)
    address = request_address.get()
    entries = []
    for item in items:
        entries.append(AuditLog(
            actor=user, actor_name=name,
            action=action, content_type=ContentType.objects.get_for_model(item.obj),
            object_id=str(item.obj.pk), object_repr=str(item.obj)[:200],
            unit_id=item.unit_id, ip_address=address, changes=item.changes,
            detail=item.detail))
    AuditLog.objects.bulk_create(entries, batch_size=batch_size)
    return len(entries)
