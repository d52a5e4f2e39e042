"""The workforce's part of the demo (``manage.py load_demo`` loads every app's in order,
after the register): officers in most townships and villages of 会宁县 — liaison officers
who are mostly disabled people from the register or their relatives, association chairs
held by the heads of the village committees, township chairs held full time or by the
civil-affairs assistant (doc4, doc5) — with a few vacancies, a few liaison officers who
are neither disabled nor relatives (the exceptions the checks list), terms ending soon,
work certificates missing or expired, and the village officer of 东山根社区 linked to the
demo login ``demo_village``. Written through the services, so the rules and the audit log
are the same as on the forms. Loading it twice changes nothing."""

import datetime as dt
import random

from django.utils import timezone
from django.utils.translation import gettext

from core.actors import SYSTEM
from orgs.demo import VILLAGE_CODE, demo_county
from orgs.models import Level, OrgProfile, OrgUnit
from people.choices import Education, Status
from people.demo import GIVEN, SURNAMES, id_check_character
from people.models import Person

from . import services
from .choices import Connection, Establishment, Holding, PoliticalStatus, PostKind, Relation
from .models import Post, SelectionRule, Worker

_EDUCATION = [(Education.JUNIOR, 40), (Education.SENIOR, 35), (Education.PRIMARY, 10),
              (Education.COLLEGE, 15)]
_POLITICAL = [(PoliticalStatus.MASSES, 50), (PoliticalStatus.PARTY, 40),
              (PoliticalStatus.LEAGUE, 10)]


def _pick(rng, weighted):
    total = sum(w for _v, w in weighted)
    n = rng.uniform(0, total)
    for value, weight in weighted:
        n -= weight
        if n <= 0:
            return value
    return weighted[-1][0]


class _Demo:
    def __init__(self, rng: random.Random, today: dt.date):
        self.rng, self.today, self.seq = rng, today, 0

    def person_name(self, male: bool) -> str:
        chars = GIVEN["new", "M" if male else "F"]
        return _pick(self.rng, SURNAMES) + self.rng.choice(chars) + self.rng.choice(chars)

    def id_number(self, male: bool) -> str:
        """A valid ID of 会宁县 for a worker not in the register (born 1965–1995)."""
        self.seq += 1
        birth = dt.date(1965, 1, 1) + dt.timedelta(days=self.rng.randrange(0, 30 * 365))
        order = (self.seq % 450) * 2 + 100 + (1 if male else 0)
        first17 = f"620422{birth:%Y%m%d}{order:03d}"
        return first17 + id_check_character(first17)

    def start(self) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randrange(200, 5 * 365))

    def details(self) -> dict:
        rng = self.rng
        certified = rng.random() < 0.85
        issued = self.today - dt.timedelta(days=rng.randrange(100, 6 * 365))
        return {
            "phone": f"13{rng.randrange(100000000, 999999999)}",
            "education": _pick(rng, _EDUCATION), "political_status": _pick(rng, _POLITICAL),
            "certificate_number": f"GS-ZW-{rng.randrange(100000, 999999)}" if certified else "",
            "certificate_issued_on": issued if certified else None,
            "certificate_valid_until": issued.replace(year=issued.year + 4) if certified
            else None,
        }


def _worker(demo: _Demo, unit, *, connection, person=None, relative=None, male=None):
    male = demo.rng.random() < 0.6 if male is None else male
    if person is not None:
        name, number = person.name, person.id_number
    else:
        name, number = demo.person_name(male), demo.id_number(male)
    existing = Worker.objects.with_id(number).first()
    if existing is not None:
        return existing
    return services.worker_create(
        actor=SYSTEM, unit=unit, name=name, id_number=number, connection=connection,
        relation=demo.rng.choice([Relation.PARENT, Relation.SPOUSE, Relation.CHILD])
        if relative is not None else "",
        relative_id_number=relative.id_number if relative is not None else "",
        **demo.details())


def _appoint(demo: _Demo, worker, unit, kind, holding=Holding.FULL_TIME, start=None,
             establishment=None):
    start = start or demo.start()
    term = start.replace(year=start.year + 3)
    if term < demo.today:  # renewed once: the demo's terms run on
        term = term.replace(year=term.year + 3)
    post = None
    if establishment:
        post = services.post_create(actor=SYSTEM, unit=unit, kind=kind,
                                    establishment=establishment)
    return services.appoint(actor=SYSTEM, worker=worker, unit=unit, kind=kind, post=post,
                            starts_on=start, term_ends_on=term, holding=holding,
                            document_number=f"会残联发〔{start.year}〕"
                                            f"{demo.rng.randrange(3, 40)}号")


