import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import fastinsert
from people.models import Person
from people.tests.factories import make_id, make_person


def test_existing_answers_for_several_columns_in_one_query(tree):
    one = make_person(unit=tree.community)
    two = make_person(unit=tree.community, certificate=False)
    other = make_id()
    wanted = {"id_number": [one.id_number, two.id_number, other, "", None],
              "certificate_number": [one.certificate_number, f"{other}42"]}
    with CaptureQueriesContext(connection) as queries:
        found = fastinsert.existing(Person, wanted)
    assert found == {"id_number": {one.id_number, two.id_number},
                     "certificate_number": {one.certificate_number}}
    assert len(queries) == 1


def test_existing_asks_in_chunks_and_skips_columns_with_nothing_to_ask(tree, monkeypatch):
    monkeypatch.setattr(fastinsert, "CHUNK", 2)
    people = [make_person(unit=tree.community, certificate=False) for _ in range(3)]
    numbers = [p.id_number for p in people] + [make_id() for _ in range(2)]
    with CaptureQueriesContext(connection) as queries:
        found = fastinsert.existing(Person, {"id_number": numbers, "certificate_number": []})
    assert found == {"id_number": {p.id_number for p in people}, "certificate_number": set()}
    assert len(queries) == 3  # five numbers, two a query
    assert fastinsert.existing(Person, {"id_number": [None, ""]}) == {"id_number": set()}


def _fields(encoded) -> list:
    """The values of an encoded row, as text (a COPY line on PostgreSQL)."""
    if isinstance(encoded, bytes):
        return [None if v == "\\N" else v for v in encoded.decode().rstrip("\n").split("\t")]
    return [None if v is None else str(v) for v in encoded]


@pytest.mark.django_db
def test_row_encoder_adapts_each_distinct_date_once(monkeypatch):
    fields = [Person._meta.get_field(name) for name in ("name", "birth_date", "updated_at")]
    calls = []
    adapt_date = connection.ops.adapt_datefield_value
    monkeypatch.setattr(connection.ops, "adapt_datefield_value",
                        lambda v: calls.append(v) or adapt_date(v))
    encode = fastinsert.row_encoder(fields)
    now = timezone.now()
    rows = [_fields(encode(("甲", dt.date(1970, 1, i % 3 + 1), now))) for i in range(9)]
    assert calls == [dt.date(1970, 1, 1), dt.date(1970, 1, 2), dt.date(1970, 1, 3)]
    assert [r[1] for r in rows[:3]] == ["1970-01-01", "1970-01-02", "1970-01-03"]
    assert rows[0] == rows[3] and rows[0][2].startswith(now.date().isoformat())
    assert _fields(encode(("乙", None, now)))[1] is None


def test_inserted_text_comes_back_as_it_was_written(tree):
    """COPY's text format gives meaning to tabs, newlines and backslashes: they are escaped."""
    fields = fastinsert.insert_columns(Person)
    names = [f.name for f in fields]
    texts = ["一\t二", "行一\n行二\r\n", "C:\\ledger\\N", "\\N", "\\.", "", "普通"]
    rows = []
    for i, notes in enumerate(texts):
        values = dict.fromkeys(names)
        values.update(unit=tree.community.pk, name=f"甲{i}", search_key="jia",
                      id_number=make_id(), gender="M", birth_date=dt.date(1970, 5, 17),
                      ethnicity="汉族", phone="", address=notes, hukou="rural", education="",
                      marital_status="", living="", guardian_name="", guardian_phone="",
                      guardian_relation="", dibao=i % 2 == 0, tekun=False, living_subsidy=True,
                      care_subsidy=False, employment="", notes=notes, status="active",
                      registered_on=dt.date(2026, 1, 1), updated_at=timezone.now())
        rows.append(tuple(values[n] for n in names))
    encode = fastinsert.row_encoder(fields)
    assert fastinsert.insert_rows(Person, fields, [encode(r) for r in rows], encoded=True) == 7
    stored = {p.name: p for p in Person.objects.filter(name__startswith="甲")}
    assert [stored[f"甲{i}"].notes for i in range(7)] == texts
    assert [stored[f"甲{i}"].address for i in range(7)] == texts
    assert [stored[f"甲{i}"].dibao for i in range(7)] == [i % 2 == 0 for i in range(7)]
    assert all(stored[f"甲{i}"].grid_id is None for i in range(7))
