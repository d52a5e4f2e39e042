"""The ledger book benchmark: the printed year's ledgers (ledgers/book.py, one PDF) of a
township with 30 villages and a year of entries in each ledger — per village 60 people in
the register, 20 needs, 120 visits and 5 job seekers; per unit (the township too) a work
record a week, a meeting a month, a plan of four items, an assistance activity a month and a
volunteer activity a quarter, six letters and visits (BUILDERS).

    manage.py bench_book [--villages 30] [--repeat 3] [--keep] [--database NAME]

It runs in a database of its own (a fresh SQLite file, or ``canlian_bench_book`` on the
PostgreSQL server DATABASE_URL names, dropped at the end unless --keep), in a child process
with DEBUG off; the rows are written with bulk_create. Then the township officer's book page
and the PDF are timed, best of --repeat, with their query counts: the first print (every
chapter typeset), a reprint (every chapter kept), a reprint after a visit in one village
(that chapter typeset again); each beside the plain library doing the same work, WeasyPrint
typesetting the very documents the book is made of and pypdf joining them."""

import datetime as dt
import random
import time

from django.core.management.base import BaseCommand, CommandError

BENCH_DATABASE = "canlian_bench_book"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def _id_number(n: int) -> str:
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=(n * 37) % 20000)
    first17 = f"{620000 + n // 1000:06d}{birth:%Y%m%d}{n % 1000:03d}"
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


def _name(rng) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)


def _days(rng, year: int, n: int) -> list[dt.date]:
    start = dt.date(year, 1, 1)
    return sorted(start + dt.timedelta(days=rng.randrange(365)) for _ in range(n))


def build_register(rng, township, villages, year) -> dict:
    """The register's ledgers of each village."""
    from people.models import JobSeeker, Need, Person, Visit

    people = []
    n = 0
    for village in villages:
        for _ in range(60):
            n += 1
            person = Person(unit_id=village.id, name=_name(rng), gender=rng.choice("MF"),
                            birth_date=dt.date(1950 + n % 60, 1 + n % 12, 1 + n % 28),
                            hukou="rural", has_certificate=True, category=1 + n % 7,
                            grade=1 + n % 4, registered_on=dt.date(year - n % 5, 3, 1))
            person.id_number = _id_number(n)
            people.append(person)
    Person.objects.bulk_create(people, batch_size=2000)
    by_village: dict[int, list] = {}
    for person in Person.objects.only("id", "unit_id"):
        by_village.setdefault(person.unit_id, []).append(person)
    needs, visits, jobs = [], [], []
    for village in villages:
        residents = by_village[village.id]
        for day in _days(rng, year, 20):
            needs.append(Need(person=rng.choice(residents), type="rehabilitation",
                              detail="需要辅助器具适配", registered_on=day,
                              status="open", responsible="县残联康复部"))
        for day in _days(rng, year, 120):
            visits.append(Visit(person=rng.choice(residents), visited_on=day,
                                worker_name="王专委", mode="home",
                                findings="生活基本稳定，家属照料到位"))
        for day in _days(rng, year, 5):
            jobs.append(JobSeeker(person=rng.choice(residents), registered_on=day,
                                  work_wished="保洁", ability="full", status="seeking"))
    Need.objects.bulk_create(needs, batch_size=2000)
    Visit.objects.bulk_create(visits, batch_size=2000)
    JobSeeker.objects.bulk_create(jobs, batch_size=2000)
    return {"people": len(people), "needs": len(needs), "visits": len(visits),
            "job seekers": len(jobs)}


