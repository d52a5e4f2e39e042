"""The national default standards (standards/defaults.py) for the year the database is set up
in; services.defaults_ensure writes those of any other year."""

import datetime as dt

from django.db import migrations


def create_defaults(apps, schema_editor):
    from standards.defaults import DEFAULT_STANDARDS

    Standard = apps.get_model("standards", "Standard")
    StandardItem = apps.get_model("standards", "StandardItem")
    year = dt.date.today().year
    for code, name, level, items in DEFAULT_STANDARDS:
        standard, created = Standard.objects.get_or_create(
            code=code, year=year, region=None,
            defaults={"name": name, "level": level, "status": "published"})
        if created:
            StandardItem.objects.bulk_create([
                StandardItem(standard=standard, order=n, text=text,
                             kind="computed" if key else "confirmed", indicator=key)
                for n, (text, key) in enumerate(items, start=1)])


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
