"""Reading and checking the rows of a ledger, in a second process.

Every cell is read by its column's reader, each row checked by the spec's ``check_row``
and its key compared with the rows before, and each good row turned into what the
database takes (``record``, then a COPY line or an adapted tuple). Nothing here touches the
database — it runs beside the database work, in a forked process (``ahead``) — and what
crosses back is small: a good row's number, key and insert line; a bad row's number, cells
and errors, each error with its cell's own text.
"""

import fcntl
import gc
import multiprocessing
import pickle
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.db import connection
from django.utils.translation import gettext as _

from core import cells

from .spec import ImportSpec

BATCH = 1000
PIPE_BYTES = 1 << 20  # Linux's largest pipe for an unprivileged process by default
# Excel's own limit for a cell; a longer one is a row error (and never stored whole).
MAX_CELL = 32_767
SHOWN = 200  # characters of a cell's text kept in an error


def _batches(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def shown(value) -> str:
    """A cell's own text as an error shows it (bounded, control characters removed)."""
    text = cells.text(value)
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"


@dataclass(frozen=True)
class Plan:
    """How to read a row, worked out once per run: for each mapped column its index and the
    column's field, label, reader, required and max_length (unpacked: they are used for
    every cell); the required columns the mapping leaves out (every row then fails on
    them); and where each field's cell is (for the text of an error)."""

    cells: tuple
    missing: tuple
    index: dict

    @classmethod
    def make(cls, spec, mapping: dict[int, str]) -> "Plan":
        mapped = set(mapping.values())
        columns = [(index, spec.column(name)) for index, name in mapping.items()]
        return cls(tuple((index, c.field, c.label, c.read, c.required, c.max_length)
                         for index, c in columns),
                   tuple(c for c in spec.columns if c.required and c.field not in mapped),
                   {name: index for index, name in mapping.items()})

    def text_of(self, raw_cells: list, field_name: str) -> str:
        index = self.index.get(field_name)
        return shown(raw_cells[index]) if index is not None and index < len(raw_cells) else ""


def read_row(plan: Plan, raw_cells: list) -> tuple[dict, list]:
    """(values, errors): every mapped cell read; errors as (field, cell text, reason)."""
    values, errors = {}, []
    width = len(raw_cells)
    for index, name, label, read, required, max_length in plan.cells:
        raw = raw_cells[index] if index < width else None
        if type(raw) is str and len(raw) > MAX_CELL:
            errors.append((name, shown(raw), _(
                "The cell holds %(n)d characters; Excel's limit is 32,767.") % {"n": len(raw)}))
            continue
        try:
            value = read(raw)
        except cells.CellError as exc:
            errors.append((name, shown(raw), str(exc)))
            continue
        if value is None or value == "":
            if required:
                errors.append((name, shown(raw), _("%(column)s is required.")
                               % {"column": label}))
                continue
        elif max_length and type(value) is str and len(value) > max_length:
            errors.append((name, shown(raw), _("Too long: at most %(n)d characters.")
                           % {"n": max_length}))
            continue
        values[name] = value
    for column in plan.missing:
        errors.append((column.field, "", _("%(column)s is required.")
                       % {"column": column.label}))
    return values, errors


def checked_batches(spec, state, rows: Iterable[tuple[int, list]], plan: Plan, header_row: int,
                    *, build: Callable | None, send_record: bool) -> Iterator[tuple[int, list]]:
    """(last row number, items) for each batch of rows after ``header_row``. An item is
    (number, cells, errors) for a bad row, (number, key, line, record) for a good one:
    ``line`` what ``build`` makes of its record (None without a builder), ``record`` sent
    only when the database side needs it (``send_record``)."""
    seen_keys: dict = {}
    key = spec.key
    blank, check_row, record = cells.is_blank_row, spec.check_row, spec.record
    row_key = None if type(spec).row_key is ImportSpec.row_key else spec.row_key
    for batch in _batches((r for r in rows if r[0] > header_row), spec.batch_size):
        items = []
        for number, raw_cells in batch:
            if blank(raw_cells):
                continue
            values, errors = read_row(plan, raw_cells)
            if not errors:
                for name, reason in check_row(values, state).items():
                    errors.append((name, plan.text_of(raw_cells, name), reason))
            # Keys are remembered from every row whose key cell could be read, bad rows
            # included: a repeat of a rejected row is a repeat all the same.
            value = values.get(key) if key else None
            if value:
                compact = compact_key(value)
                first = seen_keys.get(compact)
                if first is not None:
                    errors.append((key, plan.text_of(raw_cells, key),
                                   _("The same as row %(row)d of this file.") % {"row": first}))
                else:
                    seen_keys[compact] = number
            if errors:
                items.append((number, raw_cells if type(raw_cells) is list else list(raw_cells),
                              errors))
                continue
            fields = record(values, state)
            items.append((number, value if row_key is None else row_key(value, fields),
                          build(fields) if build is not None else None,
                          fields if send_record else None))
        yield batch[-1][0], items


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


def ahead(produce: Callable[[], Iterator]) -> Iterator:
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


