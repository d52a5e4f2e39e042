"""Running an import: rows read and checked in a second process (``reading``), checked
against the database and written here, in batches, inside ONE transaction — so "all or
nothing" and "dry run" simply roll back, and a job that dies half-way leaves nothing behind.
Bad rows go, with a reason column, to an .xlsx the user can correct and upload again."""

import contextlib
import gc
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from core import cells

from .fastinsert import RowBuilder, insert_columns, insert_rows, insert_rows_with_keys
from .reading import Plan, ahead, checked_batches
from .spec import Context, ImportSpec, Row

# The first errors are kept with the job (the page shows them); all of them, with the
# rows, are in the rejected-rows file.
MAX_STORED_ERRORS = 1000
GC_THRESHOLD = 50_000  # allocations between collections of the youngest objects (default 700)


@dataclass
class Outcome:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    bad_rows: int = 0
    error_count: int = 0
    errors: list = field(default_factory=list)  # [row, column label, cell text, reason]
    applied: bool = False

    def add_errors(self, number: int, errors) -> list[int]:
        """Count a bad row's errors ((label, text, reason) each), keep the first ones;
        return the positions they were kept at."""
        self.bad_rows += 1
        kept = []
        for label, text, reason in errors:
            self.error_count += 1
            if len(self.errors) < MAX_STORED_ERRORS:
                kept.append(len(self.errors))
                self.errors.append([number, label, cells.printable(text),
                                    cells.printable(reason)])
        return kept


def run(*, spec: ImportSpec, ctx: Context, rows: Iterable[tuple[int, list]],
        mapping: dict[int, str], header_row: int, mode: str = "all",
        progress: Callable[[int], None] | None = None, rejected: Any = None,
        reread: Callable[[], Iterable[tuple[int, list]]] | None = None,
        finish: Callable[[Outcome], None] | None = None) -> Outcome:
    """Import every row after ``header_row``. ``rejected`` (a RejectedRows) receives each
    bad row; ``progress(rows done)`` is called after each batch; ``reread()`` gives the
    rows again, for the cells of the rows check_batch rejected (they do not cross from the
    reading process); ``finish(outcome)`` runs in the transaction that keeps the rows (the
    job's own record commits with them), or in a transaction of its own when none are."""
    outcome = Outcome()
    plan = Plan.make(spec, mapping)
    state = spec.begin(ctx)
    fields = None if spec.writes_itself else insert_columns(spec.model)
    build = None if fields is None else RowBuilder(fields, spec.fixed(state))
    send_record = spec.writes_itself or (spec.supports_update and ctx.update_existing)
    writer = _Writer(spec, state, fields)
    # Rows check_batch rejected: {row number: ([(kept error's position, field)], errors)};
    # their cells are read again at the end.
    later: dict[int, tuple] = {}
    with _fewer_collections(), writer.transaction():
        produce = lambda: checked_batches(spec, state, rows, plan, header_row,  # noqa: E731
                                          build=build, send_record=send_record)
        for last, items in ahead(produce):
            good, bad = [], []
            for item in items:
                (bad if len(item) == 3 else good).append(item)
            good = [Row(*item) for item in good]
            outcome.total += len(items)
            if good:
                spec.check_batch(good, state)
            failed = [r for r in good if r.errors]
            good = [r for r in good if not r.errors]
            outcome.unchanged += sum(1 for r in good if r.unchanged)
            good = [r for r in good if not r.unchanged]
            new = [r for r in good if r.existing is None]
            old = [r for r in good if r.existing is not None]
            blocked = mode == "all" and (outcome.bad_rows or bad or failed)
            if good and not (ctx.dry_run or blocked):
                writer.write(new, old, outcome)
            else:  # nothing will be kept: count what would have been written
                outcome.created += len(new)
                outcome.updated += len(old)
            for number, raw_cells, errors in bad:
                outcome.add_errors(number, [(spec.label(f), t, r) for f, t, r in errors])
                if rejected is not None:
                    rejected.add(number, raw_cells,
                                 [f"{spec.label(f)}：{r}" for f, _t, r in errors])
            for row in failed:
                kept = outcome.add_errors(row.number, [(spec.label(f), "", r)
                                                       for f, r in row.errors])
                later[row.number] = ([(position, f) for position, (f, _r) in
                                      zip(kept, row.errors, strict=False)], row.errors)
            if progress is not None:
                progress(last)
        if later:
            _reread_rejected(spec, plan, outcome, later, reread, rejected)
        keep = not ctx.dry_run and not (mode == "all" and outcome.bad_rows)
        outcome.applied = keep
        pending = writer.end(keep, outcome, finish)
    if pending:  # the rows rolled back; the outcome is recorded all the same
        with transaction.atomic():
            finish(outcome)
    return outcome


