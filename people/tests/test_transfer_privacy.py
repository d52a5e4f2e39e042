"""Asking for a transfer tells the unit asking nothing it did not know: until the holding
unit accepts, it sees the ID number it typed (masked) and the holding unit's name, never
the person's name. The holding unit sees the request in full."""

import pytest
from django.urls import reverse

from core.actors import SYSTEM
from orgs import services as org_services
from orgs.models import Level
from people import selectors, services

from .factories import make_person
from .test_views import _register_post

SECRET = "王秘密"


@pytest.fixture
def asked(tree, client_for):
    """The community's officer asks for a person held by 红堡子村 (another township)."""
    person = make_person(unit=tree.other_village, name=SECRET)
    client = client_for(tree.village_officer)
    response = client.post(reverse("people:transfer_request"), {
        "id_number": person.id_number, "to_unit": tree.community.pk, "reason": "已迁入"},
        follow=True)
    assert response.redirect_chain and response.status_code == 200
    return person, response.content.decode()


def _transfers_page(client_for, user) -> str:
    response = client_for(user).get(reverse("people:transfer_list"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_unit_asking_sees_the_masked_id_and_the_holder_only(tree, client_for, asked):
    person, after_request = asked
    for body in (after_request, _transfers_page(client_for, tree.village_officer)):
        assert SECRET not in body
        assert person.id_number not in body
        assert person.masked_id in body
        assert "红堡子村民委员会" in body
    # The message after the request names the holding unit, not the person.
    assert "红堡子村民委员会" in after_request.split("<main", 1)[1]


def test_the_holding_unit_sees_the_request_in_full(tree, client_for, asked):
    body = _transfers_page(client_for, tree.other_officer)
    assert SECRET in body and "decision" in body


def test_a_declined_request_still_names_no_one(tree, client_for, asked):
    person, _body = asked
    transfer = person.transfers.get()
    services.transfer_decide(actor=tree.other_officer, transfer=transfer, accept=False)
    body = _transfers_page(client_for, tree.village_officer)
    assert SECRET not in body and person.masked_id in body


def test_once_accepted_the_new_holder_sees_the_name(tree, client_for, asked):
    person, _body = asked
    services.transfer_decide(actor=tree.other_officer, transfer=person.transfers.get(),
                             accept=True)
    assert SECRET in _transfers_page(client_for, tree.village_officer)


def test_asking_again_names_no_one(tree, client_for, asked):
    person, _body = asked
    response = client_for(tree.village_officer).post(reverse("people:transfer_request"), {
        "id_number": person.id_number, "to_unit": tree.community.pk})
    assert response.status_code == 200
    body = response.content.decode()
    assert "已经申请过迁转此人" in body  # the error is shown…
    assert SECRET not in body  # …and names no one


def test_the_list_selector_gives_no_name_to_the_unit_asking(tree, asked):
    lines = selectors.transfer_list(user=tree.village_officer)
    (line,) = lines["incoming"]
    assert not line.named and line.person == asked[0].masked_id
    (held,) = selectors.transfer_list(user=tree.other_officer)["pending"]
    assert held.named and held.person == SECRET


def test_the_transfer_list_query_count_does_not_grow(tree, client_for,
                                                      django_assert_max_num_queries):
    client = client_for(tree.village_officer)
    for n in range(6):
        person = make_person(unit=tree.other_village, name=f"远{n}")
        services.transfer_request(actor=tree.village_officer, id_number=person.id_number,
                                  to_unit=tree.community)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("people:transfer_list")).status_code == 200


def test_a_duplicate_registration_names_only_the_holding_unit(tree, client_for):
    """Registering someone already registered in another county: the message names the
    unit holding them, not the person."""
    neighbour = org_services.unit_create(actor=SYSTEM, parent=tree.city, level=Level.COUNTY,
                                         code="620421", name="靖远县")
    township = org_services.unit_create(actor=SYSTEM, parent=neighbour, level=Level.TOWNSHIP,
                                        code="620421100", name="乌兰镇")
    village = org_services.unit_create(actor=SYSTEM, parent=township, level=Level.VILLAGE,
                                       code="620421100200", name="北关村民委员会")
    other = make_person(unit=village, name=SECRET)
    response = client_for(tree.village_officer).post(
        reverse("people:person_create"),
        _register_post(tree.community, id_number=other.id_number,
                       certificate_number=other.certificate_number))
    body = response.content.decode()
    assert response.status_code == 200
    assert "北关村民委员会" in body and SECRET not in body
    # Someone the user may see is named, with a link to their file.
    mine = make_person(unit=tree.community, name="李明")
    body = client_for(tree.township_officer).post(
        reverse("people:person_create"),
        _register_post(tree.village, id_number=mine.id_number,
                       certificate_number=mine.certificate_number)).content.decode()
    assert "李明" in body and mine.get_absolute_url() in body
