"""The standard tree every test can use:

甘肃省 62 → 白银市 6204 → 会宁县 620422
  ├─ 会师镇 620422100 ─┬─ 东山根社区 620422100001 ── 第1网格 620422100001001
  │                    └─ 高家庄村 620422100200
  └─ 郭城驿镇 620422101 ── 红堡子村 620422101200

with a user at each level (password PASSWORD).
"""

from types import SimpleNamespace

import pytest

from accounts.roles import Role
from accounts.tests.factories import PASSWORD, UserFactory
from core.actors import SYSTEM
from orgs import services as org_services
from orgs.models import Level

# Browser-test fixtures (browser, page, make_page, live_tree) and helpers.
pytest_plugins = ["core.tests.browser"]


def _unit(parent, level, code, name):
    return org_services.unit_create(actor=SYSTEM, parent=parent, level=level, code=code, name=name)


def build_tree():
    t = SimpleNamespace()
    t.province = _unit(None, Level.PROVINCE, "62", "甘肃省")
    t.city = _unit(t.province, Level.CITY, "6204", "白银市")
    t.county = _unit(t.city, Level.COUNTY, "620422", "会宁县")
    t.township = _unit(t.county, Level.TOWNSHIP, "620422100", "会师镇")
    t.community = _unit(t.township, Level.VILLAGE, "620422100001", "东山根社区居民委员会")
    t.village = _unit(t.township, Level.VILLAGE, "620422100200", "高家庄村民委员会")
    t.grid = org_services.grid_create(actor=SYSTEM, village=t.community, name="第1网格",
                                      households=300)
    t.other_township = _unit(t.county, Level.TOWNSHIP, "620422101", "郭城驿镇")
    t.other_village = _unit(t.other_township, Level.VILLAGE, "620422101200", "红堡子村民委员会")
    t.county_admin = UserFactory(username="t_county", unit=t.county, role=Role.ADMIN)
    t.township_officer = UserFactory(username="t_township", unit=t.township,
                                     role=Role.TOWNSHIP_OFFICER)
    t.village_officer = UserFactory(username="t_village", unit=t.community,
                                    role=Role.VILLAGE_OFFICER)
    t.leader = UserFactory(username="t_leader", unit=t.county, role=Role.LEADER)
    t.auditor = UserFactory(username="t_auditor", unit=t.county, role=Role.AUDITOR)
    t.other_officer = UserFactory(username="t_other", unit=t.other_township,
                                  role=Role.TOWNSHIP_OFFICER)
    t.password = PASSWORD
    return t


@pytest.fixture
def tree(db):
    return build_tree()


@pytest.fixture
def client_for(client):
    """client_for(user) logs the test client in as ``user``."""

    def login(user):
        client.force_login(user, backend="accounts.backends.RoleBackend")
        return client

    return login


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 is slow on purpose; tests hash many passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_files_and_cache(settings, tmp_path):
    """Uploads and rejected-row files in a temporary folder; progress in a private cache;
    background tasks run at once, in the test's own thread."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": str(tmp_path)}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language (zh-hans): a request in another language
    activates it in the thread, and it would stay for the tests that follow."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.deactivate()
