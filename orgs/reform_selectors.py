"""Reads of the reforms and of the network as it stood on a date.

A unit's state on a day D is the UnitPeriod of it that covers D (valid_from ≤ D < valid_to)
if a reform changed it since, or else its own row; it existed on D when active_q(D) says
so. So the tree on D is every unit active on D, each with the parent, path and name of its
state then — read in two queries whatever the reforms since.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from core.scope import get_visible_or_404, subtree_filter

from . import reform_rules
from .models import OrgUnit, Reform, ReformOperation, Succession, UnitPeriod, active_q


def _covering(on: dt.date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=on)) & Q(valid_to__gt=on)


def path_on(on: dt.date, unit_field: str = "unit"):
    """An expression: the path of the row's unit (reached by ``unit_field``; "" for a unit
    itself) as it was on ``on`` — for grouping counts by the tree of that day."""
    ref = f"{unit_field}_id" if unit_field else "pk"
    earlier = UnitPeriod.objects.filter(_covering(on), unit_id=OuterRef(ref)).values("path")[:1]
    return Coalesce(Subquery(earlier), F(f"{unit_field}__path" if unit_field else "path"))


def changed_since(on: dt.date) -> bool:
    """Whether any reform changed the tree after ``on`` (else today's paths were the tree
    of that day too, for the units that existed then). One query."""
    return UnitPeriod.objects.filter(valid_to__gt=on).exists()


@dataclass
class UnitOn:
    """A unit as it stood on a day."""

    unit: OrgUnit
    on: dt.date
    name: str
    code: str | None
    parent_id: int | None
    path: str

    @property
    def pk(self) -> int:
        return self.unit.pk

    @property
    def level(self) -> int:
        return self.unit.level

    @property
    def changed(self) -> bool:
        return (self.name, self.code, self.path) != (self.unit.name, self.unit.code,
                                                     self.unit.path)

    def get_level_display(self):
        return self.unit.get_level_display()

    def __str__(self):
        return self.name


def _states(units: QuerySet, on: dt.date) -> list[UnitOn]:
    units = list(units)
    periods = {p.unit_id: p for p in UnitPeriod.objects.filter(
        _covering(on), unit__in=[u.pk for u in units]).order_by("unit_id", "valid_to")}
    found = []
    for u in units:
        p = periods.get(u.pk)
        found.append(UnitOn(u, on, p.name, p.code, p.parent_id, p.path) if p
                     else UnitOn(u, on, u.name, u.code, u.parent_id, u.path))
    return found


def unit_on(unit: OrgUnit, on: dt.date) -> UnitOn | None:
    """``unit`` as it stood on ``on``; None when it did not exist then."""
    if not OrgUnit.objects.filter(active_q(on), pk=unit.pk).exists():
        return None
    return _states(OrgUnit.objects.filter(pk=unit.pk), on)[0]


def tree_on(*, user, root: OrgUnit, on: dt.date, depth: int | None = None) -> list[UnitOn]:
    """The units beneath ``root`` (in the user's scope) as they stood on ``on``, in the
    order of their paths then: the tree of that day. ``depth``: levels below the root.
    ``user`` None: every unit beneath (the caller read ``root`` within its user's scope)."""
    start = unit_on(root, on)
    if start is None:
        return []
    units = ((OrgUnit.objects.visible_to(user) if user is not None else OrgUnit.objects.all())
             .filter(active_q(on))
             .annotate(then=path_on(on, "")).filter(subtree_filter(start.path, "then"))
             .order_by("then"))
    states = _states(units, on)
    if depth is not None:
        states = [s for s in states if len(s.path) <= len(start.path) + 8 * depth]
    return states


def children_on(*, user, unit: OrgUnit, on: dt.date) -> tuple[UnitOn | None, list[UnitOn]]:
    """``unit`` and its children as they stood on ``on``."""
    states = tree_on(user=user, root=unit, on=on, depth=1)
    if not states:
        return None, []
    return states[0], [s for s in states[1:] if s.parent_id == unit.pk]


# ---- a unit's history ----------------------------------------------------------------------

@dataclass
class History:
    unit: OrgUnit
    periods: list
    predecessors: list
    successors: list


def unit_history(*, user, unit: OrgUnit) -> History:
    """What ``unit`` was (its earlier names, codes and parents), what it came from and what
    it became. Three queries."""
    periods = list(UnitPeriod.objects.filter(unit=unit).select_related("parent", "reform")
                   .order_by("valid_to"))
    seen = Succession.objects.visible_to(user).select_related("reform")
    before = list(seen.filter(successor=unit).select_related("predecessor"))
    after = list(seen.filter(predecessor=unit).select_related("successor"))
    return History(unit, periods, before, after)


# ---- the reforms -----------------------------------------------------------------------------

def reform_list(*, user) -> QuerySet:
    return Reform.objects.visible_to(user).select_related("unit").order_by("-effective_on",
                                                                           "-id")


def reform_get(*, user, pk) -> Reform:
    return get_visible_or_404(Reform.objects.select_related("unit"), user, pk=pk)


def operation_get(*, user, pk) -> ReformOperation:
    operation = get_object_or_404(ReformOperation.objects.select_related("reform__unit"),
                                  pk=pk)
    reform_get(user=user, pk=operation.reform_id)
    return operation


def operation_units(reform: Reform) -> dict[int, OrgUnit]:
    """The units the reform's operations name, by id (one query), to describe them."""
    ids = {i for op in reform.operations.all() for i in reform_rules.unit_ids(op.params)}
    return {u.pk: u for u in OrgUnit.objects.filter(pk__in=ids)}


def reform_successions(reform: Reform) -> list[Succession]:
    """What the reform's ended units became (one query)."""
    return list(Succession.objects.filter(reform=reform)
                .select_related("predecessor", "successor").order_by("successor__path", "pk"))


# ---- for the pages ---------------------------------------------------------------------------

def new_units(reform: Reform, before: int | None = None) -> list[tuple[str, str]]:
    """The units the reform's operations make (earlier than operation ``before``), as
    references and the names they are given: [("new:2", "新社区1"), ("new:3.1", "东村")]."""
    found = []
    for op in reform.operations.all():
        if before is not None and op.order >= before:
            continue
        if op.kind in ("merge", "create") and not op.params.get("into"):
            found.append((f"new:{op.order}", op.params.get("name") or f"new:{op.order}"))
        elif op.kind == "split":
            for i, part in enumerate(op.params.get("parts") or [], start=1):
                if part.get("into") is None:
                    found.append((f"new:{op.order}.{i}", part.get("name") or f"new:{op.order}.{i}"))
    return found


def holding_labels() -> dict[str, str]:
    """What each key of a run's counts means ("people.person" → "people registered")."""
    from django.utils.translation import gettext as _

    from . import successors

    labels = {h.key: str(h.label) for h in successors.holdings()}
    labels.update({
        "people.active": _("people in the kept counts"),
        "workforce.appointment_ended": _("appointments ended"),
        "workforce.post_ended": _("posts closed"),
        "accounts.user_disabled": _("users disabled"),
    })
    for key, label in list(labels.items()):
        labels[f"{key}.kept"] = _("%(what)s kept by the ended unit") % {"what": label}
    return labels


def children_now(unit: OrgUnit, on: dt.date) -> list[OrgUnit]:
    """The units directly beneath ``unit`` on ``on`` (a split divides them among its parts)."""
    return list(OrgUnit.objects.filter(parent=unit).filter(active_q(on))
                .order_by("code", "name", "pk"))
