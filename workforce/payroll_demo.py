"""The demo's subsidies: the reports' policies and one confirmed payroll period.

    load_payroll_demo(county)   # after the demo's officers exist

The policies, all for ``county`` (the reports speak of two counties; the demo's one has
the first county's policies and then the second's, one after the other):

* doc4 (会宁县): the township and community liaison officers in public-welfare posts,
  200 yuan a month each (2012–2019); doc5: 500 yuan a month (from 2020);
* doc5: village liaison officers on the minimum living allowance plus a subsidy, 50 yuan a
  month in 2011, 80 in 2012, 100 in 2013, paid every half year from the county's budget;
* doc4: from 2014 at least 100 yuan a month lost-work subsidy for village liaison
  officers, the shortfall raised by the townships.

The period confirmed is last month, for the whole county. Workers without a bank account
are given a made-up one, so the bank file has every line."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.actors import SYSTEM

from . import payroll_services
from .choices import PayCycle, RunStatus
from .models import PayrollRun, SubsidyPolicy, Worker

# (name, post kind, unit level, unit kind, subsidy kind, funding, cycle, yuan a month,
#  from, to, document)
POLICIES = (
    ("乡镇专职委员公益性岗位补贴", "liaison", 4, "", "public_welfare", "county_budget",
     "monthly", "200.00", dt.date(2012, 1, 1), dt.date(2019, 12, 31), "会残联发〔2012〕3号"),
    ("社区专职委员公益性岗位补贴", "liaison", 5, "community", "public_welfare",
     "county_budget", "monthly", "200.00", dt.date(2012, 1, 1), dt.date(2019, 12, 31),
     "会残联发〔2012〕3号"),
    ("乡镇专职委员公益性岗位补贴（提标）", "liaison", 4, "", "public_welfare",
     "employment_fund", "monthly", "500.00", dt.date(2020, 1, 1), None, "会残联发〔2020〕5号"),
    ("社区专职委员公益性岗位补贴（提标）", "liaison", 5, "community", "public_welfare",
     "employment_fund", "monthly", "500.00", dt.date(2020, 1, 1), None, "会残联发〔2020〕5号"),
    ("村专职委员低保加补贴（2011年）", "liaison", 5, "village", "allowance_plus",
     "county_budget", "half_yearly", "50.00", dt.date(2011, 1, 1), dt.date(2011, 12, 31),
     "会政办发〔2011〕21号"),
    ("村专职委员低保加补贴（2012年）", "liaison", 5, "village", "allowance_plus",
     "county_budget", "half_yearly", "80.00", dt.date(2012, 1, 1), dt.date(2012, 12, 31),
     "会政办发〔2011〕21号"),
    ("村专职委员低保加补贴（2013年）", "liaison", 5, "village", "allowance_plus",
     "county_budget", "half_yearly", "100.00", dt.date(2013, 1, 1), dt.date(2013, 12, 31),
     "会政办发〔2011〕21号"),
    ("村专职委员误工补贴", "liaison", 5, "village", "lost_work", "township", "monthly",
     "100.00", dt.date(2014, 1, 1), None, "会残联发〔2014〕2号"),
)


def _bank_accounts(county) -> None:
    missing = list(Worker.objects.within(county).filter(bank_cipher=""))
    for worker in missing:
        worker.bank_account = f"62284800{worker.pk:011d}"
        worker.bank_name = worker.bank_name or "中国农业银行会宁县支行"
    Worker.objects.bulk_update(missing, ["bank_cipher", "bank_name"], batch_size=1000)


@transaction.atomic
def load_payroll_demo(county, *, today: dt.date | None = None) -> PayrollRun | None:
    """The reports' policies for ``county`` and last month's payroll, confirmed (again and
    again: what exists already is kept)."""
    today = today or timezone.localdate()
    for (name, post_kind, level, unit_kind, kind, funding, cycle, amount, start, end,
         document) in POLICIES:
        if SubsidyPolicy.objects.filter(unit=county, name=name).exists():
            continue
        payroll_services.policy_create(
            actor=SYSTEM, unit=county, name=name, post_kind=post_kind, unit_level=level,
            unit_kind=unit_kind, kind=kind, funding=funding, cycle=cycle,
            monthly_amount=Decimal(amount), valid_from=start, valid_to=end,
            document_number=document)
    _bank_accounts(county)
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    done = PayrollRun.objects.filter(unit=county, cycle=PayCycle.MONTHLY,
                                     period_start=last_month.replace(day=1),
                                     status=RunStatus.CONFIRMED).first()
    if done is not None:
        return done
    run = payroll_services.payroll_run(actor=SYSTEM, unit=county, cycle=PayCycle.MONTHLY,
                                       year=last_month.year, part=last_month.month)
    return payroll_services.payroll_confirm(actor=SYSTEM, run=run)
