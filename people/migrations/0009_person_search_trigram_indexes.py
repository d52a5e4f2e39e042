"""Trigram indexes for the register's search (a name's part, ``%王伟%``, or the pinyin key's,
``%wangwei%``), which a btree cannot serve: on PostgreSQL only (pg_trgm). SQLite, a county's
database, scans the people of the user's area instead (see the README)."""

from django.db import migrations

INDEXES = (("name", "person_name_trgm_idx"), ("search_key", "person_search_key_trgm_idx"))


def _indexes(Person):
    from django.contrib.postgres.indexes import GinIndex

    return [GinIndex(fields=[field], name=name, opclasses=["gin_trgm_ops"])
            for field, name in INDEXES]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Person = apps.get_model("people", "Person")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for index in _indexes(Person):
        schema_editor.add_index(Person, index)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Person = apps.get_model("people", "Person")
    for index in _indexes(Person):
        schema_editor.remove_index(Person, index)


class Migration(migrations.Migration):
    dependencies = [("people", "0008_search_key_has_character_pairs")]

    operations = [migrations.RunPython(create, drop)]
