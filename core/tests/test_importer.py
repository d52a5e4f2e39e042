"""The import engine itself: rows are read and checked in a second process, which may not
touch the database; a reader that dies or fails stops the import with the reason."""

import io
import os

import pytest
from django.db import IntegrityError, connection, transaction
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


class Vetted(Names):
    """A spec whose check_batch rejects the names its reader marked, saying only those may
    fail there (so only their cells are sent across)."""

    def __init__(self, honest=True):
        super().__init__()
        self.honest = honest
        self.sent_cells = []

    def prepare(self, row, ctx):
        if row.values["name"].startswith("疑"):
            row.extra["suspect"] = True

    def may_fail_in_batch(self, row, ctx):
        return self.honest and bool(row.extra.get("suspect"))

    def check_batch(self, rows, ctx):
        self.sent_cells += [r.cells for r in rows]
        for row in rows:
            if row.extra.get("suspect"):
                row.fail("name", row.values["name"], "已登记")


@pytest.mark.django_db
def test_only_rows_that_may_fail_in_a_batch_carry_their_cells_across():
    spec = Vetted()
    rejected = importer.RejectedRows(["姓名"])
    outcome = _run(spec, ["甲", "疑乙", "丙"], mode="valid", rejected=rejected)
    assert spec.sent_cells == [None, ["疑乙"], None]
    assert spec.written == ["甲", "丙"] and outcome.bad_rows == 1
    assert rejected.count == 1
    rejected.save(io.BytesIO())


@pytest.mark.django_db
def test_a_spec_that_says_a_row_cannot_fail_in_a_batch_and_fails_it_is_a_clear_error():
    rejected = importer.RejectedRows(["姓名"])
    with pytest.raises(RuntimeError, match="row 3 was rejected by check_batch"):
        _run(Vetted(honest=False), ["甲", "疑乙"], mode="valid", rejected=rejected)
    rejected.save(io.BytesIO())


class Dangling(Names):
    """Writes a unit whose parent does not exist, and notes whether the database refused it
    there and then (or would have waited for the commit)."""

    def write(self, rows, ctx):
        from orgs.models import OrgUnit

        self.refused_in_write = False
        try:
            with transaction.atomic():
                OrgUnit.objects.bulk_create([OrgUnit(parent_id=-1, level=1, code="9" * 12,
                                                     name="无上级")])
        except IntegrityError:
            self.refused_in_write = True
        return super().write(rows, ctx)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's deferred keys")
def test_on_postgresql_foreign_keys_are_checked_as_each_batch_is_written():
    spec = Dangling()
    _run(spec, ["甲"])
    assert spec.refused_in_write and spec.written == ["甲"]
