"""The 100-point assessment benchmark: a round of a province-sized set of townships computed,
beside the raw SQL doing the same counts.

    manage.py bench_assessment [--townships 120] [--villages 4] [--repeat 3] [--keep]

It builds, in a database of its own (a fresh SQLite file, or ``--database`` on the
PostgreSQL server DATABASE_URL names; dropped at the end unless --keep), in a child process
with DEBUG off, one county holding --townships townships (a province has about 1,400: try
``--townships 1400``) of --villages villages each, with people, visits, needs, letters and
visits (some late, some registered at the county: over the township's head), work records
and trainings, written with bulk inserts; then the demo's township scheme (every scoring
method) and its round, every township self-scored and inspected. It times
``round_results`` (every unit's items, totals, rank and grade), best of --repeat, with its
query count, beside the raw SQL counting the same rows per township, and prints the ratio.
Nothing is asserted; the tests assert that the query count does not grow with the units."""

import datetime as dt
import functools
import time

from django.core.management.base import BaseCommand

from bench.timing import best, counted

BENCH_DATABASE = "canlian_bench_assessment"


class Command(BaseCommand):
    help = "Time a 100-point assessment round of many townships beside hand-written SQL."

    def add_arguments(self, parser):
        parser.add_argument("--townships", type=int, default=120)
        parser.add_argument("--villages", type=int, default=4)
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--keep", action="store_true")
        parser.add_argument("--database", default=BENCH_DATABASE,
                            help="the PostgreSQL database to make (and drop) for the run")
        parser.add_argument("--child", action="store_true", help="(internal)")

    def handle(self, *args, **options):
        if options["child"]:
            return self.measure(options)
        from bench.child import run_in_child

        run_in_child(self, name="bench_assessment", database=options["database"],
                     keep=options["keep"],
                     args=["--townships", options["townships"], "--villages",
                           options["villages"], "--repeat", options["repeat"]])

    def line(self, text):
        self.stdout.write(text)
        self.stdout.flush()

    # ---- the child ------------------------------------------------------------------------

    def measure(self, options):
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        start = time.perf_counter()
        county, townships, counts = self.build(options["townships"], options["villages"])
        round_ = self.build_round(county)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        made = ", ".join(f"{n:,} {what}" for what, n in counts.items())
        self.line(f"{connection.vendor}: {len(townships):,} townships, {made}; built in "
                  f"{time.perf_counter() - start:.1f} s (not part of the figures)")
        self.figures(round_, townships, options["repeat"])

    def build(self, townships: int, villages: int):
        from django.core.management.color import no_style
        from django.db import connection, transaction

        from core.scope import path_segment
        from ledgers.models import Petition, WorkEntry
        from ledgers.petitions_services import default_categories
        from orgs.models import Level, OrgUnit
        from people.models import Need, Person, Visit
        from workforce.models import TrainingSession

        from .bench_book import _id_number

        year = dt.date.today().year
        chain, parent = [], None
        for pk, (level, code, name) in enumerate(
                [(Level.PROVINCE, "62", "甘肃省"), (Level.CITY, "6204", "白银市"),
                 (Level.COUNTY, "620422", "会宁县")], start=1):
            unit = OrgUnit(id=pk, parent_id=parent.id if parent else None, level=level,
                           code=code, name=name,
                           path=(parent.path if parent else "") + path_segment(pk))
            chain.append(unit)
            parent = unit
        county = chain[-1]
        units, towns, hamlets = list(chain), [], []
        pk = 10
        for t in range(townships):
            town = OrgUnit(id=pk, parent_id=county.id, level=Level.TOWNSHIP,
                           code=f"620422{t:03d}", name=f"第{t + 1}镇",
                           path=county.path + path_segment(pk))
            pk += 1
            towns.append(town)
            for v in range(villages):
                hamlets.append(OrgUnit(id=pk, parent_id=town.id, level=Level.VILLAGE,
                                       code=f"620422{t:03d}{v:03d}", name=f"第{t + 1}镇{v + 1}村",
                                       path=town.path + path_segment(pk)))
                pk += 1
        units += towns + hamlets
        category = default_categories()[0]
        with transaction.atomic():
            OrgUnit.objects.bulk_create(units, batch_size=2000)
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [OrgUnit]):
                    cursor.execute(sql)
            people = []
            for n, village in enumerate(hamlets):
                for i in range(8):
                    person = Person(unit_id=village.id, name=f"残疾人{n}-{i}", gender="MF"[i % 2],
                                    birth_date=dt.date(1950 + i, 1, 1), hukou="rural",
                                    has_certificate=True, category=1 + i % 7, grade=1 + i % 4,
                                    registered_on=dt.date(year - 1, 3, 1))
                    person.id_number = _id_number(n * 8 + i + 1)
                    people.append(person)
            Person.objects.bulk_create(people, batch_size=2000)
            people = list(Person.objects.only("id", "unit_id").order_by("id"))
            day = dt.date(year, 3, 1)
            visits = [Visit(person=p, visited_on=day, worker_name="王专委", mode="home")
                      for n, p in enumerate(people) if n % 3]
            needs = [Need(person=p, type="devices", detail="轮椅", registered_on=day,
                          status="met" if n % 4 else "unmet", closed_on=day,
                          outcome="已发放" if n % 4 else "", unmet_reason="" if n % 4
                          else "不符合条件") for n, p in enumerate(people) if n % 5 == 0]
            Visit.objects.bulk_create(visits, batch_size=2000)
            Need.objects.bulk_create(needs, batch_size=2000)
            entries = [WorkEntry(unit_id=t.id, written_on=dt.date(year, 1 + m % 11, 10),
                                 subject="入户走访", content="走访残疾人家庭")
                       for n, t in enumerate(towns) for m in range(n % 30)]
            WorkEntry.objects.bulk_create(entries, batch_size=2000)
            trainings = [TrainingSession(unit_id=t.id, title="专职委员培训", level="township",
                                         starts_on=dt.date(year, 4, 1),
                                         ends_on=dt.date(year, 4, 1), hours=4)
                         for n, t in enumerate(towns) for _ in range(n % 3)]
            TrainingSession.objects.bulk_create(trainings, batch_size=2000)
            petitions = []
            for n, p in enumerate(people[::7]):
                at_county = n % 5 == 0
                received = dt.date(year, 2, 1)
                petitions.append(Petition(
                    unit_id=county.id if at_county else p.unit_id, person=p,
                    received_how="visit", received_on=received, petitioner_name="来访人",
                    category=category, content="反映问题",
                    status="registered" if n % 2 else "closed",
                    deadline=received + dt.timedelta(days=category.deadline_days),
                    replied_on=None if n % 2 else received + dt.timedelta(days=3)))
            Petition.objects.bulk_create(petitions, batch_size=2000)
        return county, towns, {"villages": len(hamlets), "people": len(people),
                               "visits": len(visits), "needs": len(needs),
                               "work records": len(entries), "trainings": len(trainings),
                               "letters and visits": len(petitions)}

    def build_round(self, county):
        from core.actors import SYSTEM
        from standards import assessment_services as services
        from standards.demo import build_scheme
        from standards.models import AssessmentItem, AssessmentScore, AssessmentSheet

        scheme = build_scheme(actor=SYSTEM, county=county, year=dt.date.today().year)
        round_ = services.round_create(actor=SYSTEM, scheme=scheme)
        hand = [i for i in AssessmentItem.objects.filter(category__scheme=scheme)
                if not i.computed]
        sheets = list(round_.sheets.all())
        AssessmentScore.objects.bulk_create([
            AssessmentScore(sheet=s, item=i, self_value=i.max_points,
                            inspector_value=max(i.max_points - n % 7, 0), reason="现场查看")
            for n, s in enumerate(sheets) for i in hand], batch_size=2000)
        now = dt.datetime.now(dt.UTC)
        AssessmentSheet.objects.filter(round=round_).update(self_scored_at=now,
                                                            inspected_at=now,
                                                            inspected_by="县残联考核组")
        round_.refresh_from_db()
        return round_

    def figures(self, round_, townships, repeat: int):
        from django.db import connection

        from core.scope import path_upper_bound
        from ledgers.petitions_choices import OPEN
        from standards.assessment_selectors import round_results

        system_queries = []
        round_results(round_)  # warm
        with connection.execute_wrapper(functools.partial(counted, system_queries)):
            results = round_results(round_)
        took = best(lambda: round_results(round_), repeat)
        county = round_.scheme.region
        low, high = county.path, path_upper_bound(county.path)
        width = len(townships[0].path)
        year = round_.scheme.year
        open_list = ", ".join(f"'{s}'" for s in sorted(OPEN))
        today = dt.date.today()
        sqls = [
            # people and the people visited, per township
            ("SELECT substr(u.path, 1, %s), count(*), count(DISTINCT v.person_id) "
             "FROM people_person p JOIN orgs_orgunit u ON u.id = p.unit_id "
             "LEFT JOIN people_visit v ON v.person_id = p.id AND v.visited_on >= %s "
             "AND v.visited_on <= %s WHERE u.path >= %s AND u.path < %s "
             "AND p.status = 'active' GROUP BY 1",
             [width, dt.date(year, 1, 1), dt.date(year, 12, 31), low, high]),
            # the needs closed this year, met or not
            ("SELECT substr(u.path, 1, %s), n.status, count(*) FROM people_need n "
             "JOIN people_person p ON p.id = n.person_id JOIN orgs_orgunit u ON u.id = p.unit_id "
             "WHERE u.path >= %s AND u.path < %s AND n.closed_on >= %s AND n.closed_on <= %s "
             "AND n.status IN ('met', 'unmet') GROUP BY 1, 2",
             [width, low, high, dt.date(year, 1, 1), dt.date(year, 12, 31)]),
            # the work records and the trainings of each township
            ("SELECT unit_id, count(*) FROM ledgers_workentry WHERE written_on >= %s "
             "AND written_on <= %s GROUP BY 1", [dt.date(year, 1, 1), dt.date(year, 12, 31)]),
            ("SELECT unit_id, count(*) FROM workforce_trainingsession WHERE starts_on >= %s "
             "AND starts_on <= %s GROUP BY 1", [dt.date(year, 1, 1), dt.date(year, 12, 31)]),
            # the letters and visits late, and those registered above the township
            (f"SELECT substr(u.path, 1, %s), count(*) FROM ledgers_petition t "  # noqa: S608
             f"JOIN orgs_orgunit u ON u.id = t.unit_id WHERE u.path >= %s AND u.path < %s "
             f"AND t.received_on >= %s AND ((t.status IN ({open_list}) AND t.deadline < %s) "
             f"OR t.replied_on > t.deadline) GROUP BY 1",
             [width, low, high, dt.date(year, 1, 1), today]),
            ("SELECT substr(h.path, 1, %s), count(*) FROM ledgers_petition t "
             "JOIN people_person p ON p.id = t.person_id JOIN orgs_orgunit h ON h.id = p.unit_id "
             "JOIN orgs_orgunit u ON u.id = t.unit_id WHERE h.path >= %s AND h.path < %s "
             "AND t.received_on >= %s AND length(u.path) < %s GROUP BY 1",
             [width, low, high, dt.date(year, 1, 1), width]),
            # the hand scores
            ("SELECT s.sheet_id, s.item_id, s.self_value, s.inspector_value FROM "
             "standards_assessmentscore s JOIN standards_assessmentsheet h ON h.id = s.sheet_id "
             "WHERE h.round_id = %s", [round_.pk]),
        ]

        def raw():
            with connection.cursor() as cursor:
                for sql, params in sqls:
                    cursor.execute(sql, params)
                    cursor.fetchall()

        raw()  # warm
        raw_took = best(raw, repeat)
        ratio = took / raw_took if raw_took else float("inf")
        ranked = sum(1 for r in results if r.rank is not None)
        self.line(f"round of {len(results):,} townships ({ranked:,} ranked): "
                  f"{took * 1000:.1f} ms, {len(system_queries)} queries")
        self.line(f"raw SQL, the same counts: {raw_took * 1000:.1f} ms, {len(sqls)} queries")
        self.line(f"ratio {ratio:.1f}×")
