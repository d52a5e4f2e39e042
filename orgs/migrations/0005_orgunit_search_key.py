"""The public search (reports/public_*.py) finds a village by the pinyin of its name: a key
per unit (orgs.rules.unit_search_key), filled here for the units there are, with a trigram
index on PostgreSQL for a part of the name or of the key (``%shan%``), which a btree cannot
serve. SQLite, a county's database, scans the county's few hundred units."""

from django.db import migrations, models

BATCH = 2000
INDEXES = (("name", "orgunit_name_trgm_idx"), ("search_key", "orgunit_search_key_trgm_idx"))


def fill(apps, schema_editor):
    from orgs.rules import unit_search_key  # the key is the code's: the same for old rows

    OrgUnit = apps.get_model("orgs", "OrgUnit")
    batch = []
    for unit in OrgUnit.objects.only("pk", "name").order_by("pk").iterator(chunk_size=BATCH):
        unit.search_key = unit_search_key(unit.name)
        batch.append(unit)
        if len(batch) >= BATCH:
            OrgUnit.objects.bulk_update(batch, ["search_key"])
            batch = []
    if batch:
        OrgUnit.objects.bulk_update(batch, ["search_key"])


def _indexes():
    from django.contrib.postgres.indexes import GinIndex

    return [GinIndex(fields=[field], name=name, opclasses=["gin_trgm_ops"])
            for field, name in INDEXES]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    OrgUnit = apps.get_model("orgs", "OrgUnit")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for index in _indexes():
        schema_editor.add_index(OrgUnit, index)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    OrgUnit = apps.get_model("orgs", "OrgUnit")
    for index in _indexes():
        schema_editor.remove_index(OrgUnit, index)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0004_work_committee_and_special_associations")]

    operations = [
        migrations.AddField(
            model_name="orgunit",
            name="search_key",
            field=models.CharField(blank=True, default="", editable=False, max_length=200),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
