"""The demo's work committee and special associations (issue 18), loaded by reports/demo.py
after the other apps' demos (it links the standards' agreement with 县民政局, and people of
the demo register): 会宁县's committee with its chairs and six member departments with the
duties doc4 and doc5 give them, its five associations with a few members from the
register, a meeting of the committee and an activity of the association of the physically
disabled. Through the services; loading it twice changes nothing."""

import datetime as dt

from core.actors import SYSTEM
from ledgers import associations_services as links
from ledgers import records_services
from ledgers.activities_services import assistance_create
from ledgers.models import AssistanceActivity, Meeting, MemberRole
from orgs import committee_services as services
from orgs.models import AssociationKind, OrgUnit, SpecialAssociation, WorkCommittee
from people.models import Person
from standards.committee_services import agreement_link_department
from standards.models import Agreement

CHAIR = ("李明华", "县人民政府副县长")
VICE_CHAIRS = "王建国 县人民政府办公室副主任\n赵文静 县残疾人联合会理事长"
DEPARTMENTS = [
    ("县财政局", "将残疾人事业经费列入财政预算，保障基层残疾人组织工作经费和专职委员补贴。",
     "刘会计", "0943-3221001"),
    ("县民政局", "落实困难残疾人生活补贴和重度残疾人护理补贴，将符合条件的残疾人纳入最低生活保障。",
     "陈股长", "0943-3221002"),
    ("县教育局", "保障残疾儿童少年接受义务教育，开展送教上门。", "杨老师", "0943-3221003"),
    ("县人力资源和社会保障局", "开展残疾人职业培训和就业服务，落实残疾人社会保险补贴。",
     "马科长", "0943-3221004"),
    ("县卫生健康局", "开展残疾预防和康复服务，做好残疾评定工作。", "何医生", "0943-3221005"),
    ("县住房和城乡建设局", "推进无障碍环境建设，优先实施贫困残疾人家庭危房改造。",
     "周工", "0943-3221006"),
]
# Members of each association: people of the register with this disability category
# (the relatives' associations: the families of the people with mental illness or
# intellectual disability, represented here by the registered person).
CATEGORY = {AssociationKind.BLIND: 1, AssociationKind.DEAF: 2, AssociationKind.PHYSICAL: 4,
            AssociationKind.MENTAL: 6, AssociationKind.INTELLECTUAL: 5}
MEMBERS = 4
MEETING_TITLE = "县残工委全体成员会议"
ACTIVITY_TITLE = "肢残人协会助残日走访慰问"


def load_committee_demo(*, county: OrgUnit, today: dt.date) -> tuple[int, int]:
    """(member departments, association members) of ``county`` after loading."""
    committee = WorkCommittee.objects.filter(unit=county).first() or services.committee_create(
        actor=SYSTEM, unit=county, chair_name=CHAIR[0], chair_post=CHAIR[1],
        vice_chairs=VICE_CHAIRS, office="县残疾人联合会", document_number="会政办发〔2012〕36号")
    have = set(committee.departments.values_list("name", flat=True))
    for name, duties, contact, phone in DEPARTMENTS:
        if name not in have:
            services.department_add(actor=SYSTEM, committee=committee, name=name,
                                    duties=duties, contact_person=contact, phone=phone)
    for department in committee.departments.all():
        for agreement in Agreement.objects.filter(party_a=county, party_b__isnull=True,
                                                  party_b_name=department.name,
                                                  department__isnull=True):
            agreement_link_department(actor=SYSTEM, agreement=agreement, department=department)
    meeting = Meeting.objects.filter(unit=county, title=MEETING_TITLE).first() or \
        records_services.meeting_create(
            actor=SYSTEM, unit=county, held_on=dt.date(today.year, 1, 1), kind="work",
            title=MEETING_TITLE,
            place="县政府三楼会议室", host=CHAIR[0],
            minutes="通报上年度残疾人工作，部署本年度各成员单位工作任务，签订目标管理责任书。")
    links.meeting_link(actor=SYSTEM, meeting=meeting, committee=committee)
    associations = {a.kind: a for a in services.associations_set_up(actor=SYSTEM, unit=county)}
    for kind, association in associations.items():
        if association.members.exists():
            continue
        people = list(Person.objects.within(county).filter(category=CATEGORY[kind])
                      .select_related("unit").order_by("id")[:MEMBERS])
        if not people:
            continue
        if kind == AssociationKind.DEAF:
            services.association_update(actor=SYSTEM, association=association,
                                        chair_name="孙德明")
        else:
            links.members_add(actor=SYSTEM, association=association, people=people[:1],
                              role=MemberRole.CHAIR, joined_on=dt.date(2012, 6, 1))
            people = people[1:]
        if people:
            links.members_add(actor=SYSTEM, association=association, people=people,
                              joined_on=dt.date(2013, 5, 19))
    physical = associations[AssociationKind.PHYSICAL]
    if not AssistanceActivity.objects.filter(unit=county, title=ACTIVITY_TITLE).exists():
        activity = assistance_create(
            actor=SYSTEM, unit=county, held_on=today, title=ACTIVITY_TITLE, kind="day",
            organiser="县肢残人协会", place="会师镇", participants=12)
        links.activity_link(actor=SYSTEM, activity=activity, association=physical)
    members = sum(a.members.count() for a in SpecialAssociation.objects.filter(unit=county))
    return committee.departments.count(), members
