"""Passwords: a user changes their own; an administrator sets a temporary one, which the user
must change at the next login; a change ends the user's other sessions."""

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts import services
from accounts.models import User
from accounts.roles import Role
from accounts.tests.factories import PASSWORD, UserFactory
from audit.models import AuditLog
from core.actors import SYSTEM

NEW = "Lanzhou-river-2026"
TEMPORARY = "Temp-pass-4417"


def _login(user, password=PASSWORD) -> Client:
    """A client logged in through the login page (a real session, as a browser has)."""
    client = Client()
    response = client.post(reverse("accounts:login"),
                           {"username": user.username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def _sessions_of(user) -> set[str]:
    return {s.session_key for s in Session.objects.all()
            if s.get_decoded().get("_auth_user_id") == str(user.pk)}


# ---- services ------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def test_a_user_changes_their_own_password(tree):
    user = tree.village_officer
    services.password_change(actor=user, user=user, old_password=PASSWORD, new_password=NEW)
    user.refresh_from_db()
    assert user.check_password(NEW) and not user.check_password(PASSWORD)
    entry = AuditLog.objects.filter(object_id=str(user.pk)).latest("id")
    assert entry.actor == user and entry.detail["password"] == "changed by the user"
    assert NEW not in str(entry.changes) + str(entry.detail)
    assert "pbkdf2" not in str(entry.changes) + str(entry.detail)


def test_the_current_password_must_be_right_and_the_new_one_good(tree):
    user = tree.village_officer
    with pytest.raises(ValidationError) as wrong:
        services.password_change(actor=user, user=user, old_password="nope", new_password=NEW)
    assert wrong.value.message_dict == {"old_password": ["当前密码不正确。"]}
    with pytest.raises(ValidationError) as same:
        services.password_change(actor=user, user=user, old_password=PASSWORD,
                                 new_password=PASSWORD)
    assert "new_password1" in same.value.message_dict
    with pytest.raises(ValidationError) as weak:
        services.password_change(actor=user, user=user, old_password=PASSWORD,
                                 new_password="12345678")
    assert list(weak.value.message_dict) == ["new_password1"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_nobody_changes_another_users_own_password(tree):
    with pytest.raises(PermissionDenied):
        services.password_change(actor=tree.county_admin, user=tree.village_officer,
                                 old_password=PASSWORD, new_password=NEW)
    with pytest.raises(PermissionDenied):
        services.password_change(actor=SYSTEM, user=tree.village_officer,
                                 old_password=PASSWORD, new_password=NEW)


def test_an_administrator_sets_a_temporary_password(tree):
    user = tree.village_officer
    services.password_set_temporary(actor=tree.county_admin, user=user, password=TEMPORARY)
    user.refresh_from_db()
    assert user.check_password(TEMPORARY) and user.must_change_password
    entry = AuditLog.objects.filter(object_id=str(user.pk)).latest("id")
    assert entry.actor == tree.county_admin
    assert entry.detail["password"] == "temporary password set"
    assert entry.changes == {"must_change_password": ["False", "True"]}
    assert TEMPORARY not in str(entry.changes) + str(entry.detail)
    # Changing it clears the flag.
    services.password_change(actor=user, user=user, old_password=TEMPORARY, new_password=NEW)
    user.refresh_from_db()
    assert not user.must_change_password


def test_a_temporary_password_only_within_scope_and_rights(tree):
    victim = tree.other_officer
    with pytest.raises(PermissionDenied):  # a township officer holds no accounts.change_user
        services.password_set_temporary(actor=tree.township_officer, user=tree.village_officer,
                                        password=TEMPORARY)
    same_level = UserFactory(username="t_county2", unit=tree.county, role=Role.ADMIN)
    with pytest.raises(ValidationError, match="同级的管理员"):
        services.password_set_temporary(actor=tree.county_admin, user=same_level,
                                        password=TEMPORARY)
    city_admin = UserFactory(username="t_city", unit=tree.city, role=Role.ADMIN)
    with pytest.raises(PermissionDenied):  # above: out of the county's scope
        services.password_set_temporary(actor=tree.county_admin, user=city_admin,
                                        password=TEMPORARY)
    with pytest.raises(ValidationError, match="修改您自己的密码"):
        services.password_set_temporary(actor=tree.county_admin, user=tree.county_admin,
                                        password=TEMPORARY)
    with pytest.raises(ValidationError) as weak:
        services.password_set_temporary(actor=tree.county_admin, user=victim, password="abc")
    assert list(weak.value.message_dict) == ["password1"]
    victim.refresh_from_db()
    assert victim.check_password(PASSWORD) and not victim.must_change_password


def test_a_change_ends_the_users_other_sessions_only(tree):
    user = tree.village_officer
    kept, other = _login(user), _login(user)
    bystander = _login(tree.township_officer)
    keep = kept.session.session_key
    assert len(_sessions_of(user)) == 2
    services.password_change(actor=user, user=user, old_password=PASSWORD, new_password=NEW,
                             keep_session=keep)
    assert _sessions_of(user) == {keep}
    assert other.get(reverse("home")).status_code == 302  # back to the login page
    assert bystander.get(reverse("home")).status_code == 200
    entry = AuditLog.objects.filter(object_id=str(user.pk)).latest("id")
    assert entry.detail["sessions_ended"] == 1


def test_a_temporary_password_ends_every_session_of_the_user(tree):
    user = tree.village_officer
    _login(user), _login(user)
    services.password_set_temporary(actor=tree.county_admin, user=user, password=TEMPORARY)
    assert _sessions_of(user) == set()


# ---- views ---------------------------------------------------------------------------------

def test_the_change_page_is_in_the_header_for_every_logged_in_user(tree, client_for):
    for user in (tree.county_admin, tree.village_officer, tree.auditor):
        html = client_for(user).get(reverse("home"), follow=True).content.decode()
        assert reverse("accounts:password_change") in html, user
    assert Client().get(reverse("accounts:password_change")).status_code == 302


def test_changing_on_the_page_keeps_this_session_and_ends_the_others(tree):
    user = tree.village_officer
    here, elsewhere = _login(user), _login(user)
    url = reverse("accounts:password_change")
    response = here.post(url, {"old_password": "wrong", "new_password1": NEW,
                               "new_password2": NEW})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["old_password"]
    response = here.post(url, {"old_password": PASSWORD, "new_password1": NEW,
                               "new_password2": NEW + "x"})
    assert list(response.context["form"].errors) == ["new_password2"]  # the two differ
    assert "message--warning" not in response.content.decode()  # not forced
    response = here.post(url, {"old_password": PASSWORD, "new_password1": NEW,
                               "new_password2": NEW})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    # Ended now, not only refused when next used (Django would then flush it itself).
    assert _sessions_of(user) == {here.session.session_key}
    assert here.get(reverse("home")).status_code == 200  # still logged in
    assert elsewhere.get(reverse("home")).status_code == 302  # logged out
    user.refresh_from_db()
    assert user.check_password(NEW)


def test_the_set_password_page_permissions_and_scope(tree, client_for):
    url = reverse("accounts:user_set_password", args=[tree.village_officer.pk])
    assert client_for(tree.leader).get(url).status_code == 403  # can see users, not change
    assert client_for(tree.township_officer).get(url).status_code == 403
    admin = client_for(tree.county_admin)
    detail = admin.get(reverse("accounts:user_detail", args=[tree.village_officer.pk]))
    assert url in detail.content.decode()
    assert admin.get(url).status_code == 200
    response = admin.post(url, {"password1": TEMPORARY, "password2": TEMPORARY})
    assert response.status_code == 302
    assert response["Location"] == tree.village_officer.get_absolute_url()
    assert User.objects.get(pk=tree.village_officer.pk).must_change_password


def test_the_set_password_page_is_404_out_of_scope(tree, client_for):
    """A township leader given the rights to manage users: the users of the other township
    are not theirs to see (404), those of their own township are."""
    township_admin = UserFactory(username="t_twadmin", unit=tree.township, role=Role.LEADER)
    url = reverse("accounts:user_set_password", args=[tree.other_officer.pk])
    township_admin.user_permissions.add(*_perms("accounts.change_user", "accounts.add_user"))
    township_admin = User.objects.get(pk=township_admin.pk)
    assert client_for(township_admin).get(url).status_code == 404
    in_scope = reverse("accounts:user_set_password", args=[tree.village_officer.pk])
    assert client_for(township_admin).get(in_scope).status_code == 200


def _perms(*names):
    from django.contrib.auth.models import Permission

    return [Permission.objects.get(content_type__app_label=n.split(".")[0],
                                   codename=n.split(".")[1]) for n in names]


def test_a_refused_temporary_password_is_a_message_not_an_error(tree, client_for):
    same_level = UserFactory(username="t_county2", unit=tree.county, role=Role.ADMIN)
    url = reverse("accounts:user_set_password", args=[same_level.pk])
    response = client_for(tree.county_admin).post(
        url, {"password1": TEMPORARY, "password2": TEMPORARY})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not User.objects.get(pk=same_level.pk).must_change_password


def test_a_temporary_password_must_be_changed_before_anything_else(tree):
    user = tree.village_officer
    services.password_set_temporary(actor=tree.county_admin, user=user, password=TEMPORARY)
    client = _login(user, TEMPORARY)
    change = reverse("accounts:password_change")
    for path in (reverse("home"), reverse("people:person_list"),
                 reverse("accounts:user_detail", args=[user.pk])):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == change, path
    response = client.get(reverse("home"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == change
    page = client.get(change)
    assert page.status_code == 200
    assert page.context["forced"] and "message--warning" in page.content.decode()
    assert reverse("home") + '">' not in page.content.decode().split("<main")[1]  # no Cancel
    assert client.get("/static/css/canlian.css").status_code != 302
    response = client.post(change, {"old_password": TEMPORARY, "new_password1": NEW,
                                    "new_password2": NEW})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_logging_out_is_allowed_before_the_change(tree):
    user = tree.village_officer
    services.password_set_temporary(actor=tree.county_admin, user=user, password=TEMPORARY)
    client = _login(user, TEMPORARY)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert _sessions_of(user) == set()
