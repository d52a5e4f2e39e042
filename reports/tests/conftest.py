"""A register with counts known by hand, on top of the standard tree (root conftest.py).

会宁县
  ├─ 会师镇 (population 20 000)
  │    ├─ 东山根社区 (3 000): people 1–7, no. 1 in its grid, no. 6 deceased
  │    ├─ 高家庄村 (1 000):   people 8–11, no. 11 assessed (category 4, grade 3) but
  │    │                      without a certificate
  │    ├─ 李家塬村:           nobody
  │    └─ 旧庄村, abolished:  nobody, and not a row
  └─ 郭城驿镇 (population unknown)
       ├─ 红堡子村:           people 12–14
       └─ 新堡子村:           people 15–18, no. 18 moved out

Ages are counted on AS_OF; the birth dates straddle the edges of every age band. Everyone
was registered on REGISTERED, before AS_OF (a table as of a day counts the register of
that day).
"""

import datetime as dt
import itertools
from types import SimpleNamespace

import pytest

from core.actors import SYSTEM
from orgs import services as org_services
from orgs.models import Level
from people import services as people_services
from people.choices import Status

AS_OF = dt.date(2025, 6, 30)
REGISTERED = dt.date(2020, 1, 1)

CHILD = dt.date(2020, 1, 15)         # 5            → 0–6
TURNS_7_TOMORROW = dt.date(2018, 7, 1)   # 6           → 0–6
TURNS_7_TODAY = dt.date(2018, 6, 30)     # 7           → 7–17
TEEN = dt.date(2010, 3, 3)           # 15           → 7–17
ADULT = dt.date(1985, 5, 5)          # 40           → 18–59
TURNS_60_TOMORROW = dt.date(1965, 7, 1)  # 59          → 18–59
TURNS_60_TODAY = dt.date(1965, 6, 30)    # 60          → 60+
OLD = dt.date(1940, 2, 2)            # 85           → 60+

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_order = itertools.count(1)


def make_id(*, birth: dt.date, male: bool, region: str = "620422") -> str:
    """A valid GB 11643 number: region, birth date (digits 7–14), a sequence whose last
    digit (digit 17) is odd for a man, and the check character."""
    order = (next(_order) % 50) * 2 + (1 if male else 0)
    first17 = f"{region}{birth:%Y%m%d}{order:03d}"
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


def register(unit, *, name, male, birth, hukou, certificate=None, grid=None, assessed=None):
    """Register one person; ``certificate`` is (category, grade) or None for none;
    ``assessed`` is a (category, grade) known without a certificate, which must not count."""
    id_number = make_id(birth=birth, male=male)
    fields = dict(unit=unit, name=name, id_number=id_number, hukou=hukou, grid=grid)
    if assessed is not None:
        fields.update(category=assessed[0], grade=assessed[1])
    if certificate is not None:
        category, grade = certificate
        fields.update(certificate_number=f"{id_number}{category}{grade}",
                      certificate_issued_on=dt.date(2016, 4, 1), category=category, grade=grade)
    return people_services.person_register(actor=SYSTEM, registered_on=REGISTERED, **fields)


@pytest.fixture
def people(tree):
    return build_people(tree)


@pytest.fixture
def live_people(live_tree):
    """The same register, committed, for the browser tests."""
    return build_people(live_tree)


def build_people(t):
    ns = SimpleNamespace(tree=t)
    ns.lijiayuan = org_services.unit_create(actor=SYSTEM, parent=t.township, level=Level.VILLAGE,
                                            code="620422100201", name="李家塬村民委员会")
    ns.abolished = org_services.unit_create(actor=SYSTEM, parent=t.township, level=Level.VILLAGE,
                                            code="620422100202", name="旧庄村民委员会",
                                            valid_to=dt.date(2024, 12, 31))
    ns.xinpuzi = org_services.unit_create(actor=SYSTEM, parent=t.other_township,
                                          level=Level.VILLAGE, code="620422101201",
                                          name="新堡子村民委员会")
    org_services.unit_update(actor=SYSTEM, unit=t.county, population=500000)  # not used: rows
    org_services.unit_update(actor=SYSTEM, unit=t.township, population=20000)
    org_services.unit_update(actor=SYSTEM, unit=t.community, population=3000)
    org_services.unit_update(actor=SYSTEM, unit=t.village, population=1000)

    c, v = t.community, t.village
    register(c, name="一", male=True, birth=ADULT, hukou="urban", certificate=(4, 2), grid=t.grid)
    register(c, name="二", male=False, birth=OLD, hukou="urban", certificate=(1, 1))
    register(c, name="三", male=False, birth=CHILD, hukou="urban", certificate=(5, 3))
    register(c, name="四", male=True, birth=TEEN, hukou="rural")
    register(c, name="五", male=True, birth=TURNS_60_TODAY, hukou="urban", certificate=(4, 2))
    ns.deceased = register(c, name="六", male=False, birth=ADULT, hukou="urban",
                           certificate=(6, 4))
    register(c, name="七", male=False, birth=TURNS_7_TOMORROW, hukou="urban")

    register(v, name="八", male=True, birth=OLD, hukou="rural", certificate=(4, 1))
    register(v, name="九", male=False, birth=TURNS_60_TOMORROW, hukou="rural",
             certificate=(2, 4))
    register(v, name="十", male=True, birth=TURNS_7_TODAY, hukou="rural", certificate=(7, 1))
    register(v, name="十一", male=False, birth=ADULT, hukou="rural", assessed=(4, 3))

    o, x = t.other_village, ns.xinpuzi
    register(o, name="十二", male=True, birth=ADULT, hukou="rural", certificate=(3, 3))
    register(o, name="十三", male=False, birth=OLD, hukou="rural", certificate=(4, 4))
    register(o, name="十四", male=True, birth=TEEN, hukou="urban", certificate=(1, 2))

    register(x, name="十五", male=False, birth=CHILD, hukou="rural")
    register(x, name="十六", male=True, birth=ADULT, hukou="rural", certificate=(6, 2))
    register(x, name="十七", male=True, birth=ADULT, hukou="rural", certificate=(6, 2))
    ns.moved_out = register(x, name="十八", male=False, birth=ADULT, hukou="rural",
                            certificate=(5, 1))

    people_services.person_set_status(actor=SYSTEM, person=ns.deceased, status=Status.DECEASED,
                                      on=dt.date(2025, 3, 1))
    people_services.person_set_status(actor=SYSTEM, person=ns.moved_out, status=Status.MOVED_OUT,
                                      on=dt.date(2025, 4, 1), note="迁往兰州市")
    for unit in (t.county, t.township, t.other_township, t.community, t.village):
        unit.refresh_from_db()
    return ns
