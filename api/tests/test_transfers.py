"""Transfers through the API: requested by the unit a person moves to, accepted or declined
by the unit holding them; in scope, out of scope (404), without permission (403)."""

import pytest

from api.tests.helpers import Api
from people import services
from people.models import Person, Transfer
from people.tests.factories import make_id, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def moving(tree):
    tree.mine = make_person(unit=tree.community, name="李明")
    return tree


def _request(t):
    return services.transfer_request(actor=t.other_officer, id_number=t.mine.id_number,
                                     to_unit=t.other_village, reason="户口迁入")


def test_a_unit_requests_a_transfer_and_the_person_stays_unnamed(moving, client):
    t = moving
    answer = Api(client, t.other_officer).post("transfers", {
        "id_number": t.mine.id_number, "to_unit": t.other_village.pk, "reason": "户口迁入"})
    assert answer.status_code == 201, answer.content
    body = answer.json()
    transfer = Transfer.objects.get()
    assert body["id"] == transfer.pk and body["status"] == "requested"
    assert body["named"] is False and "李明" not in answer.content.decode()
    assert t.mine.id_number not in answer.content.decode()
    assert body["from_unit_id"] == t.community.pk and body["to_unit_id"] == t.other_village.pk


def test_a_bad_request_is_422_with_the_pages_messages(moving, client):
    t = moving
    api = Api(client, t.other_officer)
    unknown = api.post("transfers", {"id_number": make_id(),
                                     "to_unit": t.other_village.pk})
    assert unknown.status_code == 422
    assert "id_number" in unknown.json()["errors"]
    outside = api.post("transfers", {"id_number": t.mine.id_number,
                                     "to_unit": t.village.pk})  # not in their scope
    assert outside.status_code == 422 and "to_unit" in outside.json()["errors"]
    _request(t)
    twice = api.post("transfers", {"id_number": t.mine.id_number,
                                   "to_unit": t.other_village.pk})
    assert twice.status_code == 422 and twice.json()["errors"]["__all__"]
    assert Transfer.objects.count() == 1


def test_the_holder_accepts_and_the_person_moves(moving, client):
    t = moving
    transfer = _request(t)
    answer = Api(client, t.township_officer).post(f"transfers/{transfer.pk}/accept", {})
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "done" and answer.json()["person"] == "李明"
    assert Person.objects.get(pk=t.mine.pk).unit_id == t.other_village.pk
    again = Api(client, t.township_officer).post(f"transfers/{transfer.pk}/decline", {})
    assert again.status_code == 422
    assert again.json()["errors"]["__all__"] == ["这项迁转申请已经处理过了。"]
    assert Transfer.objects.get().status == "done"


def test_the_holder_declines_and_the_person_stays(moving, client):
    t = moving
    transfer = _request(t)
    answer = Api(client, t.village_officer).post(f"transfers/{transfer.pk}/decline", {})
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "declined"
    assert Person.objects.get(pk=t.mine.pk).unit_id == t.community.pk


def test_only_the_holder_decides_out_of_scope_404_without_permission_403(moving, client,
                                                                         django_user_model):
    t = moving
    transfer = _request(t)
    asking = Api(client, t.other_officer)  # sees the request, does not hold the person
    assert asking.post(f"transfers/{transfer.pk}/accept", {}).status_code == 403
    from accounts.models import Role
    from accounts.tests.factories import UserFactory
    from core.actors import SYSTEM
    from orgs.models import Level
    from orgs.services import unit_create

    neighbour = unit_create(actor=SYSTEM, parent=t.city, level=Level.COUNTY, code="620421",
                            name="靖远县")
    outsider = Api(client, UserFactory(username="t_far", unit=neighbour, role=Role.ADMIN))
    assert outsider.post(f"transfers/{transfer.pk}/accept", {}).status_code == 404
    for user in (t.leader, t.auditor):
        api = Api(client, user)
        assert api.post(f"transfers/{transfer.pk}/accept", {}).status_code == 403
        assert api.post("transfers", {"id_number": t.mine.id_number,
                                      "to_unit": t.other_village.pk}).status_code == 403
    assert Transfer.objects.get().status == "requested"
    assert Person.objects.get(pk=t.mine.pk).unit_id == t.community.pk
