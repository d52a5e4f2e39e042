"""A person's registration is no longer stored as a PersonEvent: the person row holds it
(registered_on, registered_by, import_job) and selectors.status_history shows it first.
The stored "registered" events, written from those same fields, are removed (and written
again from them if the migration is reversed)."""

from django.db import migrations, models


def remove_registered_events(apps, schema_editor):
    apps.get_model("people", "PersonEvent").objects.filter(kind="registered").delete()


def restore_registered_events(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    PersonEvent = apps.get_model("people", "PersonEvent")
    PersonEvent.objects.bulk_create(
        (PersonEvent(person_id=p.pk, kind="registered", on=p.registered_on, unit_id=p.unit_id,
                     by_id=p.registered_by_id,
                     note=f"Import {p.import_job_id}" if p.import_job_id else "")
         for p in Person.objects.only("pk", "registered_on", "unit_id", "registered_by_id",
                                      "import_job_id").iterator()),
        batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(remove_registered_events, restore_registered_events),
        migrations.AlterField(
            model_name="personevent",
            name="kind",
            field=models.CharField(choices=[("moved_in", "Moved in"), ("moved_out", "Moved out"), ("deceased", "Deceased"), ("cancelled", "Certificate cancelled"), ("reactivated", "Active again")], max_length=12, verbose_name="event"),
        ),
    ]
