"""The workers' personal numbers at rest: sealed, and sealed again by ``manage.py
reseal_numbers`` after a key rotation, with the register's."""

import base64
import io
import os

from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from people.tests.factories import make_id, make_person
from workforce.models import Worker
from workforce.tests.factories import make_worker


def test_the_rotation_command_reseals_workers_and_the_register(tree, settings):
    number, account = make_id(seq=61), "6228480012345678"
    worker = make_worker(unit=tree.community, id_number=number, bank_account=account)
    make_person(unit=tree.community)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM workforce_worker")
        stored = " ".join(str(v) for row in cursor.fetchall() for v in row)
    assert number not in stored and account not in stored and account[-8:] not in stored
    new_key = base64.b64encode(os.urandom(32)).decode()
    ring = f"next:{new_key},{settings.CANLIAN_FIELD_KEYS}"
    with override_settings(CANLIAN_FIELD_KEYS=ring):
        out = io.StringIO()
        call_command("reseal_numbers", stdout=out)
        assert "1 people" in out.getvalue() and "1 workers" in out.getvalue()
    with override_settings(CANLIAN_FIELD_KEYS=f"next:{new_key}"):
        again = Worker.objects.get(pk=worker.pk)
        assert again.id_cipher.startswith("next$") and again.bank_cipher.startswith("next$")
        assert (again.id_number, again.bank_account) == (number, account)
        assert Worker.objects.with_id(number).get() == again
