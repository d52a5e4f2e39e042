"""The reports' staffing norms, everywhere: one chair and one liaison officer per township
DPF and per village or community association (doc3, doc4); a second liaison officer allowed
where a village has 100 registered disabled people (research.md: Beijing). Administrators
change them, or add a region's own, on the norms page."""

from django.db import migrations

DEFAULTS = ((4, "chair", 1, None), (4, "liaison", 1, None), (5, "chair", 1, None),
            (5, "liaison", 1, 100))


def add(apps, schema_editor):
    norm = apps.get_model("workforce", "StaffingNorm")
    for level, kind, count, threshold in DEFAULTS:
        norm.objects.get_or_create(unit=None, level=level, kind=kind,
                                   defaults={"count": count, "extra_threshold": threshold})


class Migration(migrations.Migration):
    dependencies = [("workforce", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
