"""A district of street offices and communities, each community with a grid, people (one
of them no longer active), a chair and a work record entry, and a user per street: the
network doc1's reforms started from (Tieshan, Xialu), for the reform tests."""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from core.actors import SYSTEM
from ledgers import records_services
from orgs import services as org_services
from orgs.models import Level
from people import services as people_services
from people.tests.factories import make_person
from workforce.tests.factories import make_officer

REGISTERED = dt.date(2020, 3, 1)


def unit(parent, level, code, name):
    return org_services.unit_create(actor=SYSTEM, parent=parent, level=level, code=code,
                                    name=name)


def build_district(code: str, name: str, streets: list[int], *, people: int = 3,
                   province=None):
    """A district ``code`` under a city of a province, with a street office for each
    number in ``streets`` holding that many communities."""
    d = SimpleNamespace(streets=[], communities=[], people=[], chairs=[], entries=[],
                        users=[])
    d.province = province or unit(None, Level.PROVINCE, code[:2], "湖北省")
    d.city = unit(d.province, Level.CITY, code[:4], "黄石市")
    d.district = unit(d.city, Level.COUNTY, code, name)
    d.admin = UserFactory(username=f"admin{code}", unit=d.district, role=Role.ADMIN)
    d.other = unit(d.city, Level.COUNTY, code[:4] + "99", "别区")
    d.other_admin = UserFactory(username=f"other{code}", unit=d.other, role=Role.ADMIN)
    n = 0
    for s, count in enumerate(streets, start=1):
        street = unit(d.district, Level.TOWNSHIP, f"{code}{s:03d}", f"第{s}街道")
        d.streets.append(street)
        d.users.append(UserFactory(username=f"street{code}{s}", unit=street,
                                   role=Role.TOWNSHIP_OFFICER))
        d.chairs.append(make_officer(unit=street, kind="chair", name=f"街道理事长{s}"))
        for c in range(1, count + 1):
            n += 1
            community = unit(street, Level.VILLAGE, f"{street.code}{c:03d}", f"社区{n}")
            d.communities.append(community)
            grid = org_services.grid_create(actor=SYSTEM, village=community, name="第1网格")
            for p in range(people):
                d.people.append(make_person(
                    unit=community, name=f"居民{n}-{p}", registered_on=REGISTERED,
                    grid=grid if p < people - 1 else None, grade=1 + p % 4))
            gone = make_person(unit=community, name=f"故人{n}", registered_on=REGISTERED)
            people_services.person_set_status(actor=SYSTEM, person=gone, status="deceased",
                                              on=dt.date(2023, 5, 1))
            d.people.append(gone)
            d.chairs.append(make_officer(unit=community, kind="chair", name=f"主席{n}"))
            d.entries.append(records_services.work_entry_create(
                actor=SYSTEM, unit=community, written_on=dt.date(2024, 6, 1),
                subject=f"入户走访{n}", content="走访残疾人家庭"))
    d.effective_on = timezone.localdate() - dt.timedelta(days=10)
    d.day_before = d.effective_on - dt.timedelta(days=1)
    return d
