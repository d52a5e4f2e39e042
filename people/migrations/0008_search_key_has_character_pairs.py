"""Every person's search key again, now with each pair of the name's characters as a word
(people.pinyin.search_key), so a two-character search is an index lookup on PostgreSQL.
Before the trigram indexes (0008): every key is rewritten, and building a GIN index once is
far cheaper than keeping it up to date through 2 million updates."""

from django.db import migrations

BATCH = 5000


def _write(schema_editor, Person, batch):
    if not batch:
        return
    if schema_editor.connection.vendor != "postgresql":
        Person.objects.bulk_update(batch, ["search_key"])  # a county's register
        return
    # A province's 2 million: one UPDATE … FROM VALUES a batch (bulk_update's CASE is
    # quadratic in the batch).
    table = schema_editor.quote_name(Person._meta.db_table)
    values = ", ".join(["(%s, %s)"] * len(batch))
    params = [v for person in batch for v in (person.pk, person.search_key)]
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} AS p SET search_key = v.key FROM (VALUES {values}) "
                       f"AS v(id, key) WHERE p.id = v.id", params)


def rekey(apps, schema_editor):
    from people.pinyin import search_key  # the key is the code's: the same for old rows

    Person = apps.get_model("people", "Person")
    batch = []
    for person in Person.objects.only("pk", "name", "search_key").order_by("pk").iterator(
            chunk_size=BATCH):
        key = search_key(person.name)
        if key != person.search_key:
            person.search_key = key
            batch.append(person)
        if len(batch) >= BATCH:
            _write(schema_editor, Person, batch)
            batch = []
    _write(schema_editor, Person, batch)


class Migration(migrations.Migration):
    dependencies = [("people", "0007_person_visit_facts")]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop, elidable=True)]
