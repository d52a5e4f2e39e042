"""The import engine shared by every ledger: people, needs, visits, job seekers (and the
workforce and ledger tables later). A ledger describes itself in an ``ImportSpec`` — its
columns, how to check a row, how to write a batch — and the engine does the rest:

* finds the header row (merged two-row headers included) and maps columns by their usual
  Chinese names;
* reads every row, skips blank ones, checks each cell and each row, and reports every bad
  row with its row number, column, value and reason;
* writes in batches inside ONE transaction, so "all or nothing" and "dry run" simply roll
  back, and a job that dies half-way leaves nothing behind;
* writes the rejected rows, with a reason column, to an .xlsx the user can fix and upload.

Memory stays bounded: rows stream through in batches; only the keys needed to find
duplicates inside the file are kept.
"""

import abc
import contextlib
import fcntl
import gc
import multiprocessing
import pickle
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from . import cells
from .text import normalise_text

BATCH = 1000
PIPE_BYTES = 1 << 20  # Linux's largest pipe for an unprivileged process by default
MAX_STORED_ERRORS = 20_000
HEADER_SCAN_ROWS = 20
GC_THRESHOLD = 50_000  # allocations between collections of the youngest objects (default 700)


@dataclass(frozen=True)
class Column:
    field: str
    label: str  # the Chinese header a blank template carries
    aliases: frozenset[str]
    read: Callable[[Any], Any] = cells.text
    required: bool = False
    max_length: int | None = None


@dataclass(slots=True)
class Row:
    number: int
    cells: list
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)  # (field, value, reason)
    extra: dict = field(default_factory=dict)  # what the spec worked out (an existing row…)

    def fail(self, field_name: str, value, reason: str) -> None:
        self.errors.append((field_name, cells.text(value), reason))


@dataclass
class Outcome:
    total: int = 0
    created: int = 0
    updated: int = 0
    bad_rows: int = 0
    error_count: int = 0
    errors: list = field(default_factory=list)  # [row, column label, value, reason]
    applied: bool = False


class ImportSpec(abc.ABC):
    """What a ledger tells the engine. Subclasses set the attributes and override the hooks;
    ``write`` they must provide."""

    kind: str = ""
    title: str = ""
    ledger_name: str = ""  # the Chinese name of the paper ledger (template title)
    permission: str = ""
    columns: list[Column] = []
    key: str | None = None  # a field that must be unique within the file (an ID number)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.field == name)

    def begin(self, ctx: "Context") -> None:  # noqa: B027 - an optional hook
        """Load what every row needs (the units in the user's scope…)."""

    def check_row(self, row: Row, ctx: "Context") -> None:  # noqa: B027 - optional hook
        """Cross-field checks of one row; call ``row.fail`` for each problem."""

    def prepare(self, row: Row, ctx: "Context") -> None:  # noqa: B027 - optional hook
        """Work out what ``write`` will store for a good row (in ``row.extra``)."""

    def values_to_send(self, row: Row, ctx: "Context") -> dict:
        """The values of a good row that check_batch and write use (all, unless a spec says
        less: they are sent from the process that reads the rows)."""
        return row.values

    def check_batch(self, rows: list[Row], ctx: "Context") -> None:  # noqa: B027 - optional
        """Checks against the database for a batch of otherwise good rows."""

    def may_fail_in_batch(self, row: Row, ctx: "Context") -> bool:
        """Whether check_batch may still reject this good row: if so, its cells are sent
        along (for the rejected-rows file); if not, they stay in the reading process.
        Yes, unless a spec knows better."""
        return True

    @abc.abstractmethod
    def write(self, rows: list[Row], ctx: "Context") -> tuple[int, int]:
        """Write a batch of good rows; return (created, updated)."""

    def finish(self, ctx: "Context") -> None:  # noqa: B027 - an optional hook
        """After the last batch, in the same transaction, when what was written is kept
        (work better done once for the whole file: the history of the people written…)."""

    def label(self, field_name: str) -> str:
        for column in self.columns:
            if column.field == field_name:
                return column.label
        return field_name


@dataclass
class Context:
    actor: Any
    update_existing: bool = False
    dry_run: bool = False
    cache: dict = field(default_factory=dict)
    job: Any = None