def build_records(rng, township, villages, year) -> dict:
    """Per unit (the township and each village): a work record a week, a meeting a month,
    an annual plan of four items."""
    from ledgers.models import AnnualPlan, Meeting, PlanItem, WorkEntry

    units = [township, *villages]
    entries = [WorkEntry(unit_id=u.id, written_on=day, subject="入户走访",
                         content="走访残疾人家庭，了解康复和生活需求，登记新的服务需求。")
               for u in units for day in _days(rng, year, 52)]
    meetings = [Meeting(unit_id=u.id, held_on=dt.date(year, month, 15), kind="work",
                        title="月度工作例会", host="主席",
                        minutes="传达上级会议精神，安排本月工作。",
                        decisions="按时完成走访", expected_count=7, present_count=6)
                for u in units for month in range(1, 13)]
    WorkEntry.objects.bulk_create(entries, batch_size=2000)
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    plans = AnnualPlan.objects.bulk_create(
        [AnnualPlan(unit_id=u.id, year=year, summary="全年工作目标") for u in units])
    items = [PlanItem(plan=plan, kind=kind, influential=influential, title=title,
                      due_on=dt.date(year, 10, 1))
             for plan in plans
             for kind, influential, title in (("activity", True, "全国助残日活动"),
                                              ("activity", False, "文体活动"),
                                              ("practical", False, "辅具适配"),
                                              ("practical", False, "无障碍改造"))]
    PlanItem.objects.bulk_create(items, batch_size=2000)
    return {"work records": len(entries), "meetings": len(meetings), "plan items": len(items)}


def build_activities(rng, township, villages, year) -> dict:
    """Per unit: an assistance activity a month (one influential), a volunteer activity a
    quarter with five of its ten volunteers for three hours each."""
    from ledgers.models import (
        AssistanceActivity,
        Volunteer,
        VolunteerActivity,
        VolunteerService,
    )
    from people.models import Person

    units = [township, *villages]
    activities = [AssistanceActivity(unit_id=u.id, held_on=dt.date(year, month, 10),
                                     title="助残慰问活动", kind="visit", organiser="乡镇残联",
                                     place="村委会", participants=12, money=2000,
                                     goods="米面油", influential=month == 5,
                                     description="走访慰问困难残疾人家庭")
                  for u in units for month in range(1, 13)]
    AssistanceActivity.objects.bulk_create(activities, batch_size=2000)
    helped = AssistanceActivity.people.through
    people = {}
    for person in Person.objects.only("id", "unit_id"):
        people.setdefault(person.unit_id, []).append(person.id)
    links = [helped(assistanceactivity_id=a.id, person_id=pid) for a in activities
             for pid in rng.sample(people.get(a.unit_id, []),
                                   min(3, len(people.get(a.unit_id, []))))]
    helped.objects.bulk_create(links, batch_size=5000)
    volunteers = Volunteer.objects.bulk_create(
        [Volunteer(unit_id=u.id, name=_name(rng), organisation="志愿者协会")
         for u in units for _ in range(10)], batch_size=2000)
    by_unit = {}
    for volunteer in volunteers:
        by_unit.setdefault(volunteer.unit_id, []).append(volunteer)
    sessions = VolunteerActivity.objects.bulk_create(
        [VolunteerActivity(unit_id=u.id, held_on=dt.date(year, month, 20), title="志愿助残服务",
                           place="村委会", content="帮助残疾人打扫卫生、理发")
         for u in units for month in (3, 6, 9, 12)], batch_size=2000)
    services = [VolunteerService(activity=s, volunteer=v, hours=3)
                for s in sessions for v in rng.sample(by_unit[s.unit_id], 5)]
    VolunteerService.objects.bulk_create(services, batch_size=5000)
    return {"assistance activities": len(activities), "volunteer activities": len(sessions),
            "volunteer services": len(services)}


