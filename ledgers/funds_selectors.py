"""Reads of the funds ledger: each starts from ``visible_to`` (core/scope.py), where a
transfer down is seen from both its paying unit and the unit it went to.

``fund_totals`` is the yearly totals of a unit, for itself and for each child's subtree:
a fixed number of queries (the children, then one GROUP BY of the subtree's entries by
kind, movement and the branch of the paying and of the receiving unit), whatever the
number of units and entries; ledgers/funds_rules.branch_totals adds them up."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Substr

from core.scope import SEGMENT_WIDTH, get_visible_or_404, subtree_filter
from orgs.models import OrgUnit

from . import funds_rules as rules
from .funds_choices import FundKind
from .models import FundEntry


def fund_entry_list(*, user, filters=None) -> QuerySet:
    from .funds_filters import FundEntryFilterSet

    qs = FundEntry.objects.visible_to(user).select_related("unit", "counterpart")
    return FundEntryFilterSet.apply(qs, filters, user=user)


def fund_entry_get(*, user, pk) -> FundEntry:
    return get_visible_or_404(
        FundEntry.objects.select_related("unit", "counterpart", "created_by", "voided_by"),
        user, pk=pk)


@dataclass
class TotalsRow:
    """One line of the totals: the unit itself (``own``) or a child's subtree."""

    unit: OrgUnit
    own: bool
    totals: rules.Totals
    by_kind: dict  # {kind: Totals}


@dataclass
class FundTotals:
    unit: OrgUnit
    year: int
    kind: str | None
    rows: list[TotalsRow]
    total: rules.Totals
    total_by_kind: dict
    computed: rules.BranchTotals

    @property
    def kinds(self) -> list[tuple[str, str]]:
        return [(value, label) for value, label in FundKind.choices
                if self.kind in (None, "", value)]


def flow_rows(unit: OrgUnit, year: int, kind: str | None = None) -> list[rules.FlowRow]:
    """The year's live entries of ``unit``'s subtree, and the transfers into it from above,
    grouped by kind, movement and the branch (OWN, a child's path, None outside) of the
    paying and of the receiving unit: one query."""
    width = len(unit.path) + SEGMENT_WIDTH
    units = OrgUnit._base_manager.filter(subtree_filter(unit.path)).order_by().values("pk")
    qs = FundEntry._base_manager.filter(Q(unit_id__in=units) | Q(counterpart_id__in=units),
                                        year=year, voided=False)
    if kind:
        qs = qs.filter(kind=kind)
    grouped = (qs.order_by()
               .annotate(payer_branch=Substr("unit__path", 1, width),
                         payee_branch=Substr("counterpart__path", 1, width))
               .values("kind", "flow", "payer_branch", "payee_branch")
               .annotate(total=Sum("amount")))

    def branch(path):
        if path is None or not path.startswith(unit.path):
            return None
        return rules.OWN if path == unit.path else path

    return [rules.FlowRow(kind=row["kind"], flow=row["flow"], payer=branch(row["payer_branch"]),
                          payee=branch(row["payee_branch"]), amount=row["total"])
            for row in grouped]


def fund_totals(*, user, unit: OrgUnit, year: int, kind: str | None = None) -> FundTotals:
    """``unit``'s funds of ``year`` (``kind``: one kind only): its own line, a line per
    child's subtree (a child that has ended shows only when it has money), the total.
    ``unit`` must be in the user's scope (the caller fetched it with orgs' unit_get)."""
    if not OrgUnit.objects.visible_to(user).filter(pk=unit.pk).exists():
        from django.http import Http404

        raise Http404
    children = list(OrgUnit._base_manager.filter(parent=unit).order_by("code", "name", "pk"))
    active = set(OrgUnit.objects.active().filter(parent=unit).values_list("pk", flat=True))
    computed = rules.branch_totals(flow_rows(unit, year, kind), [c.path for c in children])
    kinds = [k for k in FundKind.values if kind in (None, "", k)]

    def line(branch, row_unit, own):
        by_kind = {k: computed.of(branch, k) for k in kinds}
        return TotalsRow(unit=row_unit, own=own, totals=sum(by_kind.values(), rules.Totals()),
                         by_kind=by_kind)

    rows = [line(rules.OWN, unit, True)]
    for child in children:
        row = line(child.path, child, False)
        if child.pk in active or not row.totals.empty:
            rows.append(row)
    total_by_kind = {k: computed.whole(k) for k in kinds}
    return FundTotals(unit=unit, year=year, kind=kind or None, rows=rows,
                      total=sum(total_by_kind.values(), rules.Totals()),
                      total_by_kind=total_by_kind, computed=computed)


def with_export_relations(queryset):
    return queryset.select_related("unit", "counterpart")
