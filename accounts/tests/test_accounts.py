import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts import services
from accounts.models import Action, AuditLog, User
from accounts.roles import ROLE_PERMISSIONS, Role
from accounts.tests.factories import UserFactory
from orgs import services as org_services


def test_roles_map_to_permissions(tree):
    assert tree.county_admin.has_perm("accounts.add_user")
    assert tree.township_officer.has_perm("orgs.change_orgunit")
    assert not tree.township_officer.has_perm("accounts.add_user")
    assert tree.leader.has_perm("orgs.view_orgunit") and not tree.leader.has_perm(
        "orgs.change_orgunit")
    assert tree.auditor.get_all_permissions() == {"accounts.view_auditlog"}


@pytest.mark.django_db
def test_every_role_permission_exists():
    known = {f"{p.content_type.app_label}.{p.codename}"
             for p in Permission.objects.select_related("content_type")}
    for role, perms in ROLE_PERMISSIONS.items():
        assert perms <= known, (role, perms - known)


@pytest.mark.django_db
def test_every_role_is_granted_within_the_county_admins_rights():
    for role in Role.values:
        assert ROLE_PERMISSIONS[role] <= ROLE_PERMISSIONS[Role.COUNTY_ADMIN]


def test_admin_creates_users_only_in_their_subtree(tree):
    user = services.user_create(actor=tree.county_admin, username="new_village",
                                password="Gaojia-zhuang-2026", unit=tree.village,
                                role=Role.VILLAGE_OFFICER, full_name="高专委")
    assert user.unit == tree.village and user.check_password("Gaojia-zhuang-2026")
    assert AuditLog.objects.filter(action=Action.CREATE, object_id=str(user.pk),
                                   actor=tree.county_admin).exists()
    other_county = org_services.unit_create(actor=None, parent=tree.city, level=3,
                                            code="620421", name="靖远县")
    with pytest.raises(PermissionDenied):
        services.user_create(actor=tree.county_admin, username="intruder",
                             password="Gaojia-zhuang-2026", unit=other_county,
                             role=Role.COUNTY_ADMIN)


def test_nobody_grants_more_than_they_hold(tree):
    # A township officer holds no user rights at all.
    with pytest.raises(PermissionDenied):
        services.user_create(actor=tree.township_officer, username="x1",
                             password="Gaojia-zhuang-2026", unit=tree.village,
                             role=Role.VILLAGE_OFFICER)
    # An administrator whose own rights were narrowed cannot hand out the full role.
    narrowed = tree.county_admin
    narrowed.role = Role.LEADER
    narrowed.save()
    narrowed = User.objects.get(pk=narrowed.pk)
    narrowed.user_permissions.add(*Permission.objects.filter(codename="add_user"))
    narrowed = User.objects.get(pk=narrowed.pk)
    with pytest.raises(ValidationError) as exc:
        services.user_create(actor=narrowed, username="x2", password="Gaojia-zhuang-2026",
                             unit=tree.township, role=Role.TOWNSHIP_OFFICER)
    assert "role" in exc.value.message_dict


def test_role_must_fit_the_unit_level(tree):
    with pytest.raises(ValidationError) as exc:
        services.user_create(actor=tree.county_admin, username="x3",
                             password="Gaojia-zhuang-2026", unit=tree.county,
                             role=Role.VILLAGE_OFFICER)
    assert "unit" in exc.value.message_dict


def test_password_validators_apply(tree):
    with pytest.raises(ValidationError):
        services.user_create(actor=tree.county_admin, username="x4", password="12345678",
                             unit=tree.village, role=Role.VILLAGE_OFFICER)
    assert not User.objects.filter(username="x4").exists()


def test_user_pages_are_scoped(tree, client_for):
    client = client_for(tree.township_officer)
    page = client.get(reverse("accounts:user_list")).content.decode()
    assert "t_village" in page and "t_other" not in page and "t_county" not in page
    detail = "accounts:user_detail"
    assert client.get(reverse(detail, args=[tree.other_officer.pk])).status_code == 404
    assert client.get(reverse(detail, args=[tree.village_officer.pk])).status_code == 200


def test_user_create_page_keeps_input_on_error(tree, client_for):
    client = client_for(tree.county_admin)
    response = client.post(reverse("accounts:user_create"), {
        "username": "zhang_san", "full_name": "张三", "phone": "13900000000",
        "unit": tree.village.pk, "role": Role.VILLAGE_OFFICER,
        "password1": "Gaojia-zhuang-2026", "password2": "different-2026",
    })
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="zhang_san"' in body and 'value="张三"' in body and "13900000000" in body
    assert not User.objects.filter(username="zhang_san").exists()
    response = client.post(reverse("accounts:user_create"), {
        "username": "zhang_san", "full_name": "张三", "phone": "", "unit": tree.village.pk,
        "role": Role.VILLAGE_OFFICER, "password1": "Gaojia-zhuang-2026",
        "password2": "Gaojia-zhuang-2026",
    })
    assert response.status_code == 302
    assert User.objects.get(username="zhang_san").unit == tree.village


