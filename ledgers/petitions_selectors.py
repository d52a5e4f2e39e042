"""Reads of letters and visits (来信来访): every one starts from ``visible_to`` (core/scope.py).

The overdue are the open petitions past their deadline (rules.petition_overdue). They are
flagged to the level above: a village's to its township, a township's to its county
(``overdue_flagged``), whose users see them counted on their home page (``home_figures``,
which reports' home view calls) and listed."""

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from core.scope import get_visible_or_404
from orgs.models import Level

from .models import Petition, PetitionCategory, PetitionEvent
from .petitions_choices import OPEN


def overdue_q(today: dt.date) -> Q:
    """Open and past the deadline (what rules.petition_overdue says, as a condition)."""
    return Q(status__in=sorted(OPEN), deadline__lt=today)


def _filtered(queryset, filters, *, user):
    from .petitions_filters import PetitionFilterSet

    return PetitionFilterSet.apply(queryset, filters, user=user)


def petition_list(*, user, filters=None) -> QuerySet:
    """The petitions ``user`` may see, filtered; what a row of the list shows, with its unit
    and category in the same query."""
    qs = Petition.objects.visible_to(user).select_related("unit", "category")
    return _filtered(qs, filters, user=user)


def overdue_flagged(*, user, filters=None) -> QuerySet:
    """The overdue petitions of the units directly beneath ``user``'s (flagged to their
    level), filtered."""
    today = timezone.localdate()
    qs = (Petition.objects.visible_to(user).filter(overdue_q(today))
          .filter(unit__parent_id=user.unit_id).select_related("unit", "category")
          .order_by("deadline", "id"))
    return _filtered(qs, filters, user=user)


def petition_get(*, user, pk) -> Petition:
    """A petition in ``user``'s scope, with what its page shows, or 404."""
    return get_visible_or_404(
        Petition.objects.select_related("unit", "category", "person", "handler", "earlier",
                                        "earlier__category", "created_by"), user, pk=pk)


def petition_events(petition: Petition) -> list[PetitionEvent]:
    return list(PetitionEvent.objects.filter(petition=petition).select_related("actor")
                .order_by("at", "id"))


def petition_later(*, user, petition: Petition) -> list[Petition]:
    """The petitions linked to ``petition`` as their earlier one, that ``user`` may see."""
    return list(Petition.objects.visible_to(user).filter(earlier=petition)
                .select_related("category", "unit").order_by("received_on", "id"))


def petition_earlier(*, user, petition: Petition) -> Petition | None:
    """The earlier petition ``petition`` is linked to, if ``user`` may see it."""
    if petition.earlier_id is None:
        return None
    return (Petition.objects.visible_to(user).filter(pk=petition.earlier_id)
            .select_related("category", "unit").first())


def home_figures(*, user) -> dict | None:
    """For the home page: the overdue petitions flagged to the user's unit (of the units
    directly beneath it) and the overdue at the unit itself. None for a user who may not
    count petitions. One query."""
    if user.unit_id is None or not (user.has_perm("ledgers.count_petition")
                                    or user.has_perm("ledgers.view_petition")):
        return None
    today = timezone.localdate()
    counts = (Petition.objects.visible_to(user).filter(overdue_q(today))
              .filter(Q(unit_id=user.unit_id) | Q(unit__parent_id=user.unit_id))
              .aggregate(below=Count("pk", filter=Q(unit__parent_id=user.unit_id)),
                         own=Count("pk", filter=Q(unit_id=user.unit_id))))
    return {"overdue_below": counts["below"] or 0, "overdue_own": counts["own"] or 0,
            "may_view": user.has_perm("ledgers.view_petition"),
            "village": user.unit.level >= Level.VILLAGE}


def categories_for(*, user) -> QuerySet:
    """The categories ``user`` chooses from: the defaults and their regions' (their unit
    and its ancestors'), in use."""
    from .petitions_services import category_choices

    return category_choices(user.unit).select_related("parent")


def category_list(*, user) -> list[PetitionCategory]:
    """Every category ``user`` reads on the categories page (in use or not): the defaults,
    those of their unit's ancestors and of their own subtree; parents before children."""
    regions = Q(unit__isnull=True)
    if user.unit is not None:
        regions |= Q(unit_id__in=user.unit.ancestor_ids)
        regions |= Q(pk__in=PetitionCategory.objects.visible_to(user).values("pk"))
    rows = list(PetitionCategory._base_manager.filter(regions).select_related("unit", "parent"))
    by_parent: dict = {}
    for row in rows:
        by_parent.setdefault(row.parent_id, []).append(row)
    ordered = []

    def walk(parent_id, depth):
        for row in sorted(by_parent.get(parent_id, []), key=lambda c: (c.order, c.name, c.pk)):
            row.depth = depth
            ordered.append(row)
            walk(row.pk, depth + 1)

    walk(None, 0)
    return ordered


def category_get(*, user, pk) -> PetitionCategory:
    """A category of a region in ``user``'s subtree (the defaults are changed by the
    province's administrators only: for the others they are a 404 here)."""
    return get_visible_or_404(PetitionCategory.objects.select_related("unit", "parent"), user,
                              pk=pk)


def year_open_overdue(unit_ids, year: int) -> QuerySet:
    """The petitions of ``unit_ids`` still open at the end of ``year`` past their deadline:
    received by 31 December, due before it, not replied by then, not refused."""
    end = dt.date(year, 12, 31)
    return (Petition._base_manager.filter(unit_id__in=list(unit_ids), received_on__lte=end,
                                          deadline__lt=end)
            .exclude(replied_on__lte=end).exclude(status="not_accepted", closed_on__lte=end))

