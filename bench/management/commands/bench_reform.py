"""The reform benchmark: applying a reform that merges 40 communities of 5,000 people each
into one, and the province's summary table as of the day before it, each beside the
hand-written SQL doing the same work, on PostgreSQL.

    manage.py bench_reform [--communities 40] [--per-community 500] [--people 60000]
                           [--database canlian_reform] [--keep]

It builds, in a database of its own (dropped at the end unless --keep), the synthetic
province of 甘肃省's shape (19,224 units: bench_scale's tree) with --people people spread
over its villages, and one more street office of the first county holding --communities
communities of --per-community people each (the issue's figure: 40 × 5,000 = 200,000), all
loaded by COPY with their kept counts rebuilt. Then:

- the reform (dated a month ago) that merges those communities into a new one: previewed
  (the run, rolled back) and applied — its time and query count beside the raw SQL of its
  heavy part (the people's history rows, their moved-out and moved-in events, their new
  unit, the recount of the merged community), itself run in a transaction rolled back;
- the province's summary table as of the day before the reform — counted by the tree of
  that day, the 200,000 people's changes since included — beside the same GROUP BYs over
  the kept counts and the changes, written by hand (without the age-band correction of the
  birthdays in between, which the system adds).

One line per figure: the system's time, the raw time, the ratio, the query count. Nothing
is asserted; the tests assert that applying takes the same queries for more people.
"""

import datetime as dt
import functools
import random
import time

from django.core.management.base import BaseCommand

from bench.child import run_in_child
from bench.timing import best, counted

