"""The default categories of letters and visits (everywhere, 60 days to reply):
ledgers/rules.py DEFAULT_CATEGORIES, as ledgers/petitions_services.default_categories makes
them."""

from django.db import migrations

DEFAULTS = ("康复", "教育", "就业", "社会保障/救助", "托养照护", "无障碍", "维权/法律", "证件办理",
            "其他")


def forwards(apps, schema_editor):
    category = apps.get_model("ledgers", "PetitionCategory")
    for order, name in enumerate(DEFAULTS, start=1):
        if not category.objects.filter(unit__isnull=True, parent__isnull=True,
                                       name=name).exists():
            category.objects.create(name=name, order=order * 10, deadline_days=60)


def backwards(apps, schema_editor):
    category = apps.get_model("ledgers", "PetitionCategory")
    category.objects.filter(unit__isnull=True, parent__isnull=True, name__in=DEFAULTS,
                            children__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("ledgers", "0003_petitions")]
    operations = [migrations.RunPython(forwards, backwards)]
