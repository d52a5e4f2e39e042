"""Every person's search key again, now with each pair of the name's characters as a word
(people.pinyin.search_key), so a two-character search is an index lookup on PostgreSQL."""

from django.db import migrations

BATCH = 5000


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
            Person.objects.bulk_update(batch, ["search_key"])
            batch = []
    Person.objects.bulk_update(batch, ["search_key"])


class Migration(migrations.Migration):
    dependencies = [("people", "0007_person_search_trigram_indexes")]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop, elidable=True)]
