"""The rules of the funds ledger (经费台账), pure: values in, ``{field: message}`` or
derived values out. The service, the form, the import spec and the demo call them.

- An amount is positive, in yuan with at most two decimals (fen), below 10 billion.
- An entry's year is the year of its date.
- A transfer down with a task (费随事转) goes from a unit to a unit strictly beneath it in
  the tree; money received or spent names no unit it goes to.
- ``branch_totals`` computes a unit's yearly totals, for itself and for each child's
  subtree, from grouped rows: a transfer inside a subtree is money out of one of its units
  and into another, so it cancels in the subtree's total and is never counted twice."""

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .funds_choices import FundFlow, FundKind

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999.99")
OWN = "own"  # the branch of the unit itself (its own entries)


def parse_amount(value) -> tuple[Decimal | None, str | None]:
    """An amount as typed or as read from a workbook: 9000, "9,000.00", "9000元", "0.9万"
    (doc1's way of writing 9,000 yuan). Returns (amount, None) or (None, the problem)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, _("Enter the amount in yuan.")
    if isinstance(value, bool):
        return None, _("The amount must be a number of yuan, e.g. 9000 or 0.9万.")
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = str(value).strip().replace(",", "").replace("，", "").replace(" ", "")
        text = text.removesuffix("元")
        scale = Decimal(1)
        if text.endswith("万"):
            text, scale = text[:-1], Decimal(10000)
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
            return None, _("The amount must be a number of yuan, e.g. 9000 or 0.9万.")
        try:
            number = Decimal(text) * scale
        except InvalidOperation:
            return None, _("The amount must be a number of yuan, e.g. 9000 or 0.9万.")
    problem = amount_problem(number)
    return (None, problem) if problem else (number.quantize(CENT), None)


def amount_problem(amount) -> str | None:
    """What is wrong with an amount of yuan, or None."""
    if amount is None:
        return _("Enter the amount in yuan.")
    try:
        amount = Decimal(str(amount))
    except InvalidOperation:
        return _("The amount must be a number of yuan, e.g. 9000 or 0.9万.")
    if not amount.is_finite():
        return _("The amount must be a number of yuan, e.g. 9000 or 0.9万.")
    if amount <= 0:
        return _("The amount must be more than 0 yuan.")
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        return _("The amount has at most two decimals (yuan and fen).")
    if amount > MAX_AMOUNT:
        return _("The amount is too large: at most 9,999,999,999.99 yuan.")
    return None


def is_strictly_below(path: str, ancestor_path: str) -> bool:
    """Whether the unit at ``path`` is in the subtree of the one at ``ancestor_path`` and
    is not that unit (materialised paths, core/scope.py)."""
    return bool(path) and bool(ancestor_path) and path != ancestor_path \
        and path.startswith(ancestor_path)


def entry_problems(values: dict, *, unit_path: str, counterpart_path: str | None,
                   today: dt.date) -> dict[str, str]:
    """What is wrong with a funds entry: ``values`` has kind, flow, amount, occurred_on,
    year, summary; ``unit_path`` is the path of the entry's unit, ``counterpart_path`` the
    path of the unit a transfer goes to (None: no such unit)."""
    problems: dict[str, str] = {}
    if values.get("kind") not in FundKind.values:
        problems["kind"] = _("Choose the kind of funds.")
    flow = values.get("flow")
    if flow not in FundFlow.values:
        problems["flow"] = _("Choose whether the money was received, spent or transferred "
                             "down.")
    problem = amount_problem(values.get("amount"))
    if problem:
        problems["amount"] = problem
    day = values.get("occurred_on")
    if not isinstance(day, dt.date):
        problems["occurred_on"] = _("Enter the date of the entry.")
    elif day > today:
        problems["occurred_on"] = _("The date cannot be after today.")
    year = values.get("year")
    if isinstance(day, dt.date) and year not in (None, "") and int(year) != day.year:
        problems["year"] = _("The year must be the year of the date (%(year)s).") % {
            "year": day.year}
    if not (values.get("summary") or "").strip():
        problems["summary"] = _("Say what the money is for (the summary).")
    if flow == FundFlow.TRANSFER:
        if counterpart_path is None:
            problems["counterpart"] = _("Choose the unit beneath that the money and the task "
                                        "go to.")
        elif not is_strictly_below(counterpart_path, unit_path):
            problems["counterpart"] = _("Money transferred with a task goes to a unit beneath "
                                        "the paying unit, not to itself or above it.")
    elif flow in FundFlow.values and counterpart_path is not None:
        problems["counterpart"] = _("Only a transfer down names the unit the money goes to.")
    return problems


def void_problems(*, reason: str, voided: bool) -> dict[str, str]:
    if voided:
        return {"reason": _("This entry was voided already.")}
    if not (reason or "").strip():
        return {"reason": _("Say why the entry is voided.")}
    return {}


# ---- the totals -------------------------------------------------------------------------------

@dataclass
class Totals:
    """One unit's (or subtree's) money of a year: received from outside the tree,
    transferred in from above, spent, transferred down out of it, and what is left."""

    received: Decimal = Decimal("0.00")
    transferred_in: Decimal = Decimal("0.00")
    spent: Decimal = Decimal("0.00")
    transferred_out: Decimal = Decimal("0.00")

    @property
    def balance(self) -> Decimal:
        return self.received + self.transferred_in - self.spent - self.transferred_out

    @property
    def empty(self) -> bool:
        return not (self.received or self.transferred_in or self.spent or self.transferred_out)

    def __add__(self, other: "Totals") -> "Totals":
        return Totals(self.received + other.received,
                      self.transferred_in + other.transferred_in,
                      self.spent + other.spent, self.transferred_out + other.transferred_out)


@dataclass(frozen=True)
class FlowRow:
    """Grouped money: ``amount`` of ``kind`` moving by ``flow``, paid by a unit of branch
    ``payer`` (the entry's unit) and, for a transfer, to one of branch ``payee``. A branch is
    OWN (the unit itself), a child's key (its subtree) or None (outside the subtree)."""

    kind: str
    flow: str
    payer: object
    payee: object
    amount: Decimal


@dataclass
class BranchTotals:
    """{kind: Totals} per branch (OWN and each child's key) and for the whole subtree."""

    branches: dict = field(default_factory=dict)  # {branch: {kind: Totals}}
    total: dict = field(default_factory=dict)  # {kind: Totals}

    def of(self, branch, kind=None) -> Totals:
        """A branch's totals of ``kind`` (None: every kind added up)."""
        per_kind = self.branches.get(branch, {})
        if kind is not None:
            return per_kind.get(kind, Totals())
        return sum(per_kind.values(), Totals())

    def whole(self, kind=None) -> Totals:
        if kind is not None:
            return self.total.get(kind, Totals())
        return sum(self.total.values(), Totals())


def branch_totals(rows: Iterable[FlowRow], branches: Iterable = ()) -> BranchTotals:
    """The totals of OWN, of each branch and of the whole subtree from grouped ``rows``.

    A branch (and the whole) counts what was received and spent by its units, a transfer
    into it from a unit outside it as transferred in, and a transfer out of it to a unit
    outside it as transferred out; a transfer between two of its units counts neither.
    So a subtree's balance is the sum of its branches' balances, and its received and
    spent are the sums of theirs."""
    result = BranchTotals()
    for branch in (OWN, *branches):
        result.branches.setdefault(branch, {})

    def at(branch, kind) -> Totals:
        return result.branches.setdefault(branch, {}).setdefault(kind, Totals())

    def whole(kind) -> Totals:
        return result.total.setdefault(kind, Totals())

    for row in rows:
        amount = Decimal(row.amount or 0)
        if row.flow == FundFlow.TRANSFER:
            if row.payer is not None and row.payer != row.payee:
                at(row.payer, row.kind).transferred_out += amount
            if row.payee is not None and row.payee != row.payer:
                at(row.payee, row.kind).transferred_in += amount
            if row.payer is None and row.payee is not None:
                whole(row.kind).transferred_in += amount
            elif row.payer is not None and row.payee is None:
                whole(row.kind).transferred_out += amount
            continue
        if row.payer is None:
            continue  # not the subtree's own money
        if row.flow == FundFlow.RECEIVED:
            at(row.payer, row.kind).received += amount
            whole(row.kind).received += amount
        elif row.flow == FundFlow.SPENT:
            at(row.payer, row.kind).spent += amount
            whole(row.kind).spent += amount
    return result
