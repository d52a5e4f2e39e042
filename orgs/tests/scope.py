"""The pages of orgs that name a unit (see core/tests/test_out_of_scope.py); the standard
tree has the units, so nothing is built."""

OBJECT_URLS = {
    "orgs:unit_detail": ("other_village", "get"),
    "orgs:unit_children": ("other_township", "get"),
    "orgs:unit_edit": ("other_village", "get"),
    "orgs:grid_create": ("other_village", "get"),
    "orgs:unit_move": ("other_village", "get"),
}
