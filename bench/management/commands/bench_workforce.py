"""The workforce benchmark: the computed lists of a province, each beside the hand-written
SQL doing the same work.

    manage.py bench_workforce [--officers-share 0.9] [--keep]

It builds, in a database of its own on PostgreSQL (``canlian_workforce`` on the server
DATABASE_URL names; dropped at the end unless --keep), the tree of 甘肃省's shape that
``bench_scale`` builds (19,224 units, 17,895 villages and communities), kept counts per
village, and officers in most townships and villages: a liaison officer in
--officers-share of them, a chair in a little fewer, an ended appointment in every 20th,
written by COPY (IDs sealed). Then, for a user of the province, it times each list the way
the page reads it (best of 3, with its query count) beside one hand-written SQL query giving
the same rows, and prints one line per figure: the system's time, the raw time, the ratio,
the queries. Nothing is asserted."""

import datetime as dt
import time

from django.core.management.base import BaseCommand

DATABASE = "canlian_workforce"


def _best(function, repeat: int = 3):
    best, result = None, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        took = time.perf_counter() - start
        best = took if best is None else min(best, took)
    return best, result


class Command(BaseCommand):
    help = "Time the workforce's computed lists for a province beside hand-written SQL."

    def add_arguments(self, parser):
        parser.add_argument("--officers-share", type=float, default=0.9)
        parser.add_argument("--keep", action="store_true")
        parser.add_argument("--child", action="store_true", help="(internal)")

    def handle(self, *args, **options):
        if options["child"]:
            return self.measure(options)
        from bench.child import run_in_child

        run_in_child(self, name="bench_workforce", database=DATABASE, keep=options["keep"],
                     args=["--officers-share", options["officers_share"]],
                     postgres_only=("The workforce benchmark runs on PostgreSQL: set DATABASE_URL, "
                               "e.g. postgres://postgres@127.0.0.1:5432/postgres"))

    # ---- the child ------------------------------------------------------------------------

    def measure(self, options):
        from django.core.management import call_command
        from django.db import connection

        from .bench_scale import Command as Scale

        call_command("migrate", verbosity=0)
        start = time.perf_counter()
        units = Scale().build_tree(None)
        officers = self.build_officers(options["officers_share"])
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"{connection.vendor}: {units['total']:,} units, {officers:,} "
                          f"appointments, built in {time.perf_counter() - start:.1f} s")
        self.figures()

    def build_officers(self, share: float) -> int:
        from django.db import connection, transaction

        from core import crypto
        from imports.engine.fastinsert import RowBuilder, insert_columns, insert_rows
        from orgs.models import Level, OrgUnit
        from people.identity import check_character
        from people.models import UnitCount
        from workforce.models import ID_COLUMN, Appointment, Post, Worker

        units = list(OrgUnit.objects.filter(level__in=(Level.TOWNSHIP, Level.VILLAGE))
                     .order_by("id").values_list("id", "level", "code"))
        now = dt.datetime.now(dt.UTC)
        worker_fields = [Worker._meta.pk, *insert_columns(Worker)]
        post_fields = [Post._meta.pk, *insert_columns(Post)]
        appointment_fields = insert_columns(Appointment)
        count_fields = [UnitCount._meta.pk, *insert_columns(UnitCount)]
        worker_row = RowBuilder(worker_fields, {"created_at": now, "updated_at": now})
        post_row = RowBuilder(post_fields, {"created_at": now})
        appointment_row = RowBuilder(appointment_fields, {"created_at": now,
                                                          "updated_at": now})
        count_row = RowBuilder(count_fields)
        workers, posts, appointments, counts = [], [], [], []
        pk = 0
        for i, (unit_id, level, code) in enumerate(units):
            if level == Level.VILLAGE:
                counts.append(count_row({"unit": unit_id, "total": 40 + i % 120,
                                         "certificate_yes": 30 + i % 90}))
            for kind, limit in (("liaison", share), ("chair", share - 0.05)):
                if (i * 7919 + len(kind)) % 1000 >= limit * 1000:
                    continue
                pk += 1
                first17 = f"{code[:6]}19{70 + pk % 25:02d}0{1 + pk % 9}1{pk % 10}{pk % 1000:03d}"
                number = first17 + check_character(first17)
                workers.append(worker_row({
                    "id": pk, "unit": unit_id, "name": f"专委{pk}",
                    "id_cipher": crypto.seal(number, column=ID_COLUMN),
                    "id_hash": crypto.lookup(f"{number}{pk}", column=ID_COLUMN),
                    "gender": "M", "birth_date": dt.date(1975, 1, 1),
                    "connection": "disabled" if pk % 3 else "none", "version": 1}))
                posts.append(post_row({"id": pk, "unit": unit_id, "kind": kind, "version": 1}))
                ended = pk % 20 == 0
                appointments.append(appointment_row({
                    "post": pk, "worker": pk, "starts_on": dt.date(2022, 1, 1),
                    "term_ends_on": dt.date(2025 + pk % 3, 1, 1) if pk % 4 else None,
                    "holding": "full_time", "ended_on": dt.date(2025, 6, 30) if ended else None,
                    "end_reason": "resigned" if ended else "", "version": 1}))
        with transaction.atomic():
            insert_rows(UnitCount, count_fields, counts, encoded=True)
            insert_rows(Worker, worker_fields, workers, encoded=True)
            insert_rows(Post, post_fields, posts, encoded=True)
            insert_rows(Appointment, appointment_fields, appointments, encoded=True)
        with connection.cursor() as cursor:
            for table in ("workforce_worker", "workforce_post"):
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                               f"(SELECT max(id) FROM {table}))")
        return len(appointments)

    def figures(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from accounts.models import User
        from accounts.roles import Role
        from orgs.models import Level, OrgUnit
        from workforce import selectors

        province = OrgUnit.objects.get(level=Level.PROVINCE)
        user = User.objects.create(username="bench_workforce", unit=province, role=Role.ADMIN)
        today = dt.date.today()

        def system():
            return selectors.vacancies(user=user)

        with CaptureQueriesContext(connection) as queries:
            system()
        took, lines = _best(system)
        raw_sql = """
            SELECT u.id, k.kind, count(a.id) AS held, max(e.ended_on) AS last_end
            FROM orgs_orgunit u
            CROSS JOIN (SELECT 'chair' AS kind UNION ALL SELECT 'liaison') k
            LEFT JOIN workforce_post p ON p.unit_id = u.id AND p.kind = k.kind
            LEFT JOIN workforce_appointment a ON a.post_id = p.id AND a.starts_on <= %s
                 AND (a.ended_on IS NULL OR a.ended_on > %s)
            LEFT JOIN workforce_appointment e ON e.post_id = p.id AND e.ended_on <= %s
            WHERE u.level IN (4, 5) AND (u.valid_to IS NULL OR u.valid_to > %s)
            GROUP BY u.id, k.kind HAVING count(a.id) = 0
        """

        def raw():
            with connection.cursor() as cursor:
                cursor.execute(raw_sql, [today, today, today, today])
                return cursor.fetchall()

        raw_took, rows = _best(raw)
        vacant = sum(1 for line in lines if line.vacant)
        self.report("vacancies of the province", took, raw_took, len(queries),
                    f"{vacant:,} vacant posts (raw: {len(rows):,})")

        def coverage():
            return selectors.officer_coverage(user=user)

        with CaptureQueriesContext(connection) as queries:
            coverage()
        took, found = _best(coverage)
        coverage_sql = """
            SELECT a.id, count(pp.id) FROM workforce_appointment a
            JOIN workforce_post p ON p.id = a.post_id AND p.kind = 'liaison'
            JOIN orgs_orgunit u ON u.id = p.unit_id
            LEFT JOIN people_person pp ON pp.unit_id = p.unit_id AND pp.status = 'active'
            WHERE a.ended_on IS NULL GROUP BY a.id, u.path ORDER BY u.path, a.id LIMIT %s
        """

        def coverage_raw():
            with connection.cursor() as cursor:
                cursor.execute(coverage_sql, [selectors.COVERAGE_PAGE])
                return cursor.fetchall()

        raw_took, rows = _best(coverage_raw)
        self.report("visit coverage, first page", took, raw_took, len(queries),
                    f"{len(found):,} officers (raw: {len(rows):,})")

    def report(self, name, took, raw_took, queries, note):
        ratio = took / raw_took if raw_took else float("inf")
        self.stdout.write(f"{name:<38} system {took * 1000:8.0f} ms   raw SQL "
                          f"{raw_took * 1000:8.0f} ms   ratio {ratio:5.2f}×   "
                          f"{queries} queries   {note}")
        self.stdout.flush()
