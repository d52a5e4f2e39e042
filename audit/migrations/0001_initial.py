"""The audit log moves from accounts to its own app: declared here first on the table
accounts made (no change to the database), accounts lets go of it (accounts 0003), then
the table takes this app's name (0002). No entry is touched."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0002_role_admin'),
        ('orgs', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AuditLog',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='time')),
                        ('actor_name', models.CharField(blank=True, max_length=150, verbose_name='user name')),
                        ('action', models.CharField(choices=[('create', 'Create'), ('update', 'Update'), ('move', 'Move'), ('delete', 'Delete'), ('view', 'View'), ('export', 'Export'), ('import', 'Import'), ('login', 'Log in'), ('login_failed', 'Failed login'), ('logout', 'Log out')], db_index=True, max_length=16, verbose_name='action')),
                        ('object_id', models.CharField(blank=True, max_length=64, verbose_name='object id')),
                        ('object_repr', models.CharField(blank=True, max_length=200, verbose_name='object')),
                        ('ip_address', models.GenericIPAddressField(blank=True, null=True, verbose_name='IP address')),
                        ('changes', models.JSONField(blank=True, default=dict, verbose_name='changes')),
                        ('detail', models.JSONField(blank=True, default=dict, verbose_name='detail')),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                        ('content_type', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='contenttypes.contenttype', verbose_name='object type')),
                        ('unit', models.ForeignKey(blank=True, help_text='The unit the object belongs to; decides who may read the entry.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.orgunit', verbose_name='unit')),
                    ],
                    options={
                        'db_table': 'accounts_auditlog',
                        'verbose_name': 'audit entry',
                        'verbose_name_plural': 'audit log',
                        'ordering': ['-at', '-id'],
                        'indexes': [models.Index(fields=['content_type', 'object_id'], name='audit_object_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
