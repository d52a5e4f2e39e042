"""ID numbers at rest: after a register's everyday work — registering, correcting an ID,
asking a transfer by ID, importing people, needs and visits (a bad row among them), opening
files, exporting the audit log — no table holds an ID or certificate number as itself, nor
its masked form; and the numbers survive a key rotation."""

import base64
import datetime as dt
import os

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from audit.models import AuditLog
from audit.services import entry_text
from core import crypto
from core.actors import SYSTEM
from people import services
from people.identity import mask_id
from people.models import Person

from .factories import make_id, make_person
from .test_imports import upload, xlsx


def _every_stored_text() -> str:
    """Every value of every table, as text, one per line."""
    lines = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                lines.extend(
                    bytes(v).decode("latin-1") if isinstance(v, bytes | memoryview) else str(v)
                    for v in row if v is not None)
    return "\n".join(lines)


def test_no_table_holds_an_id_number_as_itself(tree, client_for):
    person = make_person(unit=tree.community, name="张三", actor=tree.village_officer)
    first = person.id_number
    corrected = make_id(birth=dt.date(1970, 5, 17))
    person = services.person_update(actor=tree.village_officer, person=person,
                                    id_number=corrected,
                                    certificate_number=f"{corrected}42")
    assert person.id_number == corrected
    elsewhere = make_person(unit=tree.other_village, name="外村人", actor=SYSTEM)
    services.transfer_request(actor=tree.village_officer, id_number=elsewhere.id_number,
                              to_unit=tree.community, reason="迁入")
    imported = make_id(birth=dt.date(1961, 3, 5))
    bad = make_id(birth=dt.date(1962, 4, 6))
    job = upload(tree.village_officer, xlsx([
        ["马有福", "男", imported, f"{imported}42", "肢体", "二级", "", "3组", "东山根社区"],
        ["", "男", bad, f"{bad}42", "肢体", "二级", "", "3组", "东山根社区"],  # no name
    ]), mode="valid")
    assert job.created == 1 and job.bad_rows == 1
    upload(tree.village_officer, xlsx(
        [[imported, "2026-02-01", "张专委", "入户", "身体好转", "2026-05-01"]],
        header=["身份证号", "走访日期", "走访人", "走访方式", "走访情况", "下次走访日期"]),
        kind="visits")
    client = client_for(tree.village_officer)
    for pk in (person.pk, Person.objects.with_id(imported).get().pk):
        assert client.get(reverse("people:person_detail", args=[pk])).status_code == 200
    assert client.get(reverse("people:person_list"), {"q": imported}).status_code == 200
    assert client_for(tree.auditor).get(reverse("accounts:audit_export")).status_code == 200

    numbers = [first, corrected, elsewhere.id_number, imported, bad]
    stored = _every_stored_text()
    assert Person.objects.count() == 3 and len(stored) > 10_000  # the scan read something
    for number in numbers:
        assert number not in stored, f"{number} is stored as itself"
        assert mask_id(number) not in stored, f"{mask_id(number)} (masked) is stored"
        assert number[6:] not in stored  # nor its birth date and sequence together
    # ...and each is there, sealed: the file shows it, the log shows it masked.
    client = client_for(tree.village_officer)
    body = client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert corrected in body
    change = AuditLog.objects.filter(object_id=str(person.pk), action="update").get()
    assert [entry_text(v) for v in change.changes["id_number"]] == [mask_id(first),
                                                                    mask_id(corrected)]


def test_a_new_key_and_reseal_keep_every_number(tree, client_for, settings):
    people = [make_person(unit=tree.community, name=f"人{i}", actor=tree.village_officer)
              for i in range(3)]
    moved = people[0]
    services.person_update(actor=tree.village_officer, person=moved,
                           id_number=(new_id := make_id()), certificate_number=f"{new_id}42")
    numbers = {p.pk: Person.objects.get(pk=p.pk).id_number for p in people}
    old_ring = settings.CANLIAN_FIELD_KEYS
    new_key = base64.b64encode(os.urandom(32)).decode()
    with override_settings(CANLIAN_FIELD_KEYS=f"next:{new_key},{old_ring}"):
        assert {p.pk: p.id_number for p in Person.objects.all()} == numbers
        counts = services.reseal_numbers(actor=SYSTEM)
        # Each registration's entry and the correction's hold sealed numbers.
        assert counts == {"people": 3, "audit_entries": 4}
        assert services.reseal_numbers(actor=SYSTEM) == {"people": 0, "audit_entries": 0}
        assert all(p.id_cipher.startswith("next$") for p in Person.objects.all())
    # Only the new key now: everything still opens, the log included.
    with override_settings(CANLIAN_FIELD_KEYS=f"next:{new_key}"):
        assert {p.pk: p.id_number for p in Person.objects.all()} == numbers
        change = AuditLog.objects.filter(object_id=str(moved.pk), action="update").get()
        assert entry_text(change.changes["id_number"][1]) == mask_id(new_id)
        assert Person.objects.with_id(new_id).get().pk == moved.pk
    # A new lookup key: the hashes are recomputed, and the numbers found again.
    new_lookup = base64.b64encode(os.urandom(32)).decode()
    with override_settings(CANLIAN_FIELD_KEYS=f"next:{new_key}", CANLIAN_LOOKUP_KEY=new_lookup):
        assert not Person.objects.with_id(new_id).exists()
        assert services.reseal_numbers(actor=SYSTEM, everything=True)["people"] == 3
        assert Person.objects.with_id(new_id).get().pk == moved.pk
        assert Person.objects.with_id_ending(new_id[-4:]).filter(pk=moved.pk).exists()
    with pytest.raises(PermissionError):
        services.reseal_numbers(actor=tree.county_admin)


def test_a_key_missing_from_the_ring_is_a_clear_error_not_a_wrong_number(tree):
    person = make_person(unit=tree.community)
    other = base64.b64encode(os.urandom(32)).decode()
    with override_settings(CANLIAN_FIELD_KEYS=f"other:{other}"):
        with pytest.raises(crypto.SealError, match="no key"):
            Person.objects.get(pk=person.pk).id_number  # noqa: B018
