"""The demo's assistance and volunteer activities (ledgers/demo.py): a year of entries for
会师镇 (620422100) and a few of its villages, 东山根社区 (620422100001) first — each with
registered people helped, all but one of the units with an influential activity this year
(the last village has none, so its ledger book shows the shortfall) — and a volunteer
roster for 会师镇 and 东山根社区 with a year of volunteer activities, their hours and one
hours certificate. Written through the services (SYSTEM), so the rules and the audit log
are the ones in use; loading it twice adds nothing."""

import datetime as dt
from decimal import Decimal

from core.actors import SYSTEM
from orgs.models import Level, OrgUnit
from people.models import Person

from . import activities_services as services
from .activities_choices import AssistanceKind
from .models import AssistanceActivity, Volunteer

TOWNSHIP_CODE = "620422100"
COMMUNITY_CODE = "620422100001"

ASSISTANCE = [
    # (days before today, title, kind, organiser, partners, place, participants, money, goods)
    (300, "春节走访慰问困难残疾人", AssistanceKind.VISIT, "{unit}", "民政办", "入户", 12,
     "2000.00", "米面油各一份"),
    (220, "全国助残日宣传服务活动", AssistanceKind.DAY, "{unit}", "卫生院、司法所",
     "{unit}文化广场", 80, None, "宣传资料300份"),
    (150, "残疾人康复知识讲座", AssistanceKind.REHABILITATION, "{unit}", "县残疾人康复中心",
     "{unit}活动室", 35, None, ""),
    (90, "残疾人就业技能培训", AssistanceKind.EMPLOYMENT, "{unit}", "人社所", "{unit}会议室",
     25, None, ""),
    (40, "残疾人法律知识宣讲", AssistanceKind.LEGAL, "{unit}", "司法所", "{unit}活动室", 30,
     None, "法律读本30册"),
]
VOLUNTEERS = [("王晓燕", "13909431001", "会师镇卫生院", "康复护理"),
              ("李建国", "13909431002", "会师镇中学", "手语"),
              ("张丽", "13909431003", "东山根社区居委会", "心理疏导"),
              ("赵文军", "13909431004", "个体", "理发、家电维修")]
VOLUNTEER_ACTIVITIES = [
    (280, "助残志愿者入户打扫卫生", "入户", "为独居重度残疾人打扫卫生、整理房间", "3"),
    (200, "助残日志愿服务", "社区广场", "义诊、理发、家电维修", "4"),
    (120, "陪伴残疾儿童康复训练", "县康复中心", "陪同残疾儿童进行康复训练", "2.5"),
    (30, "重阳节慰问残疾老人", "入户", "送去慰问品，陪老人聊天", "2"),
]


def _date(today: dt.date, days: int) -> dt.date:
    return max(today - dt.timedelta(days=days), dt.date(today.year - 1, 1, 1))


def load(county, today: dt.date) -> str:
    township = OrgUnit.objects.active().filter(code=TOWNSHIP_CODE, level=Level.TOWNSHIP).first()
    if township is None or AssistanceActivity.objects.within(township).exists():
        return ""
    villages = list(OrgUnit.objects.active().filter(parent=township, level=Level.VILLAGE)
                    .order_by("code")[:4])
    community = next((v for v in villages if v.code == COMMUNITY_CODE), None)
    units = [township] + ([community] if community else []) + \
        [v for v in villages if v != community][:2]
    without = units[-1] if len(units) > 1 else None  # no influential activity this year
    entries = 0
    for unit in units:
        people = list(Person.objects.filter(unit=unit).order_by("id")[:6]) or list(
            Person.objects.within(unit).order_by("id")[:6])
        for index, (days, title, kind, organiser, partners, place, count, money,
                    goods) in enumerate(ASSISTANCE):
            held_on = _date(today, days)
            services.assistance_create(
                actor=SYSTEM, unit=unit, held_on=held_on, title=title, kind=kind,
                organiser=organiser.format(unit=unit.name), partners=partners,
                place=place.format(unit=unit.name), participants=count,
                money=Decimal(money) if money else None, goods=goods,
                description=f"{unit.name}{title}，受到群众好评。",
                influential=False, people=people[index % 3: index % 3 + 3])
            entries += 1
        if unit != without:
            services.assistance_create(
                actor=SYSTEM, unit=unit, held_on=today - dt.timedelta(days=min(
                    (today - dt.date(today.year, 1, 1)).days, 20)),
                title=f"{unit.name}“阳光助残”主题活动", kind=AssistanceKind.CULTURE,
                organiser=unit.name, partners="县残联", place=unit.name, participants=120,
                money=Decimal("5000.00"), goods="轮椅2台、助听器3台",
                description="年度有影响的助残活动：文艺演出、辅具发放、义诊。",
                influential=True, people=people[:4])
            entries += 1
    hours = _volunteers(units[:2], today)
    return f"扶残助残活动 {entries} 条，志愿者助残活动服务时长 {hours} 小时"


def _volunteers(units, today: dt.date) -> Decimal:
    total = Decimal(0)
    for unit in units:
        if Volunteer.objects.filter(unit=unit).exists():
            continue
        roster = [services.volunteer_create(actor=SYSTEM, unit=unit, name=name, phone=phone,
                                            organisation=organisation, skills=skills)
                  for name, phone, organisation, skills in VOLUNTEERS]
        people = list(Person.objects.within(unit).order_by("id")[:3])
        for index, (days, title, place, content, hours) in enumerate(VOLUNTEER_ACTIVITIES):
            came = roster[: 2 + index % 3]
            services.volunteer_activity_create(
                actor=SYSTEM, unit=unit, held_on=_date(today, days), title=title, place=place,
                content=content, people=people,
                services={v: Decimal(hours) for v in came})
            total += Decimal(hours) * len(came)
        first = roster[0]
        services.certificate_issue(actor=SYSTEM, volunteer=first, unit=unit,
                                   starts_on=dt.date(today.year - 1, 1, 1), ends_on=today,
                                   issued_on=today)
    return total
