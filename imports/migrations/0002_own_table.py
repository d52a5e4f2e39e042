from django.db import migrations


def move_content_type(apps, schema_editor):
    """Audit entries name the job's content type: keep them pointing at the job."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    old = ContentType.objects.filter(app_label="core", model="importjob").first()
    if old is None:
        return
    if ContentType.objects.filter(app_label="imports", model="importjob").exists():
        return
    old.app_label = "imports"
    old.save(update_fields=["app_label"])


def back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="imports", model="importjob").update(app_label="core")


class Migration(migrations.Migration):

    dependencies = [
        ('imports', '0001_initial'),
        ('core', '0002_importjob_moves_to_imports'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.AlterModelTable(name='importjob', table=None),
        migrations.RunPython(move_content_type, back),
    ]
