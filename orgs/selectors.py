"""Reads of the organisation network; every one starts from what the user may see."""


from django.db.models import Count, Q, QuerySet

from core.scope import get_visible_or_404, subtree_filter
from core.text import normalise_text

from .models import OrgUnit


def _active(qs: QuerySet) -> QuerySet:
    return qs.filter(valid_to__isnull=True)


def unit_get(*, user, pk) -> OrgUnit:
    """One unit in the user's scope, or 404."""
    return get_visible_or_404(OrgUnit.objects.select_related("parent"), user, pk=pk)


def unit_roots(*, user) -> QuerySet:
    """Where the user's tree starts: their own unit (the whole forest for a superuser)."""
    qs = OrgUnit.objects.visible_to(user)
    if user.is_superuser:
        qs = qs.filter(parent__isnull=True)
    else:
        qs = qs.filter(pk=user.unit_id)
    return _with_child_counts(_active(qs))


def _with_child_counts(qs: QuerySet) -> QuerySet:
    return qs.annotate(
        child_count=Count("children", filter=Q(children__valid_to__isnull=True), distinct=True)
    )


def unit_children(*, user, unit: OrgUnit) -> QuerySet:
    """The active children of ``unit`` (in scope), each with its own count of children."""
    qs = _active(OrgUnit.objects.visible_to(user).filter(parent=unit))
    return _with_child_counts(qs).order_by("code", "name")


def unit_breadcrumbs(*, user, unit: OrgUnit) -> list[OrgUnit]:
    """The unit's ancestors the user may see, from the top of their scope down, and the unit."""
    ids = unit.ancestor_ids
    found = {u.pk: u for u in OrgUnit.objects.visible_to(user).filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]


def unit_by_code(*, user, code: str) -> OrgUnit | None:
    """The active unit with this division code, if the user may see it."""
    code = normalise_text(code)
    return _active(OrgUnit.objects.visible_to(user)).filter(code=code).first() if code else None


def unit_search(*, user, query: str, limit: int = 50) -> QuerySet:
    qs = _active(OrgUnit.objects.visible_to(user))
    query = normalise_text(query)
    if not query:
        return qs.none()
    if query.isascii() and query.isdigit():
        qs = qs.filter(code__startswith=query)
    else:
        qs = qs.filter(name__contains=query)
    return qs.select_related("parent").order_by("path")[:limit]




def unit_subtree_counts(*, user, unit: OrgUnit) -> dict[int, int]:
    """How many active units of each level lie beneath ``unit`` ({level: count}), one query."""
    rows = (
        _active(OrgUnit.objects.visible_to(user))
        .filter(subtree_filter(unit.path))
        .exclude(pk=unit.pk)
        .values("level")
        .annotate(n=Count("id"))
    )
    return {row["level"]: row["n"] for row in rows}
