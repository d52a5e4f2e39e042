"""Administrators at every level: the role "county_admin" becomes "admin" (its title now
says the level of the user's unit: 省级管理员, 市级管理员, 县级管理员)."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    apps.get_model("accounts", "User").objects.filter(role="county_admin").update(role="admin")


def backwards(apps, schema_editor):
    apps.get_model("accounts", "User").objects.filter(role="admin").update(role="county_admin")


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="role",
            field=models.CharField(
                blank=True,
                choices=[
                    ("admin", "Administrator"),
                    ("township_officer", "Township officer"),
                    ("village_officer", "Village liaison officer"),
                    ("leader", "Leader"),
                    ("auditor", "Auditor"),
                ],
                max_length=20,
                verbose_name="role",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
