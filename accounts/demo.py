"""The users of the demo: one per role, in the demo county (orgs.demo loads it first).
Their password is published in the README."""

from django.utils.translation import gettext as _

from core.actors import SYSTEM
from orgs.demo import COUNTY_CODE, TOWNSHIP_CODE, VILLAGE_CODE
from orgs.models import OrgUnit

from .models import User
from .roles import Role, role_label
from .services import user_create

DEMO_PASSWORD = "canlian-demo"  # noqa: S105 - the published demo password
DEMO_USERS = [
    ("demo_county", Role.ADMIN, COUNTY_CODE, "县残联管理员"),
    ("demo_township", Role.TOWNSHIP_OFFICER, TOWNSHIP_CODE, "会师镇残联干事"),
    ("demo_village", Role.VILLAGE_OFFICER, VILLAGE_CODE, "东山根社区专职委员"),
    ("demo_leader", Role.LEADER, COUNTY_CODE, "分管领导"),
    ("demo_auditor", Role.AUDITOR, COUNTY_CODE, "审计员"),
]


def load() -> list[str]:
    """Create the demo users that do not exist yet; the logins, to print."""
    lines = [_("Log in with any of these (password: %(pw)s):") % {"pw": DEMO_PASSWORD}]
    for username, role, code, full_name in DEMO_USERS:
        unit = OrgUnit.objects.active().get(code=code)
        if not User.objects.filter(username=username).exists():
            user_create(actor=SYSTEM, username=username, password=DEMO_PASSWORD, unit=unit,
                        role=role, full_name=full_name)
        lines.append(f"  {username:<15} {role_label(role, unit.level)} · {unit.name}")
    return lines
