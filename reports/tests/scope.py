"""The summary table's pages that name a unit (see core/tests/test_out_of_scope.py)."""

OBJECT_URLS = {
    "reports:summary_unit": ("other_township", "get"),
    "reports:summary_xlsx": ("other_township", "get"),
}

OBJECT_URLS |= {
    "reports:summary_freeze": ("other_township", "get"),
    "reports:snapshot_list": ("other_township", "get"),
}
