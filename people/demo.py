"""Synthetic people for the 会宁县 demo: a few thousand disabled people spread over every
village and community of the county, with certificates, status history, needs, visits and
job-seeking registrations.

The rows are what ``people.services`` would write (IDs and certificates valid and derived
the same way, search keys, an event for each death), but written with bulk_create in one
transaction and recorded by a single audit entry, so the demo loads in seconds. It
does nothing when the county has people already: loading the demo twice duplicates nothing.

Everything is drawn from one seeded ``random.Random``; the dates are relative to
``timezone.localdate()`` so the demo always looks current (visits this year, open needs
of a few weeks)."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from audit.models import Action
from audit.services import audit_record
from core.actors import SYSTEM
from orgs.models import Kind, Level, OrgUnit

from . import rules
from .choices import (
    Category,
    Education,
    Employment,
    Gender,
    Hukou,
    JobStatus,
    Living,
    Marital,
    NeedStatus,
    NeedType,
    Status,
    VisitMode,
    WorkAbility,
)
from .counts import record_new_people, recount_visited
from .identity import birth_date_of, certificate_number, gender_of
from .models import JobSeeker, Need, Person, PersonEvent, Visit
from .pinyin import search_key
from .services import visit_facts_refresh

BATCH_SIZE = 500
CERTIFICATE_YEARS = 10
REGION_CODE = "620422"

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# Surnames common in 会宁 and across China, with rough weights; 单 and 曾 are read two ways.
SURNAMES = [
    ("张", 10), ("王", 10), ("李", 9), ("赵", 5), ("刘", 7), ("陈", 5), ("杨", 7), ("马", 6),
    ("何", 3), ("魏", 3), ("冯", 2), ("牛", 3), ("郭", 3), ("孙", 2), ("周", 2), ("吴", 2),
    ("徐", 2), ("朱", 2), ("胡", 2), ("高", 3), ("罗", 2), ("郑", 1), ("梁", 2), ("谢", 1),
    ("宋", 1), ("唐", 1), ("许", 1), ("韩", 2), ("邓", 1), ("曹", 2), ("彭", 1), ("曾", 1),
    ("单", 1), ("党", 2), ("柴", 2), ("苟", 2), ("贾", 2), ("薛", 1), ("姚", 1), ("董", 2),
    ("汪", 2), ("秦", 1), ("蒋", 1), ("田", 2), ("白", 1), ("任", 1), ("岳", 1), ("焦", 1),
]
# Given-name characters by generation (born before 1975 / after) and gender.
GIVEN = {
    ("old", Gender.MALE): "福贵有才德明忠国建军生发财宝林山海学文志成兴旺永平安全喜进存孝",
    ("old", Gender.FEMALE): "秀兰英桂芳梅花珍凤莲翠琴香菊玉霞彩娥巧云春萍桃杏",
    ("new", Gender.MALE): "伟强磊鹏浩宇杰涛辉斌俊博文轩子航睿晨阳明东亮瑞龙飞",
    ("new", Gender.FEMALE): "丽娟玲艳燕敏静婷雪娜慧丹欣悦怡佳琪涵瑶萱雨倩颖蕾",
}
HUI_SURNAMES = ["马", "马", "马", "杨", "李", "海", "白", "丁", "苏"]
PHONE_PREFIXES = ["139", "138", "137", "150", "151", "152", "158", "159", "177", "181", "189",
                  "199", "133", "135"]

# GB/T 26341 categories with the shares the brief asks for.
CATEGORY_WEIGHTS = [
    (Category.PHYSICAL, 40), (Category.VISUAL, 12), (Category.HEARING, 15),
    (Category.SPEECH, 2), (Category.INTELLECTUAL, 10), (Category.MENTAL, 10),
    (Category.MULTIPLE, 11),
]
GRADE_WEIGHTS = [(1, 10), (2, 25), (3, 35), (4, 30)]

NEED_WEIGHTS = [
    (NeedType.REHABILITATION, 30), (NeedType.DEVICES, 22), (NeedType.RELIEF, 18),
    (NeedType.EMPLOYMENT, 10), (NeedType.CARE, 7), (NeedType.ACCESSIBILITY, 5),
    (NeedType.EDUCATION, 3), (NeedType.RIGHTS, 3), (NeedType.OTHER, 2),
]
NEED_TEXT = {
    NeedType.REHABILITATION: ["需要康复训练指导", "希望参加社区康复站训练", "需要精准康复服务",
                              "术后需要肢体功能康复"],
    NeedType.DEVICES: ["需要轮椅一台", "需要助听器", "需要助行器", "需要盲杖和放大镜",
                       "假肢需要更换"],
    NeedType.RELIEF: ["家庭困难，申请临时救助", "申请纳入低保", "冬季取暖困难"],
    NeedType.EMPLOYMENT: ["希望找一份力所能及的工作", "希望参加实用技术培训",
                          "想开小卖部，需要扶持"],
    NeedType.CARE: ["需要居家托养服务", "家人外出务工，需要日间照料"],
    NeedType.ACCESSIBILITY: ["需要家庭无障碍改造（卫生间扶手）", "门口台阶需改坡道"],
    NeedType.EDUCATION: ["孩子需要送教上门", "希望进入特殊教育学校就读"],
    NeedType.RIGHTS: ["土地承包纠纷，需要法律援助", "工伤赔偿问题咨询"],
    NeedType.OTHER: ["咨询残疾证换领", "咨询补贴政策"],
}
NEED_OUTCOME = {
    NeedType.REHABILITATION: "已纳入精准康复服务，完成康复训练",
    NeedType.DEVICES: "已适配辅具并送达",
    NeedType.RELIEF: "已协调民政部门发放临时救助",
    NeedType.EMPLOYMENT: "已推荐就业并参加培训",
    NeedType.CARE: "已纳入居家托养服务",
    NeedType.ACCESSIBILITY: "已完成家庭无障碍改造",
    NeedType.EDUCATION: "已安排送教上门",
    NeedType.RIGHTS: "已转介法律援助中心，问题已解决",
    NeedType.OTHER: "已答复并办理",
}
UNMET_REASONS = ["本年度项目指标已用完，列入下年度计划", "不符合政策条件", "本人放弃",
                 "已迁出本辖区，转交迁入地"]
RESPONSIBLE = {
    NeedType.REHABILITATION: "县残联康复部", NeedType.DEVICES: "县残联康复部",
    NeedType.RELIEF: "乡镇民政办", NeedType.EMPLOYMENT: "县残疾人就业服务所",
    NeedType.CARE: "县残联", NeedType.ACCESSIBILITY: "县残联",
    NeedType.EDUCATION: "县教育局特教中心", NeedType.RIGHTS: "县残联维权部",
    NeedType.OTHER: "村（社区）残协",
}
FINDINGS = {
    VisitMode.HOME: ["生活基本稳定，家属照料到位", "坚持康复训练，效果较好，需继续跟进",
                     "居住条件较差，建议家庭无障碍改造", "轮椅老化，需要更换",
                     "低保按时发放，暂无新的诉求", "精神状况稳定，按时服药",
                     "家庭经济困难，建议申请临时救助", "子女外出务工，独自居住，需加强关注"],
    VisitMode.PHONE: ["电话回访，情况稳定", "电话了解补贴发放情况，已到账",
                      "电话询问康复需求，暂无"],
    VisitMode.OFFICE: ["本人到村委会咨询残疾证换领", "家属代为咨询补贴政策",
                       "到办公室反映辅具需求"],
    VisitMode.UNREACHABLE: ["电话无人接听，上门未遇，下次再访", "本人外出务工，联系不上"],
}
VISIT_MODES = [(VisitMode.HOME, 65), (VisitMode.PHONE, 20), (VisitMode.OFFICE, 10),
               (VisitMode.UNREACHABLE, 5)]
WORK_WISHED = ["手工编织", "电商客服", "保洁", "门卫", "种植养殖", "按摩推拿", "来料加工",
               "公益性岗位", "超市收银"]
SKILLS = ["", "", "会用电脑", "会开三轮车", "种植经验", "养殖经验", "刺绣", "盲人按摩证"]
TRAINING = ["", "电商培训", "盲人按摩培训", "种养殖实用技术", "手工艺培训"]
EMPLOYERS = ["会宁县残疾人福利工厂", "会师镇扶贫车间", "会宁县宏达劳务有限公司",
             "会宁县城区物业服务公司", "村光伏公益岗位", "会宁县电商产业园",
             "会宁县盲人按摩中心"]


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _between(rng: random.Random, low: dt.date, high: dt.date) -> dt.date:
    return low + dt.timedelta(days=rng.randint(0, max((high - low).days, 0)))


def _age(birth: dt.date, today: dt.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def id_check_character(first17: str) -> str:
    """The 18th character of a resident ID (GB 11643-1999)."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def _place(unit: OrgUnit, township: OrgUnit) -> str:
    name = unit.name
    if name.endswith("居民委员会"):
        name = name.removesuffix("居民委员会")
    elif name.endswith("村民委员会"):
        name = name.removesuffix("村民委员会") + "村"
    return f"{township.name}{name}"


