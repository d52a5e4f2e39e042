"""The import job moves from core to its own app: the model is declared here first on the
table core made (no change to the database), the register's link to it follows, core lets
go of it, and then the table takes this app's name (0002)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('core', '0001_initial'),
        ('orgs', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='ImportJob',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('kind', models.CharField(max_length=20, verbose_name='ledger')),
                    ('filename', models.CharField(max_length=200, verbose_name='file')),
                    ('file', models.FileField(upload_to='imports/%Y/%m/')),
                    ('sheet', models.CharField(blank=True, max_length=100, verbose_name='sheet')),
                    ('header_row', models.PositiveIntegerField(default=1, verbose_name='header row')),
                    ('mapping', models.JSONField(blank=True, default=dict, verbose_name='columns')),
                    ('mode', models.CharField(choices=[('all', 'All or nothing'), ('valid', 'Valid rows only')], default='all', max_length=5, verbose_name='when rows are bad')),
                    ('update_existing', models.BooleanField(default=False, verbose_name='update rows already in the system')),
                    ('dry_run', models.BooleanField(default=False, verbose_name='check only')),
                    ('status', models.CharField(choices=[('uploaded', 'Uploaded'), ('queued', 'Queued'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], default='uploaded', max_length=10, verbose_name='status')),
                    ('total_rows', models.PositiveIntegerField(default=0)),
                    ('done_rows', models.PositiveIntegerField(default=0)),
                    ('created', models.PositiveIntegerField(default=0)),
                    ('updated', models.PositiveIntegerField(default=0)),
                    ('bad_rows', models.PositiveIntegerField(default=0)),
                    ('applied', models.BooleanField(default=False)),
                    ('errors', models.JSONField(blank=True, default=list)),
                    ('error_count', models.PositiveIntegerField(default=0)),
                    ('rejected_file', models.FileField(blank=True, upload_to='imports/%Y/%m/')),
                    ('message', models.TextField(blank=True)),
                    ('started_at', models.DateTimeField(blank=True, null=True)),
                    ('finished_at', models.DateTimeField(blank=True, null=True)),
                    ('heartbeat', models.DateTimeField(blank=True, null=True)),
                    ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
                    ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.orgunit', verbose_name='unit')),
                ],
                options={
                    'db_table': 'core_importjob',
                    'verbose_name': 'import',
                    'verbose_name_plural': 'imports',
                    'ordering': ['-created_at', '-id'],
                },
            ),
            ],
            database_operations=[],
        ),
    ]
