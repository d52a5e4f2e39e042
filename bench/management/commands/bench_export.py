"""The export benchmark: the register's export (what 导出Excel gives a county administrator)
against a plain workbook of the same cells, with XlsxWriter (the writer the system uses) and
with openpyxl's write-only mode side by side.

    manage.py bench_export [--rows 100000] [--small 10000] [--repeat 3] [--keep]

The register is N generated people (bench_import's generator, valid rows only) written by
the database's fastest path. Every figure is measured in a fresh child process (this command
started again with ``--child``), so each peak memory (ru_maxrss) is that figure's own:

* sql: the export's query (scope, filters, order) run and every row fetched, by the cursor;
* cells: the export's rows built from it (people.exports.person_rows), nothing written;
* plain <library>: the same cells, built before the clock starts, written as a plain
  workbook (openpyxl write-only ``append``, XlsxWriter constant_memory ``write_row``): no
  styles, no widths, no checks — the floor for that library;
* export <library>: the whole export, from the query to the file: the system's writer
  (core.exports, XlsxWriter), or the same workbook written by openpyxl's write-only mode
  with each style built once (what core.exports did before).

Each export is printed beside its library's plain workbook, as a ratio of wall-clock times
(target ≤ 1.5×) and of CPU times (the process's own: steadier on a shared machine), and with
its peak memory at --small and --rows people (flat: the rows are never all in memory). The
plain workbooks and the exports are measured in turn, so a change in the machine's load
meets both alike.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from .bench_import import (
    ACTOR,
    RESULT_MARK,
    _Database,
    _person_record,
    child_setup,
    peak_mb,
    people,
)

LIBRARIES = ("xlsxwriter", "openpyxl")
BENCH_DATABASE = "canlian_bench_export"  # its own: bench_import's may be running beside it


# ---- the register and its export --------------------------------------------------------------

def child_fill(options) -> dict:
    """Migrate, load the divisions and the administrator, then register N people."""
    from django.db import transaction
    from django.utils import timezone

    from imports.engine.fastinsert import insert_columns, insert_rows
    from orgs.models import OrgUnit
    from people.models import Person

    setup = child_setup(options)
    from accounts.models import User

    unit_ids = dict(OrgUnit.objects.active().values_list("code", "id"))
    actor_id = User.objects.get(username=ACTOR).pk
    fields = insert_columns(Person)
    today, now = timezone.localdate(), timezone.now()

    def value(record, field):
        if field.name in record:
            return record[field.name]
        if field.null:
            return None
        return field.get_default() if field.has_default() else ""

    tuples = [tuple(value(_person_record(values, unit_ids, actor_id, today, now), f)
                    for f in fields)
              for ok, _cells, values in people(options["rows"], 0, setup["villages"]) if ok]
    with transaction.atomic():
        written = insert_rows(Person, fields, tuples)
    return {"rows": written, "version": setup["version"]}


def _export(rows: int):
    """The register's export as the county administrator's export button gives it (the
    first ``rows`` people, in the list's order)."""
    from accounts.models import User
    from core.views import list_export_for

    user = User.objects.select_related("unit").get(username=ACTOR)
    export = list_export_for("people:person_export", user=user, query="")
    export.queryset = export.queryset[:rows]
    return user, export


def child_sql(options) -> dict:
    from django.db import connection

    _user, export = _export(options["size"])
    # The query people.exports.person_rows runs: the people alone (their villages' and
    # grids' names come from one small query of their own).
    queryset = export.queryset.select_related(None)
    sql, params = queryset.query.sql_with_params()
    start, cpu = time.perf_counter(), time.process_time()
    count = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(2000):
            count += len(batch)
    return {"seconds": time.perf_counter() - start, "rows": count, "cpu": cpu}


def child_cells(options) -> dict:
    _user, export = _export(options["size"])
    start, cpu = time.perf_counter(), time.process_time()
    count = sum(1 for _row in export.rows(export.queryset))
    return {"seconds": time.perf_counter() - start, "rows": count, "cpu": cpu}


def child_plain(options) -> dict:
    import gc
    import io

    _user, export = _export(options["size"])
    cells = list(export.rows(export.queryset))
    # The cells are built before the clock starts and kept out of the garbage collector's
    # rounds (which would otherwise walk all of them again and again while the workbook is
    # written, a cost the streamed export never has).
    gc.collect()
    gc.freeze()
    target = io.BytesIO()
    start, cpu = time.perf_counter(), time.process_time()
    if options["library"] == "openpyxl":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("sheet")
        for row in cells:
            sheet.append(row)
        book.save(target)
    else:
        import xlsxwriter

        book = xlsxwriter.Workbook(target, {"constant_memory": True})
        sheet = book.add_worksheet("sheet")
        for number, row in enumerate(cells):
            sheet.write_row(number, 0, row)
        book.close()
    return {"seconds": time.perf_counter() - start, "rows": len(cells),
            "bytes": len(target.getvalue()), "cpu": cpu}


def child_export(options) -> dict:
    from django.utils import timezone

    user, export = _export(options["size"])
    path = Path(options["workdir"]) / f"export-{options['library']}.xlsx"
    start, cpu = time.perf_counter(), time.process_time()
    if options["library"] == "openpyxl":
        count = openpyxl_export(export, user=user, target=path)
    else:
        _content, count = export.write(user=user, today=timezone.localdate(), target=path)
    return {"seconds": time.perf_counter() - start, "rows": count,
            "bytes": path.stat().st_size, "cpu": cpu}


def openpyxl_export(export, *, user, target) -> int:
    """The same workbook with openpyxl's write-only mode, each style built once (the title,
    the header, ID numbers as text, dates, text that looks like a formula kept as text):
    core.exports before it moved to XlsxWriter."""
    import datetime as dt
    from copy import copy

    from django.utils import timezone
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from core.cells import printable
    from core.exports import FONT

    book = Workbook(write_only=True)
    sheet = book.create_sheet(export.name)
    for index, column in enumerate(export.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A3"

    def style(*, bold=False, size=11, fill=None, number_format=None, center=False):
        template = WriteOnlyCell(sheet)
        template.font = Font(name=FONT, bold=bold, size=size)
        if fill:
            template.fill = PatternFill("solid", fgColor=fill)
        if center:
            template.alignment = Alignment(horizontal="center", vertical="center",
                                           wrap_text=True)
        if number_format:
            template.number_format = number_format
        return template._style

    def cell(value, styled=None):
        made = WriteOnlyCell(sheet, value=value)
        if made.data_type in ("f", "e"):
            made.data_type = "s"
        if styled is not None:
            made._style = copy(styled)
        return made

    id_style, date_style = style(number_format="@"), style(number_format="yyyy-mm-dd")
    header = style(bold=True, fill="DDE3EA", center=True)
    title = f"{user.unit.name}{export.name}（{timezone.localdate():%Y-%m-%d}导出）"
    sheet.append([cell(title, style(bold=True, size=14))])
    sheet.append([cell(c.header, header) for c in export.columns])
    kinds = [c.kind for c in export.columns]
    count = 0
    for row in export.rows(export.queryset):
        values = []
        for kind, value in zip(kinds, row, strict=False):
            if kind == "id":
                values.append(cell(None if value is None else str(value), id_style))
            elif kind == "date" and isinstance(value, dt.date):
                values.append(cell(value, date_style))
            elif type(value) is str:
                value = printable(value)
                values.append(cell(value) if value[:1] == "=" or value in ERROR_CODES
                              else value)
            else:
                values.append(value)
        sheet.append(values)
        count += 1
    book.save(target)
    return count


CHILDREN = {"fill": child_fill, "sql": child_sql, "cells": child_cells, "plain": child_plain,
            "export": child_export}


# ---- the command -------------------------------------------------------------------------------

class Command(BaseCommand):
    help = ("Benchmark the register's export against a plain workbook of the same cells, "
            "with XlsxWriter and openpyxl side by side.")

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000,
                            help="People in the register (default 100000).")
        parser.add_argument("--small", type=int, default=10_000,
                            help="The smaller export, for the memory figure (default 10000).")
        parser.add_argument("--repeat", type=int, default=3,
                            help="Runs of each timed figure; the fastest counts (default 3).")
        parser.add_argument("--keep", action="store_true",
                            help="Keep the temporary folder (SQLite database, workbooks) and "
                                 "the PostgreSQL database canlian_bench_export.")
        parser.add_argument("--child", choices=sorted(CHILDREN), help="(internal)")
        parser.add_argument("--workdir", help="(internal)")
        parser.add_argument("--size", type=int, help="(internal)")
        parser.add_argument("--library", choices=LIBRARIES, help="(internal)")

    def handle(self, *args, **options):
        if options["child"]:
            base = peak_mb()
            result = CHILDREN[options["child"]](options)
            result.update(peak_mb=peak_mb(), base_mb=base)
            if "cpu" in result:
                result["cpu"] = time.process_time() - result["cpu"]
            self.stdout.write(RESULT_MARK + json.dumps(result, default=str))
            return
        if options["rows"] < 2 or not 0 < options["small"] <= options["rows"]:
            raise CommandError("--rows must be at least 2 and --small between 1 and --rows.")
        if options["repeat"] < 1:
            raise CommandError("--repeat must be at least 1.")
        workdir = Path(tempfile.mkdtemp(prefix="canlian-bench-export-"))
        database = _Database(workdir, name=BENCH_DATABASE)
        try:
            self.bench(options, workdir, database)
        finally:
            if options["keep"]:
                self.line(f"kept: {workdir}" + (f" and database {BENCH_DATABASE}"
                                                 if database.vendor == "postgresql" else ""))
            else:
                database.drop()
                shutil.rmtree(workdir, ignore_errors=True)

    def line(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def bench(self, options, workdir: Path, database) -> None:
        n, small = options["rows"], options["small"]
        load_before = os.getloadavg()[0]
        database.create()
        env = database.child_env(workdir)
        start = time.perf_counter()
        fill = self.child("fill", env, workdir, rows=n)
        self.line(f"database: {database.vendor} ({fill['version']}, {database.where}); "
                  f"{fill['rows']} people registered in {time.perf_counter() - start:.1f} s "
                  f"(not part of the figures)")
        repeat = options["repeat"]
        best = f"best of {repeat}" if repeat > 1 else "one run"
        sql = self.best("sql", env, workdir, repeat, size=n)
        cells = self.best("cells", env, workdir, repeat, size=n)
        self.line(f"sql: {sql['seconds']:.2f} s, {sql['rows']} rows fetched; cells: "
                  f"{cells['seconds']:.2f} s to build the rows from it ({best})")
        # Interleaved, each library's plain workbook beside its export, so that a change in
        # the machine's load meets both alike.
        runs = {(stage, library): [] for stage in ("plain", "export") for library in LIBRARIES}
        for _ in range(repeat):
            for library in LIBRARIES:
                for stage in ("plain", "export"):
                    runs[stage, library].append(
                        self.child(stage, env, workdir, size=n, library=library))
        for library in LIBRARIES:
            plain = self._fastest(runs["plain", library])
            export = self._fastest(runs["export", library])
            smaller = self.child("export", env, workdir, size=small, library=library)
            ratio = export["seconds"] / plain["seconds"]
            used = "the system's writer" if library == "xlsxwriter" else "for comparison"
            self.line(f"{library} ({used}): export {export['seconds']:.2f} s, "
                      f"{export['rows']} rows, {export['bytes'] / 1e6:.1f} MB; "
                      f"a plain workbook of the same cells {plain['seconds']:.2f} s; "
                      f"ratio {ratio:.2f}x (target <= 1.5x; {best}); CPU time "
                      f"{export['cpu']:.2f} s and {plain['cpu']:.2f} s, ratio "
                      f"{export['cpu'] / max(plain['cpu'], 1e-9):.2f}x"
                      + ("" if export["rows"] == n else f" — WRONG: {export['rows']} rows"))
            self.line(f"{library} peak memory: export {smaller['peak_mb']:.0f} MB at {small} "
                      f"rows, {export['peak_mb']:.0f} MB at {n} rows (a child after "
                      f"django.setup alone: {export['base_mb']:.0f} MB)")
        self.line(f"load average: {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at "
                  f"the end, on {os.cpu_count()} cores (timings are wall-clock: other work on "
                  f"the machine slows them)")

    def best(self, stage: str, env: dict, workdir: Path, repeat: int, **args) -> dict:
        """The fastest of ``repeat`` runs (the machine's other work only ever slows a run)."""
        return self._fastest([self.child(stage, env, workdir, **args) for _ in range(repeat)])

    @staticmethod
    def _fastest(runs: list[dict]) -> dict:
        fastest = min(runs, key=lambda r: r["seconds"])
        return {**fastest, "peak_mb": max(r["peak_mb"] for r in runs),
                "cpu": min(r["cpu"] for r in runs)}

    def child(self, stage: str, env: dict, workdir: Path, *, rows=None, size=None,
              library=None) -> dict:
        command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "bench_export",
                   "--child", stage, "--workdir", str(workdir)]
        if rows is not None:
            command += ["--rows", str(rows)]
        if size is not None:
            command += ["--size", str(size)]
        if library is not None:
            command += ["--library", library]
        done = subprocess.run(command, env=env, capture_output=True, text=True,  # noqa: S603
                              check=False, cwd=settings.BASE_DIR)
        for line in done.stdout.splitlines():
            if line.startswith(RESULT_MARK):
                return json.loads(line[len(RESULT_MARK):])
        raise CommandError(f"the {stage} measurement failed (exit {done.returncode}):\n"
                           f"{done.stdout[-3000:]}\n{done.stderr[-6000:]}")
