import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.demo import DEMO_PASSWORD, DEMO_USERS
from accounts.models import User
from orgs.models import Level, OrgProfile, OrgUnit


@pytest.mark.django_db
def test_demo_loads_huining_once_and_its_logins_work(client, capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    counts = (OrgUnit.objects.count(), OrgProfile.objects.count(), User.objects.count())
    county = OrgUnit.objects.get(code="620422")
    assert county.name == "会宁县"
    assert OrgUnit.objects.within(county).filter(level=Level.TOWNSHIP).count() == 28
    assert OrgUnit.objects.within(county).filter(level=Level.VILLAGE).count() == 322
    assert OrgUnit.objects.within(county).filter(level=Level.GRID).count() == 12
    assert OrgProfile.objects.within(county).count() == 1 + 28 + 322
    for username, *_ in DEMO_USERS:
        assert username in out
    assert DEMO_PASSWORD in out

    call_command("load_demo")
    assert (OrgUnit.objects.count(), OrgProfile.objects.count(), User.objects.count()) == counts

    township = User.objects.get(username="demo_township")
    assert township.unit.name == "会师镇"
    assert User.objects.get(username="demo_village").unit.parent == township.unit
    for username, *_ in DEMO_USERS:
        response = client.post(reverse("accounts:login"),
                               {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        client.post(reverse("accounts:logout"))


@pytest.mark.django_db
def test_demo_township_sees_nothing_of_another_township(client):
    call_command("load_demo")
    client.post(reverse("accounts:login"), {"username": "demo_township",
                                            "password": DEMO_PASSWORD})
    other = OrgUnit.objects.get(code="620422101")  # 郭城驿镇
    other_village = other.children.first()
    assert client.get(reverse("orgs:unit_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("orgs:unit_detail", args=[other_village.pk])).status_code == 404
    body = client.get(reverse("orgs:tree"), {"q": other_village.name}).content.decode()
    assert other_village.get_absolute_url() not in body
    body = client.get(reverse("orgs:tree")).content.decode()
    assert "郭城驿镇" not in body and "东山根社区居民委员会" in body
