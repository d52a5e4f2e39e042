"""The ledgers a unit keeps (七表一录一记 and the rest of doc3's books), in the order the ledger
book prints them. Each ledger is declared once here, by the app that owns its rows; the
ledger book (ledgers/book.py) reads the counts, the shortfalls and the chapters from these
declarations and names no ledger itself.

    Ledger(key="meetings", title=_("Meetings"), model=Meeting, date_field="held_on",
           list_url="ledgers:meeting_list", chapter="ledgers/book/meetings.html",
           levels={Level.TOWNSHIP, Level.VILLAGE})

- ``model``, ``date_field`` and ``unit_field`` ("unit", or "person__unit" for the register's
  ledgers): a unit's entries of a year are the model's rows at that unit (its own, not its
  subtree's) dated in that year; ``entries`` replaces that when a ledger's
  rows are chosen otherwise.
- ``list_url``: the URL name of the ledger's list, which takes ``?unit=<pk>&year=<year>``
  (``link(unit, year)`` instead, for a list that takes other parameters).
- ``extra``: ``{"expected": False}`` when a year without entries is not a shortfall.
- ``chapter``: the template of its chapter in the printed book (given ``entries``, ``unit``,
  ``year``); None: the book prints the count only.
- ``shortfalls(unit, year, count)``: what the ledger lacks, as sentences (doc3: at least one
  influential activity a year, …); empty when nothing. A shortfall that reads the database
  is declared as ``batch_shortfalls(units, year, counts)`` instead, for every unit of the
  book at once, so that the book's queries do not grow with its units.
- ``levels``: the levels of unit that keep it (a township DPF, a village association…)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count

from orgs.models import Level

KEEPING_LEVELS = frozenset({Level.TOWNSHIP, Level.VILLAGE})


@dataclass(frozen=True)
class Ledger:
    key: str
    title: str
    model: type
    date_field: str
    unit_field: str = "unit"
    list_url: str | None = None
    chapter: str | None = None
    order: int = 100
    short_title: str = ""
    levels: frozenset = KEEPING_LEVELS
    entries: Callable | None = None  # entries(unit_ids, year) -> QuerySet
    shortfalls: Callable | None = None  # shortfalls(unit, year, count) -> list[str]
    # batch_shortfalls(units, year, {unit id: count}) -> {unit id: list[str]}: the same for
    # many units in a fixed number of queries (the book asks for every unit at once).
    batch_shortfalls: Callable | None = None
    chapter_rows: Callable | None = None  # chapter_rows(queryset) -> QuerySet (select_related…)
    link: Callable | None = None  # link(unit, year) -> the list's URL for them
    extra: dict = field(default_factory=dict)

    def year_entries(self, unit_ids, year: int):
        """The rows of ``unit_ids`` (their own) dated in ``year``."""
        if self.entries is not None:
            return self.entries(unit_ids, year)
        return self.model._base_manager.filter(
            **{f"{self.unit_field}__in": list(unit_ids), f"{self.date_field}__year": year})

    def counts(self, unit_ids, year: int) -> dict[int, int]:
        """{unit id: entries of ``year``} for ``unit_ids``, one query."""
        rows = (self.year_entries(unit_ids, year).order_by().values(self.unit_field)
                .annotate(n=Count("pk")).values_list(self.unit_field, "n"))
        return dict(rows)

    def lacks(self, unit, year: int, count: int) -> list[str]:
        """What the ledger of ``unit`` lacks in ``year`` (having ``count`` entries)."""
        if self.batch_shortfalls is not None:
            return list(self.batch_shortfalls([unit], year, {unit.pk: count}).get(unit.pk, []))
        if self.shortfalls is None:
            return []
        return list(self.shortfalls(unit, year, count))

    def lacks_many(self, units, year: int, counts: dict[int, int]) -> dict[int, list[str]]:
        """``lacks`` of each of ``units``: {unit id: sentences}."""
        if self.batch_shortfalls is not None:
            found = self.batch_shortfalls(list(units), year, counts)
            return {unit.pk: list(found.get(unit.pk, [])) for unit in units}
        return {unit.pk: self.lacks(unit, year, counts.get(unit.pk, 0)) for unit in units}


_LEDGERS: dict[str, Ledger] = {}


def register(ledger: Ledger) -> Ledger:
    _LEDGERS[ledger.key] = ledger
    return ledger


def ledgers() -> list[Ledger]:
    """Every declared ledger, in the book's order (declared in each ledger's module, which
    ledgers/apps.py imports when the project starts)."""
    return sorted(_LEDGERS.values(), key=lambda ledger: (ledger.order, ledger.key))


def ledger(key: str) -> Ledger:
    return _LEDGERS[key]
