import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from accounts import services
from accounts.models import User
from accounts.roles import ROLE_PERMISSIONS, Role, role_label
from accounts.tests.factories import UserFactory
from audit.models import Action, AuditLog
from core.actors import SYSTEM
from orgs import services as org_services
from orgs.models import Level


def test_roles_map_to_permissions(tree):
    assert tree.county_admin.has_perm("accounts.add_user")
    assert tree.township_officer.has_perm("orgs.change_orgunit")
    assert not tree.township_officer.has_perm("accounts.add_user")
    assert tree.leader.has_perm("orgs.view_orgunit") and not tree.leader.has_perm(
        "orgs.change_orgunit")
    # An auditor reads the audit log, and the funds ledger (issue 18), nothing else.
    assert tree.auditor.get_all_permissions() == {"audit.view_auditlog",
                                                  "ledgers.view_fundentry"}


@pytest.mark.django_db
def test_every_role_permission_exists():
    known = {f"{p.content_type.app_label}.{p.codename}"
             for p in Permission.objects.select_related("content_type")}
    for role, perms in ROLE_PERMISSIONS.items():
        assert perms <= known, (role, perms - known)


@pytest.mark.django_db
def test_every_role_is_granted_within_an_administrators_rights():
    for role in Role.values:
        assert ROLE_PERMISSIONS[role] <= ROLE_PERMISSIONS[Role.ADMIN]


def test_an_administrators_title_says_the_level_of_their_unit(tree):
    city_admin = UserFactory(username="t_city", unit=tree.city, role=Role.ADMIN)
    province_admin = UserFactory(username="t_province", unit=tree.province, role=Role.ADMIN)
    with translation.override("zh-hans"):
        assert tree.county_admin.role_label == "县级管理员"
        assert city_admin.role_label == "市级管理员"
        assert province_admin.role_label == "省级管理员"
        assert tree.township_officer.role_label == "乡镇残联干事"  # other roles: their own
    with translation.override("en"):
        assert city_admin.role_label == "City administrator"
        assert tree.leader.role_label == "Leader"
    # An administrator of no known level (no unit) falls back to the plain word.
    assert role_label(Role.ADMIN, None) == str(Role.ADMIN.label)
    assert role_label("", Level.COUNTY) == ""


def test_the_title_is_shown_in_the_header_list_and_detail(tree, client_for):
    client = client_for(tree.county_admin)
    client.cookies["django_language"] = "zh-hans"
    for url in (reverse("accounts:user_list"),
                reverse("accounts:user_detail", args=[tree.county_admin.pk])):
        body = client.get(url).content.decode()
        assert '<span class="whoami__role">县级管理员</span>' in body
        assert body.count("县级管理员") >= 2, url  # the header and the page itself


def test_admin_creates_users_only_in_their_subtree(tree):
    user = services.user_create(actor=tree.county_admin, username="new_village",
                                password="Gaojia-zhuang-2026", unit=tree.village,
                                role=Role.VILLAGE_OFFICER, full_name="高专委")
    assert user.unit == tree.village and user.check_password("Gaojia-zhuang-2026")
    assert AuditLog.objects.filter(action=Action.CREATE, object_id=str(user.pk),
                                   actor=tree.county_admin).exists()
    other_county = org_services.unit_create(actor=SYSTEM, parent=tree.city, level=3,
                                            code="620421", name="靖远县")
    with pytest.raises(PermissionDenied):
        services.user_create(actor=tree.county_admin, username="intruder",
                             password="Gaojia-zhuang-2026", unit=other_county,
                             role=Role.ADMIN)


