"""The responsibility agreements' part of the demo (``manage.py load_demo``, from
standards/demo.py): this year's agreements between 会宁县 and each of its townships, and
with 县民政局 (a member department of the work committee), signed in January, with the
inspections of the quarters that have ended — except 会师镇's last one, so that the county's
home page shows the reminder. Written through the services; loading it twice changes
nothing."""

import datetime as dt
from decimal import Decimal

from core.actors import SYSTEM
from orgs.demo import TOWNSHIP_CODE
from orgs.models import Level, OrgUnit

from . import agreements_rules as rules
from . import agreements_services as services
from .agreements_choices import AgreementStatus, Finding
from .models import Agreement

# (task, target number, its unit, target in words, indicator)
TOWNSHIP_TASKS = [
    ("残疾人入户走访全覆盖，建立走访台账", Decimal("95"), "%", "", "visit_rate"),
    ("村（社区）残协专职委员配备到位", Decimal("100"), "%", "", "liaison_coverage"),
    ("组织专职委员业务培训", Decimal("2"), "次", "", "trainings_held"),
    ("规范建立七表一录一记工作台账", Decimal("50"), "条", "", "ledger_entries"),
    ("残疾人服务需求及时办结", Decimal("80"), "%", "", "needs_met"),
    ("制定年度工作计划并按期落实", None, "", "年初制定，年底总结", "annual_plan"),
]
DEPARTMENT = "县民政局"
DEPARTMENT_TASKS = [
    ("落实困难残疾人生活补贴和重度残疾人护理补贴", None, "", "应补尽补，按月足额发放", ""),
    ("将符合条件的残疾人家庭纳入最低生活保障", None, "", "应保尽保", ""),
]
SIGNATORY_A = "会宁县残联 理事长"
INSPECTORS = "县残联督查组 王建国、李红"


def _signed(*, county, party_b, name, tasks, year, today) -> Agreement:
    found = Agreement.objects.filter(party_a=county, year=year)
    found = found.filter(party_b=party_b) if party_b is not None \
        else found.filter(party_b__isnull=True, party_b_name=name)
    agreement = found.first()
    if agreement is None:
        agreement = services.agreement_create(
            actor=SYSTEM, party_a=county, party_b=party_b,
            party_b_name="" if party_b is not None else name, year=year,
            note="本责任书自签订之日起生效。")
        for text, value, unit, words, key in tasks:
            services.task_add(actor=SYSTEM, agreement=agreement, text=text,
                              target_value=value, target_unit=unit, target_text=words,
                              indicator=key if party_b is not None else "")
    if agreement.status == AgreementStatus.DRAFT:
        day = min(today, dt.date(year, 1, 10))
        agreement = services.agreement_sign(
            actor=SYSTEM, agreement=agreement, signatory_a=SIGNATORY_A,
            signatory_b=f"{agreement.party_b_label} 负责人", signed_a_on=day, signed_b_on=day)
    return agreement


def _inspect(agreement: Agreement, quarters, year: int) -> None:
    done = set(agreement.inspections.values_list("quarter", flat=True))
    tasks = list(agreement.tasks.order_by("order", "id"))
    for quarter in quarters:
        if quarter in done:
            continue
        findings = {t.pk: (Finding.PARTLY if (n + quarter) % 4 == 0 else Finding.MET,
                           "进度偏慢，需加快" if (n + quarter) % 4 == 0 else "")
                    for n, t in enumerate(tasks)}
        services.inspection_record(
            actor=SYSTEM, agreement=agreement, quarter=quarter,
            inspected_on=rules.quarter_end(year, quarter) - dt.timedelta(days=5),
            inspectors=INSPECTORS, summary="查阅台账、入户抽查，总体推进有序。",
            findings=findings)


def load_agreements_demo(*, county: OrgUnit, today: dt.date) -> int:
    """The demo's agreements of ``today``'s year in ``county``; their number."""
    year = today.year
    due = rules.quarters_due(year, today)
    townships = list(OrgUnit.objects.active().filter(parent=county, level=Level.TOWNSHIP)
                     .order_by("code"))
    for township in townships:
        agreement = _signed(county=county, party_b=township, name="", tasks=TOWNSHIP_TASKS,
                            year=year, today=today)
        # 会师镇's last ended quarter is left uninspected: the reminder on the home page.
        quarters = due[:-1] if township.code == TOWNSHIP_CODE else due
        _inspect(agreement, quarters, year)
    department = _signed(county=county, party_b=None, name=DEPARTMENT,
                         tasks=DEPARTMENT_TASKS, year=year, today=today)
    _inspect(department, due, year)
    return Agreement.objects.filter(party_a=county, year=year).count()