def build_petitions(rng, township, villages, year) -> dict:
    """Per unit: six letters and visits, most replied and closed within their deadline."""
    from ledgers import petitions_services
    from ledgers.models import Petition

    categories = petitions_services.default_categories()
    petitions = []
    for unit in [township, *villages]:
        for day in _days(rng, year, 6):
            closed = rng.random() < 0.8
            petitions.append(Petition(
                unit_id=unit.id, received_how=rng.choice(["visit", "phone", "letter"]),
                received_on=day, petitioner_name=_name(rng), petitioner_phone="13900001234",
                category=rng.choice(categories), content="反映残疾人两项补贴发放问题，请求核实。",
                status="closed" if closed else "handling",
                deadline=day + dt.timedelta(days=60),
                reply="已核实并答复，补贴已补发。" if closed else "",
                replied_on=day + dt.timedelta(days=20) if closed else None,
                satisfaction="satisfied" if closed else "",
                closed_on=day + dt.timedelta(days=25) if closed else None))
    Petition.objects.bulk_create(petitions, batch_size=2000)
    return {"letters and visits": len(petitions)}


# Each ledger of the ledgers app adds its builder: builder(rng, township, villages, year)
# -> {what: count}.
BUILDERS = [build_register, build_records, build_activities, build_petitions]