class _Generator:
    def __init__(self, rng: random.Random, today: dt.date):
        self.rng = rng
        self.today = today
        self.year_start = dt.date(today.year, 1, 1)
        self.two_years_ago = today - dt.timedelta(days=730)
        self.ids: set[str] = set()
        self.keys: dict[str, str] = {}

    # Names, IDs, phones ---------------------------------------------------------------

    def name(self, gender: str, birth: dt.date, hui: bool = False, surname: str = "") -> str:
        rng = self.rng
        if not surname:
            surname = rng.choice(HUI_SURNAMES) if hui else _pick(rng, SURNAMES)
        chars = GIVEN["old" if birth.year < 1975 else "new", gender]
        given = rng.choice(chars)
        if rng.random() < 0.85:
            given += rng.choice(chars)
        return surname + given

    def search_key(self, name: str) -> str:
        if name not in self.keys:
            self.keys[name] = search_key(name)
        return self.keys[name]

    def id_number(self, birth: dt.date, gender: str) -> str:
        rng = self.rng
        while True:
            sex = rng.choice("13579" if gender == Gender.MALE else "02468")
            first17 = f"{REGION_CODE}{birth:%Y%m%d}{rng.randint(0, 99):02d}{sex}"
            if first17 not in self.ids:
                self.ids.add(first17)
                return first17 + id_check_character(first17)

    def phone(self) -> str:
        return self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randint(0, 99_999_999):08d}"

    def birth_date(self) -> dt.date:
        rng = self.rng
        band = rng.random()
        if band < 0.10:
            age = rng.randint(0, 17)
        elif band < 0.60:
            age = min(int(rng.triangular(18, 60, 55)), 59)  # more in their 40s and 50s
        else:
            age = min(int(rng.triangular(60, 95, 62)), 94)
        birth = _add_years(self.today, -age - 1) + dt.timedelta(days=rng.randint(1, 364))
        return min(birth, self.today)

    # One person -------------------------------------------------------------------------

    def person(self, unit: OrgUnit, township: OrgUnit, grids: list[OrgUnit]) -> Person:
        rng, today = self.rng, self.today
        community = unit.kind == Kind.COMMUNITY
        gender = Gender.MALE if rng.random() < 0.57 else Gender.FEMALE
        birth = self.birth_date()
        id_number = self.id_number(birth, gender)
        gender, birth = gender_of(id_number), birth_date_of(id_number)  # as the services do
        age = _age(birth, today)
        hui = rng.random() < 0.06
        name = self.name(gender, birth, hui=hui)
        person = Person(
            unit=unit, grid=rng.choice(grids) if grids else None, name=name,
            search_key=self.search_key(name), id_number=id_number, gender=gender,
            birth_date=birth, ethnicity="回族" if hui else "汉族",
            address=f"{_place(unit, township)}{rng.randint(1, 9)}组",
            hukou=(Hukou.URBAN if rng.random() < 0.85 else Hukou.RURAL) if community
            else (Hukou.RURAL if rng.random() < 0.97 else Hukou.URBAN),
            phone=self.phone() if rng.random() < 0.85 else "",
        )
        self._certificate(person, age)
        self._circumstances(person, age)
        self._support(person, age)
        low = max(dt.date(2015, 1, 1), birth)
        high = min(dt.date(2025, 12, 31), today)
        person.registered_on = _between(rng, low, high) if low <= high else _between(
            rng, birth, today)
        deceased_chance = 0.07 if age >= 60 else 0.01
        if rng.random() < deceased_chance and (today - person.registered_on).days > 60:
            person.status = Status.DECEASED
            person.status_date = _between(rng, person.registered_on + dt.timedelta(days=30),
                                          today)
        else:
            person.status = Status.ACTIVE
        return person

    def _certificate(self, person: Person, age: int) -> None:
        rng = self.rng
        earliest = max(dt.date(2008, 1, 1), person.birth_date + dt.timedelta(days=180))
        latest = dt.date(2024, 12, 31)
        if rng.random() >= 0.90 or earliest > latest:
            return  # awaiting assessment
        category = _pick(rng, CATEGORY_WEIGHTS)
        if age < 7 and category == Category.MENTAL:
            category = _pick(rng, CATEGORY_WEIGHTS[:5])
        grade = _pick(rng, GRADE_WEIGHTS)
        # Most certificates were issued or renewed since 2016; the older ones have expired.
        year = rng.choices(range(2008, 2025), [1] * 8 + [4] * 9)[0]
        issued = max(_between(rng, dt.date(year, 1, 1), dt.date(year, 12, 31)), earliest)
        person.category, person.grade = category, grade
        person.certificate_number = certificate_number(person.id_number, category, grade)
        person.certificate_issued_on = issued
        person.certificate_valid_until = _add_years(issued, CERTIFICATE_YEARS)

    def _circumstances(self, person: Person, age: int) -> None:
        rng = self.rng
        born = person.birth_date.year
        urban = person.hukou == Hukou.URBAN
        severe = person.grade in (1, 2)
        if age < 6:
            person.education = Education.NONE
        elif age < 18:
            person.education = _pick(rng, [(Education.PRIMARY, 50), (Education.JUNIOR, 25),
                                           (Education.SPECIAL, 15), (Education.NONE, 10)])
        elif person.category == Category.INTELLECTUAL:
            person.education = _pick(rng, [(Education.NONE, 45), (Education.PRIMARY, 35),
                                           (Education.SPECIAL, 20)])
        elif born < 1960:
            person.education = _pick(rng, [(Education.NONE, 45), (Education.PRIMARY, 40),
                                           (Education.JUNIOR, 12), (Education.SENIOR, 3)])
        elif born < 1980:
            person.education = _pick(rng, [(Education.NONE, 20), (Education.PRIMARY, 40),
                                           (Education.JUNIOR, 28), (Education.SENIOR, 8),
                                           (Education.VOCATIONAL, 2), (Education.COLLEGE, 2)])
        else:
            person.education = _pick(rng, [(Education.NONE, 8), (Education.PRIMARY, 25),
                                           (Education.JUNIOR, 35), (Education.SENIOR, 15),
                                           (Education.VOCATIONAL, 8), (Education.COLLEGE, 6),
                                           (Education.UNIVERSITY, 3)])

        if age < 20:  # the legal age of marriage is 20 for women, 22 for men
            person.marital_status = Marital.SINGLE
        elif age < 30:
            person.marital_status = _pick(rng, [(Marital.SINGLE, 60), (Marital.MARRIED, 38),
                                                (Marital.DIVORCED, 2)])
        elif age < 60:
            person.marital_status = _pick(rng, [(Marital.MARRIED, 70), (Marital.SINGLE, 18),
                                                (Marital.DIVORCED, 7), (Marital.WIDOWED, 5)])
        else:
            person.marital_status = _pick(rng, [(Marital.MARRIED, 55), (Marital.WIDOWED, 38),
                                                (Marital.SINGLE, 4), (Marital.DIVORCED, 3)])

        if age < 18:
            person.living = _pick(rng, [(Living.PARENTS, 90), (Living.RELATIVES, 10)])
        else:
            person.living = _pick(rng, {
                Marital.MARRIED: [(Living.SPOUSE, 55), (Living.CHILDREN, 40),
                                  (Living.PARENTS, 5)],
                Marital.SINGLE: [(Living.PARENTS, 60), (Living.ALONE, 20),
                                 (Living.RELATIVES, 15), (Living.INSTITUTION, 5)],
                Marital.WIDOWED: [(Living.CHILDREN, 60), (Living.ALONE, 35),
                                  (Living.INSTITUTION, 5)],
                Marital.DIVORCED: [(Living.ALONE, 50), (Living.PARENTS, 30),
                                   (Living.CHILDREN, 20)],
            }[person.marital_status])

        if age < 6:
            person.employment = Employment.CHILD
        elif age < 18:
            person.employment = _pick(rng, [(Employment.STUDENT, 80), (Employment.CHILD, 20)])
        elif age < 60:
            if severe and rng.random() < 0.6:
                person.employment = Employment.UNABLE
            elif urban:
                person.employment = _pick(rng, [
                    (Employment.EMPLOYED, 20), (Employment.SELF_EMPLOYED, 12),
                    (Employment.UNEMPLOYED, 25), (Employment.UNABLE, 30),
                    (Employment.FARMING, 3), (Employment.STUDENT, 2 if age < 23 else 0)])
            else:
                person.employment = _pick(rng, [
                    (Employment.FARMING, 40), (Employment.UNEMPLOYED, 15),
                    (Employment.UNABLE, 25), (Employment.EMPLOYED, 8),
                    (Employment.SELF_EMPLOYED, 7), (Employment.STUDENT, 2 if age < 23 else 0)])
        elif urban:
            person.employment = _pick(rng, [(Employment.RETIRED, 60), (Employment.UNABLE, 40)])
        else:
            person.employment = _pick(rng, [(Employment.FARMING, 25), (Employment.UNABLE, 55),
                                            (Employment.RETIRED, 20)])

        needs_guardian = age < 18 or (
            person.category in (Category.INTELLECTUAL, Category.MENTAL) and severe)
        if needs_guardian:
            if age < 18:
                relation = rng.choice(["父亲", "母亲"])
            elif person.living == Living.SPOUSE:
                relation = "配偶"
            elif person.living == Living.CHILDREN:
                relation = "子女"
            else:
                relation = rng.choice(["父亲", "母亲", "兄弟姐妹"])
            guardian_gender = (Gender.MALE if relation == "父亲" else Gender.FEMALE
                               if relation == "母亲" else rng.choice(Gender.values))
            surname = person.name[0] if relation in ("父亲", "子女", "兄弟姐妹") else ""
            guardian_birth = _add_years(person.birth_date, -28 if age < 60 else 30)
            person.guardian_name = self.name(guardian_gender, guardian_birth, surname=surname)
            person.guardian_relation = relation
            person.guardian_phone = self.phone()

    def _support(self, person: Person, age: int) -> None:
        rng = self.rng
        severe = person.grade in (1, 2)
        alone = person.living in (Living.ALONE, Living.INSTITUTION)
        if alone and (age >= 60 or severe) and person.marital_status != Marital.MARRIED:
            person.tekun = rng.random() < 0.4
        if not person.tekun:
            chance = 0.28 if person.hukou == Hukou.RURAL else 0.20
            person.dibao = rng.random() < chance + (0.15 if severe else 0)
        if person.certificate_number:
            person.living_subsidy = (person.dibao or person.tekun) and rng.random() < 0.9
            person.care_subsidy = severe and rng.random() < 0.9

    # What happened to them --------------------------------------------------------------

    def visits(self, person: Person, workers: list[str]) -> list[Visit]:
        rng, today = self.rng, self.today
        first = max(self.two_years_ago, person.registered_on)
        dates: list[dt.date] = []
        if person.status == Status.DECEASED:
            if rng.random() < 0.6 and first < person.status_date:
                dates = [_between(rng, first, person.status_date)
                         for _ in range(rng.randint(1, 2))]
        else:
            r = rng.random()
            count = _pick(rng, [(1, 40), (2, 40), (3, 20)])
            if r < 0.03:
                pass  # never visited
            elif r < 0.09:  # visited, but not yet this year
                if first < self.year_start:
                    dates = [_between(rng, first, self.year_start - dt.timedelta(days=1))
                             for _ in range(count)]
            else:
                latest = _between(rng, max(self.year_start, person.registered_on), today)
                dates = [latest]
                if first < latest:
                    dates += [_between(rng, first, latest - dt.timedelta(days=1))
                              for _ in range(count - 1)]
        severe = person.grade in (1, 2) or _age(person.birth_date, today) >= 70
        visits = []
        for day in sorted(set(dates)):
            mode = _pick(rng, VISIT_MODES)
            interval = 14 if mode == VisitMode.UNREACHABLE else 90 if severe else 180
            visits.append(Visit(
                person=person, visited_on=day, worker_name=rng.choice(workers), mode=mode,
                findings=rng.choice(FINDINGS[mode]),
                next_due=day + dt.timedelta(days=interval),
            ))
        return visits

    def needs(self, person: Person, visits: list[Visit]) -> list[Need]:
        rng, today = self.rng, self.today
        if person.status != Status.ACTIVE or rng.random() >= 0.42:
            return []
        age = _age(person.birth_date, today)
        weighted = [(t, w) for t, w in NEED_WEIGHTS
                    if not (t == NeedType.EMPLOYMENT and not 18 <= age < 60)
                    and not (t == NeedType.EDUCATION and age >= 25)]
        types = []
        for _ in range(1 if rng.random() < 0.7 else 2):
            kind = _pick(rng, [(t, w) for t, w in weighted if t not in types])
            types.append(kind)
        needs = []
        for kind in types:
            visit = rng.choice(visits) if visits and rng.random() < 0.4 else None
            if visit is not None:
                registered = visit.visited_on
            else:
                registered = _between(rng, max(self.two_years_ago, person.registered_on), today)
            if (today - registered).days < 30:
                status = _pick(rng, [(NeedStatus.OPEN, 60), (NeedStatus.IN_PROGRESS, 40)])
            else:
                status = _pick(rng, [(NeedStatus.OPEN, 25), (NeedStatus.IN_PROGRESS, 25),
                                     (NeedStatus.MET, 38), (NeedStatus.UNMET, 12)])
            need = Need(person=person, type=kind, detail=rng.choice(NEED_TEXT[kind]),
                        registered_on=registered, status=status, responsible=RESPONSIBLE[kind],
                        visit=visit)
            if status in (NeedStatus.MET, NeedStatus.UNMET):
                need.closed_on = _between(rng, registered + dt.timedelta(days=7), today)
                if status == NeedStatus.MET:
                    need.outcome = NEED_OUTCOME[kind]
                else:
                    need.unmet_reason = rng.choice(UNMET_REASONS)
            needs.append(need)
        return needs

    def job_seeker(self, person: Person) -> JobSeeker | None:
        rng, today = self.rng, self.today
        if (person.status != Status.ACTIVE or not 18 <= _age(person.birth_date, today) < 60
                or rng.random() >= 0.05):
            return None
        registered = _between(rng, max(today - dt.timedelta(days=1095), person.registered_on),
                              today)
        status = _pick(rng, [(JobStatus.SEEKING, 55), (JobStatus.PLACED, 30),
                             (JobStatus.WITHDRAWN, 15)])
        if person.grade in (1, 2):
            ability = _pick(rng, [(WorkAbility.SHELTERED, 60), (WorkAbility.PARTIAL, 40)])
        else:
            ability = _pick(rng, [(WorkAbility.FULL, 40), (WorkAbility.PARTIAL, 50),
                                  (WorkAbility.SHELTERED, 10)])
        job = JobSeeker(person=person, registered_on=registered,
                        work_wished=rng.choice(WORK_WISHED), skills=rng.choice(SKILLS),
                        training_wanted=rng.choice(TRAINING), ability=ability, status=status)
        if status == JobStatus.PLACED:
            job.employer = rng.choice(EMPLOYERS)
            job.placed_on = _between(rng, min(registered + dt.timedelta(days=14), today), today)
            person.employment = Employment.EMPLOYED
        elif status == JobStatus.SEEKING:
            person.employment = Employment.UNEMPLOYED
        return job


