"""A user whose subtree holds every unit (a province's database) is scoped by no condition
at all — the register's count is then the index's own — and by the subtree again as soon as
a unit lies outside it. Rows that may have no unit keep their condition."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from audit.models import AuditLog
from core.actors import SYSTEM
from orgs import services as org_services
from orgs.models import Level, OrgUnit
from people.models import Need, Person
from people.tests.factories import make_person


def _fresh(user):
    return User.objects.select_related("unit").get(pk=user.pk)  # as a request loads it


def test_a_user_of_the_only_root_is_scoped_by_nothing(tree):
    person = make_person(unit=tree.village)
    top = UserFactory(role=Role.ADMIN, unit=tree.province)
    user = _fresh(top)
    with CaptureQueriesContext(connection) as ctx:
        sql = str(Person.objects.visible_to(user).query)
        str(Need.objects.visible_to(user).query)
        str(OrgUnit.objects.visible_to(user).query)
    assert len(ctx.captured_queries) == 1  # asked once, kept on the user
    assert "orgs_orgunit" not in sql and "path" not in sql
    assert list(Person.objects.visible_to(user)) == [person]
    # A row that may have no unit (the audit log) is still scoped by its unit.
    assert "path" in str(AuditLog.objects.visible_to(user).query)


def test_a_unit_outside_the_root_brings_the_condition_back(tree):
    make_person(unit=tree.village)
    other = org_services.unit_create(actor=SYSTEM, parent=None, level=Level.PROVINCE,
                                     code="63", name="青海省")
    city = org_services.unit_create(actor=SYSTEM, parent=other, level=Level.CITY, code="6301",
                                    name="西宁市")
    outsider = Person.objects.create(unit=city, name="外人", gender="m", hukou="rural",
                                     birth_date="1970-01-01", registered_on="2024-01-01")
    user = _fresh(UserFactory(role=Role.ADMIN, unit=tree.province))
    assert outsider not in Person.objects.visible_to(user)
    assert Person.objects.visible_to(user).count() == 1
    assert "path" in str(Person.objects.visible_to(user).query)
    # A user below the root never asks.
    county = _fresh(tree.county_admin)
    with CaptureQueriesContext(connection) as ctx:
        str(Person.objects.visible_to(county).query)
    assert ctx.captured_queries == []
