from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    """The link to the import job now names the imports app (the same table: state only)."""

    dependencies = [
        ('people', '0003_certificate_begins_with_id'),
        ('imports', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='person',
                    name='import_job',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='imports.importjob', verbose_name='imported with'),
                ),
            ],
            database_operations=[],
        ),
    ]
