"""The pages of orgs that name a unit (see core/tests/test_out_of_scope.py); the standard
tree has the units; a reform of the county and one operation of it are built."""

from orgs.models import OperationKind

OBJECT_URLS = {
    "orgs:unit_detail": ("other_village", "get"),
    "orgs:unit_children": ("other_township", "get"),
    "orgs:unit_edit": ("other_village", "get"),
    "orgs:grid_create": ("other_village", "get"),
    "orgs:unit_move": ("other_village", "get"),
    # reforms of the network (orgs/reform_views.py)
    "orgs:reform_detail": ("reform", "get"),
    "orgs:reform_edit": ("reform", "get"),
    "orgs:reform_abolish_level": ("reform", "get"),
    "orgs:reform_preview": ("reform", "get"),
    **{f"orgs:operation_create_{kind.value}": ("reform", "get") for kind in OperationKind},
    "orgs:operation_edit": ("reform_operation", "get"),
    "orgs:operation_remove": ("reform_operation", "post"),
    "orgs:unit_history": ("other_village", "get"),
    "orgs:unit_on": ("other_village", "get"),
}


def build(tree):
    """A draft reform of the county making a village in 郭城驿镇."""
    from django.utils import timezone

    from orgs import reform_services

    tree.reform = reform_services.reform_create(
        actor=tree.county_admin, unit=tree.county, title="新设村",
        document_number="会发〔2026〕1号", effective_on=timezone.localdate())
    tree.reform_operation = reform_services.operation_add(
        actor=tree.county_admin, reform=tree.reform, kind=OperationKind.CREATE,
        params={"parent": tree.other_township.pk, "name": "新庄村民委员会"})
