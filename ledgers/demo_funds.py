"""The demo's funds ledger (ledgers/demo.py): a year of entries for 会宁县 and its
townships — the county receives the employment security fund (残保金) and the office funds,
spends part of the 残保金, and transfers money down with a task (费随事转) to 会师镇; each
township receives its 9,000 yuan of office funds (doc1: 0.9万 a year) and spends some;
会师镇 transfers part of what it got down to 东山根社区 with the task. Written through the
services (SYSTEM), so the rules and the audit log are the ones in use; loading it twice
adds nothing."""

import datetime as dt
from decimal import Decimal

from core.actors import SYSTEM
from orgs.models import Level, OrgUnit

from . import funds_services as services
from .funds_choices import FundFlow, FundKind
from .models import FundEntry

TOWNSHIP_CODE = "620422100"
COMMUNITY_CODE = "620422100001"
OFFICE_FUNDS = Decimal("9000.00")


def _day(today: dt.date, month: int, day: int) -> dt.date:
    return min(dt.date(today.year, month, day), today)


def _entry(unit, today, month, day, kind, flow, amount, summary, **more):
    return services.fund_entry_create(
        actor=SYSTEM, unit=unit, kind=kind, flow=flow, amount=Decimal(amount),
        occurred_on=_day(today, month, day), summary=summary, **more)


def load(county, today: dt.date) -> str:
    if FundEntry.objects.within(county).filter(year=today.year).exists():
        return ""
    townships = list(OrgUnit.objects.active().filter(parent=county, level=Level.TOWNSHIP)
                     .order_by("code"))
    n = 0
    _entry(county, today, 1, 10, FundKind.OFFICE, FundFlow.RECEIVED, "9000",
           "县财政拨付县残联办公经费", party="会宁县财政局", voucher="HN-001")
    _entry(county, today, 3, 15, FundKind.SECURITY, FundFlow.RECEIVED, "300000",
           "市残联下放残保金（本年度分配额度）", party="白银市残疾人联合会", voucher="HN-002")
    _entry(county, today, 5, 20, FundKind.SECURITY, FundFlow.SPENT, "120000",
           "残疾人就业技能培训及岗位补贴", party="县就业服务中心", voucher="HN-003")
    n += 3
    for index, township in enumerate(townships):
        _entry(township, today, 1, 20, FundKind.OFFICE, FundFlow.RECEIVED, OFFICE_FUNDS,
               "乡镇残联年度办公经费", party="会宁县财政局", voucher=f"XZ-{index + 1:03d}")
        _entry(township, today, 4, 8, FundKind.OFFICE, FundFlow.SPENT,
               str(1200 + 150 * (index % 5)), "购置办公用品、印制宣传资料")
        n += 2
    township = next((t for t in townships if t.code == TOWNSHIP_CODE), None)
    if township is not None:
        _entry(county, today, 6, 1, FundKind.SECURITY, FundFlow.TRANSFER, "20000",
               "费随事转：残疾人辅助器具适配服务下放乡镇", counterpart=township)
        _entry(township, today, 6, 20, FundKind.SECURITY, FundFlow.SPENT, "8500",
               "为12名残疾人适配轮椅、助行器", party="县残疾人康复中心")
        n += 2
        community = OrgUnit.objects.active().filter(parent=township,
                                                    code=COMMUNITY_CODE).first()
        if community is not None:
            _entry(township, today, 7, 1, FundKind.SECURITY, FundFlow.TRANSFER, "5000",
                   "费随事转：社区残协入户走访及需求登记", counterpart=community)
            _entry(community, today, 8, 12, FundKind.SECURITY, FundFlow.SPENT, "1800",
                   "入户走访残疾人家庭交通及资料费")
            n += 2
    return f"经费台账：{n} 笔（{len(townships)} 个乡镇）"
