"""The network's endpoints: the top of the user's tree, a unit, its children."""

import pytest

from api.tests.helpers import Api

pytestmark = pytest.mark.django_db


def test_the_tree_starts_at_the_users_unit(tree, client):
    answer = Api(client, tree.township_officer).get("units/")
    assert answer.status_code == 200
    assert [(u["id"], u["child_count"]) for u in answer.json()] == [(tree.township.pk, 2)]


def test_a_unit_and_its_children(tree, client):
    api = Api(client, tree.county_admin)
    detail = api.get(f"units/{tree.township.pk}").json()
    assert detail["name"] == "会师镇"
    assert detail["level_label"] == str(tree.township.get_level_display())
    assert [a["id"] for a in detail["ancestors"]] == [tree.county.pk]
    children = api.get(f"units/{tree.township.pk}/children").json()
    assert {c["id"] for c in children} == {tree.community.pk, tree.village.pk}


def test_a_unit_out_of_scope_is_404_and_without_permission_403(tree, client):
    api = Api(client, tree.township_officer)
    for path in (f"units/{tree.other_township.pk}", f"units/{tree.other_township.pk}/children"):
        answer = api.get(path)
        assert answer.status_code == 404
        assert answer.json()["detail"] == "找不到，或不在您的范围内。"
    auditor = Api(client, tree.auditor)
    for path in ("units/", f"units/{tree.township.pk}", f"units/{tree.township.pk}/children"):
        assert auditor.get(path).status_code == 403
