from django.db import migrations


class Migration(migrations.Migration):
    """accounts lets go of the audit log (now audit.AuditLog, on the same table)."""

    dependencies = [
        ('accounts', '0002_role_admin'),
        ('audit', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='AuditLog')],
            database_operations=[],
        ),
    ]
