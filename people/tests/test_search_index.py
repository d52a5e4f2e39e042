"""Searching the register by a part of a name: the same people on SQLite and PostgreSQL, and
on PostgreSQL an index lookup (pg_trgm, people/migrations/0009), never a scan of the table:
two characters are a whole word of the search key (``% 王伟 %``, which has trigrams; ``%王伟%``
has none), three or more a part of the name, latin letters a part of the pinyin key."""

import datetime as dt
import re

import pytest
from django.db import connection, transaction

from people import selectors
from people.filters import NeedFilterSet, PersonFilterSet
from people.models import Need, Person
from people.pinyin import search_key

NAMES = ["王伟", "王伟军", "李王伟", "张王伟民", "王军伟", "欧阳娜娜", "伟王", "王"]


@pytest.fixture
def people(tree):
    Person.objects.bulk_create([
        Person(unit=tree.community, name=name, search_key=search_key(name), gender="m",
               birth_date=dt.date(1970, 1, 1), hukou="rural", registered_on=dt.date(2024, 1, 1))
        for name in NAMES])
    return {p.name: p for p in Person.objects.all()}


def found(user, q):
    return sorted(p.name for p in selectors.person_list(user=user, filters={"q": q}))


@pytest.mark.parametrize("q", ["王伟", "王", "王伟军", "王伟民", "娜娜", "欧阳", "wangwei", "ww",
                               "伟王", "阳娜娜"])
def test_a_search_finds_every_name_holding_it(tree, people, q):
    expected = sorted(name for name in NAMES if q in name) if not q.isascii() else None
    if expected is not None:
        assert found(tree.county_admin, q) == expected
    else:
        assert found(tree.county_admin, q) == sorted(
            name for name in NAMES if q in search_key(name))


def test_the_need_list_searches_the_same_way(tree, people):
    for name in ("王伟", "李王伟", "王军伟"):
        Need.objects.create(person=people[name], type="rehabilitation",
                            registered_on=dt.date(2026, 1, 1))
    needs = NeedFilterSet.apply(Need.objects.all(), {"q": "王伟"}, user=tree.county_admin)
    assert sorted(n.person.name for n in needs) == ["李王伟", "王伟"]


def _plan(qs) -> str:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(("q", "index"), [("王伟", "person_search_key_trgm_idx"),
                                          ("王伟军", "person_name_trgm_idx"),
                                          ("wangwei", "person_search_key_trgm_idx")])
def test_on_postgresql_a_search_is_a_selective_index_lookup(tree, people, q, index):
    if connection.vendor != "postgresql":
        pytest.skip("the trigram indexes are PostgreSQL's (SQLite scans a county's people)")
    with transaction.atomic():
        with connection.cursor() as cursor:
            # A table of a few rows is scanned whatever the indexes: the planner is asked
            # what it would do on a big one (measured on 2 million people: README).
            cursor.execute("SET LOCAL enable_seqscan = off")
        # The search's own condition, on the whole register (a province user's scope).
        plan = _plan(PersonFilterSet.apply(Person.objects.all(), {"q": q},
                                           user=tree.county_admin).order_by().values("pk"))
    assert f"Bitmap Index Scan on {index}" in plan, plan
    # Selective: the index gives the matching rows, not every row to check again.
    removed = re.search(r"Rows Removed by Index Recheck: (\d+)", plan)
    assert removed is None or int(removed.group(1)) == 0, plan
    # The plain pattern of two characters (what a search of the name itself would be)
    # has no trigram: the name's index is of no use to it (skipped, or every row of it
    # checked again).
    if q == "王伟":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
            bare = _plan(Person.objects.filter(name__contains="王伟").values("pk"))
        assert ("person_name_trgm_idx" not in bare
                or "Rows Removed by Index Recheck" in bare), bare
