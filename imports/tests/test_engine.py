"""The import engine itself: rows are read and checked in a second process, which may not
touch the database; a reader that dies or fails stops the import with the reason; what
check_batch rejects is read again from the file for the rejected rows."""

import io
import os

import openpyxl
import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from core.actors import SYSTEM
from imports import engine
from imports.engine import Column, Context, ImportSpec, ReaderStopped


class Names(ImportSpec):
    """A spec that writes itself (into a list), to watch what the engine does."""

    kind = "names"
    columns = [Column("name", "姓名", frozenset({"姓名"}), required=True),
               Column("note", "备注", frozenset({"备注"}))]
    key = "name"

    def __init__(self, check=None):
        self.check = check
        self.written: list[str] = []
        self.after = 0

    def check_row(self, values, state):
        return self.check(values) if self.check else {}

    def record(self, values, state):
        return {**values, "pid": os.getpid()}

    def write(self, rows, state):
        self.written.extend(r.record["name"] for r in rows)
        self.written_by = {r.record["pid"] for r in rows}
        return len(rows)

    def after_write(self, state):
        self.after += 1


def _rows(names):
    return [(1, ["姓名", "备注"])] + [(i, [n, ""]) for i, n in enumerate(names, start=2)]


def _run(spec, names, **kwargs):
    rows = _rows(names)
    kwargs.setdefault("reread", lambda: iter(rows))
    return engine.run(spec=spec, ctx=Context(actor=SYSTEM), rows=iter(rows),
                      mapping={0: "name", 1: "note"}, header_row=1, **kwargs)


@pytest.mark.django_db
def test_rows_are_checked_in_another_process_and_written_here():
    spec = Names()
    names = [f"人{i}" for i in range(2500)] + ["人7"]
    with translation.override("en"):  # the reading process speaks the caller's language
        outcome = _run(spec, names, mode="valid")
    assert os.getpid() not in spec.written_by  # records were made elsewhere…
    assert len(spec.written) == 2500 and outcome.created == 2500  # …and written here
    assert outcome.errors == [[2502, "姓名", "人7", "The same as row 9 of this file."]]


@pytest.mark.django_db
def test_the_reading_process_may_not_query_the_database():
    from orgs.models import OrgUnit

    spec = Names(check=lambda values: {"name": str(OrgUnit.objects.count())})
    with pytest.raises(RuntimeError, match="must not query the database"):
        _run(spec, ["甲", "乙"])
    assert spec.written == []


@pytest.mark.django_db
def test_a_reader_that_dies_stops_the_import():
    spec = Names(check=lambda values: os._exit(3) if values["name"] == "人1500" else {})
    with pytest.raises(ReaderStopped, match="exit code 3"):
        _run(spec, [f"人{i}" for i in range(3000)])


@given(st.text("0123456789X", min_size=1, max_size=19),
       st.text("0123456789X", min_size=1, max_size=19))
def test_compact_keys_tell_different_texts_apart(a, b):
    assert (engine.compact_key(a) == engine.compact_key(b)) == (a == b)


@pytest.mark.django_db
@pytest.mark.parametrize("mode,dry_run,kept", [("all", False, True), ("valid", True, False)])
def test_after_write_runs_once_only_when_the_rows_are_kept(mode, dry_run, kept):
    spec = Names()
    outcome = engine.run(spec=spec, ctx=Context(actor=SYSTEM, dry_run=dry_run),
                         rows=iter(_rows(["甲"])), mapping={0: "name"}, header_row=1, mode=mode)
    assert outcome.applied is kept and spec.after == (1 if kept else 0)


@pytest.mark.django_db
def test_the_collectors_settings_come_back_after_an_import_even_a_failed_one():
    import gc

    class Collecting(Names):
        def record(self, values, state):
            return {**super().record(values, state), "gc": gc.isenabled()}

        def write(self, rows, state):
            self.seen = [r.record["gc"] for r in rows]
            return super().write(rows, state)

    before = (gc.get_threshold(), gc.get_freeze_count(), gc.isenabled())
    spec = Collecting()
    _run(spec, ["甲", "乙"])
    assert spec.seen == [False, False]  # the reading process runs without the collector
    assert (gc.get_threshold(), gc.get_freeze_count(), gc.isenabled()) == before

    class Failing(Names):
        def write(self, rows, state):
            assert gc.get_threshold()[0] == engine.GC_THRESHOLD
            raise ValueError("the database side failed")

    with pytest.raises(ValueError, match="database side failed"):
        _run(Failing(), ["甲"])
    assert (gc.get_threshold(), gc.get_freeze_count(), gc.isenabled()) == before


