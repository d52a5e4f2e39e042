"""Scope: a user sees their own unit's subtree and nothing else.

Every model tied to an OrgUnit names the way to it in ``scope_field`` ("" for OrgUnit
itself, "unit" for a row with a ``unit`` foreign key, "person__unit" through a relation)
and uses ``ScopedQuerySet`` as its default manager. ``visible_to(user)`` is the only
filter views, exports, reports and the API apply; a test walks every model to make sure
none is missing it.

The tree stores a materialised path of fixed-width decimal segments (one per ancestor,
from the root). "Everything under this unit" is then the half-open range
``[path, path + 1)`` on an indexed column: an index range scan on SQLite and PostgreSQL
alike, with no LIKE (which SQLite will not index with an ESCAPE clause) and no collation
surprises (only digits).
"""

from django.db import models
from django.http import Http404

SEGMENT_WIDTH = 8


def path_segment(pk: int) -> str:
    return str(pk).zfill(SEGMENT_WIDTH)


def path_upper_bound(path: str) -> str:
    """The smallest path that sorts after every path starting with ``path``."""
    return str(int(path) + 1).zfill(len(path))


def subtree_filter(path: str, field: str = "path") -> models.Q:
    return models.Q(**{f"{field}__gte": path, f"{field}__lt": path_upper_bound(path)})


def _scope_path(model) -> list:
    """The fields ``model.scope_field`` goes through, ending at the unit."""
    fields, target = [], model
    for part in model.scope_field.split("__"):
        field = target._meta.get_field(part)
        fields.append(field)
        target = field.related_model
    return fields


def _unit_model(model):
    """The unit model ``model.scope_field`` leads to (OrgUnit, which core cannot import)."""
    return _scope_path(model)[-1].related_model


def _always_tied(model) -> bool:
    """Whether every row of ``model`` has a unit (no empty link on the way to it)."""
    return not model.scope_field or not any(f.null for f in _scope_path(model))


def _sees_every_unit(user, unit) -> bool:
    """Whether ``unit``'s subtree holds every unit there is: a root with nothing beside it
    (a province's database). One query, for a user of a root unit only, kept on the user
    object for the request."""
    if unit.parent_id is not None:
        return False
    cached = getattr(user, "_scope_every_unit", None)
    if cached is None or cached[0] != unit.path:
        outside = type(unit)._base_manager.exclude(subtree_filter(unit.path)).exists()
        cached = (unit.path, not outside)
        user._scope_every_unit = cached
    return cached[1]


class ScopedQuerySet(models.QuerySet):
    def scope_q(self, path: str) -> models.Q:
        """The condition "belongs to the subtree at ``path``" for this model's rows. A model
        seen from two units (a transfer) overrides this, and only this.

        A row tied to a unit is in the subtree when its unit is one of the subtree's: the
        units are an index range on the path, and the rows are matched by their own unit
        column (``unit_id IN (SELECT id … WHERE path range)``), without joining each row to
        its unit; a count of a whole subtree's people is then read from the index on
        ``unit_id`` alone."""
        scope_field = self.model.scope_field
        if not scope_field:
            return subtree_filter(path)
        units = _unit_model(self.model)._base_manager.filter(subtree_filter(path))
        return models.Q(**{f"{scope_field}__in": units.order_by().values("pk")})

    def within(self, unit) -> "ScopedQuerySet":
        """Rows at ``unit`` or anywhere beneath it."""
        return self.filter(self.scope_q(unit.path))

    def visible_to(self, user) -> "ScopedQuerySet":
        """The rows ``user`` may see: their unit's subtree, nothing for anyone without one."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        unit = getattr(user, "unit", None)
        if unit is None:
            return self.none()
        if _always_tied(self.model) and type(self).scope_q is ScopedQuerySet.scope_q \
                and _sees_every_unit(user, unit):
            # Every row is in the subtree: no condition at all, so a count of the whole
            # register is the index's own count.
            return self.all()
        return self.within(unit)


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


def get_visible_or_404(queryset_or_model, user, **lookup):
    """Fetch one row the user may see; anything else, existing or not, is a 404."""
    qs = queryset_or_model
    if isinstance(queryset_or_model, type):
        qs = queryset_or_model._default_manager.all()
    try:
        return qs.visible_to(user).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
