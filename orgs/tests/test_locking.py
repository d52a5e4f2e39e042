"""Lost updates and double submits on the network pages: the optimistic lock of a unit and
its organisation (edited on one page), and the one-time token of the grid form."""

import pytest
from django.test import Client
from django.urls import reverse

from core.actors import SYSTEM
from core.tests.forms import error_summary, page_form
from core.versions import StaleVersion
from orgs import services
from orgs.divisions import divisions_import
from orgs.models import Level, OrgProfile, OrgUnit

from .test_divisions import _import

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend="accounts.backends.RoleBackend")
    return client


def _open_twice(url, first_user, second_user):
    first, second = _client(first_user), _client(second_user)
    return first, page_form(first.get(url)), second, page_form(second.get(url))


def test_a_stale_unit_save_is_refused_showing_both_and_keeping_the_input(tree):
    url = reverse("orgs:unit_edit", args=[tree.community.pk])
    first, first_data, second, second_data = _open_twice(url, tree.township_officer,
                                                          tree.county_admin)
    assert first_data["unit-version"] == "1" and first_data["org-version"] == "0"
    assert first.post(url, first_data | {"unit-population": "4200"}).status_code == 302
    response = second.post(url, second_data | {"unit-households": "1500"})
    assert response.status_code == 200
    assert "4200" in error_summary(response).replace(",", "")
    again = page_form(response)
    assert again["unit-households"] == "1500" and again["unit-population"] == "4200"
    unit = OrgUnit.objects.get(pk=tree.community.pk)
    assert (unit.population, unit.households, unit.version) == (4200, None, 2)
    assert second.post(url, again).status_code == 302
    unit.refresh_from_db()
    assert (unit.population, unit.households, unit.version) == (4200, 1500, 3)


def test_an_organisation_created_meanwhile_is_not_overwritten(tree):
    url = reverse("orgs:unit_edit", args=[tree.community.pk])
    first, first_data, second, second_data = _open_twice(url, tree.township_officer,
                                                          tree.county_admin)
    profile = {"org-independence": "co_located", "org-co_located_with": "社区居委会"}
    assert first.post(url, first_data | profile | {"org-phone": "0943-3220000"}).status_code \
        == 302
    response = second.post(url, second_data | profile | {"org-address": "会师南路12号"})
    assert response.status_code == 200
    assert "0943-3220000" in error_summary(response)
    again = page_form(response)
    assert again["org-address"] == "会师南路12号" and again["org-phone"] == "0943-3220000"
    saved = OrgProfile.objects.get(unit=tree.community)
    assert (saved.phone, saved.address, saved.version) == ("0943-3220000", "", 1)


def test_unit_update_refuses_a_stale_version_and_accepts_a_fresh_one(tree):
    services.unit_update(actor=SYSTEM, unit=tree.village, population=900)
    with pytest.raises(StaleVersion) as refused:
        services.unit_update(actor=tree.township_officer, unit=tree.village, households=300,
                             expected_version=1, started_from={"population": None})
    assert "900" in refused.value.messages[0] and refused.value.changed == ["population"]
    saved = services.unit_update(actor=tree.township_officer, unit=tree.village,
                                 households=300, expected_version=2)
    assert saved.version == 3 and OrgUnit.objects.get(pk=tree.village.pk).households == 300


def test_profile_update_refuses_a_stale_version(tree):
    services.profile_update(actor=SYSTEM, unit=tree.township, independence="independent")
    services.profile_update(actor=SYSTEM, unit=tree.township, independence="independent",
                            phone="0943-1")
    assert OrgProfile.objects.get(unit=tree.township).version == 2
    with pytest.raises(StaleVersion):
        services.profile_update(actor=SYSTEM, unit=tree.township, independence="independent",
                                phone="0943-2", expected_version=1)
    assert OrgProfile.objects.get(unit=tree.township).phone == "0943-1"


def test_moves_and_imports_count_the_version_on(tree):
    services.unit_move(actor=SYSTEM, unit=tree.community, new_parent=tree.other_township)
    assert OrgUnit.objects.get(pk=tree.community.pk).version == 2
    assert OrgUnit.objects.get(pk=tree.grid.pk).version == 2  # its subtree moved with it
    assert OrgUnit.objects.get(pk=tree.village.pk).version == 1
    result = _import("620422100,会师镇（新）,620422,township\n")
    assert result.updated == 1
    assert OrgUnit.objects.get(pk=tree.township.pk).version == 2
    assert divisions_import  # the engine the helper runs


def test_the_grid_form_sent_twice_creates_one_grid(tree, client_for):
    client = client_for(tree.village_officer)
    url = reverse("orgs:grid_create", args=[tree.community.pk])
    data = page_form(client.get(url)) | {"name": "第2网格", "households": "280"}
    first, second = client.post(url, data), client.post(url, data)
    grid = OrgUnit.objects.get(parent=tree.community, level=Level.GRID, name="第2网格")
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == grid.get_absolute_url()
    assert OrgUnit.objects.filter(parent=tree.community, name="第2网格").count() == 1
