"""Who may call the API: a token (made, shown once, stored hashed, revoked, expired) acting
with exactly its user's role and scope; the browser's session with CSRF for writes;
throttling per token."""

import datetime as dt
import hashlib
import json

import pytest
from django.test import Client
from django.utils import timezone

from accounts import services as account_services
from accounts.models import ApiToken
from api.tests.helpers import Api
from audit.models import Action, AuditLog
from people.models import Person
from people.tests.factories import make_id, make_person

pytestmark = pytest.mark.django_db


def _get(client, token, path="people"):
    return client.get(f"/api/v1/{path}", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_tokens_page_shows_a_new_token_once_and_stores_only_its_hash(tree, client_for):
    client = client_for(tree.village_officer)
    page = client.post("/accounts/tokens/", {"name": "手机同步", "expires_on": ""})
    assert page.status_code == 200
    row = ApiToken.objects.get(user=tree.village_officer)
    token = page.context["created"]
    assert token.startswith("cl_") and token in page.content.decode()
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in json.dumps(list(ApiToken.objects.values()), default=str)
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]
    again = client.get("/accounts/tokens/").content.decode()
    assert token not in again and row.prefix in again and "手机同步" in again
    assert AuditLog.objects.filter(action=Action.CREATE, object_id=str(row.pk)).exists()
    assert _get(Client(), token).status_code == 200


def test_a_token_needs_a_name_and_an_end_not_in_the_past(tree, client_for):
    client = client_for(tree.village_officer)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    page = client.post("/accounts/tokens/", {"name": " ", "expires_on": yesterday.isoformat()})
    assert page.context["created"] is None
    assert not ApiToken.objects.exists()
    assert "name" in page.context["form"].errors


def test_a_revoked_or_expired_token_or_a_deactivated_user_is_401(tree, client_for):
    row, token = account_services.token_create(actor=tree.village_officer, name="a")
    plain = Client()
    assert _get(plain, token).status_code == 200
    other = client_for(tree.township_officer)
    assert other.post(f"/accounts/tokens/{row.pk}/revoke/").status_code == 404  # not theirs
    mine = Client()
    mine.force_login(tree.village_officer, backend="accounts.backends.RoleBackend")
    assert mine.post(f"/accounts/tokens/{row.pk}/revoke/").status_code == 302
    answer = _get(plain, token)
    assert answer.status_code == 401
    assert answer.json()["detail"].startswith("请登录")
    _row2, expired = account_services.token_create(actor=tree.village_officer, name="b",
                                                    expires_on=timezone.localdate())
    assert _get(plain, expired).status_code == 200
    ApiToken.objects.filter(pk=_row2.pk).update(
        expires_on=timezone.localdate() - dt.timedelta(days=1))
    assert _get(plain, expired).status_code == 401
    _row3, third = account_services.token_create(actor=tree.leader, name="c")
    tree.leader.is_active = False
    tree.leader.save()
    assert _get(plain, third).status_code == 401
    assert _get(plain, "cl_nonsense").status_code == 401
    assert plain.get("/api/v1/people").status_code == 401


def test_a_token_acts_with_its_users_role_and_scope(tree, client):
    make_person(unit=tree.community, name="社区人")
    make_person(unit=tree.village, name="村里人")
    names = {p["name"] for p in Api(client, tree.village_officer).get("people").json()["items"]}
    assert names == {"社区人"}
    assert Api(client, tree.auditor).get("people").status_code == 403


def test_a_wrong_token_is_401_even_with_a_session(tree, client_for):
    client = client_for(tree.county_admin)
    assert client.get("/api/v1/people").status_code == 200  # the session alone
    assert client.get("/api/v1/people", HTTP_AUTHORIZATION="Bearer cl_wrong").status_code == 401


def test_the_session_writes_only_with_its_csrf_token(tree):
    client = Client(enforce_csrf_checks=True)
    client.force_login(tree.village_officer, backend="accounts.backends.RoleBackend")
    body = json.dumps({"unit": tree.community.pk, "name": "会话", "id_number": make_id(),
                       "hukou": "rural"})
    refused = client.post("/api/v1/people", body, content_type="application/json")
    assert refused.status_code == 403
    assert not Person.objects.filter(name="会话").exists()
    client.get("/accounts/tokens/")  # any page sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    made = client.post("/api/v1/people", body, content_type="application/json",
                       HTTP_X_CSRFTOKEN=csrf)
    assert made.status_code == 201, made.content
    assert Person.objects.filter(name="会话").exists()


def test_requests_are_throttled_per_token(tree, client, settings):
    settings.CANLIAN_API_RATE = 3
    first = Api(client, tree.county_admin)
    second = Api(client, tree.county_admin)
    assert [first.get("units/").status_code for _ in range(3)] == [200, 200, 200]
    refused = first.get("units/")
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("请求太多")
    assert int(refused["Retry-After"]) >= 1
    assert second.get("units/").status_code == 200  # another token counts apart