class Command(BaseCommand):
    help = "Time the printed ledger book of a township with 30 villages and a year of entries."

    def add_arguments(self, parser):
        parser.add_argument("--villages", type=int, default=30)
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--keep", action="store_true")
        parser.add_argument("--database", default=BENCH_DATABASE,
                            help="the PostgreSQL database to make (and drop) for the run")
        parser.add_argument("--child", action="store_true", help="(internal)")

    def handle(self, *args, **options):
        if options["child"]:
            return self.measure(options)
        from bench.child import run_in_child

        run_in_child(self, name="bench_book", database=options["database"],
                     keep=options["keep"],
                     args=["--repeat", options["repeat"], "--villages", options["villages"]],
                     extra_env={"DOCUMENT_CACHE_DIR": "{workdir}/documents"})

    # ---- the child ------------------------------------------------------------------------

    def line(self, text):
        self.stdout.write(text)
        self.stdout.flush()

    def measure(self, options):
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        start = time.perf_counter()
        township, counts = self.build(options["villages"])
        made = ", ".join(f"{n:,} {what}" for what, n in counts.items())
        self.line(f"township {township.name}: {options['villages']} villages, {made}; "
                  f"built in {time.perf_counter() - start:.1f} s (not part of the figures)")
        self.figures(township, options["repeat"])

    def build(self, villages: int):
        from django.core.management.color import no_style
        from django.db import connection
        from django.utils import timezone

        from core.scope import path_segment
        from orgs.models import Level, OrgUnit

        rng = random.Random(30)  # noqa: S311 - synthetic data
        chain, parent = [], None
        for pk, (level, code, name) in enumerate(
                [(Level.PROVINCE, "62", "甘肃省"), (Level.CITY, "6204", "白银市"),
                 (Level.COUNTY, "620422", "会宁县"), (Level.TOWNSHIP, "620422100", "会师镇")],
                start=1):
            unit = OrgUnit(id=pk, parent_id=parent.id if parent else None, level=level,
                           code=code, name=name,
                           path=(parent.path if parent else "") + path_segment(pk))
            chain.append(unit)
            parent = unit
        township = chain[-1]
        children = [OrgUnit(id=10 + i, parent_id=township.id, level=Level.VILLAGE,
                            code=f"620422100{i + 1:03d}", name=f"第{i + 1}村民委员会",
                            path=township.path + path_segment(10 + i))
                    for i in range(villages)]
        OrgUnit.objects.bulk_create(chain + children)
        year = timezone.localdate().year
        counts: dict[str, int] = {}
        for builder in BUILDERS:
            counts.update(builder(rng, township, children, year))
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [OrgUnit]):
                cursor.execute(sql)
            cursor.execute("ANALYZE")
        return township, counts

    def figures(self, township, repeat: int):
        from django.core.cache import caches
        from django.db import connection
        from django.template.loader import render_to_string
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse
        from django.utils import timezone

        from accounts.models import User
        from accounts.roles import Role
        from core.pdf import FONT, Part, join_pdfs, page_count, typeset
        from ledgers import book as books
        from people.models import Person, Visit

        user = User.objects.create(username="bench_township", unit=township,
                                   role=Role.TOWNSHIP_OFFICER, full_name="bench")
        client = Client()
        client.force_login(user, backend="accounts.backends.RoleBackend")
        documents = caches["documents"]

        year = timezone.localdate().year

        def get(url):
            """The response, as the user gets it: a long first print is the page saying
            the worker typesets it, then (once the worker, here this process, has run
            the job) the PDF."""
            response = client.get(url)
            if response.status_code == 200 and response["Content-Type"].startswith(
                    "text/html") and url.endswith(".pdf"):
                books.prepare(user_id=user.pk, unit_id=township.pk, year=year)
                response = client.get(url)
            if response.status_code != 200:
                raise CommandError(f"{url}: {response.status_code}")
            return response

        def timed(url, *, cold=False, runs=repeat):
            best, queries, size = None, 0, 0
            for _ in range(runs):
                if cold:
                    documents.clear()
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = get(url)
                    took = time.perf_counter() - started
                best = took if best is None else min(best, took)
                queries, size = len(captured.captured_queries), len(response.content)
            return best, queries, size, response

        best, queries, size, _r = timed(reverse("ledgers:book"))
        self.line(f"book page: {best:.2f} s, {queries} queries, {size / 1024:,.0f} KB")
        pdf_url = reverse("ledgers:book_pdf", args=[township.pk])
        cold, queries, size, response = timed(pdf_url, cold=True)
        pages = page_count(response.content)
        chapters = len(books.chapters(books.unit_book(user=user, unit=township, year=year)))
        where = ("by the background worker" if chapters > books.inline_chapters()
                 else "in the request")
        self.line(f"book PDF, first print (every chapter typeset, {where}): {cold:.2f} s, "
                  f"{queries} queries, {size / 1024:,.0f} KB, {pages} pages")
        warm, queries, _size, _r = timed(pdf_url)
        self.line(f"book PDF, printed again (no change): {warm:.2f} s, {queries} queries")
        # One village gets a visit: its chapter alone is typeset again.
        person = Person.objects.filter(unit__parent=township).order_by("id").first()
        Visit.objects.create(person=person, visited_on=timezone.localdate(),
                             worker_name="王专委", mode="phone", findings="电话回访")
        changed, queries, _size, _r = timed(pdf_url, runs=1)
        self.line(f"book PDF after a visit in one village: {changed:.2f} s, {queries} queries")

        # The plain library doing the same work: WeasyPrint typesetting the same documents
        # (the same HTML, the same stylesheets) and pypdf joining them.
        book = books.unit_book(user=user, unit=township, year=year)
        today = timezone.localdate()
        htmls = [render_to_string("ledgers/book_chapter.html", {
            "pdf_font": FONT, "book": book, "chapter": chapter, "printed_on": today})
            for chapter in books.chapters(book)]
        best = None
        for _ in range(repeat):
            started = time.perf_counter()
            parts = [Part(typeset(html, stylesheets=books.BOOK_STYLESHEETS)) for html in htmls]
            front = typeset(render_to_string("ledgers/book_front.html", {
                "pdf_font": FONT, "book": book, "printed_on": today,
                "contents": [(c, 1) for c in books.chapters(book)]}),
                stylesheets=books.BOOK_STYLESHEETS)
            join_pdfs([Part(front), *parts])
            took = time.perf_counter() - started
            best = took if best is None else min(best, took)
        self.line(f"WeasyPrint alone, the same {len(htmls) + 1} documents "
                  f"({sum(len(h) for h in htmls) / 1024:,.0f} KB of HTML): {best:.2f} s; the "
                  f"first print is {cold / best:.2f}× that, a reprint {warm / best:.2f}×, "
                  f"a reprint after one village's change {changed / best:.2f}×")