class _Writer:
    """Where the checked rows go: into the database as each batch is checked, inside the
    import's one transaction (the job's outcome commits with them, or neither does).

    On SQLite that transaction holds the database's one write lock for the length of the
    import: other writers (a login) wait up to the busy timeout. Putting the rows aside and
    writing them at the end was measured (a staging file copied in by one INSERT … SELECT):
    the import took 1.73 times parse + raw insert instead of 1.24, and the copy of a
    million rows still holds the lock longer than the timeout — not kept. PostgreSQL, the
    production database, lets others read and write meanwhile."""

    def __init__(self, spec, state, fields):
        self.spec, self.state, self.fields = spec, state, fields
        # The keys of inserted rows are only asked for by a spec that uses them.
        self.keys_wanted = type(spec).after_batch is not ImportSpec.after_batch

    @contextlib.contextmanager
    def transaction(self):
        with transaction.atomic():
            _check_constraints_per_statement()
            yield

    def write(self, new: list[Row], old: list[Row], outcome: Outcome) -> None:
        spec, state = self.spec, self.state
        if new:
            if spec.writes_itself:
                outcome.created += spec.write(new, state)
            elif self.keys_wanted:
                keys = insert_rows_with_keys(spec.model, self.fields, [r.line for r in new],
                                             encoded=True)
                for row, key in zip(new, keys, strict=True):
                    row.pk = key
                outcome.created += len(keys)
            else:
                outcome.created += insert_rows(spec.model, self.fields, [r.line for r in new],
                                               encoded=True)
        if old:
            outcome.updated += spec.update(old, state)
        spec.after_batch(new, state)

    def end(self, keep: bool, outcome: Outcome, finish) -> bool:
        """The spec's after_write and ``finish``, in the transaction, when the rows are
        kept; otherwise a rollback, and True: ``finish`` is still to run, after it."""
        if keep:
            self.spec.after_write(self.state)
            if finish is not None:
                finish(outcome)
            return False
        transaction.set_rollback(True)
        return finish is not None


def _reread_rejected(spec, plan: Plan, outcome: Outcome, later: dict, reread, rejected):
    """The rows check_batch rejected, read again from the file: their cells into the
    rejected-rows file and each error's cell text into the outcome."""
    if reread is None:
        return
    wanted, last = dict(later), max(later)
    for number, raw_cells in reread():
        if number > last:
            break
        entry = wanted.pop(number, None)
        if entry is None:
            continue
        positions, errors = entry
        for position, name in positions:
            outcome.errors[position][2] = cells.printable(plan.text_of(raw_cells, name))
        if rejected is not None:
            rejected.add(number, list(raw_cells),
                         [f"{spec.label(f)}：{r}" for f, r in errors])
        if not wanted:
            break


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
    and upload again (every cell written as text where it is text, see core.exports)."""

    def __init__(self, header: list):
        from core.exports import StreamingSheet

        self.sheet = StreamingSheet(_("Rejected rows"))
        self.width = len(header)
        self.sheet.append([cells.text(h) for h in header] + [_("Row"), _("Reason")])
        self.count = 0

    def add(self, number: int, raw_cells: list, reasons: list[str]) -> None:
        values = [_as_text_if_long(v) for v in raw_cells[: self.width]]
        values += [None] * (self.width - len(values))
        self.sheet.append(values + [number, "；".join(reasons)])
        self.count += 1

    def save(self, target) -> None:
        self.sheet.save(target)


def _as_text_if_long(value):
    """Keep long digit strings (IDs) as text so Excel does not mangle them again."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value)) if abs(value) >= 1e10 else value
    return value
