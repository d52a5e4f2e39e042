"""The training benchmark: the yearly training shortfalls of a province of 19,224 units
(甘肃省's shape: 14 cities, 86 counties, 1,228 townships, 17,895 villages and communities),
with a chair and a liaison officer in every township and a liaison officer in every village
(20,351 officers), a county session per county and a township session per township, and
about two thirds of the officers at each.

    manage.py bench_training [--repeat 3] [--keep] [--database NAME]

It runs in a database of its own (a fresh SQLite file, or ``canlian_bench_training`` on the
PostgreSQL server DATABASE_URL names, dropped at the end unless --keep), in a child process
with DEBUG off. The tree, the officers and the attendance are written with bulk_create (ID
numbers sealed as the system seals them). Then, for a province administrator and a county
administrator, the selector (workforce.selectors.training_shortfalls) and the page
(/workforce/training/shortfalls/) are timed, best of --repeat, with their query counts:
the counts must not grow with the units, the times are printed, not asserted.
"""

import datetime as dt
import random
import time

from django.core.management.base import BaseCommand, CommandError

SHAPE = {2: 14, 3: 86, 4: 1228, 5: 17895}
BENCH_DATABASE = "canlian_bench_training"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _id_number(n: int) -> str:
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=n % 12000)
    first17 = f"620422{birth:%Y%m%d}{n % 1000:03d}"
    # A distinct region code per thousand, so every number differs.
    first17 = f"{620000 + n // 1000:06d}" + first17[6:]
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


class Command(BaseCommand):
    help = "Time the training shortfalls of a province of 19,224 units."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--keep", action="store_true")
        parser.add_argument("--database", default=BENCH_DATABASE,
                            help="the PostgreSQL database to make (and drop) for the run")
        parser.add_argument("--child", action="store_true", help="(internal)")

    def handle(self, *args, **options):
        if options["child"]:
            return self.measure(options)
        from bench.child import run_in_child

        run_in_child(self, name="bench_training", database=options["database"],
                     keep=options["keep"], args=["--repeat", options["repeat"]])

    # ---- the child ------------------------------------------------------------------------

    def line(self, text):
        self.stdout.write(text)
        self.stdout.flush()

    def measure(self, options):
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: hashed
        start = time.perf_counter()
        counts = self.build()
        self.line(f"province: {counts['units']:,} units, {counts['officers']:,} officers, "
                  f"{counts['sessions']:,} sessions, {counts['attendances']:,} attendances, "
                  f"built in {time.perf_counter() - start:.1f} s (not part of the figures)")
        self.figures(options["repeat"])

    def build(self) -> dict:
        from django.core.management.color import no_style
        from django.db import connection
        from django.utils import timezone

        from core.scope import path_segment
        from orgs.models import Level, OrgUnit
        from workforce.models import Appointment, Attendance, Post, TrainingSession, Worker

        rng = random.Random(19)  # noqa: S311 - synthetic data
        units = [OrgUnit(id=1, path=path_segment(1), level=Level.PROVINCE, code="62",
                         name="甘肃省")]
        parents, next_id = [units[0]], 1
        for level, count in SHAPE.items():
            children = []
            for i in range(count):
                parent = parents[i % len(parents)]
                next_id += 1
                width = {2: 2, 3: 2, 4: 3, 5: 3}[level]
                code = f"{parent.code}{i // len(parents) + 1:0{width}d}"
                unit = OrgUnit(id=next_id, parent_id=parent.id, level=level, code=code,
                               path=parent.path + path_segment(next_id),
                               name=f"{code}{Level(level).label}")
                units.append(unit)
                children.append(unit)
            parents = children
        OrgUnit.objects.bulk_create(units, batch_size=2000)
        townships = [u for u in units if u.level == Level.TOWNSHIP]
        villages = [u for u in units if u.level == Level.VILLAGE]
        posts = [(t, "chair") for t in townships] + [(t, "liaison") for t in townships] + \
            [(v, "liaison") for v in villages]
        workers = []
        for n, (unit, _kind) in enumerate(posts):
            worker = Worker(unit_id=unit.id, name=f"委员{n}", gender="M",
                            birth_date=dt.date(1980, 1, 1), connection="none")
            worker.id_number = _id_number(n)
            workers.append(worker)
        Worker.objects.bulk_create(workers, batch_size=2000)
        workers = list(Worker.objects.order_by("id"))
        post_rows = Post.objects.bulk_create(
            [Post(unit_id=unit.id, kind=kind) for unit, kind in posts], batch_size=2000)
        post_rows = list(Post.objects.order_by("id"))
        Appointment.objects.bulk_create(
            [Appointment(post=p, worker=w, starts_on=dt.date(2020, 1, 1))
             for p, w in zip(post_rows, workers, strict=True)], batch_size=2000)
        year = timezone.localdate().year - 1
        by_county: dict[str, list] = {}
        by_township: dict[str, list] = {}
        paths = {u.id: u.path for u in units}
        for worker in workers:
            path = paths[worker.unit_id]
            by_county.setdefault(path[:24], []).append(worker)
            by_township.setdefault(path[:32], []).append(worker)
        sessions = [TrainingSession(unit_id=u.id, title=f"{u.name}培训", level=level,
                                    starts_on=dt.date(year, month, 10),
                                    ends_on=dt.date(year, month, 10), hours=6)
                    for level, month, group in (("county", 4, Level.COUNTY),
                                                ("township", 9, Level.TOWNSHIP))
                    for u in units if u.level == group]
        TrainingSession.objects.bulk_create(sessions, batch_size=2000)
        attendances = []
        for session in TrainingSession.objects.select_related("unit"):
            group = (by_county if session.level == "county" else by_township).get(
                session.unit.path, [])
            attendances += [Attendance(session=session, worker=w) for w in group
                            if rng.random() < 0.67]
        Attendance.objects.bulk_create(attendances, batch_size=5000)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [OrgUnit]):
                cursor.execute(sql)
            cursor.execute("ANALYZE")  # what autovacuum does after a large import
        return {"units": len(units), "officers": len(workers), "sessions": len(sessions),
                "attendances": len(attendances)}

    def figures(self, repeat: int):
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        from accounts.models import User
        from accounts.roles import Role
        from orgs.models import Level, OrgUnit
        from workforce import selectors

        year = timezone.localdate().year - 1
        province = OrgUnit.objects.get(level=Level.PROVINCE)
        county = OrgUnit.objects.filter(level=Level.COUNTY).order_by("path").first()
        for username, unit in (("bench_province", province), ("bench_county", county)):
            user = User.objects.create(username=username, unit=unit, role=Role.ADMIN,
                                       full_name=username)
            best, queries, found = None, 0, 0
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    found = len(selectors.training_shortfalls(user=user, year=year))
                    took = time.perf_counter() - started
                best, queries = min(best or took, took), len(captured.captured_queries)
            self.line(f"{unit.name}: training_shortfalls {best:.2f} s, {queries} queries, "
                      f"{found:,} officers short")
            client = Client()
            client.force_login(user, backend="accounts.backends.RoleBackend")
            best = None
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get("/workforce/training/shortfalls/", {"year": year})
                    took = time.perf_counter() - started
                if response.status_code != 200:
                    raise CommandError(f"the shortfall page: HTTP {response.status_code}")
                best, queries = min(best or took, took), len(captured.captured_queries)
            self.line(f"{unit.name}: the shortfall page {best:.2f} s, {queries} queries, "
                      f"{len(response.content) // 1024} KB")
