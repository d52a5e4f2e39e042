"""Reads of the organisation network; every one starts from what the user may see."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When

from core.scope import get_visible_or_404, subtree_filter
from core.text import normalise_text

from .models import OrgUnit, active_q


def _active(qs: QuerySet) -> QuerySet:
    return qs.active()


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
        child_count=Count("children", filter=active_q(prefix="children__"), distinct=True)
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


# ---- the unit picker -----------------------------------------------------------------------

PICK_LIMIT = 20
# What the picker writes into its text box and reads back: "name（code）". NFKC (normalise_text)
# makes the full-width brackets half-width, so both are read.
_LABELLED = re.compile(r"^(?P<name>.*?)\s*\((?P<code>\d+)\)$")


def unit_choice_label(unit: OrgUnit) -> str:
    return f"{unit.name}（{unit.code}）" if unit.code else unit.name


@dataclass(frozen=True)
class UnitChoice:
    """A unit as the picker offers it: the label it fills in, and where the unit lies (its
    parent's name, when the user may see the parent)."""

    unit: OrgUnit
    label: str
    parent_name: str

    @property
    def pk(self) -> int:
        return self.unit.pk


def _pickable(user, levels: Iterable[int] | None) -> QuerySet:
    qs = _active(OrgUnit.objects.visible_to(user))
    if levels is not None:
        qs = qs.filter(level__in=list(levels))
    return qs


def _choices(user, units) -> list[UnitChoice]:
    top = getattr(user, "unit", None)
    choices = []
    for unit in units:
        parent = unit.parent
        shown = parent is not None and (
            user.is_superuser or (top is not None and parent.path.startswith(top.path)))
        choices.append(UnitChoice(unit, unit_choice_label(unit), parent.name if shown else ""))
    return choices


def unit_pick(*, user, query: str, levels: Iterable[int] | None = None,
              limit: int = PICK_LIMIT) -> list[UnitChoice]:
    """At most ``limit`` active units of the user's scope (and of ``levels``) matching
    ``query``: a division code by its beginning, a name by any part. Best first: the exact
    match, then names that begin with the query, then the higher levels, by code. One query."""
    query = normalise_text(query)
    if not query:
        return []
    qs = _pickable(user, levels).select_related("parent")
    if query.isascii() and query.isdigit():
        qs = qs.filter(code__startswith=query).annotate(
            rank=Case(When(code=query, then=Value(0)), default=Value(1),
                      output_field=IntegerField()))
    else:
        qs = qs.filter(name__contains=query).annotate(
            rank=Case(When(name=query, then=Value(0)), When(name__startswith=query, then=Value(1)),
                      default=Value(2), output_field=IntegerField()))
    units = qs.order_by("rank", "level", F("code").asc(nulls_last=True), "name", "pk")[:limit]
    return _choices(user, units)


def unit_resolve(*, user, text: str, levels: Iterable[int] | None = None,
                 limit: int = 6) -> list[UnitChoice]:
    """The units of the user's scope (and of ``levels``) that ``text`` names exactly: a
    division code, a whole name, or the picker's own label "name（code）". One query; at most
    ``limit`` (more than one means the text is ambiguous)."""
    text = normalise_text(text)
    if not text:
        return []
    labelled = _LABELLED.match(text)
    if labelled:
        condition = Q(code=labelled["code"])
    elif text.isascii() and text.isdigit():
        condition = Q(code=text)
    else:
        condition = Q(name=text)
    units = (_pickable(user, levels).filter(condition).select_related("parent")
             .order_by(F("code").asc(nulls_last=True), "pk")[:limit])
    return _choices(user, units)


def unit_choice_get(*, user, pk, levels: Iterable[int] | None = None) -> UnitChoice | None:
    """The unit ``pk`` as a choice, if it is active, of ``levels`` and in the user's scope."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    unit = _pickable(user, levels).select_related("parent").filter(pk=pk).first()
    return _choices(user, [unit])[0] if unit else None


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
