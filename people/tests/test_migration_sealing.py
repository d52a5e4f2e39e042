"""The migration that seals the ID numbers (people 0006) carries a register over: every
number sealed, hashed, found again; certificates spelled the same; and back again."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from .factories import make_id

BEFORE = [("people", "0005_version_for_optimistic_locking")]


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_register_is_sealed_and_opened_again(tree):
    old = _migrate(BEFORE)
    Person = old.get_model("people", "Person")
    numbers = [make_id(birth=dt.date(1960 + i, 1, 1)) for i in range(3)]
    for i, number in enumerate(numbers):
        Person.objects.create(
            unit_id=tree.community.pk, name=f"旧{i}", id_number=number, gender="M",
            birth_date=dt.date(1960 + i, 1, 1), hukou="rural", registered_on=dt.date(2020, 1, 1),
            certificate_number=f"{number}42" if i else None, category=4 if i else None,
            grade=2 if i else None)
    Person.objects.create(unit_id=tree.community.pk, name="无证号", id_number=None, gender="F",
                          birth_date=dt.date(2020, 1, 1), hukou="rural",
                          registered_on=dt.date(2021, 1, 1))
    try:
        _migrate(_latest())  # 0006 seals, then the migrations after it
        from people.models import Person as Current

        for i, number in enumerate(numbers):
            person = Current.objects.with_id(number).get()
            assert person.name == f"旧{i}" and person.id_number == number
            assert person.certificate_number == (f"{number}42" if i else None)
            assert Current.objects.with_id_ending(number[-4:]).filter(pk=person.pk).exists()
        assert Current.objects.get(name="无证号").id_number is None
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM people_person")
            stored = repr(cursor.fetchall())
        assert not any(number in stored for number in numbers)

        back = _migrate(BEFORE)
        restored = dict(back.get_model("people", "Person").objects.values_list(
            "id_number", "certificate_number").exclude(id_number=None))
        assert restored == {n: (f"{n}42" if i else None) for i, n in enumerate(numbers)}
    finally:
        _migrate(_latest())  # as it was