def _liaison(demo: _Demo, village, people: list) -> None:
    """A liaison officer for ``village``: a disabled person of its register (55 %), a
    relative of one (40 %), or neither (5 %, an exception the checks list)."""
    rng = demo.rng
    roll = rng.random()
    adults = [p for p in people if 1960 <= p.birth_date.year <= 2000]
    if roll < 0.55 and adults:
        worker = _worker(demo, village, connection=Connection.DISABLED,
                         person=rng.choice(adults))
    elif roll < 0.95 and people:
        worker = _worker(demo, village, connection=Connection.RELATIVE,
                         relative=rng.choice(people))
    else:
        worker = _worker(demo, village, connection=Connection.NONE)
    _appoint(demo, worker, village, PostKind.LIAISON)


def load_workforce_demo(*, county: OrgUnit, seed: int = 620422) -> int:
    """The county's officers (see the module's docstring), unless it has workers already;
    the number of workers in the county."""
    if Worker.objects.within(county).exists():
        return Worker.objects.within(county).count()
    rng = random.Random(seed)  # noqa: S311 - synthetic demo data
    demo = _Demo(rng, timezone.localdate())
    units = OrgUnit.objects.within(county).active()
    townships = list(units.filter(level=Level.TOWNSHIP).order_by("path"))
    villages = list(units.filter(level=Level.VILLAGE).order_by("path"))
    people: dict[int, list] = {}
    for person in Person.objects.within(county).filter(status=Status.ACTIVE).only(
            "id", "unit_id", "name", "birth_date", "id_cipher"):
        people.setdefault(person.unit_id, []).append(person)

    # The county DPF: chair, a vice chair who is a disabled person (doc4), staff on quota.
    chair = _worker(demo, county, connection=Connection.NONE)
    _appoint(demo, chair, county, PostKind.CHAIR, establishment=Establishment.ADMINISTRATIVE)
    for _ in range(2):
        staff = _worker(demo, county, connection=Connection.NONE)
        _appoint(demo, staff, county, PostKind.STAFF,
                 establishment=Establishment.INSTITUTIONAL)
    OrgProfile.objects.filter(unit=county).update(quota_administrative=2,
                                                  quota_institutional=2)

    for i, township in enumerate(townships):
        if i % 9 != 4:  # two townships wait for a chair
            holding = Holding.FULL_TIME if rng.random() < 0.6 else Holding.CIVIL_AFFAIRS
            _appoint(demo, _worker(demo, township, connection=Connection.NONE), township,
                     PostKind.CHAIR, holding=holding)
        if i % 13 != 6:
            village_people = [p for v in villages if v.parent_id == township.pk
                              for p in people.get(v.pk, [])]
            _liaison(demo, township, village_people)

    for i, village in enumerate(villages):
        here = people.get(village.pk, [])
        if village.code == VILLAGE_CODE or i % 11 != 3:
            _liaison(demo, village, here)
        if i % 7 != 2:
            _appoint(demo, _worker(demo, village, connection=Connection.NONE), village,
                     PostKind.CHAIR, holding=rng.choice([Holding.COMMITTEE_HEAD,
                                                         Holding.COMMITTEE_DEPUTY]))
        if i % 25 == 5:  # an officer resigned a few weeks ago: the post is vacant since
            post = Post.objects.filter(unit=village, kind=PostKind.LIAISON).first()
            current = post.appointments.filter(ended_on__isnull=True).first() if post else None
            if current is not None:
                services.appointment_end(actor=SYSTEM, appointment=current,
                                         ended_on=demo.today - dt.timedelta(days=20 + i),
                                         reason="resigned", note=gettext("moved to the city"))

    # The county's selection conditions (research.md: an age limit at hiring, schooling).
    SelectionRule.objects.get_or_create(unit=county, kind=PostKind.LIAISON, defaults={
        "max_age_at_hiring": 50, "min_education": Education.JUNIOR})

    # The demo login of 东山根社区's officer is that officer's worker record.
    from accounts.models import User

    officer = Worker.objects.filter(appointments__post__unit__code=VILLAGE_CODE,
                                    appointments__post__kind=PostKind.LIAISON,
                                    appointments__ended_on__isnull=True).first()
    login = User.objects.filter(username="demo_village").first()
    if officer is not None and login is not None and officer.user_id is None:
        Worker.objects.filter(pk=officer.pk).update(user=login)
    return Worker.objects.within(county).count()


def load() -> list[str]:
    county = demo_county()
    if county is None:
        return []
    from .payroll_demo import load_payroll_demo
    from .training_demo import load_training_demo

    services.ensure_default_norms()
    workers = load_workforce_demo(county=county)
    load_training_demo(county)
    load_payroll_demo(county)
    return [gettext("Workers: %(n)d in the demo county.") % {"n": workers}]
