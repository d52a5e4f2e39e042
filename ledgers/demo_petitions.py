"""The demo's letters and visits (来信来访): a year of petitions in 会师镇 (620422100) and its
villages — most accepted, handled, replied and closed; one not accepted; one passed down by
the county; one reopened after an unsatisfied reply and being handled again; a repeat by
the same registered person; and one at a village past its deadline, flagged to the
township. Written through the services (ledgers/petitions_services.py) as the system, so
the deadlines, the links and the audit entries are the same as on the forms. Loading it
twice changes nothing."""

import datetime as dt

from core.actors import SYSTEM
from orgs.demo import TOWNSHIP_CODE
from orgs.models import Level, OrgUnit
from people.models import Person

from . import petitions_services as services
from .models import Petition

# (days before today, unit: 0 the township, 1… its villages in code order, category, how,
#  name, phone, what they raise, where it ends: closed | not_accepted | handling | overdue |
#  reopened | registered | referred)
PETITIONS = [
    (350, 1, "康复", "visit", "马有福", "13909435678",
     "申请为患脑瘫的孩子安排康复训练，县康复中心名额已满。", "closed"),
    (320, 0, "社会保障/救助", "letter", "王桂兰", "13519431234",
     "丈夫重度残疾，家庭困难，来信申请重度残疾人护理补贴。", "closed"),
    (290, 2, "无障碍", "phone", "李建国", "18093451122",
     "村委会新建办公楼门口只有台阶，轮椅无法进入。", "closed"),
    (260, 1, "就业", "visit", "张小红", "13830457788",
     "听力残疾，希望参加县里的电商技能培训并推荐就业。", "closed"),
    (230, 0, "证件办理", "online", "刘志强", "15193452233",
     "残疾人证到期换证，评定医院预约不上。", "closed"),
    (200, 3, "维权/法律", "visit", "陈秀英", "13993458899",
     "反映承包地被邻居侵占，希望残联协调。", "not_accepted"),
    (170, 0, "托养照护", "referred", "赵德明", "13689453344",
     "县信访局转办：智力残疾子女无人照护，申请日间照料。", "closed"),
    (140, 2, "教育", "letter", "孙丽", "17793456655",
     "孩子视力残疾，申请随班就读辅助器具和助学金。", "reopened"),
    (90, 1, "社会保障/救助", "visit", "周永福", "13209451199",
     "申请残疾人两项补贴，已提交材料三个月未答复。", "overdue"),
    (45, 3, "康复", "phone", "吴建华", "13919455566",
     "申请适配假肢，询问补贴标准。", "handling"),
    (20, 0, "就业", "visit", "郑美玲", "15009457711",
     "申请公益性岗位。", "registered"),
]


def _units(township: OrgUnit) -> list[OrgUnit]:
    villages = list(OrgUnit.objects.active().filter(parent=township, level=Level.VILLAGE)
                    .order_by("code", "pk")[:3])
    return [township, *villages] if villages else [township]


def load(county: OrgUnit, today: dt.date) -> str:
    township = OrgUnit.objects.within(county).filter(code=TOWNSHIP_CODE).first()
    if township is None:
        return ""
    units = _units(township)
    if Petition.objects.within(township).exists():
        return ""
    categories = {c.name: c for c in services.default_categories()}
    people = list(Person.objects.filter(unit__in=units[1:]).order_by("unit_id", "id")[:1])
    made: list[Petition] = []
    for days, at, category, how, name, phone, content, end in PETITIONS:
        unit = units[at % len(units)]
        received = today - dt.timedelta(days=days)
        petition = services.petition_register(
            actor=SYSTEM, unit=unit, category=categories[category], received_on=received,
            content=content, received_how=how, petitioner_name=name, petitioner_phone=phone,
            handler_name="" if end == "registered" else "残联专干")
        made.append(_walk(petition, end, received, today))
    # The same registered person twice (the second linked to the first), when the register
    # has anyone in these villages.
    if people:
        person = people[0]
        for days, content in ((300, "申请残疾人家庭无障碍改造。"),
                              (60, "再次反映家庭无障碍改造尚未落实。")):
            received = today - dt.timedelta(days=days)
            petition = services.petition_register(
                actor=SYSTEM, unit=person.unit, category=categories["无障碍"],
                received_on=received, content=content, received_how="visit", person=person)
            made.append(_walk(petition, "closed" if days > 100 else "handling", received,
                              today))
    overdue = sum(1 for p in made if p.status in ("accepted", "handling", "registered",
                                                  "reopened") and p.deadline < today)
    return (f"来信来访：{township.name}及所属村（社区）{len(made)} 件，其中超期 {overdue} 件、"
            f"不满意重新办理 1 件")


def _walk(petition: Petition, end: str, received: dt.date, today: dt.date) -> Petition:
    """Take a petition along its way to ``end``."""
    if end == "registered":
        return petition
    if end == "not_accepted":
        return services.petition_refuse(
            actor=SYSTEM, petition=petition,
            reason="属土地承包纠纷，不属残联受理范围，已告知向乡镇司法所申请调解。")
    petition = services.petition_accept(actor=SYSTEM, petition=petition,
                                        handler_name="残联专干")
    petition = services.petition_start(actor=SYSTEM, petition=petition)
    if end in ("handling", "overdue"):
        return petition
    replied = min(today, received + dt.timedelta(days=25))
    petition = services.petition_reply(
        actor=SYSTEM, petition=petition, replied_on=replied,
        reply="已核实情况，按政策办理，并当面告知办理结果。")
    if end == "reopened":
        petition = services.petition_reopen(
            actor=SYSTEM, petition=petition, satisfaction="not_satisfied",
            note="助学金已发放，但辅助器具仍未配发，申请人不满意。")
        return services.petition_start(actor=SYSTEM, petition=petition,
                                       note="联系县残联辅具中心重新办理。")
    return services.petition_close(actor=SYSTEM, petition=petition,
                                   satisfaction="satisfied" if received.day % 3 else
                                   "basically")