# ---- the header ---------------------------------------------------------------------------

def _clean_header(value) -> str:
    text = normalise_text(value)
    return "".join(text.split()).replace("(", "（").replace(")", "）")


def match_header(spec: ImportSpec, text: str) -> str | None:
    """The field a header text names, if any."""
    text = _clean_header(text)
    if not text:
        return None
    for column in spec.columns:
        if text in column.aliases or text == column.field:
            return column.field
    return None


def _with_merged(cells_row: list, previous: list | None) -> list[list[str]]:
    """The texts that may name each column: its own cell and, for a two-row header, the
    cell above it carried right across a merged range (merged cells are empty but the first)."""
    width = max(len(cells_row), len(previous or []))
    carried, last = [], ""
    for i in range(width):
        above = _clean_header(previous[i]) if previous and i < len(previous) else ""
        last = above or last
        carried.append(above or last)
    texts = []
    for i in range(width):
        own = _clean_header(cells_row[i]) if i < len(cells_row) else ""
        up = carried[i] if previous else ""
        texts.append([t for t in (own, up + own if own else "", up) if t])
    return texts


def detect_header(spec: ImportSpec, head: list[tuple[int, list]]) -> tuple[int, dict[int, str]]:
    """(header row number, {column index: field}) for the first rows of a sheet: the row
    whose cells name the most columns wins."""
    best_row, best_map = 0, {}
    previous = None
    for number, row in head[:HEADER_SCAN_ROWS]:
        mapping: dict[int, str] = {}
        for index, texts in enumerate(_with_merged(row, previous)):
            for text in texts:
                name = match_header(spec, text)
                if name and name not in mapping.values():
                    mapping[index] = name
                    break
        if len(mapping) > len(best_map):
            best_row, best_map = number, mapping
        if any(not cells.is_blank(c) for c in row):
            previous = row
    return best_row, best_map


# ---- running ------------------------------------------------------------------------------

