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


def load_standards_only() -> list[str]:
    county = demo_county()
    if county is None:
        return []
    count = load_standards_demo(county=county, today=timezone.localdate())
    return [gettext("Standards: %(n)s items confirmed in 会师镇.") % {"n": count}]


# ---- the 100-point assessment 百分制目标考核 ----------------------------------------------------
# A township scheme of the demo county for this year, as real county schemes are built
# (categories → items, the maxima summing to 100, a bonus and a veto), published, and its
# round finished: every township scored itself, the inspectors scored it with a reason per
# item, the county confirmed — so the results page has a ranking, grades, the commended
# and the criticised.

from decimal import Decimal  # noqa: E402

from . import assessment_services  # noqa: E402
from .models import AssessmentRound, AssessmentScheme  # noqa: E402

SCHEME_NAME = "乡镇残联工作目标考核"
# (category, [(item, criteria, max, method, measure, target, per miss, bonus, veto cap,
# evidence)])
SCHEME_ITEMS = [
    ("组织建设", [
        ("规范化建设达标（九有）", "九有各项达标的比例乘以分值", 10, "indicator",
         "standards_attainment", None, None, 0, None, "records"),
        ("残疾人专职委员配备", "每村（社区）1名，按配备人数比例计分，超额加分", 10,
         "pro_rata", "liaison_count", 10, None, 2, None, "records"),
        ("专职委员培训", "全年组织培训2次得满分", 10, "pro_rata", "trainings", 2, None, 0,
         None, "records"),
    ]),
    ("工作开展", [
        ("残疾人入户走访", "走访率乘以分值", 20, "indicator", "visit_rate", None, None, 0,
         None, "household"),
        ("残疾人需求办结", "办结需求中已满足的比例乘以分值", 10, "indicator", "needs_met",
         None, None, 0, None, "records"),
        ("工作台账", "全年台账记录24条得满分", 10, "pro_rata", "ledger_entries", 24, None, 0,
         None, "records"),
        ("来信来访按期办结", "每件逾期或超期答复扣1分，扣完为止", 10, "deduction",
         "late_petitions", None, 1, 0, None, "records"),
    ]),
    ("现场考核", [
        ("活动场所及制度上墙", "现场查看：场所不少于30平方米、制度上墙", 10, "manual", "",
         None, None, 0, None, "on_site"),
        ("群众满意度", "入户调查残疾人及家属满意度", 10, "manual", "", None, None, 0, None,
         "household"),
    ]),
    ("一票否决", [
        ("越级上访", "辖区残疾人越级到县及以上上访的，总分不超过59分", 0, "veto",
         "escalated_petitions", None, None, 0, 59, "records"),
    ]),
]


def build_scheme(*, actor, county: OrgUnit, year: int, publish: bool = True):
    """The demo's township scheme of ``county`` for ``year`` (through the services)."""
    scheme = assessment_services.scheme_create(
        actor=actor, region=county, year=year, level=Level.TOWNSHIP, name=SCHEME_NAME,
        bonus_cap=Decimal("5"))
    for name, items in SCHEME_ITEMS:
        category = assessment_services.category_add(actor=actor, scheme=scheme, name=name)
        for (text, criteria, top, method, measure, target, per_miss, bonus, cap,
             evidence) in items:
            assessment_services.item_add(
                actor=actor, category=category, text=text, criteria=criteria,
                max_points=Decimal(top), method=method, measure=measure,
                target=Decimal(target) if target is not None else None,
                per_miss=Decimal(per_miss) if per_miss is not None else None,
                bonus_max=Decimal(bonus), veto_cap=Decimal(cap) if cap is not None else None,
                evidence=evidence)
    if publish:
        scheme = assessment_services.scheme_publish(actor=actor, scheme=scheme)
    return scheme


def load_assessment_demo(*, county: OrgUnit, today: dt.date) -> AssessmentScheme:
    """The scheme of ``today``'s year and its confirmed round; the same when loaded again."""
    from .assessment_selectors import round_results

    year = today.year
    scheme = AssessmentScheme.objects.filter(region=county, year=year,
                                             level=Level.TOWNSHIP).first()
    if scheme is None:
        scheme = build_scheme(actor=SYSTEM, county=county, year=year)
    round_ = AssessmentRound.objects.filter(scheme=scheme).first()
    if round_ is None:
        round_ = assessment_services.round_create(actor=SYSTEM, scheme=scheme,
                                                  commend_percent=Decimal("35"),
                                                  criticise_count=2)
    if round_.confirmed:
        return scheme
    for n, result in enumerate(round_results(round_)):
        sheet = result.sheet
        hand = [line.item for line in result.lines if not line.computed]
        # The units score themselves a little high; the inspectors a little lower, by a
        # spread that gives the ranking its order.
        mine = {i.pk: i.max_points - Decimal(n % 3) for i in hand}
        seen = {i.pk: max(i.max_points - Decimal(1 + (n * 7) % 6), Decimal(0)) for i in hand}
        if sheet.self_scored_at is None:
            sheet = assessment_services.sheet_self_score(actor=SYSTEM, sheet=sheet,
                                                         values=mine)
        if sheet.inspected_at is None:
            assessment_services.sheet_inspect(
                actor=SYSTEM, sheet=sheet, values=seen, inspectors="县残联考核组",
                reasons={i.pk: "现场查看，台账基本齐全" if i.evidence == "on_site"
                         else "入户走访10户" for i in hand})
    assessment_services.round_confirm(actor=SYSTEM, round_=round_)
    return scheme


def load() -> list[str]:
    """The standards, the agreements, the assessment of the demo county."""
    from .agreements_demo import load_agreements_demo

    lines = load_standards_only()
    county = demo_county()
    if county is None:
        return lines
    today = timezone.localdate()
    count = load_agreements_demo(county=county, today=today)
    lines.append(gettext("Responsibility agreements: %(n)s signed in 会宁县, inspected "
                         "each quarter.") % {"n": count})
    scheme = load_assessment_demo(county=county, today=today)
    lines.append(gettext("100-point assessment: %(name)s, its round confirmed for "
                         "%(n)s townships.") % {"name": scheme,
                                                "n": scheme.round.sheets.count()})
    count = load_sites_demo(county=county, today=today)
    return [*lines, gettext("Demonstration sites: %(n)s designated in the demo county.")
            % {"n": count}]


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
