"""Scope is security: every model tied to OrgUnit must have visible_to, and the subtree
filter must be right and indexed."""

import pytest
from django.apps import apps
from django.db import connection

from core.scope import ScopedQuerySet, path_segment, path_upper_bound, subtree_filter
from orgs.models import OrgUnit


def _reaches_orgunit(model) -> bool:
    if model is OrgUnit:
        return True
    return any(
        f.is_relation and f.many_to_one | f.one_to_one and f.related_model is OrgUnit
        for f in model._meta.get_fields()
        if f.concrete
    )


def test_every_model_tied_to_orgunit_is_scoped():
    tied = [m for m in apps.get_models() if _reaches_orgunit(m)]
    assert OrgUnit in tied and len(tied) >= 4  # OrgUnit, OrgProfile, User, AuditLog at least
    missing = []
    for model in tied:
        manager = model._default_manager
        if not isinstance(manager.all(), ScopedQuerySet) or not hasattr(model, "scope_field"):
            missing.append(model._meta.label)
            continue
        # The scope field must lead to OrgUnit.
        target = model
        for part in filter(None, model.scope_field.split("__")):
            target = target._meta.get_field(part).related_model
        if target is not OrgUnit:
            missing.append(f"{model._meta.label} (scope_field does not reach OrgUnit)")
    assert missing == []


def test_upper_bound_closes_exactly_the_subtree():
    path = path_segment(3) + path_segment(17)
    upper = path_upper_bound(path)
    inside = [path, path + path_segment(1), path + path_segment(99999999)]
    outside = [path_segment(3), path_segment(3) + path_segment(18), path_segment(4),
               path_segment(3) + path_segment(16) + path_segment(5)]
    assert all(path <= p < upper for p in inside)
    assert not any(path <= p < upper for p in outside)


def test_upper_bound_carries_over():
    assert path_upper_bound("0000000100000009") == "0000000100000010"
    assert path_upper_bound("0000000199999999") == "0000000200000000"


def test_within_returns_the_subtree_and_nothing_else(tree):
    names = set(OrgUnit.objects.within(tree.township).values_list("name", flat=True))
    assert names == {"会师镇", "东山根社区居民委员会", "高家庄村民委员会", "第1网格"}


def test_visible_to_nobody_without_unit(tree, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert OrgUnit.objects.visible_to(AnonymousUser()).count() == 0
    tree.village_officer.is_active = False
    assert OrgUnit.objects.visible_to(tree.village_officer).count() == 0


def test_superuser_sees_everything(tree, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="x-very-long-pw-1")
    assert OrgUnit.objects.visible_to(admin).count() == OrgUnit.objects.count()


@pytest.mark.django_db
def test_subtree_query_uses_the_path_index(tree):
    qs = OrgUnit.objects.filter(subtree_filter(tree.township.path))
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert "USING INDEX" in plan and "path" in plan, plan
        else:
            cursor.execute("SET enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            cursor.execute("SET enable_seqscan = on")
            assert "Index" in plan and "path" in plan, plan