def _batches(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


@dataclass(frozen=True)
class Plan:
    """How to read a row, worked out once per run: for each mapped column its index, the
    column and the column's field, reader, required and max_length (unpacked: they are used
    for every cell), and the required columns the mapping leaves out (every row then fails
    on them)."""

    cells: tuple
    missing: tuple

    @classmethod
    def make(cls, spec: ImportSpec, mapping: dict[int, str]) -> "Plan":
        mapped = set(mapping.values())
        columns = ((index, spec.column(name)) for index, name in mapping.items())
        return cls(tuple((index, c, c.field, c.read, c.required, c.max_length)
                         for index, c in columns),
                   tuple(c for c in spec.columns if c.required and c.field not in mapped))


def read_row(spec: ImportSpec, row: Row, plan: Plan) -> None:
    raw_cells, values = row.cells, row.values
    width = len(raw_cells)
    for index, column, name, read, required, max_length in plan.cells:
        raw = raw_cells[index] if index < width else None
        try:
            value = read(raw)
        except cells.CellError as exc:
            row.fail(name, raw, str(exc))
            continue
        if value is None or value == "":
            if required:
                row.fail(name, raw, _("%(column)s is required.") % {"column": column.label})
                continue
        elif max_length and type(value) is str and len(value) > max_length:
            row.fail(name, raw, _("Too long: at most %(n)d characters.") % {"n": max_length})
            continue
        values[name] = value
    for column in plan.missing:
        row.fail(column.field, "", _("%(column)s is required.") % {"column": column.label})


def _checked(spec: ImportSpec, ctx: Context, rows: Iterable[tuple[int, list]], plan: Plan,
             header_row: int) -> Iterator[tuple[int, list[Row]]]:
    """(last row number, checked rows) for each batch: every cell read, each row checked on
    its own, keys compared with the rows before. Nothing here touches the database, so it
    runs beside the database work, in a second process (see ``_ahead``)."""
    seen_keys: dict = {}
    key = spec.key
    blank, check_row, prepare = cells.is_blank_row, spec.check_row, spec.prepare
    may_fail = spec.may_fail_in_batch
    for batch in _batches((r for r in rows if r[0] > header_row), BATCH):
        checked: list[Row] = []
        for number, raw_cells in batch:
            if blank(raw_cells):
                continue
            row = Row(number, raw_cells if type(raw_cells) is list else list(raw_cells))
            read_row(spec, row, plan)
            if not row.errors:
                check_row(row, ctx)
            # Keys are remembered from every row whose key cell could be read, bad rows
            # included: a repeat of a rejected row is a repeat all the same.
            value = row.values.get(key) if key else None
            if value:
                compact = compact_key(value)
                first = seen_keys.get(compact)
                if first is not None:
                    row.fail(key, value, _("The same as row %(row)d of this file.")
                             % {"row": first})
                else:
                    seen_keys[compact] = number
            if not row.errors:
                prepare(row, ctx)
            checked.append(row)
        # Sent to the other process as plain tuples, each good row with only the values the
        # database side needs, and its cells only if it may still be rejected: pickling
        # rows, their cells and their dates is most of the cost of sending.
        yield batch[-1][0], [
            (r.number, r.cells, r.values, r.errors, r.extra) if r.errors else
            (r.number, r.cells if may_fail(r, ctx) else None, spec.values_to_send(r, ctx),
             r.errors, r.extra) for r in checked]


def compact_key(value):
    """A key as an int when it is digits (with or without a final X, as in an ID number):
    a million-row file keeps a million keys, and ints take half the memory of strings.
    Different texts give different keys (digit strings with a leading zero stay text)."""
    if isinstance(value, str) and value.isascii() and value[:1] not in ("", "0"):
        if value.isdigit():
            return int(value)
        if value[-1] == "X" and value[:-1].isdigit():
            return -int(value[:-1]) - 1
    return value


def _no_queries(execute, sql, params, many, context):
    raise RuntimeError("Reading and checking rows must not query the database (it runs in a "
                       "second process, outside the import's transaction): load what is "
                       "needed in begin(), or check it in check_batch().")


class ReaderStopped(RuntimeError):
    """The process reading and checking the rows ended without finishing."""


def _sendable(exc: BaseException) -> BaseException:
    try:
        pickle.dumps(exc)
    except Exception:  # noqa: BLE001 - anything unpicklable is sent as its text
        return RuntimeError("".join(traceback.format_exception(exc)))
    return exc


def _ahead(produce: Callable[[], Iterator]) -> Iterator:
    """The items of ``produce()``, worked out ahead in a second process (forked, so it has
    the spec, the context and the open file): reading and checking rows is pure Python and
    would otherwise wait for the database, and the database for it; two threads would share
    one interpreter lock. The process sends each item down a pipe from its only thread (a
    queue's feeder thread would fight it for the lock), the pipe widened so that it runs a
    few batches ahead; it sends an error it meets, and is stopped if this side stops early.
    Where fork is not available the rows are read here, one after the other."""
    if "fork" not in multiprocessing.get_all_start_methods() or \
            multiprocessing.current_process().daemon:
        yield from produce()
        return
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    try:
        fcntl.fcntl(sender.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (AttributeError, OSError):
        pass  # a narrower pipe only means less reading ahead

    def work():
        receiver.close()
        # The reader lives as long as the import and makes almost no reference cycles (some
        # 5,000 objects in cycles for 100,000 rows, measured): collecting them would cost
        # more than the memory they hold until the process ends.
        gc.disable()
        try:
            with connection.execute_wrapper(_no_queries):
                for item in produce():
                    sender.send(("item", item))
            sender.send(("done", None))
        except BaseException as exc:  # noqa: BLE001 - handed to the parent
            sender.send(("error", _sendable(exc)))
        sender.close()

    process = context.Process(target=work, name="import-reader", daemon=True)
    process.start()
    sender.close()  # the child's end: when the child is gone, reading here ends
    try:
        while True:
            try:
                kind, item = receiver.recv()
            except EOFError:
                process.join()
                raise ReaderStopped(f"exit code {process.exitcode}") from None
            if kind == "done":
                return
            if kind == "error":
                raise item
            yield item
    finally:
        if process.is_alive():
            process.terminate()
        process.join()
        receiver.close()


def run(*, spec: ImportSpec, ctx: Context, rows: Iterable[tuple[int, list]],
        mapping: dict[int, str], header_row: int, mode: str = "all",
        progress: Callable[[int], None] | None = None,
        rejected: Any = None) -> Outcome:
    """Import every row after ``header_row``. ``rejected`` (a RejectedRows) receives each bad
    row; ``progress(rows done)`` is called after each batch. Rows are read and checked in a
    second process (``_checked``) while this one checks them against the database and writes
    them, all in one transaction."""
    outcome = Outcome()
    plan = Plan.make(spec, mapping)
    spec.begin(ctx)
    with _fewer_collections(), transaction.atomic():
        _check_constraints_per_statement()
        for last, sent in _ahead(lambda: _checked(spec, ctx, rows, plan, header_row)):
            checked = [Row(*fields) for fields in sent]
            outcome.total += len(checked)
            good = [r for r in checked if not r.errors]
            if good:
                spec.check_batch(good, ctx)
                good = [r for r in good if not r.errors]
            bad = [r for r in checked if r.errors]
            if good and not (ctx.dry_run or (mode == "all" and (outcome.bad_rows or bad))):
                created, updated = spec.write(good, ctx)
                outcome.created += created
                outcome.updated += updated
            elif good:
                # Nothing will be kept; count what would have been written.
                outcome.created += sum(1 for r in good if not r.extra.get("existing"))
                outcome.updated += sum(1 for r in good if r.extra.get("existing"))
            for row in bad:
                outcome.bad_rows += 1
                for name, value, reason in row.errors:
                    outcome.error_count += 1
                    if len(outcome.errors) < MAX_STORED_ERRORS:
                        outcome.errors.append([row.number, spec.label(name),
                                               cells.printable(value),
                                               cells.printable(reason)])
                if rejected is not None:
                    rejected.add(row, [f"{spec.label(n)}：{r}" for n, _v, r in row.errors])
            if progress is not None:
                progress(last)
        keep = not ctx.dry_run and not (mode == "all" and outcome.bad_rows)
        if keep:
            spec.finish(ctx)
        else:
            transaction.set_rollback(True)
    outcome.applied = keep
    return outcome


def _check_constraints_per_statement() -> None:
    """On PostgreSQL, foreign keys (deferred until the commit, as Django makes them) are
    checked as each batch is written, for the rest of the import's transaction: the checks
    then run while the other process reads the next batch, instead of all after the last
    one (for 100,000 people, some 300,000 checks: a second at the commit, measured). Nothing
    an import writes refers to a row it writes later, so nothing needs them deferred."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@contextlib.contextmanager
def _fewer_collections():
    """An import makes millions of short-lived objects (cells, rows, tuples) and few cycles.
    With Python's default thresholds the cyclic garbage collector runs every 700 of them and
    often walks every object the process holds (Django, the spec's indexes): a quarter of
    the time of reading a row, and two thirds of unpacking one on the database side. So what
    exists before the import is frozen out of the collector's view (before the reader is
    forked, which also keeps those pages shared) and it runs less often until the end."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


class RejectedRows:
    """The bad rows of an import, as they were, with a reason column: an .xlsx to correct
    and upload again. Written with openpyxl's streaming writer."""

    def __init__(self, header: list):
        from openpyxl import Workbook

        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet(_("Rejected rows"))
        self.width = len(header)
        self.sheet.append([cells.text(h) for h in header] + [_("Row"), _("Reason")])
        self.count = 0

    def add(self, row: Row, reasons: list[str]) -> None:
        if row.cells is None:
            raise RuntimeError(f"row {row.number} was rejected by check_batch, but its spec's "
                               "may_fail_in_batch said it could not be: its cells were not kept")
        values = [cells.printable(_as_text_if_long(v)) for v in row.cells[: self.width]]
        values += [None] * (self.width - len(values))
        self.sheet.append(values + [row.number, cells.printable("；".join(reasons))])
        self.count += 1

    def save(self, target) -> None:
        self.workbook.save(target)


def _as_text_if_long(value):
    """Keep long digit strings (IDs) as text so Excel does not mangle them again."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value)) if abs(value) >= 1e10 else value
    return value
