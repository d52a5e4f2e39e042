"""What a unit holds, and what becomes of it when a reform ends the unit.

Every table tied to a unit declares here, once, what a reform does with its rows when their
unit ends (merged, split or abolished): they MOVE to the successor, or STAY with the ended
unit as its history (a locked payroll, an issued certificate, a confirmation of that
unit's standard). A table with its own rules (people, posts and appointments, users)
gives a function instead. The apps declare in their AppConfig.ready(), so orgs moves what
belongs to the apps above it without importing them; a test fails when a table with a
unit is declared nowhere (orgs/tests/test_reforms.py).

A row that would break a unique key of the successor (a second annual plan for the same
year) stays with the ended unit, and the preview says so.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

MOVE = "move"
STAY = "stay"


@dataclass
class Handover:
    """What one operation of a reform hands from ``sources`` (ending, or being split) to
    ``target``. ``grids``: a split's part — only the people of these grids (and the
    grids) go; None: everything that remains. ``abolished``: the source's organisation
    ends with it (its appointments close) rather than merging into the target's.
    ``options``: the operation's choices (end_appointments, users). ``result``: what each
    holding moved, kept or closed, filled in by the holdings."""

    reform: object
    sources: list
    target: object
    on: dt.date
    actor: object
    abolished: bool = False
    grids: tuple[int, ...] | None = None
    options: dict = field(default_factory=dict)
    result: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)

    @property
    def whole(self) -> bool:
        return self.grids is None

    @property
    def source_ids(self) -> list[int]:
        return [u.pk for u in self.sources]

    def counted(self, key: str, n: int) -> None:
        if n:
            self.result[key] = self.result.get(key, 0) + n


@dataclass(frozen=True)
class Holding:
    """A table's rows tied to a unit by ``field``, and what a reform does with them.
    ``unique``: the fields that, with the unit, make a unique key (rows whose key the
    successor has already stay). ``where``: only these rows (open ones). ``hand_over``:
    the table's own rules, called instead of the policy. ``finish(unit_ids)``: once after
    every operation, with the units the reform touched (the kept counts are recounted
    there). ``conflicts(unit_ids, on)``: what must be resolved before applying, read after
    the run (a preview's trial run, or the run that is then refused)."""

    key: str
    label: object
    model: type
    field: str = "unit"
    policy: str = MOVE
    unique: tuple[str, ...] = ()
    where: Q | None = None
    hand_over: Callable[[Handover], None] | None = None
    conflicts: Callable[[list[int], dt.date], list[str]] | None = None
    finish: Callable[[list[int]], None] | None = None
    last: bool = False  # runs after every other holding (attachments follow their owners)
    # A choice the operation may make about these rows: (the parameter's name, its label,
    # choices(unit ids, on) -> [(id, label)]) — e.g. which appointments end.
    option: tuple | None = None

    def rows(self, unit_ids):
        qs = self.model._base_manager.filter(**{f"{self.field}__in": unit_ids})
        return qs.filter(self.where) if self.where is not None else qs


_HOLDINGS: dict[str, Holding] = {}


def register(*holdings: Holding) -> None:
    for holding in holdings:
        _HOLDINGS[holding.key] = holding


def holdings() -> list[Holding]:
    return list(_HOLDINGS.values())


def declared_tables() -> set[tuple[type, str]]:
    return {(h.model, h.field) for h in _HOLDINGS.values()}


def move_rows(holding: Holding, handover: Handover) -> None:
    """The MOVE policy: the sources' rows to the target in one UPDATE — or, for a table
    with a unique key, source by source, but for the rows whose key the target already
    holds (they stay, counted as kept)."""
    target = handover.target.pk
    if not holding.rows(handover.source_ids).exists():
        return  # the usual case for most tables: one query, not one a source
    if not holding.unique:
        handover.counted(holding.key, holding.rows(handover.source_ids).update(
            **{holding.field: target}))
        return
    for source in handover.source_ids:
        rows = holding.rows([source])
        clash = holding.model._base_manager.filter(
            **{holding.field: target}, **{name: OuterRef(name) for name in holding.unique})
        handover.counted(f"{holding.key}.kept", rows.filter(Exists(clash)).count())
        handover.counted(holding.key, rows.exclude(Exists(clash)).update(
            **{holding.field: target}))


def hand_over(handover: Handover) -> None:
    """Every holding's rows of ``handover.sources``, as each declares. A split's part
    (``grids``) moves only what the grids hold: the people's own holding knows which."""
    for holding in sorted(_HOLDINGS.values(), key=lambda h: h.last):
        if holding.hand_over is not None:
            holding.hand_over(handover)
        elif holding.policy == MOVE and handover.whole:
            move_rows(holding, handover)


def counts(unit_ids: list[int]) -> dict[int, dict[str, int]]:
    """{unit id: {holding key: rows}} of what these units hold (the preview's "what moves"):
    one query a holding, whatever the number of units."""
    from django.db.models import Count

    found: dict[int, dict[str, int]] = {}
    for holding in _HOLDINGS.values():
        rows = (holding.rows(unit_ids).order_by().values(holding.field)
                .annotate(n=Count("pk")))
        for row in rows:
            found.setdefault(row[holding.field], {})[holding.key] = row["n"]
    return found


def conflicts(unit_ids: list[int], on: dt.date) -> list[str]:
    found = []
    for holding in _HOLDINGS.values():
        if holding.conflicts is not None:
            found += holding.conflicts(unit_ids, on)
    return found


def finish(unit_ids: list[int]) -> None:
    for holding in _HOLDINGS.values():
        if holding.finish is not None:
            holding.finish(unit_ids)


@dataclass(frozen=True)
class Option:
    """A choice an operation may make about the rows of some holding (the parameter it is
    kept in, its label and what may be chosen among the operation's units)."""

    name: str
    label: object
    choices: list


def options(unit_ids: list[int], on: dt.date) -> list[Option]:
    """The choices an operation about ``unit_ids`` may make (the page shows them)."""
    found = []
    for holding in _HOLDINGS.values():
        if holding.option is not None:
            name, label, choices = holding.option
            found.append(Option(name, label, choices(unit_ids, on)))
    return found
