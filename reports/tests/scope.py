"""The summary table's pages that name a unit (see core/tests/test_out_of_scope.py)."""

OBJECT_URLS = {
    "reports:summary_unit": ("other_township", "get"),
    "reports:summary_xlsx": ("other_township", "get"),
    "reports:reform_comparison": ("comparison_reform", "get"),
    "reports:summary_freeze": ("other_township", "get"),
    "reports:snapshot_list": ("other_township", "get"),
    "reports:overview_unit": ("other_township", "get"),
    "reports:overview_xlsx": ("other_township", "get"),
    "reports:overview_pdf": ("other_township", "get"),
}


def build(tree):
    import datetime as dt

    from core.actors import SYSTEM
    from orgs import reform_services

    tree.comparison_reform = reform_services.reform_create(
        actor=SYSTEM, unit=tree.other_township, title="合并村", effective_on=dt.date(2024, 1, 1))
