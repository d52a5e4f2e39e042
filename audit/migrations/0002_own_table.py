from django.db import migrations


def move_content_type(apps, schema_editor):
    """Keep the log's own content type (and the permission to view it) with the model."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    old = ContentType.objects.filter(app_label="accounts", model="auditlog").first()
    if old is not None and not ContentType.objects.filter(app_label="audit",
                                                          model="auditlog").exists():
        old.app_label = "audit"
        old.save(update_fields=["app_label"])


def back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="audit", model="auditlog").update(app_label="accounts")


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0001_initial'),
        ('accounts', '0003_auditlog_moves_to_audit'),
    ]

    operations = [
        migrations.AlterModelTable(name='auditlog', table=None),
        migrations.RunPython(move_content_type, back),
    ]