DATABASE = "canlian_reform"


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time a reform merging 40 communities, and a summary table as of before it."

    def add_arguments(self, parser):
        parser.add_argument("--communities", type=int, default=40)
        parser.add_argument("--per-community", type=int, default=500,
                            help="people in each merged community (the issue's figure: 5000)")
        parser.add_argument("--people", type=int, default=60_000,
                            help="people in the rest of the province")
        parser.add_argument("--database", default=DATABASE)
        parser.add_argument("--keep", action="store_true")
        parser.add_argument("--seed", type=int, default=17)
        parser.add_argument("--child", action="store_true", help="(internal)")

    def handle(self, *args, **options):
        if options["child"]:
            return self.measure(options)
        run_in_child(self, name="bench_reform", database=options["database"],
                     keep=options["keep"],
                     args=["--communities", options["communities"], "--per-community",
                           options["per_community"], "--people", options["people"],
                           "--seed", options["seed"]],
                     postgres_only="The reform benchmark runs on PostgreSQL: set DATABASE_URL,"
                                   " e.g. postgres://postgres@127.0.0.1:5432/postgres")

    def line(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def figure(self, name: str, system: float, raw: float, queries: int) -> None:
        self.line(f"{name:<52} {system * 1000:9.0f} ms  raw {raw * 1000:8.0f} ms  "
                  f"{system / raw if raw else 0:5.2f}×  {queries:4d} queries")

    # ---- the child ------------------------------------------------------------------------

    def measure(self, options):
        from django.core.management import call_command

        from accounts.models import User
        from accounts.roles import Role
        from core.actors import SYSTEM
        from orgs import services as org_services
        from orgs.models import Level, OrgUnit

        from .bench_scale import Command as Scale

        call_command("migrate", verbosity=0)
        rng = random.Random(options["seed"])  # noqa: S311 - synthetic data
        scale = Scale(stdout=self.stdout)
        start = time.perf_counter()
        units = scale.build_tree(None)
        scale.build_people(rng, options["people"])
        county = OrgUnit.objects.filter(level=Level.COUNTY).order_by("path").first()
        street = org_services.unit_create(actor=SYSTEM, parent=county, level=Level.TOWNSHIP,
                                          code=county.code + "099", name="并社区街道")
        communities = [org_services.unit_create(
            actor=SYSTEM, parent=street, level=Level.VILLAGE, code=f"{street.code}{i:03d}",
            name=f"并入社区{i}") for i in range(1, options["communities"] + 1)]
        merged_people = options["communities"] * options["per_community"]
        scale.build_people(rng, merged_people,
                           villages=[(c.pk, c.code) for c in communities])
        scale.rebuild_kept_facts()
        self.line(f"province: {units['total'] + options['communities'] + 1:,} units, "
                  f"{options['people'] + merged_people:,} people; {options['communities']} "
                  f"communities of {options['per_community']:,} to merge; built in "
                  f"{time.perf_counter() - start:.1f} s (COPY; not part of the figures)")
        admin, _new = User.objects.update_or_create(
            username="bench_reform", defaults={"unit": county, "role": Role.ADMIN,
                                               "full_name": "bench"})
        province = OrgUnit.objects.get(level=Level.PROVINCE)
        province_user, _new = User.objects.update_or_create(
            username="bench_province", defaults={"unit": province, "role": Role.ADMIN,
                                                 "full_name": "bench"})
        self.reform_figures(admin, county, communities)
        self.summary_figures(province_user, province)

    def reform_figures(self, admin, county, communities) -> None:
        from django.db import connection, transaction

        from orgs import reform_services
        from orgs.models import OperationKind

        effective = dt.date.today() - dt.timedelta(days=30)
        self.effective = effective
        reform = reform_services.reform_create(actor=admin, unit=county, title="合并社区",
                                               document_number="基准〔2026〕1号",
                                               effective_on=effective)
        reform_services.operation_add(
            actor=admin, reform=reform, kind=OperationKind.MERGE,
            params={"sources": [c.pk for c in communities], "name": "合并后社区"})
        ids = [c.pk for c in communities]

        def raw():
            details = "has_certificate, category, grade, gender, hukou, birth_date"
            last = ("coalesce((SELECT max(day) FROM people_countchange c "
                    "WHERE c.person_id = p.id), %s)")
            people = "FROM people_person p WHERE p.unit_id = ANY(%s)"
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("INSERT INTO orgs_orgunit (level, kind, code, name, path, "
                                   "urban_rural, buildings, created_at, updated_at, version) "
                                   "VALUES (5, 'community', NULL, 'raw', '', '', '', now(), "
                                   "now(), 1) RETURNING id")
                    target = cursor.fetchone()[0]
                    for n, unit in ((-1, "p.unit_id"), (1, "%s")):
                        cursor.execute(
                            f"INSERT INTO people_countchange (person_id, unit_id, day, n, "  # noqa: S608
                            f"{details}) SELECT p.id, {unit}, greatest(%s, p.registered_on, "
                            f"{last}), {n}, {details} {people} AND p.status = 'active'",
                            ([target] if n == 1 else []) + [effective, effective, ids])
                    for kind, unit in (("moved_out", "p.unit_id"), ("moved_in", "%s")):
                        cursor.execute(
                            f"INSERT INTO people_personevent (person_id, kind, \"on\", "  # noqa: S608
                            f"unit_id, note, at) SELECT p.id, %s, %s, {unit}, %s, now() "
                            f"{people}", [kind, effective, *([target] if kind == "moved_in"
                                                             else []), "基准", ids])
                    cursor.execute("UPDATE people_person SET unit_id = %s, version = version "
                                   "+ 1 WHERE unit_id = ANY(%s)", [target, ids])
                    cursor.execute("SELECT unit_id, count(*), count(*) FILTER (WHERE "
                                   "has_certificate) FROM people_person WHERE unit_id = %s "
                                   "AND status = 'active' GROUP BY unit_id", [target])
                    cursor.fetchall()
                    raise _Rollback
            except _Rollback:
                pass

        raw_time = best(raw, repeat=2)
        queries: list = []
        with connection.execute_wrapper(functools.partial(counted, queries)):
            start = time.perf_counter()
            report = reform_services.reform_preview(actor=admin, reform=reform)
            preview = time.perf_counter() - start
        self.figure("reform preview (the run, rolled back)", preview, raw_time, len(queries))
        queries = []
        with connection.execute_wrapper(functools.partial(counted, queries)):
            start = time.perf_counter()
            report = reform_services.reform_apply(actor=admin, reform=reform)
            applied = time.perf_counter() - start
        self.figure(f"reform apply ({report.totals.get('people.person', 0):,} people moved)",
                    applied, raw_time, len(queries))
        for took, sql in sorted(queries, reverse=True)[:5]:
            self.line(f"  {took * 1000:7.0f} ms  {sql[:110]}")

    def summary_figures(self, user, province) -> None:
        from django.db import connection

        from core.scope import SEGMENT_WIDTH
        from people.counts import COLUMNS
        from reports import selectors

        day = self.effective - dt.timedelta(days=1)
        width = len(province.path) + SEGMENT_WIDTH
        sums = ", ".join(f"sum(c.{c})" for c in COLUMNS)
        then = ("coalesce(p.path, u.path)")
        join = ("JOIN orgs_orgunit u ON u.id = c.unit_id LEFT JOIN orgs_unitperiod p ON "
                "p.unit_id = c.unit_id AND (p.valid_from IS NULL OR p.valid_from <= %s) AND "
                "p.valid_to > %s")
        where = f"{then} >= %s AND {then} < %s"
        bounds = [province.path, province.path + "~"]

        def raw():
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT substr({then}, 1, %s) g, {sums} FROM "  # noqa: S608
                               f"people_unitcount c {join} WHERE {where} GROUP BY g",
                               [width, day, day, *bounds])
                cursor.fetchall()
                cursor.execute(f"SELECT substr({then}, 1, %s) g, c.has_certificate, "  # noqa: S608
                               "c.category, c.grade, c.gender, c.hukou, sum(c.n) FROM "
                               f"people_countchange c {join} WHERE c.day > %s AND {where} "
                               "GROUP BY 1, 2, 3, 4, 5, 6",
                               [width, day, day, day, *bounds])
                cursor.fetchall()

        queries: list = []

        def system():
            queries.clear()
            with connection.execute_wrapper(functools.partial(counted, queries)):
                table = selectors.summary_table(user=user, unit=province, as_of=day)
            return table

        system_time = best(system)
        table = system()
        raw_time = best(raw)
        self.figure(f"province summary table as of {day:%Y-%m-%d} (old tree)", system_time,
                    raw_time, len(queries))
        self.line(f"  its total: {table.total.total:,} people in {len(table.rows)} cities")
        today_time = best(lambda: selectors.summary_table(user=user, unit=province))
        self.line(f"{'province summary table today':<52} {today_time * 1000:9.0f} ms")
