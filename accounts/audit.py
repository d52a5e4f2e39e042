"""Writing the audit log. Services call ``audit_record`` inside their transaction."""

from contextvars import ContextVar

from django.contrib.contenttypes.models import ContentType

request_address: ContextVar[str | None] = ContextVar("request_address", default=None)


def _unit_of(obj):
    from orgs.models import OrgUnit

    if obj is None:
        return None
    if isinstance(obj, OrgUnit):
        return obj
    scope_field = getattr(type(obj), "scope_field", None)
    if not scope_field:
        return None
    target = obj
    for part in scope_field.split("__"):
        target = getattr(target, part, None)
        if target is None:
            return None
    return target


def audit_record(*, actor, action: str, obj=None, unit=None, changes=None, detail=None,
                 object_repr: str = ""):
    """Add one entry: ``actor`` did ``action`` to ``obj`` (belonging to ``unit``)."""
    from .models import AuditLog

    if unit is None:
        unit = _unit_of(obj)
    if unit is None and actor is not None and getattr(actor, "is_authenticated", False):
        unit = actor.unit
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditLog.objects.create(
        actor=actor if authenticated else None,
        actor_name=(actor.get_username() if authenticated else ""),
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:200],
        unit=unit,
        ip_address=request_address.get(),
        changes=changes or {},
        detail=detail or {},
    )


def diff_fields(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose values differ, as JSON-friendly strings."""
    changes = {}
    for name, new in after.items():
        old = before.get(name)
        if old != new:
            changes[name] = [None if old is None else str(old), None if new is None else str(new)]
    return changes
