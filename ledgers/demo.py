"""The ledgers' part of the demo (``manage.py load_demo``, after the register and the
workforce): a year of entries in each ledger for a few units of 会宁县 — 会师镇 and its
villages, 东山根社区 (the demo login ``demo_village``) — written through the services, so the
rules and the audit log are the same as on the forms. It includes an overdue petition and
an annual plan with an item left unfulfilled. Loading it twice changes nothing.

Each ledger's demo is its own module (``demo_<part>.py`` with ``load(county, today)``
returning a line for the command's output), named in PARTS."""

import importlib

from django.utils import timezone

from orgs.demo import demo_county

# The ledgers' demo modules, in the order they load.
PARTS: list[str] = []

# ---- the work record book, meetings and the annual plan (issue 14, records) ----------------
PARTS.append("demo_records")


def load() -> list[str]:
    county = demo_county()
    if county is None:
        return []
    today = timezone.localdate()
    lines = []
    for name in PARTS:
        module = importlib.import_module(f"ledgers.{name}")
        line = module.load(county, today)
        if line:
            lines.append(line)
    return lines

# ---- assistance and volunteer activities (issue 14, activities) ----------------------------
PARTS.append("demo_activities")

# ---- letters and visits 来信来访 (issue 14) ----------------------------------------------------
PARTS.append("demo_petitions")

# ---- funds 经费 (issue 18) ---------------------------------------------------------------------
PARTS.append("demo_funds")
