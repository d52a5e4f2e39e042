"""Backup and restore round-trip the demo: every table comes back as it was."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from orgs.models import OrgUnit
from people.models import Person


def _tables() -> dict[str, list]:
    """Every row of every table of the project and Django's own, in key order."""
    content = {}
    for model in apps.get_models(include_auto_created=True):
        content[model._meta.db_table] = list(
            model._base_manager.order_by("pk").values_list(*[f.attname for f in
                                                             model._meta.concrete_fields]))
    return content


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_every_table(tmp_path):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    before = _tables()
    assert len(before["people_person"]) > 1000
    target = tmp_path / "copy"
    call_command("backup", str(target), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert target.stat().st_size > 0
    # Lose something, then bring the copy back.
    Person.objects.filter(pk__in=list(Person.objects.values_list("pk", flat=True)[:10])) \
        .update(name="丢")
    OrgUnit.objects.filter(pk=OrgUnit.objects.order_by("-pk").first().pk).update(name="改名")
    assert _tables() != before
    call_command("restore", str(target), "--yes", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _tables() == before


@pytest.mark.django_db
def test_restore_of_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore", str(tmp_path / "none"), "--yes")