def test_administrators_are_created_only_for_units_below(tree):
    city_admin = UserFactory(username="t_city", unit=tree.city, role=Role.ADMIN)
    # From the city, an administrator of a county below it.
    county2 = services.user_create(actor=city_admin, username="county2",
                                   password="Gaojia-zhuang-2026", unit=tree.county,
                                   role=Role.ADMIN)
    assert county2.role == Role.ADMIN and county2.unit == tree.county
    # At one's own unit: the ordinary roles, never another administrator.
    leader = services.user_create(actor=tree.county_admin, username="leader2",
                                  password="Gaojia-zhuang-2026", unit=tree.county,
                                  role=Role.LEADER)
    assert leader.unit == tree.county
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.user_create(actor=tree.county_admin, username="county3",
                             password="Gaojia-zhuang-2026", unit=tree.county, role=Role.ADMIN)
    assert exc.value.message_dict["role"] == [
        "只能为下级单位创建管理员；在本单位只能创建其他角色的用户。"]
    assert not User.objects.filter(username="county3").exists()
    # Above one's own unit: out of scope altogether.
    with pytest.raises(PermissionDenied):
        services.user_create(actor=tree.county_admin, username="city2",
                             password="Gaojia-zhuang-2026", unit=tree.city, role=Role.ADMIN)


def test_an_administrator_deactivates_only_administrators_below(tree, client_for):
    same_level = UserFactory(username="t_county2", unit=tree.county, role=Role.ADMIN)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.user_set_active(actor=tree.county_admin, user=same_level, active=False)
    assert exc.value.messages == [
        f"{same_level}是与您同级的管理员：只有上级单位的管理员才能停用或启用其账号。"]
    assert User.objects.get(pk=same_level.pk).is_active
    # Through the page: the same message, and nothing changes.
    client = client_for(tree.county_admin)
    client.cookies["django_language"] = "zh-hans"
    response = client.post(reverse("accounts:user_toggle_active", args=[same_level.pk]),
                           follow=True)
    assert "只有上级单位的管理员才能停用或启用其账号" in response.content.decode()
    assert User.objects.get(pk=same_level.pk).is_active
    # The city's administrator, one level up, may.
    city_admin = UserFactory(username="t_city", unit=tree.city, role=Role.ADMIN)
    services.user_set_active(actor=city_admin, user=same_level, active=False)
    assert not User.objects.get(pk=same_level.pk).is_active
    services.user_set_active(actor=city_admin, user=same_level, active=True)
    assert User.objects.get(pk=same_level.pk).is_active
    # Ordinary roles at the administrator's own unit stay theirs to manage.
    services.user_set_active(actor=tree.county_admin, user=tree.leader, active=False)
    assert not User.objects.get(pk=tree.leader.pk).is_active
    with pytest.raises(ValidationError):
        services.user_set_active(actor=tree.county_admin, user=tree.county_admin, active=False)


def test_existing_county_admins_become_administrators(tree):
    """The data migration: the old role's value becomes the new one, and back."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("accounts.migrations.0002_role_admin")
    User.objects.filter(pk=tree.county_admin.pk).update(role="county_admin")
    migration.forwards(apps, None)
    assert User.objects.get(pk=tree.county_admin.pk).role == Role.ADMIN
    migration.backwards(apps, None)
    assert User.objects.get(pk=tree.county_admin.pk).role == "county_admin"
    assert User.objects.get(pk=tree.leader.pk).role == Role.LEADER  # others untouched


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


def test_user_create_page_picks_the_unit_by_code_within_scope(tree, client_for):
    tree.county_admin.unit = tree.township
    tree.county_admin.save()
    client = client_for(User.objects.get(pk=tree.county_admin.pk))
    client.cookies["django_language"] = "zh-hans"
    body = client.get(reverse("accounts:user_create")).content.decode()
    # No drop-down of every unit: a text box for a code or a name.
    assert "高家庄村民委员会" not in body and 'name="unit_text"' in body
    data = {"username": "gao", "role": Role.VILLAGE_OFFICER, "password1": "Gaojia-zhuang-2026",
            "password2": "Gaojia-zhuang-2026"}
    # Another township's village, typed by its code: refused, nothing created.
    response = client.post(reverse("accounts:user_create"),
                           {**data, "unit": "", "unit_text": "620422101200"})
    assert response.status_code == 200
    assert "您的辖区内没有区划代码为620422101200的单位。" in response.content.decode()
    assert not User.objects.filter(username="gao").exists()
    # A village of the scope, typed by its code without any script.
    response = client.post(reverse("accounts:user_create"),
                           {**data, "unit": "", "unit_text": "620422100200"})
    assert response.status_code == 302
    assert User.objects.get(username="gao").unit == tree.village


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
    services.user_set_active(actor=SYSTEM, user=tree.leader, active=False)
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
