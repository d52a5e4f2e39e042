"""The import engine itself: rows are read and checked in a second process, which may not
touch the database; a reader that dies or fails stops the import with the reason."""

import os

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from core import importer
from core.importer import Column, Context, ImportSpec, ReaderStopped


class Names(ImportSpec):
    kind = "names"
    columns = [Column("name", "姓名", frozenset({"姓名"}), required=True)]
    key = "name"

    def __init__(self, check=None):
        self.check = check
        self.written: list[str] = []

    def check_row(self, row, ctx):
        if self.check:
            self.check(row)

    def write(self, rows, ctx):
        self.written.extend(r.values["name"] for r in rows)
        self.checked_by = {r.extra.get("pid") for r in rows}
        return len(rows), 0


def _run(spec, names, **kwargs):
    rows = [(1, ["姓名"])] + [(i, [n]) for i, n in enumerate(names, start=2)]
    return importer.run(spec=spec, ctx=Context(actor=None), rows=iter(rows),
                        mapping={0: "name"}, header_row=1, **kwargs)


@pytest.mark.django_db
def test_rows_are_checked_in_another_process_and_written_here():
    spec = Names(check=lambda row: row.extra.update(pid=os.getpid()))
    names = [f"人{i}" for i in range(2500)] + ["人7"]
    with translation.override("en"):  # the reading process speaks the caller's language
        outcome = _run(spec, names, mode="valid")
    assert None not in spec.checked_by and os.getpid() not in spec.checked_by  # elsewhere…
    assert len(spec.written) == 2500 and outcome.created == 2500  # …written here
    assert outcome.errors == [[2502, "姓名", "人7", "The same as row 9 of this file."]]


@pytest.mark.django_db
def test_the_reading_process_may_not_query_the_database():
    from orgs.models import OrgUnit

    spec = Names(check=lambda row: OrgUnit.objects.count())
    with pytest.raises(RuntimeError, match="must not query the database"):
        _run(spec, ["甲", "乙"])
    assert spec.written == []


@pytest.mark.django_db
def test_a_reader_that_dies_stops_the_import():
    spec = Names(check=lambda row: os._exit(3) if row.number == 1500 else None)
    with pytest.raises(ReaderStopped, match="exit code 3"):
        _run(spec, [f"人{i}" for i in range(3000)])


@given(st.text("0123456789X", min_size=1, max_size=19),
       st.text("0123456789X", min_size=1, max_size=19))
def test_compact_keys_tell_different_texts_apart(a, b):
    assert (importer.compact_key(a) == importer.compact_key(b)) == (a == b)


class Finished(Names):
    def finish(self, ctx):
        self.finished = True


@pytest.mark.django_db
@pytest.mark.parametrize("mode,dry_run,kept", [("all", False, True), ("valid", True, False)])
def test_finish_runs_once_only_when_the_rows_are_kept(mode, dry_run, kept):
    spec = Finished()
    spec.finished = False
    outcome = importer.run(spec=spec, ctx=Context(actor=None, dry_run=dry_run),
                           rows=iter([(1, ["姓名"]), (2, ["甲"])]), mapping={0: "name"},
                           header_row=1, mode=mode)
    assert outcome.applied is kept and spec.finished is kept


@pytest.mark.django_db
def test_the_collectors_settings_come_back_after_an_import_even_a_failed_one():
    import gc

    class Collecting(Names):
        def write(self, rows, ctx):
            self.seen = [r.extra["gc"] for r in rows]
            return super().write(rows, ctx)

    before = (gc.get_threshold(), gc.get_freeze_count(), gc.isenabled())
    spec = Collecting(check=lambda row: row.extra.update(gc=gc.isenabled()))
    _run(spec, ["甲", "乙"])
    assert spec.seen == [False, False]  # the reading process runs without the collector
    assert (gc.get_threshold(), gc.get_freeze_count(), gc.isenabled()) == before

    class Failing(Names):
        def write(self, rows, ctx):
            assert gc.get_threshold()[0] == importer.GC_THRESHOLD
            raise ValueError("the database side failed")

    with pytest.raises(ValueError, match="database side failed"):
        _run(Failing(), ["甲"])
    assert (gc.get_threshold(), gc.get_freeze_count(), gc.isenabled()) == before
