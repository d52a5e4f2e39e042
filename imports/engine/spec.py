"""What a ledger tells the import engine: its columns and four small functions.

The smallest real example is ``orgs.imports.ProfileImport``; the register's ledgers are in
``people.imports``. A spec says:

* ``model``, ``columns`` (each with the Chinese headers counties use), ``key`` (a field that
  must be unique within the file), ``permission``, ``supports_update``;
* ``begin(ctx)``: load, once, what every row needs (the user's villages…), returned as the
  spec's own typed state object;
* ``check_row(values, state)``: pure — the problems of one row as {field: message}, calling
  the app's rules module; it may add derived values to ``values``;
* ``check_batch(rows, state)``: optional checks against the database for a batch of rows
  that passed ``check_row`` (``row.fail(field, message)``; ``row.existing = pk`` for a row
  to update, ``row.unchanged = True`` for one the system holds as it is);
* ``record(values, state)``: the model's field values for a good row;
* ``after_batch(written, state)``: optional, what the new rows of each batch change
  elsewhere (their history, kept counts), by the keys the rows were inserted with;
* ``after_write(state)``: optional, once, after the last row, when the rows are kept
  (the history of what was written).

The engine owns the rest: reading, header detection, batching, the second process, the
fast insert, the rejected-rows file, progress, modes and the transaction.
"""

import abc
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core import cells


@dataclass(frozen=True)
class Column:
    field: str
    label: str  # the Chinese header a blank template carries
    aliases: frozenset[str]
    read: Callable[[Any], Any] = cells.text
    required: bool = False
    max_length: int | None = None
    kind: str = "text"  # text | id (long digits, kept as text in templates) | date
    personal: bool = False  # a person's ID or certificate number: masked on every page


def aliases(*names: str) -> frozenset[str]:
    return frozenset(names)


@dataclass
class Context:
    """Who imports, for which job, how. ``actor`` is a user (or the system actor)."""

    actor: Any
    job: Any = None
    update_existing: bool = False
    dry_run: bool = False
    today: dt.date | None = None
    now: dt.datetime | None = None


@dataclass(slots=True)
class Row:
    """A row that passed its own checks, on the side that checks against the database and
    writes: its number, its key (``spec.key``'s value), what ``record`` gave (``record``,
    or the ready-made insert line in ``line``), what check_batch decided, and once
    inserted, its primary key."""

    number: int
    key: Any = None
    line: Any = None
    record: dict | None = None
    pk: Any = None  # the primary key the row was inserted with (for after_batch)
    existing: Any = None  # the primary key of the row to update, in update mode
    unchanged: bool = False  # the system holds this row already, as it is: nothing to do
    errors: list = field(default_factory=list)  # (field, reason)

    def fail(self, field_name: str, reason: str) -> None:
        self.errors.append((field_name, reason))


class ImportSpec(abc.ABC):
    kind: str = ""
    title: str = ""
    ledger_name: str = ""  # the Chinese name of the paper ledger (template title)
    permission: str = ""
    model = None
    columns: list[Column] = []
    key: str | None = None
    supports_update: bool = False
    update_label: str = ""  # the update option's label on the page, when supported
    batch_size: int = 1000  # rows checked against the database and written at a time
    order: int = 50  # where the ledger comes in the list of ledgers (the register first)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.field == name)

    def label(self, field_name: str) -> str:
        for column in self.columns:
            if column.field == field_name:
                return column.label
        return field_name

    def begin(self, ctx: Context) -> Any:
        """The state every row needs, loaded once (a spec returns its own dataclass)."""
        return ctx

    def fixed(self, state) -> dict:
        """Values the same in every inserted row (who imported, when, which job)."""
        return {}

    def check_row(self, values: dict, state) -> dict[str, str]:
        """The problems of one row, {field: message}; may add derived values."""
        return {}

    def check_batch(self, rows: list[Row], state) -> None:  # noqa: B027 - optional hook
        """Checks against the database of rows that passed check_row."""

    @abc.abstractmethod
    def record(self, values: dict, state) -> dict:
        """The model's field values for one good row."""

    def row_key(self, value, record: dict):
        """What a good row's key crosses to the database side as (``Row.key``): the key
        itself, or what ``record`` made of it (a spec keyed by a sealed number sends the
        number's lookup hash, already computed where the rows are read)."""
        return value

    def update(self, rows: list[Row], state) -> int:
        """Update the rows that check_batch found existing (``row.existing``); the count
        changed. Only for a spec with ``supports_update``."""
        raise TypeError(f"{type(self).__name__} does not update rows")

    def write(self, rows: list[Row], state) -> int:
        """Write new rows. The engine inserts ``record`` by the database's fastest path; a
        spec whose rows depend on each other (a unit and its parent) writes them itself
        by overriding this, and is then handed ``row.record``."""
        raise AssertionError("the engine writes rows itself unless a spec overrides write")

    def after_batch(self, written: list[Row], state) -> None:  # noqa: B027 - optional
        """After each batch is written (new rows and updates), in the same transaction:
        what the rows change elsewhere (the register's kept counts) is written with them.
        ``written`` are the batch's new rows, each with its ``pk`` (a spec that writes its
        rows itself sets the keys it wants there)."""

    def after_write(self, state) -> None:  # noqa: B027 - an optional hook
        """Once, after the last batch, in the same transaction, when the rows are kept."""

    @property
    def writes_itself(self) -> bool:
        return type(self).write is not ImportSpec.write
