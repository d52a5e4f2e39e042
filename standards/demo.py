"""The standards' part of the demo (``manage.py load_demo``, after the ledgers): this year's
national standards (九有, 六有, 三个百分之百), and a few items confirmed by a person — the
rules on the wall of 会师镇's DPF, the activity rooms and rules of some of its villages — so
that the attainment page has items met and missing, computed and confirmed. Written through
the services, so the rules and the audit log are the same as on the forms. Loading it twice
changes nothing."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext

from core.actors import SYSTEM
from orgs.demo import TOWNSHIP_CODE, demo_county
from orgs.models import Kind, Level, OrgUnit

from . import services
from .models import ItemConfirmation

CONFIRMER = "会师镇残联 王干事"
# The confirmed items of each standard the demo confirms (the default texts).
TOWNSHIP_ITEMS = ["有工作制度"]
VILLAGE_ITEMS = ["有活动场所", "有工作制度"]


def load_standards_demo(*, county: OrgUnit, today: dt.date) -> int:
    """The defaults of ``today``'s year and the demo's confirmations in ``county``; the
    number of confirmations of the year in the county's 会师镇."""
    year = today.year
    standards = {s.code: s for s in services.defaults_ensure(year=year)}
    township = OrgUnit.objects.within(county).filter(code=TOWNSHIP_CODE).first()
    if township is None:
        return 0
    day = max(dt.date(year, 1, 1), today - dt.timedelta(days=20))
    villages = list(OrgUnit.objects.active().filter(parent=township, level=Level.VILLAGE)
                    .order_by("code")[:6])
    plan = [(township, standards["jiuyou"], TOWNSHIP_ITEMS)]
    # The first villages confirm both items, the next ones the activity room only.
    plan += [(v, standards["liuyou"], VILLAGE_ITEMS if n < 3 else VILLAGE_ITEMS[:1])
             for n, v in enumerate(villages)]
    done = set(ItemConfirmation.objects.filter(year=year, unit__in=[u for u, _s, _i in plan])
               .values_list("unit_id", "item_id"))
    for unit, standard, texts in plan:
        for item in standard.items.filter(text__in=texts, kind="confirmed"):
            if (unit.pk, item.pk) in done:
                continue
            services.confirmation_record(actor=SYSTEM, unit=unit, item=item, year=year,
                                         confirmed_on=day, by_name=CONFIRMER,
                                         note="现场查看")
    return ItemConfirmation.objects.filter(year=year, unit__in=[township, *villages]).count()


def load() -> list[str]:
    county = demo_county()
    if county is None:
        return []
    count = load_standards_demo(county=county, today=timezone.localdate())
    return [gettext("Standards: %(n)s items confirmed in 会师镇.") % {"n": count}]


# ---- demonstration sites 示范点 (issue 16, second part) -----------------------------------------
# The demo county's targets of the year (doc4's numbers) and a few designated sites: 会师镇 as
# a demonstration township, its first two communities and three villages — so that the sites
# page shows progress against the targets, sites that meet their standard and some that do not.

SITE_DOCUMENT = "会残联发〔%(year)s〕8号"


def load_sites_demo(*, county: OrgUnit, today: dt.date) -> int:
    """The targets and the designated sites of ``today``'s year in ``county`` (written once);
    the number of sites of the year."""
    from . import sites_rules, sites_services
    from .models import DemoSite, DemoSiteTarget

    year = today.year
    if not DemoSiteTarget.objects.filter(county=county, year=year).exists():
        sites_services.targets_set(actor=SYSTEM, county=county, year=year,
                                   numbers=dict(sites_rules.DEFAULT_TARGETS))
    township = OrgUnit.objects.within(county).filter(code=TOWNSHIP_CODE).first()
    if township is None:
        return 0
    beneath = OrgUnit.objects.active().filter(parent=township, level=Level.VILLAGE)
    villages = [*beneath.filter(kind=Kind.COMMUNITY).order_by("code")[:2],
                *beneath.exclude(kind=Kind.COMMUNITY).order_by("code")[:3]]
    taken = set(DemoSite.objects.filter(county=county, year=year)
                .values_list("unit_id", flat=True))
    day = max(dt.date(year, 1, 1), today - dt.timedelta(days=10))
    for unit in [township, *villages]:
        if unit.pk not in taken:
            sites_services.site_designate(
                actor=SYSTEM, county=county, unit=unit, year=year, designated_on=day,
                document_number=SITE_DOCUMENT % {"year": year}, note="规范化建设示范点")
    return DemoSite.objects.filter(county=county, year=year).count()


_load_standards = load


def load() -> list[str]:  # noqa: F811 — the standards' demo, then the sites'
    lines = _load_standards()
    county = demo_county()
    if county is None:
        return lines
    count = load_sites_demo(county=county, today=timezone.localdate())
    return [*lines, gettext("Demonstration sites: %(n)s designated in the demo county.")
            % {"n": count}]