def _check_with_the_rules(people, visits, needs, jobs, today) -> None:
    """The demo is written in bulk, not through the services, so every row is put through
    the register's rules first (people.rules): the demo holds nothing a form or an import
    would refuse."""
    def values(obj, names):
        return {name: getattr(obj, name) for name in names}

    checks = [(p, rules.person(values(p, PERSON_RULE_FIELDS), today=today)) for p in people]
    checks += [(v, rules.visit(values(v, ("visited_on", "next_due", "mode")), today=today))
               for v in visits]
    checks += [(n, rules.need(values(n, ("status", "closed_on", "outcome", "unmet_reason",
                                          "registered_on")), today=today)) for n in needs]
    checks += [(j, rules.jobseeker(values(j, ("status", "employer", "placed_on",
                                              "registered_on")), today=today)) for j in jobs]
    refused = [(obj, checked.problems) for obj, checked in checks if not checked.ok]
    if refused:
        raise ValueError(f"the demo made rows the rules refuse: {refused[:3]}")


PERSON_RULE_FIELDS = ("id_number", "gender", "birth_date", "certificate_number", "category",
                      "grade", "certificate_issued_on", "certificate_valid_until", "hukou",
                      "status", "status_date", "registered_on")


@transaction.atomic
def load_people_demo(*, county: OrgUnit, seed: int = 620422, per_village=(6, 14)) -> int:
    """Register ``per_village`` synthetic people (a random number in that range) in every
    village and community under ``county``; return how many. Nothing happens, and 0 is
    returned, when the county has people already."""
    if Person.objects.within(county).exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 - synthetic demo data
    gen = _Generator(rng, timezone.localdate())
    units = OrgUnit.objects.within(county).active()
    villages = list(units.filter(level=Level.VILLAGE).order_by("path"))
    townships = {u.pk: u for u in units.filter(level=Level.TOWNSHIP)}
    grids: dict[int, list[OrgUnit]] = {}
    for grid in units.filter(level=Level.GRID).order_by("path"):
        grids.setdefault(grid.parent_id, []).append(grid)

    people, visits, needs, jobs = [], [], [], []
    for village in villages:
        workers = [gen.name(_pick(rng, [(Gender.MALE, 55), (Gender.FEMALE, 45)]),
                            dt.date(1985, 1, 1)) for _ in range(rng.randint(1, 2))]
        for _ in range(rng.randint(*per_village)):
            person = gen.person(village, townships[village.parent_id], grids.get(village.pk, []))
            people.append(person)
            person_visits = gen.visits(person, workers)
            visits += person_visits
            needs += gen.needs(person, person_visits)
            job = gen.job_seeker(person)
            if job is not None:
                jobs.append(job)

    _check_with_the_rules(people, visits, needs, jobs, gen.today)
    Person.objects.bulk_create(people, batch_size=BATCH_SIZE)
    events = [PersonEvent(person=p, kind=PersonEvent.Kind.DECEASED, on=p.status_date,
                           unit=p.unit) for p in people if p.status == Status.DECEASED]
    PersonEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
    record_new_people(Person.objects.within(county))
    Visit.objects.bulk_create(visits, batch_size=BATCH_SIZE)
    visit_facts_refresh(people=Person.objects.within(county).values("pk"))
    recount_visited(county)
    Need.objects.bulk_create(needs, batch_size=BATCH_SIZE)
    JobSeeker.objects.bulk_create(jobs, batch_size=BATCH_SIZE)
    counts = {"people": len(people), "events": len(events), "visits": len(visits),
              "needs": len(needs), "job_seekers": len(jobs)}
    audit_record(actor=SYSTEM, action=Action.IMPORT, object_repr="demo people", unit=county,
                 detail=counts)
    return len(people)


def load() -> list[str]:
    """The people of the demo county (orgs.demo loads it first), once."""
    from orgs.demo import demo_county

    county = demo_county()
    before = Person.objects.within(county).count()
    load_people_demo(county=county)
    total = Person.objects.within(county).count()
    return [gettext("People: %(new)d loaded now, %(total)d registered in the demo county.")
            % {"new": total - before, "total": total}]
