import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from imports.engine import fastinsert
from people.models import Person
from people.tests.factories import make_id


def _fields(encoded) -> list:
    """The values of an encoded row, as text (a COPY line on PostgreSQL)."""
    if isinstance(encoded, bytes):
        return [None if v == "\\N" else v for v in encoded.decode().rstrip("\n").split("\t")]
    return [None if v is None else str(v) for v in encoded]


@pytest.mark.django_db
def test_a_row_builder_adapts_each_distinct_date_once(monkeypatch):
    fields = [Person._meta.get_field(name)
              for name in ("name", "certificate_issued_on", "updated_at")]
    calls = []
    adapt_date = connection.ops.adapt_datefield_value
    monkeypatch.setattr(connection.ops, "adapt_datefield_value",
                        lambda v: calls.append(v) or adapt_date(v))
    now = timezone.now()
    build = fastinsert.RowBuilder(fields, {"updated_at": now})
    rows = [_fields(build({"name": "甲", "certificate_issued_on": dt.date(1970, 1, i % 3 + 1)}))
            for i in range(9)]
    assert calls == [dt.date(1970, 1, 1), dt.date(1970, 1, 2), dt.date(1970, 1, 3)]
    assert [r[1] for r in rows[:3]] == ["1970-01-01", "1970-01-02", "1970-01-03"]
    assert rows[0] == rows[3] and rows[0][2].startswith(now.date().isoformat())
    assert _fields(build({"name": "乙", "certificate_issued_on": None}))[1] is None


@pytest.mark.django_db
def test_a_row_builder_fills_blanks_and_fixed_values_and_ignores_other_names():
    fields = [Person._meta.get_field(name) for name in (
        "name", "status", "id_hash", "phone", "dibao", "grade", "registered_by")]
    build = fastinsert.RowBuilder(fields, {"registered_by": 7})
    row = _fields(build({"name": "甲", "id_hash": "", "phone": "", "grade": 2,
                         "registered_by": 99, "township_hint": "x"}))
    # status: its default; an empty ID hash (nullable, unique): NULL; an empty
    # phone (not nullable): ""; dibao not given: its default; registered_by: the fixed value.
    assert row == ["甲", "active", None, "", "False", "2", "7"]


def test_inserted_text_comes_back_as_it_was_written(tree):
    """COPY's text format gives meaning to tabs, newlines and backslashes: they are escaped."""
    fields = fastinsert.insert_columns(Person)
    build = fastinsert.RowBuilder(fields, {"updated_at": timezone.now()})
    texts = ["一\t二", "行一\n行二\r\n", "C:\\ledger\\N", "\\N", "\\.", "", "普通"]
    rows = [build({"unit": tree.community.pk, "name": f"甲{i}", "search_key": "jia",
                   "id_number": make_id(), "gender": "M", "birth_date": dt.date(1970, 5, 17),
                   "ethnicity": "汉族", "address": notes, "hukou": "rural",
                   "dibao": i % 2 == 0, "living_subsidy": True, "notes": notes,
                   "registered_on": dt.date(2026, 1, 1)})
            for i, notes in enumerate(texts)]
    assert fastinsert.insert_rows(Person, fields, rows, encoded=True) == 7
    stored = {p.name: p for p in Person.objects.filter(name__startswith="甲")}
    assert [stored[f"甲{i}"].notes for i in range(7)] == texts
    assert [stored[f"甲{i}"].address for i in range(7)] == texts
    assert [stored[f"甲{i}"].dibao for i in range(7)] == [i % 2 == 0 for i in range(7)]
    assert [stored[f"甲{i}"].living_subsidy for i in range(7)] == [True] * 7
    assert all(stored[f"甲{i}"].grid_id is None and stored[f"甲{i}"].status == "active"
               for i in range(7))


@pytest.mark.parametrize("encoded", [True, False])
def test_rows_inserted_with_their_keys_are_the_rows_with_those_keys(tree, encoded):
    """insert_rows_with_keys gives each row's primary key, in the order of the rows (what
    an import's history of the rows refers to without reading them back)."""
    fields = fastinsert.insert_columns(Person)
    build = fastinsert.RowBuilder(fields, {"updated_at": timezone.now()})
    make_person = {"unit": tree.community.pk, "search_key": "yi", "gender": "F",
                   "birth_date": dt.date(1980, 1, 2), "hukou": "urban",
                   "registered_on": dt.date(2026, 1, 1)}
    first = fastinsert.insert_rows_with_keys(
        Person, fields, [build({**make_person, "name": "先"})], encoded=True)
    values = [{**make_person, "name": f"乙{i}"} for i in range(5)]
    if encoded:
        rows = [build(v) for v in values]
    else:
        now = timezone.now()
        rows = [tuple(now if f.name == "updated_at" else v.get(
            f.name, None if f.null else f.get_default() if f.has_default() else "")
            for f in fields) for v in values]
    keys = fastinsert.insert_rows_with_keys(Person, fields, rows, encoded=encoded)
    assert len(set(keys)) == 5 and min(keys) > first[0]
    assert dict(Person.objects.filter(pk__in=keys).values_list("pk", "name")) == {
        key: f"乙{i}" for i, key in enumerate(keys)}
    assert fastinsert.insert_rows_with_keys(Person, fields, [], encoded=encoded) == []
