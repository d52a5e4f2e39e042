from django.db import migrations


class Migration(migrations.Migration):
    """core lets go of the import job (now imports.ImportJob, on the same table)."""

    dependencies = [
        ('core', '0001_initial'),
        ('people', '0004_import_job_moves_to_imports'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='ImportJob')],
            database_operations=[],
        ),
    ]
