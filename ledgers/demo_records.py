"""The demo's work record book, meetings and annual plans (ledgers/demo.py loads it): a year
of work records and meetings for 会师镇 and three of its villages, 东山根社区 (the demo
login ``demo_village``) among them, and the plans of the year for three of them — the fourth
has none — 东山根社区's with an item left unfulfilled past its due date.

Written through the services (rules and audit as on the forms). The records' "written at"
is then set to the day they are dated, as if each had been written that day, so the older
ones are past their 7 days and show as notes-only. Loading it twice adds nothing."""

import datetime as dt
import random

from django.utils import timezone

from core.actors import SYSTEM
from orgs.models import Level, OrgUnit

from . import records_services as services
from .models import AnnualPlan, Meeting, MeetingKind, WorkEntry

TOWNSHIP_CODE = "620422100"
COMMUNITY_CODE = "620422100001"
SEED = 14

WORK = [
    ("走访困难残疾人家庭", "入户走访困难残疾人家庭，了解生活、康复和就业需求，登记需求并上报。"),
    ("残疾人证办理", "协助残疾人到县医院评残，收集办证材料，代办第二代残疾人证。"),
    ("两项补贴核查", "核对困难残疾人生活补贴和重度残疾人护理补贴名单，公示并上报。"),
    ("康复服务", "联系康复站为肢体残疾人上门开展康复训练指导。"),
    ("辅具适配", "为行动不便的残疾人申请轮椅、拐杖等辅助器具并发放到户。"),
    ("就业帮扶", "推荐有劳动能力的残疾人参加县残联组织的实用技术培训。"),
    ("数据更新", "更新残疾人基本服务状况和需求信息动态更新数据。"),
    ("政策宣传", "在村（社区）公示栏宣传残疾人优惠政策，发放宣传资料。"),
]
MEETINGS = [
    (MeetingKind.WORK, "月度工作例会", "通报本月残疾人工作进展，安排下月走访和补贴核查任务。",
     "各专职委员按网格完成走访；月底前上报需求登记。"),
    (MeetingKind.STUDY, "学习《残疾人保障法》",
     "集中学习《中华人民共和国残疾人保障法》有关条款。", ""),
    (MeetingKind.PARTY_LECTURE, "党课：践行助残为民宗旨",
     "支部书记讲党课，结合残疾人工作谈为民服务。", ""),
    (MeetingKind.PARTY_COMMITTEE, "支委会", "研究本季度党员联系残疾人家庭工作。",
     "每名党员联系一户困难残疾人家庭。"),
]
PLAN_ITEMS = [
    ("activity", True, "全国助残日主题活动", "组织一次助残日宣传和慰问活动", None, (5, 31)),
    ("practical", False, "为重度残疾人家庭办一件实事", "完成无障碍改造", 5, (10, 31)),
    ("activity", False, "走访全部持证残疾人", "每户至少走访一次", None, (12, 31)),
    ("other", False, "残疾人数据动态更新", "按时完成年度数据更新", None, (9, 30)),
]


def _units(county) -> list[OrgUnit]:
    township = OrgUnit.objects.active().filter(code=TOWNSHIP_CODE).first()
    if township is None or not township.path.startswith(county.path):
        return []
    community = OrgUnit.objects.active().filter(code=COMMUNITY_CODE).first()
    villages = list(OrgUnit.objects.active().filter(parent=township, level=Level.VILLAGE)
                    .exclude(code=COMMUNITY_CODE).order_by("path")[:2])
    return [township] + ([community] if community else []) + villages


def _written_that_day(model, pks, when: dict) -> None:
    for pk in pks:
        day = when[pk]
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(17, 0)))
        model.objects.filter(pk=pk).update(created_at=moment, updated_at=moment)


def load(county, today: dt.date) -> str:
    units = _units(county)
    if not units or WorkEntry.objects.filter(unit__in=units).exists():
        return ""
    rng = random.Random(SEED)
    start = today - dt.timedelta(days=364)
    work, meetings = {}, {}
    for unit in units:
        day = start + dt.timedelta(days=rng.randint(0, 9))
        while day <= today:
            subject, content = rng.choice(WORK)
            entry = services.work_entry_create(actor=SYSTEM, unit=unit, written_on=day,
                                               subject=subject, content=content, today=today)
            work[entry.pk] = day
            day += dt.timedelta(days=rng.randint(12, 24))
        month = dt.date(start.year, start.month, 1)
        while month <= today:
            held = min(month + dt.timedelta(days=rng.randint(2, 20)), today)
            index = 0 if month.month % 3 else rng.randint(1, 3)
            if unit.level == Level.VILLAGE and index > 1:
                index = 1  # the villages' associations: work meetings and study
            kind, title, minutes, decisions = MEETINGS[index]
            names = "、".join(rng.sample(["王桂兰", "李建国", "张秀英", "刘志强", "陈玉梅",
                                         "杨永福", "赵淑芳"], 4))
            meeting = services.meeting_create(
                actor=SYSTEM, unit=unit, held_on=held, kind=kind, title=title,
                place=f"{unit.name[:4]}会议室", host="王桂兰", recorder="李建国",
                attendee_names=names, expected_count=5, present_count=None,
                absent="", minutes=minutes, decisions=decisions, today=today)
            meetings[meeting.pk] = held
            month = (month + dt.timedelta(days=32)).replace(day=1)
    _written_that_day(WorkEntry, work, work)
    _written_that_day(Meeting, meetings, meetings)

    year = today.year if today >= dt.date(today.year, 3, 1) else today.year - 1
    unfulfilled = None
    for unit in units[:3]:
        if AnnualPlan.objects.filter(unit=unit, year=year).exists():
            continue
        plan = services.plan_create(actor=SYSTEM, unit=unit, year=year, today=today,
                                    summary=f"{year}年，{unit.name}围绕残疾人基本服务需求，"
                                            "做好走访、康复、就业和权益维护工作。")
        for kind, influential, title, target, number, (month, day) in PLAN_ITEMS:
            item = services.plan_item_add(actor=SYSTEM, plan=plan, kind=kind,
                                          influential=influential, title=title, target=target,
                                          target_number=number,
                                          due_on=dt.date(year, month, day))
            due = dt.date(year, month, day)
            late = unit.code == COMMUNITY_CODE and kind == "practical"
            if late:
                # The community's practical thing: due early in the year, nothing done.
                item = services.plan_item_update(actor=SYSTEM, planitem=item,
                                                 due_on=dt.date(year, 2, 28))
                unfulfilled = item
                continue
            if due >= today:
                continue
            done = (Meeting.objects.filter(unit=unit, held_on__year=year, held_on__lte=due)
                    .order_by("-held_on").first() if kind == "activity" else
                    WorkEntry.objects.filter(unit=unit, written_on__year=year,
                                             written_on__lte=due)
                    .order_by("-written_on").first())
            if done is not None:
                services.plan_fulfilment_add(actor=SYSTEM, planitem=item, entry=done)
    lines = (f"{len(work)} work records, {len(meetings)} meetings and "
             f"{AnnualPlan.objects.filter(unit__in=units, year=year).count()} annual plans "
             f"for {units[0].name} and its villages")
    if unfulfilled is not None:
        lines += f" (an unfulfilled item: {unfulfilled.plan.unit.name}, {unfulfilled.title})"
    return lines
