"""The audit log's page and workbook read every value an entry holds: a unit recorded by
id and name (audit.services.audit_ref) by its name, and entries of any shape."""

from django.urls import reverse

from audit.models import Action, AuditLog
from orgs import services as org_services

from .test_exports import AUDIT, records, sheet_of


def _odd_entries(tree):
    AuditLog.objects.create(action=Action.UPDATE, actor_name="old", unit=tree.county,
                            object_repr="怪条目", changes={"category": 4,
                                                         "grid": [["a", None], "b"]})
    AuditLog.objects.create(action=Action.UPDATE, actor_name="old", unit=tree.county,
                            object_repr="怪条目二", changes=["not", "a", "dict"])


def test_the_audit_page_names_units_and_reads_any_entry(tree, client_for):
    org_services.unit_move(actor=tree.county_admin, unit=tree.community,
                           new_parent=tree.other_township)
    _odd_entries(tree)
    response = client_for(tree.auditor).get(reverse("accounts:audit_list"),
                                            {"action": "move"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "parent: 会师镇 → 郭城驿镇" in body and "&#x27;id&#x27;" not in body
    response = client_for(tree.auditor).get(reverse("accounts:audit_list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "category: ∅ → 4" in body and "grid: a、∅ → b" in body


def test_the_audit_workbook_names_units_and_reads_any_entry(tree, client_for):
    org_services.unit_move(actor=tree.county_admin, unit=tree.community,
                           new_parent=tree.other_township)
    _odd_entries(tree)
    rows = records(sheet_of(client_for(tree.auditor).get(AUDIT)))
    (move,) = [r for r in rows if r["操作"].value == "移动"]
    assert move["变更"].value == "parent：会师镇 → 郭城驿镇"
    changes = {r["对象"].value: r["变更"].value for r in rows}
    assert changes["怪条目"] == "category：∅ → 4；grid：a、∅ → b"
    assert changes["怪条目二"] == "not、a、dict"
