"""One actor vocabulary: a user, the system, or no one — and one guard."""

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import Action, AuditLog
from audit.services import audit_record
from core.actors import SYSTEM, require
from orgs.models import OrgUnit
from people import services as people_services


def test_no_one_may_do_nothing_and_sees_nothing(tree):
    with pytest.raises(PermissionDenied):
        require(None, None)
    with pytest.raises(PermissionDenied):
        people_services.person_register(actor=None, unit=tree.community, name="某",
                                         hukou="rural", gender="M", birth_date=None)
    assert not OrgUnit.objects.visible_to(None).exists()


def test_the_system_may_do_everything_and_sees_every_unit(tree, django_assert_num_queries):
    with django_assert_num_queries(0):
        require(SYSTEM, "people.add_person", tree.other_village)
    assert OrgUnit.objects.visible_to(SYSTEM).count() == OrgUnit.objects.count()


def test_a_user_needs_the_permission_and_the_object_in_scope(tree):
    require(tree.township_officer, "people.add_person", tree.village)
    with pytest.raises(PermissionDenied):
        require(tree.township_officer, "people.add_person", tree.other_village)
    with pytest.raises(PermissionDenied):
        require(tree.leader, "people.add_person", tree.village)
    tree.township_officer.is_active = False
    with pytest.raises(PermissionDenied):
        require(tree.township_officer, "people.add_person", tree.village)


def test_the_system_is_named_in_the_audit_log_without_a_user_row(tree):
    entry = audit_record(actor=SYSTEM, action=Action.IMPORT, unit=tree.county,
                         object_repr="demo")
    entry = AuditLog.objects.get(pk=entry.pk)
    assert (entry.actor_id, entry.actor_name) == (None, "system")