def test_user_create_page_offers_only_units_in_scope(tree, client_for):
    tree.county_admin.unit = tree.township
    tree.county_admin.save()
    client = client_for(User.objects.get(pk=tree.county_admin.pk))
    body = client.get(reverse("accounts:user_create")).content.decode()
    assert "高家庄村民委员会" in body and "红堡子村民委员会" not in body


def test_deactivate_and_reactivate(tree, client_for):
    client = client_for(tree.county_admin)
    url = reverse("accounts:user_toggle_active", args=[tree.village_officer.pk])
    client.post(url)
    assert not User.objects.get(pk=tree.village_officer.pk).is_active
    client.post(url)
    assert User.objects.get(pk=tree.village_officer.pk).is_active


def test_login_is_audited_with_the_address(tree, client):
    response = client.post(reverse("accounts:login"),
                           {"username": "t_village", "password": tree.password},
                           REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    entry = AuditLog.objects.get(action=Action.LOGIN)
    assert entry.actor == tree.village_officer and entry.ip_address == "10.1.2.3"
    assert entry.unit == tree.community


def test_failed_logins_are_throttled(tree, client, settings):
    statuses = [
        client.post(reverse("accounts:login"), {"username": "t_village", "password": "wrong"},
                    REMOTE_ADDR="10.9.9.9").status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    # The form comes back with an error until the limit; the attempt that reaches it locks.
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    response = client.post(reverse("accounts:login"),
                           {"username": "t_village", "password": tree.password},
                           REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    failures = AuditLog.objects.filter(action=Action.LOGIN_FAILED).count()
    assert failures >= settings.AXES_FAILURE_LIMIT
    # Another address is not locked out by someone else's failures.
    response = client.post(reverse("accounts:login"),
                           {"username": "t_village", "password": tree.password},
                           REMOTE_ADDR="10.8.8.8")
    assert response.status_code == 302


def test_auditor_reads_and_filters_the_audit_log_of_their_subtree(tree, client_for):
    org_services.unit_update(actor=tree.township_officer, unit=tree.community, population=10)
    org_services.unit_update(actor=tree.other_officer, unit=tree.other_village, population=20)
    client = client_for(tree.auditor)
    body = client.get(reverse("accounts:audit_list"), {"action": "update"}).content.decode()
    assert "东山根社区居民委员会" in body and "红堡子村民委员会" in body
    body = client.get(reverse("accounts:audit_list"), {"actor": "t_other"}).content.decode()
    assert "红堡子村民委员会" in body and "东山根社区居民委员会" not in body


def test_audit_log_is_scoped(tree, client_for):
    org_services.unit_update(actor=tree.other_officer, unit=tree.other_village, population=20)
    township_auditor = User.objects.create_user(
        "t_aud2", password="x-Long-enough-1", unit=tree.township, role=Role.AUDITOR)
    client = client_for(township_auditor)
    body = client.get(reverse("accounts:audit_list")).content.decode()
    assert "红堡子村民委员会" not in body


def test_audit_list_query_count_is_fixed(tree, client_for, django_assert_max_num_queries):
    client = client_for(tree.auditor)
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("accounts:audit_list"))
    for n in range(40):
        org_services.unit_update(actor=tree.county_admin, unit=tree.township, population=n + 1)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("accounts:audit_list"))


def test_only_auditors_and_admins_read_the_audit_log(tree, client_for):
    assert client_for(tree.leader).get(reverse("accounts:audit_list")).status_code == 403
    assert client_for(tree.village_officer).get(reverse("accounts:audit_list")).status_code == 403
    assert client_for(tree.auditor).get(reverse("accounts:user_list")).status_code == 403


def test_user_list_filters(tree, client_for):
    services.user_set_active(actor=None, user=tree.leader, active=False)
    client = client_for(tree.county_admin)

    def names(**params):
        return {u.username for u in client.get(reverse("accounts:user_list"), params)
                .context["page"]}

    assert names(q="T_TOWN") == {"t_township"}
    assert names(q=tree.village_officer.full_name) == {"t_village"}
    assert names(role="auditor") == {"t_auditor"}
    assert names(active="no") == {"t_leader"}
    assert names(unit=tree.other_township.pk) == {"t_other"}
    # A unit outside the user's area is no choice: the list is not widened.
    officer = client_for(tree.township_officer)
    response = officer.get(reverse("accounts:user_list"), {"unit": tree.other_township.pk})
    assert "t_other" not in response.content.decode()
    assert response.context["form"].errors["unit"]


def test_user_list_query_count_is_fixed(tree, client_for, django_assert_max_num_queries):
    client = client_for(tree.county_admin)
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("accounts:user_list"), {"role": "village_officer"})
    for n in range(40):
        UserFactory(username=f"v{n}", unit=tree.village if n % 2 else tree.other_village,
                    role=Role.VILLAGE_OFFICER)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("accounts:user_list"),
                              {"role": "village_officer", "per_page": "100", "sort": "-unit"})
    assert len(response.context["page"].object_list) == 41