class Vetted(Names):
    """check_batch rejects the names beginning with 疑 (as the register rejects people
    registered already): their cells never crossed from the reading process."""

    def check_batch(self, rows, state):
        self.batch_records = [r.record for r in rows]
        for row in rows:
            if row.key.startswith("疑"):
                row.fail("name", "已登记")


@pytest.mark.django_db
def test_rows_check_batch_rejects_are_read_again_for_the_rejected_rows_file():
    spec = Vetted()
    rejected = engine.RejectedRows(["姓名", "备注"])
    outcome = _run(spec, ["甲", "疑乙", "丙", "1"], mode="valid", rejected=rejected,
                   )
    assert spec.written == ["甲", "丙", "1"] and outcome.bad_rows == 1
    # The error shows the cell's own text, read again from the file.
    assert outcome.errors == [[3, "姓名", "疑乙", "已登记"]]
    assert rejected.count == 1
    buffer = io.BytesIO()
    rejected.save(buffer)
    sheet = openpyxl.load_workbook(buffer).active
    assert [c.value for c in sheet[2]] == ["疑乙", None, 3, "姓名：已登记"]


class Coded(ImportSpec):
    """A closed list read into a code: an error shows the cell as typed, not the code."""

    kind = "coded"
    columns = [Column("gender", "性别", frozenset({"性别"}),
                      read=lambda v: {"男": "M", "女": "F"}.get(v, v))]

    def check_row(self, values, state):
        return {"gender": "不对"} if values["gender"] == "M" else {}

    def record(self, values, state):
        return values

    def write(self, rows, state):
        return len(rows)


@pytest.mark.django_db
def test_an_error_shows_the_cells_own_text_never_the_code_it_was_read_as():
    outcome = engine.run(spec=Coded(), ctx=Context(actor=SYSTEM),
                         rows=iter([(1, ["性别"]), (2, ["男"])]), mapping={0: "gender"},
                         header_row=1, mode="valid")
    assert outcome.errors == [[2, "性别", "男", "不对"]]


@pytest.mark.django_db
def test_a_cell_beyond_excels_limit_is_a_row_error_and_is_not_kept_whole():
    spec = Names()
    outcome = _run(spec, ["甲", "长" * (engine.MAX_CELL + 1)], mode="valid")
    assert spec.written == ["甲"]
    [(row, label, text, reason)] = outcome.errors
    assert row == 3 and label == "姓名" and "32767" in reason.replace(",", "")
    assert len(text) <= 201  # the first characters and an ellipsis


@pytest.mark.django_db
def test_stored_errors_are_bounded_and_all_are_counted():
    spec = Names(check=lambda values: {"name": "坏"})
    outcome = _run(spec, [f"人{i}" for i in range(engine.MAX_STORED_ERRORS + 50)],
                   mode="valid")
    assert outcome.bad_rows == outcome.error_count == engine.MAX_STORED_ERRORS + 50
    assert len(outcome.errors) == engine.MAX_STORED_ERRORS


class Dangling(Names):
    """Writes a unit whose parent does not exist, and notes whether the database refused it
    there and then (or would have waited for the commit)."""

    def write(self, rows, state):
        from orgs.models import OrgUnit

        self.refused_in_write = False
        try:
            with transaction.atomic():
                OrgUnit.objects.bulk_create([OrgUnit(parent_id=-1, level=1, code="9" * 12,
                                                     name="无上级")])
        except IntegrityError:
            self.refused_in_write = True
        return super().write(rows, state)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's deferred keys")
def test_on_postgresql_foreign_keys_are_checked_as_each_batch_is_written():
    spec = Dangling()
    _run(spec, ["甲"])
    assert spec.refused_in_write and spec.written == ["甲"]


def test_every_app_registers_its_specs_and_the_engine_names_none():
    from pathlib import Path

    from imports.registry import specs

    assert {"people", "needs", "visits", "jobseekers", "divisions", "profiles"} <= set(specs())
    engine_dir = Path(engine.__file__).parent
    source = "".join(p.read_text() for p in [*engine_dir.glob("*.py"),
                                             *engine_dir.parent.glob("*.py")])
    for app in ("people", "orgs", "reports"):
        assert f"from {app}" not in source and f"import {app}" not in source, app
