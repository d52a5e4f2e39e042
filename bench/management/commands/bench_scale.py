"""The scale benchmark: the pages of a province, each beside the hand-written SQL doing the
same work, on PostgreSQL.

    manage.py bench_scale [--people 60000] [--divisions FILE.csv] [--import-rows 5000]
                          [--http] [--clients 20] [--seconds 10] [--keep]

It builds a province in a database of its own (``canlian_scale`` on the server DATABASE_URL
names; dropped at the end unless --keep): the tree of 甘肃省's shape (1 province, 14 cities,
86 counties, 1,228 townships, 17,895 villages and communities: 19,224 units) or the tree of
a divisions file in the project's format (orgs' import), then N people (default 60,000; the
issue's figures are for --people 2000000), half as many needs and 1.45 visits each, loaded
by COPY (the ID numbers sealed as the system seals them), and the kept facts rebuilt by
their commands. Then, for a province user (and a county user where the issue names one),
each page is fetched in-process through Django's test client — best of 3, with its query
count — and the hand-written SQL that does the same work is timed beside it; one line per
figure: the system's time, the raw time, the ratio, the query count; then the people import
of --import-rows rows into that register beside calamine's parse + the sealed rows' COPY (as
``bench_import`` measures it into an empty register). With --http the same
pages are fetched from gunicorn (3 workers, DEBUG off) over 127.0.0.1, and a bounded load
test runs --clients clients for --seconds seconds on the people list and the summary table:
requests, errors, p50 and p95.

Nothing here is asserted as a timing: the targets are printed beside the figures.
"""

import base64
import datetime as dt
import functools
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

SCALE_DATABASE = os.environ.get("SCALE_DATABASE", "canlian_scale")  # another: two at once
# 甘肃省 in the national division list: units per level below the province.
SHAPE = {2: 14, 3: 86, 4: 1228, 5: 17895}
SURNAMES = "王张李刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文"  # noqa: E501
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华兰红梅玉凤建国志强秀兰海燕文军福有成"
TARGET_PAGE = 1.0  # seconds: every page at province scale
TARGET_SUMMARY = 0.3
TARGET_RATIO = 1.5


def _counted(queries: list, execute, sql, params, many, context):
    queries.append(sql)
    return execute(sql, params, many, context)


def _process_cpu(pid) -> float:
    """The CPU seconds (user + system) process ``pid`` has used (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def _tree_cpu(pid) -> float:
    """The CPU seconds of process ``pid`` and its children (gunicorn's master and workers)."""
    return _process_cpu(pid) + sum(_process_cpu(child) for child in _children(pid))


def _database_cpu() -> dict[str, float]:
    """{pid: CPU seconds} of every process named postgres on this machine (the server, when
    it runs here; other databases' work included)."""
    found = {}
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() == "postgres":
                found[comm.parent.name] = _process_cpu(comm.parent.name)
        except OSError:
            continue
    return found


def _cpu_since(before: dict[str, float], after: dict[str, float]) -> float:
    """The CPU seconds the processes of ``after`` used since ``before`` (one that ended
    meanwhile took its time with it: the server's pool keeps the benchmark's own)."""
    return sum(max(0.0, cpu - before.get(pid, 0.0)) for pid, cpu in after.items())


def _time(function, repeat: int = 3) -> float:
    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        took = time.perf_counter() - start
        best = took if best is None else min(best, took)
    return best


class Command(BaseCommand):
    help = ("Build a province on PostgreSQL and time its pages beside hand-written SQL "
            "(see the module's docstring).")

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=60_000,
                            help="People in the province (default 60000; 2000000 for the "
                                 "issue's figures).")
        parser.add_argument("--divisions", type=Path,
                            help="A divisions file (orgs' import format) instead of the "
                                 "synthetic tree of 甘肃省's shape.")
        parser.add_argument("--http", action="store_true",
                            help="Also fetch the pages from gunicorn and run the load test.")
        parser.add_argument("--clients", type=int, default=20)
        parser.add_argument("--seconds", type=float, default=10.0,
                            help="Length of the load test (default 10; the target is for 60).")
        parser.add_argument("--keep", action="store_true",
                            help="Keep the database (canlian_scale, or --database).")
        parser.add_argument("--reuse", action="store_true",
                            help="Measure the province a run with --keep left in the database "
                                 "(migrated first; not built again, not dropped).")
        parser.add_argument("--database", default=SCALE_DATABASE,
                            help="The name of the database it makes (and drops) on the "
                                 f"server DATABASE_URL names (default {SCALE_DATABASE}).")
        parser.add_argument("--child", action="store_true", help="(internal)")
        parser.add_argument("--seed", type=int, default=62)
        parser.add_argument("--import-rows", type=int, default=5000,
                            help="Rows of the ledger imported into the province's register "
                                 "(default 5000; the issue's figure: 200000 into 1.8 M).")

    # ---- the parent: a database of its own, the work in a child ----------------------------

    def handle(self, *args, **options):
        if options["child"]:
            return self.measure(options)
        from .bench_import import _Database  # the import benchmark's database of its own

        workdir = Path(tempfile.mkdtemp(prefix="canlian-scale-"))
        database = _Database(workdir, name=options["database"])
        if database.vendor != "postgresql":
            shutil.rmtree(workdir, ignore_errors=True)
            raise CommandError("The scale benchmark runs on PostgreSQL: set DATABASE_URL, e.g. "
                               "postgres://postgres@127.0.0.1:5432/postgres")
        if options["reuse"]:
            options["keep"] = True
        else:
            database.create()
        env = {**os.environ, "DATABASE_URL": database.url, "DEBUG": "0",
               "SECRET_KEY": "scale-only-" + os.urandom(32).hex(),
               "CANLIAN_FIELD_KEYS": "s:" + base64.b64encode(os.urandom(32)).decode(),
               "CANLIAN_LOOKUP_KEY": base64.b64encode(os.urandom(32)).decode(),
               "MEDIA_ROOT": str(workdir / "media"), "STATIC_ROOT": str(workdir / "static"),
               "SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0", "SECURE_HSTS_SECONDS": "0",
               "TASKS_IMMEDIATE": "1"}
        command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "bench_scale",
                   "--child", "--people", str(options["people"]), "--seed",
                   str(options["seed"]), "--clients", str(options["clients"]),
                   "--seconds", str(options["seconds"]),
                   "--import-rows", str(options["import_rows"])]
        if options["divisions"]:
            command += ["--divisions", str(options["divisions"].resolve())]
        if options["http"]:
            command.append("--http")
        if options["reuse"]:
            command.append("--reuse")
        try:
            # The child's lines pass through this command's own output as they come.
            with subprocess.Popen(command, env=env, cwd=settings.BASE_DIR,  # noqa: S603
                                  stdout=subprocess.PIPE, text=True) as child:
                for text in child.stdout:
                    self.line(text.rstrip("\n"))
            if child.returncode:
                raise CommandError(f"the measurement failed (exit {child.returncode})")
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
            if not options["keep"]:
                database.drop()

    def line(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    # ---- the child: build, then measure ----------------------------------------------------

    def measure(self, options):
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: hashed names
        rng = random.Random(options["seed"])  # noqa: S311 - synthetic data
        start = time.perf_counter()
        if options["reuse"]:
            from orgs.models import Level, OrgUnit
            from people.models import Need, Person, Visit

            units = {"total": OrgUnit.objects.count(),
                     "villages": OrgUnit.objects.filter(level=Level.VILLAGE).count()}
            people = {"people": Person.objects.count(), "needs": Need.objects.count(),
                      "visits": Visit.objects.count()}
            built = "kept by an earlier run (--reuse)"
        else:
            units = self.build_tree(options["divisions"])
            people = self.build_people(rng, options["people"])
            self.rebuild_kept_facts()
            built = f"built in {time.perf_counter() - start:.1f} s (COPY; not part of the figures)"
        self.line(f"province: {units['total']:,} units ({units['villages']:,} villages and "
                  f"communities), {people['people']:,} people, {people['needs']:,} needs, "
                  f"{people['visits']:,} visits, {built}")
        self.tune_database()
        self.figures(options)

    # The settings the README's "PostgreSQL under load" gives a province's database, set on
    # the benchmark's own database (every new connection: the server's workers) and on this
    # process's connection; the figures are measured with them.
    TUNED = {"work_mem": "64MB", "random_page_cost": "1.1"}

    def tune_database(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            name = connection.ops.quote_name(connection.settings_dict["NAME"])
            for setting, value in self.TUNED.items():
                cursor.execute(f"ALTER DATABASE {name} SET {setting} = '{value}'")
                cursor.execute(f"SET {setting} = '{value}'")
        self.line("database settings (README, PostgreSQL under load): "
                  + ", ".join(f"{k} = {v}" for k, v in self.TUNED.items()))

    def build_tree(self, divisions: Path | None) -> dict:
        from django.db import connection

        from orgs.models import Level, OrgUnit

        if divisions is not None:
            from django.core.files import File

            from accounts.models import User
            from imports import services as imports

            root = User.objects.create(username="bench_scale_root", is_superuser=True,
                                       is_staff=True)
            with divisions.open("rb") as handle:
                job = imports.job_create(actor=root, kind="divisions",
                                         upload=File(handle, name=divisions.name))
            job = imports.job_configure(actor=root, job=job, sheet=job.sheet,
                                        header_row=job.header_row, mapping=job.mapping,
                                        mode="valid", update_existing=False, dry_run=False)
            imports.job_start(actor=root, job=job)
            job = imports.job_run(job.pk)
            if not job.applied:
                raise CommandError(f"the divisions file did not import: {job.message}")
        else:
            from core.scope import path_segment
            from imports.engine.fastinsert import RowBuilder, insert_columns, insert_rows

            fields = [f for f in insert_columns(OrgUnit)]
            now = dt.datetime.now(dt.UTC)
            build = RowBuilder([OrgUnit._meta.pk, *fields],
                               {"created_at": now, "updated_at": now})
            rows, next_id = [], 1
            province = {"id": 1, "path": path_segment(1), "level": Level.PROVINCE, "code": "62",
                        "name": "甘肃省", "parent": None}
            rows.append(build(province))
            parents = [province]
            for level, count in SHAPE.items():
                children = []
                for i in range(count):
                    parent = parents[i % len(parents)]
                    next_id += 1
                    width = {2: 2, 3: 2, 4: 3, 5: 3}[level]
                    serial = i // len(parents) + 1
                    code = f"{parent['code']}{serial:0{width}d}"
                    unit = {"id": next_id, "parent": parent["id"],
                            "path": parent["path"] + path_segment(next_id), "level": level,
                            "code": code, "name": f"{code}{Level(level).label}",
                            "kind": ("community" if i % 5 == 0 else "village") if level == 5
                            else ("town" if level == 4 else "")}
                    rows.append(build(unit))
                    children.append(unit)
                parents = children
            insert_rows(OrgUnit, [OrgUnit._meta.pk, *fields], rows, encoded=True)
            with connection.cursor() as cursor:
                cursor.execute("SELECT setval(pg_get_serial_sequence('orgs_orgunit', 'id'), "
                               "(SELECT max(id) FROM orgs_orgunit))")
        return {"total": OrgUnit.objects.count(),
                "villages": OrgUnit.objects.filter(level=Level.VILLAGE).count()}

    def build_people(self, rng, n: int, villages=None) -> dict:
        """N people spread over ``villages`` ([(id, code)]; every village by default), with
        needs, visits and the events of those no longer active, by COPY."""
        from django.db import connection, transaction

        from imports.engine.fastinsert import RowBuilder, insert_columns, insert_rows
        from orgs.models import Level, OrgUnit
        from people.identity import check_character
        from people.models import Need, Person, PersonEvent, Visit, sealed_id
        from people.pinyin import search_key

        if villages is None:
            villages = list(OrgUnit.objects.filter(level=Level.VILLAGE)
                            .values_list("id", "code"))
        today = dt.date.today()
        now = dt.datetime.now(dt.UTC)
        person_fields = [Person._meta.pk, *insert_columns(Person)]
        person_row = RowBuilder(person_fields, {"updated_at": now})
        need_fields, visit_fields = insert_columns(Need), insert_columns(Visit)
        event_fields = insert_columns(PersonEvent)
        event_row = RowBuilder(event_fields, {"at": now})
        need_row, visit_row = RowBuilder(need_fields), RowBuilder(visit_fields,
                                                                  {"created_at": now})
        names = [s + g + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
                 for s in SURNAMES for g in GIVEN]
        keys = {name: search_key(name) for name in names}
        counts = {"people": 0, "needs": 0, "visits": 0}
        batch = 50_000
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) FROM people_person")
            first_id = cursor.fetchone()[0] + 1
        pk = first_id
        # The first 17 digits of the numbers given so far (by every call: one per person).
        used: set[int] = self.__dict__.setdefault("_used_numbers", set())
        for offset in range(0, n, batch):
            people, needs, visits, events = [], [], [], []
            for i in range(offset, min(n, offset + batch)):
                unit_id, code = villages[i % len(villages)]
                birth = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(33_000))
                male = rng.random() < 0.57
                order = (i % 500) * 2 + male
                first17 = f"{code[:6]}{birth:%Y%m%d}{order:03d}"
                while int(first17) in used:  # one person per number, as the register holds
                    order = (order + 2) % 1000
                    first17 = f"{code[:6]}{birth:%Y%m%d}{order:03d}"
                used.add(int(first17))
                number = first17 + check_character(first17)
                name = rng.choice(names)
                certified = rng.random() < 0.9
                category, grade = rng.randint(1, 7), rng.randint(1, 4)
                status = "active" if rng.random() < 0.93 else "deceased"
                # Deceased on a day of the last two years, as the register's event says (the
                # kept counts' history is rebuilt from the events: a table as of a past day
                # then reads the changes since).
                died = today - dt.timedelta(days=rng.randrange(730))
                people.append(person_row({
                    "id": pk, "unit": unit_id, "name": name, "search_key": keys[name],
                    **sealed_id(number), "gender": "M" if male else "F", "birth_date": birth,
                    "ethnicity": "汉族", "hukou": "rural" if rng.random() < 0.7 else "urban",
                    "has_certificate": certified,
                    "category": category if certified else None,
                    "grade": grade if certified else None,
                    "certificate_issued_on": dt.date(2018, 1, 1) if certified else None,
                    "status": status, "status_date": died if status != "active" else None,
                    "registered_on": dt.date(2019, 1, 1), "version": 1}))
                if status != "active":
                    events.append(event_row({"person": pk, "kind": "deceased", "on": died,
                                             "unit": unit_id, "note": ""}))
                for _ in range(1 if rng.random() < 0.5 else 0):
                    needs.append(need_row({
                        "person": pk, "type": rng.choice(["rehabilitation", "devices",
                                                          "employment", "relief"]),
                        "registered_on": today - dt.timedelta(days=rng.randrange(700)),
                        "status": "open" if rng.random() < 0.4 else "met",
                        "closed_on": None, "version": 1}))
                for _ in range(rng.choice((0, 1, 1, 2, 2, 3)) if rng.random() < 0.9 else 0):
                    visited = today - dt.timedelta(days=rng.randrange(730))
                    visits.append(visit_row({
                        "person": pk, "visited_on": visited, "worker_name": "专职委员",
                        "mode": "home", "next_due": visited + dt.timedelta(days=90)}))
                pk += 1
            with transaction.atomic():
                insert_rows(Person, person_fields, people, encoded=True)
                insert_rows(Need, need_fields, needs, encoded=True)
                insert_rows(Visit, visit_fields, visits, encoded=True)
                insert_rows(PersonEvent, event_fields, events, encoded=True)
            counts["people"] += len(people)
            counts["needs"] += len(needs)
            counts["visits"] += len(visits)
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence('people_person', 'id'), "
                           "(SELECT max(id) FROM people_person))")
        return counts

    def rebuild_kept_facts(self) -> None:
        """What the services keep beside the register (visit facts, counts per village),
        made for the loaded rows by the commands that rebuild them; then VACUUM (ANALYZE)."""
        from django.core.management import call_command, get_commands
        from django.db import connection

        for name in ("rebuild_visit_facts", "rebuild_counts"):
            if name in get_commands():
                call_command(name, verbosity=0)
        with connection.cursor() as cursor:
            # As the README says after a first import of a province: the planner's
            # statistics, and the visibility map that lets the counts read indexes alone.
            cursor.execute("VACUUM (ANALYZE)")

    # ---- the figures --------------------------------------------------------------------------

    def users(self):
        from accounts.models import User
        from accounts.roles import Role
        from orgs.models import Level, OrgUnit

        province = (OrgUnit.objects.filter(level=Level.PROVINCE).order_by("path").first())
        county = (OrgUnit.objects.within(province).filter(level=Level.COUNTY)
                  .order_by("path").first())
        made = {}
        for username, unit in (("scale_province", province), ("scale_county", county)):
            made[username], _new = User.objects.update_or_create(
                username=username, defaults={"unit": unit, "role": Role.ADMIN,
                                             "full_name": username})
        return province, county, made["scale_province"], made["scale_county"]

    def figures(self, options):
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        province, county, province_user, county_user = self.users()
        subtree = ("unit_id IN (SELECT id FROM orgs_orgunit WHERE path >= %s AND path < %s)")
        bounds = [province.path, province.path + "~"]
        county_bounds = [county.path, county.path + "~"]
        year_start = dt.date.today().replace(month=1, day=1)
        last_year = year_start.year - 1
        past_day = dt.date(last_year, 12, 31)  # the annual report's day
        from people.filters import need_overdue_cutoff

        def raw(sql, params):
            def run():
                with connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    cursor.fetchall()
            return run

        def raw_all(*statements):
            def run():
                with connection.cursor() as cursor:
                    for sql, params in statements:
                        cursor.execute(sql, params)
                        cursor.fetchall()
            return run

        clients = {}

        def client_for(user):
            if user.pk not in clients:
                client = Client()
                client.force_login(user)
                clients[user.pk] = client
            return clients[user.pk]

        def page(user, url, params=None):
            client = client_for(user)

            def run():
                response = client.get(url, params or {}, secure=True)
                if response.status_code != 200:
                    raise CommandError(f"{url} {params or ''}: HTTP {response.status_code}")
                page.size = len(response.content)
            return run

        order = "ORDER BY unit_id, name, id"
        from people.models import Person

        deep = max(2, min(2000, Person.objects.count() // 50))  # page 2000 of 2 million
        with connection.cursor() as cursor:  # the row page deep - 1 ends with (not timed)
            cursor.execute(f"SELECT id, unit_id, name FROM people_person WHERE {subtree} "
                           f"{order} OFFSET %s LIMIT 1", [*bounds, (deep - 1) * 50 - 1])
            after = cursor.fetchone()
        figures = [
            ("people list, page 1", page(province_user, reverse("people:person_list")),
             raw(f"SELECT id, name, id_cipher, gender, birth_date, category, grade, status, "
                 f"unit_id FROM people_person WHERE {subtree} {order} LIMIT 50",
                 bounds), TARGET_PAGE),
            ("people list, page 1 (county user)",
             page(county_user, reverse("people:person_list")),
             raw(f"SELECT id, name, id_cipher, gender, birth_date, category, grade, status, "
                 f"unit_id FROM people_person WHERE {subtree} {order} LIMIT 50",
                 county_bounds), TARGET_PAGE),
            ("people list, name search 王伟",
             page(province_user, reverse("people:person_list"), {"q": "王伟"}),
             raw(f"SELECT id, name FROM people_person WHERE {subtree} AND name LIKE %s "
                 f"{order} LIMIT 50", [*bounds, "%王伟%"]), TARGET_PAGE),
            ("people list, pinyin search wangwei",
             page(province_user, reverse("people:person_list"), {"q": "wangwei"}),
             raw(f"SELECT id, name FROM people_person WHERE {subtree} AND search_key LIKE %s "
                 f"{order} LIMIT 50", [*bounds, "%wangwei%"]), TARGET_PAGE),
            (f"people list, page {deep} by key (?after=)",
             page(province_user, reverse("people:person_list"), {"after": str(after[0])}),
             raw(f"SELECT id, name FROM people_person WHERE {subtree} AND "
                 f"(unit_id, name, id) > (%s, %s, %s) {order} LIMIT 50",
                 [*bounds, after[1], after[2], after[0]]), TARGET_PAGE),
            ("visits: coverage table and due list",
             page(province_user, reverse("people:visit_coverage")),
             raw("SELECT substr(u.path, 1, %s), count(*), count(*) FILTER (WHERE "
                 "p.last_visited_on >= %s) FROM people_person p JOIN orgs_orgunit u ON "
                 "u.id = p.unit_id WHERE p.status = 'active' AND u.path >= %s AND u.path < %s "
                 "GROUP BY 1", [len(province.path) + 8, year_start, *bounds]), TARGET_PAGE),
            (f"visits: coverage of {last_year} (a past year)",
             page(province_user, reverse("people:visit_coverage"), {"year": str(last_year)}),
             raw("SELECT substr(u.path, 1, %s), count(DISTINCT v.person_id) FROM people_visit v "
                 "JOIN people_person p ON p.id = v.person_id JOIN orgs_orgunit u ON "
                 "u.id = p.unit_id WHERE p.status = 'active' AND v.visited_on >= %s AND "
                 "v.visited_on < %s AND u.path >= %s AND u.path < %s GROUP BY 1",
                 [len(province.path) + 8, dt.date(last_year, 1, 1), year_start, *bounds]),
             TARGET_PAGE),
            ("summary table of the province, work_mem at the default 4MB",
             self.untuned(page(province_user, reverse("reports:summary"))),
             self.untuned(raw("SELECT substr(u.path, 1, %s), p.category, p.grade, count(*) "
                              "FROM people_person p JOIN orgs_orgunit u ON u.id = p.unit_id "
                              "WHERE p.status = 'active' AND u.path >= %s AND u.path < %s "
                              "GROUP BY 1, 2, 3", [len(province.path) + 8, *bounds])),
             TARGET_SUMMARY),
            ("summary table of the province",
             page(province_user, reverse("reports:summary")),
             raw("SELECT substr(u.path, 1, %s), p.category, p.grade, count(*) FROM "
                 "people_person p JOIN orgs_orgunit u ON u.id = p.unit_id WHERE "
                 "p.status = 'active' AND u.path >= %s AND u.path < %s GROUP BY 1, 2, 3",
                 [len(province.path) + 8, *bounds]), TARGET_SUMMARY),
            (f"summary table of the province as of {past_day}",
             page(province_user, reverse("reports:summary"), {"as_of": past_day.isoformat()}),
             raw("SELECT substr(u.path, 1, %s), p.category, p.grade, count(*) FROM "
                 "people_person p JOIN orgs_orgunit u ON u.id = p.unit_id WHERE "
                 "p.registered_on <= %s AND (p.status = 'active' OR p.status_date > %s) AND "
                 "u.path >= %s AND u.path < %s GROUP BY 1, 2, 3",
                 [len(province.path) + 8, past_day, past_day, *bounds]), TARGET_PAGE),
            ("dashboard of the province (people, needs, visits, workers, training)",
             page(province_user, reverse("reports:dashboard")),
             raw_all(
                 ("SELECT substr(u.path, 1, %s), p.category, p.grade, p.hukou, count(*) FROM "
                  "people_person p JOIN orgs_orgunit u ON u.id = p.unit_id WHERE "
                  "p.status = 'active' AND u.path >= %s AND u.path < %s GROUP BY 1, 2, 3, 4",
                  [len(province.path) + 8, *bounds]),
                 ("SELECT n.type, count(*) FILTER (WHERE n.status IN ('open', 'in_progress')), "
                  "count(*) FILTER (WHERE n.status = 'met') FROM people_need n JOIN "
                  "people_person p ON p.id = n.person_id JOIN orgs_orgunit u ON "
                  "u.id = p.unit_id WHERE u.path >= %s AND u.path < %s GROUP BY 1", bounds),
                 ("SELECT count(*) FILTER (WHERE last_visited_on >= %s), count(*) FILTER "
                  "(WHERE next_visit_due <= %s) FROM people_person WHERE status = 'active'",
                  [year_start, dt.date.today()]),
                 ("SELECT count(*) FROM workforce_worker w JOIN orgs_orgunit u ON "
                  "u.id = w.unit_id WHERE u.path >= %s AND u.path < %s", bounds),
                 ("SELECT count(*) FROM workforce_trainingsession t JOIN orgs_orgunit u ON "
                  "u.id = t.unit_id WHERE u.path >= %s AND u.path < %s AND t.starts_on >= %s",
                  [*bounds, year_start])),
             TARGET_PAGE),
            ("statistics overview of the province (divisions, population, shares)",
             page(province_user, reverse("reports:overview")),
             raw_all(
                 ("SELECT substr(u.path, 1, %s), p.hukou, p.has_certificate, count(*) "
                  "FROM people_person p JOIN orgs_orgunit u ON u.id = p.unit_id WHERE "
                  "p.status = 'active' AND u.path >= %s AND u.path < %s GROUP BY 1, 2, 3",
                  [len(province.path) + 8, *bounds]),
                 ("SELECT substr(path, 1, %s), level, kind, count(*), sum(population) FROM "
                  "orgs_orgunit WHERE path > %s AND path < %s AND level < 6 GROUP BY 1, 2, 3",
                  [len(province.path) + 8, *bounds])),
             TARGET_PAGE),
            ("home page of a province user (key figures)",
             page(province_user, reverse("home")),
             raw("SELECT (SELECT count(*) FROM people_person WHERE status = 'active'), "
                 "(SELECT count(*) FROM people_person WHERE status = 'active' AND "
                 "last_visited_on >= %s), (SELECT count(*) FROM people_person WHERE "
                 "status = 'active' AND next_visit_due <= %s), (SELECT count(*) FROM "
                 "people_need WHERE status IN ('open', 'in_progress')), (SELECT count(*) FROM "
                 "people_need WHERE status IN ('open', 'in_progress') AND registered_on < %s)",
                 [year_start, dt.date.today(), need_overdue_cutoff()]), TARGET_PAGE),
        ]
        self.line("figure: canlian / hand-written SQL = ratio (queries; page size)")
        for label, system, sql, target in figures:
            system()  # warm: the first view of a page loads the code and the caches
            queries = []
            with connection.execute_wrapper(functools.partial(_counted, queries)):
                system()
            took, base = _time(system), _time(sql)
            verdict = "ok" if took <= target else f"over {target:g} s"
            self.line(f"{label}: {took * 1000:.0f} ms / {base * 1000:.0f} ms = "
                      f"{took / base if base else float('inf'):.2f}x ({len(queries)} queries; "
                      f"{page.size / 1024:.0f} KB; target < {target:g} s: {verdict})")
        if options["import_rows"]:
            self.import_figure(options["import_rows"], province_user)
        if options["http"]:
            self.over_http(options, province_user,
                           [reverse("people:person_list"), reverse("reports:summary")])

    def untuned(self, function):
        """``function`` run with work_mem at PostgreSQL's default (4MB), then set back."""
        from django.db import connection

        def run():
            with connection.cursor() as cursor:
                cursor.execute("SET work_mem = '4MB'")
            try:
                function()
            finally:
                with connection.cursor() as cursor:
                    cursor.execute(f"SET work_mem = '{self.TUNED['work_mem']}'")
        return run

    # ---- an import into the province's register -----------------------------------------------

    def import_figure(self, n: int, user) -> None:
        """The people import of n rows (2 % with errors) into the register as it stands,
        beside calamine's parse and the sealed rows' COPY (then removed again), as
        ``bench_import`` measures it into an empty register."""
        from django.core.files import File
        from django.db import connection, transaction
        from django.utils import timezone

        from bench.management.commands import bench_import as ledger
        from core.tabular import open_table
        from imports import services as imports
        from imports.engine.fastinsert import insert_columns, insert_rows
        from orgs.models import Level, OrgUnit
        from people.models import Person

        workdir = Path(tempfile.mkdtemp(prefix="canlian-scale-import-"))

        def vacuum():
            """The register's table without dead rows and its search indexes' pending
            entries merged (the rows the COPY wrote are deleted again before the import:
            left, the import's inserts of the same ID numbers would meet them first)."""
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM {connection.ops.quote_name(Person._meta.db_table)}")

        try:
            villages = dict(OrgUnit.objects.within(user.unit).filter(level=Level.VILLAGE)
                            .order_by("path").values_list("code", "id")[:2000])
            counts = ledger.write_files(workdir, n, 0.02, sorted(villages))
            path = ledger.ledger_path(workdir, n)
            register = Person.objects.count()

            def parse():
                _height, rows = open_table(path.read_bytes(), path.name)
                sum(1 for _row in rows)

            parsed = _time(parse, repeat=1)
            today, now = timezone.localdate(), timezone.now()
            records = [ledger._person_record(values, villages, user.pk, today, now)
                       for ok, _cells, values in ledger.people(n, 0.02, sorted(villages)) if ok]
            fields = insert_columns(Person)
            last = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            vacuum()
            start = time.perf_counter()
            ledger._seal_plainly(records)
            blank = {f.name: None if f.null else f.get_default() if f.has_default() else ""
                     for f in fields}
            tuples = [tuple(r.get(f.name, blank[f.name]) for f in fields) for r in records]
            with transaction.atomic():
                insert_rows(Person, fields, tuples)
            raw = time.perf_counter() - start
            Person.objects.filter(pk__gt=last).delete()
            vacuum()  # the importer meets the table (and its indexes) as the COPY did
            if path.stat().st_size > imports.MAX_UPLOAD:
                imports.MAX_UPLOAD = path.stat().st_size  # the benchmark's own file
            start = time.perf_counter()
            with path.open("rb") as handle:
                job = imports.job_create(actor=user, kind="people",
                                         upload=File(handle, name="残疾人登记表.xlsx"))
            job = imports.job_configure(actor=user, job=job, sheet=job.sheet,
                                        header_row=job.header_row, mapping=job.mapping,
                                        mode="valid", update_existing=False, dry_run=False)
            imports.job_start(actor=user, job=job)
            job = imports.job_run(job.pk)
            took = time.perf_counter() - start
            ratio = took / (parsed + raw)
            verdict = "ok" if ratio <= TARGET_RATIO else f"over {TARGET_RATIO}x"
            check = "" if job.created == counts["valid"] else \
                f" — WRONG: {job.created} written, {counts['valid']} valid ({job.message})"
            self.line(f"import of {n:,} rows into a register of {register:,}: {took:.2f} s / "
                      f"parse {parsed:.2f} s + COPY {raw:.2f} s = {ratio:.2f}x ({job.created:,} "
                      f"rows; target <= {TARGET_RATIO}x: {verdict}){check}")
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    # ---- over HTTP ----------------------------------------------------------------------------

    def over_http(self, options, user, urls):
        import http.client
        import socket

        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.sessions.backends.db import SessionStore

        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]  # who logs in
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        # The production server as `make serve` runs it (canlian/gunicorn.conf.py: gthread
        # workers), with the 3 workers unless WEB_CONCURRENCY says otherwise.
        # Django's pool (a connection per thread, kept): no connection set up per request,
        # and PostgreSQL's CPU per request is then measured (a backend that ends takes its
        # CPU time with it).
        env = {"WEB_CONCURRENCY": "3", "DATABASE_POOL_MAX": "4", **os.environ,
               "GUNICORN_BIND": f"127.0.0.1:{port}"}
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "-c",
             str(Path(settings.BASE_DIR) / "canlian" / "gunicorn.conf.py"),
             "--log-level", "warning", "--access-logfile", os.devnull],
            cwd=settings.BASE_DIR, env=env)
        self.server_text = (f"gunicorn, {env['WEB_CONCURRENCY']} workers × "
                            f"{env.get('GUNICORN_THREADS', '4')} threads"
                            + (f", pool {env['DATABASE_POOL_MAX']}"
                               if int(env.get("DATABASE_POOL_MAX") or 0) else "")
                            + (f", CONN_MAX_AGE {env['CONN_MAX_AGE']}"
                               if int(env.get("CONN_MAX_AGE") or 0) else ""))
        cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

        def fetch(url):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                connection.request("GET", url, headers={"Cookie": cookie,
                                                        "Host": "localhost"})
                response = connection.getresponse()
                response.read()
                return response.status
            finally:
                connection.close()

        try:
            for _ in range(100):
                try:
                    fetch("/accounts/login/")
                    break
                except OSError:
                    time.sleep(0.2)
            for url in urls:
                status = fetch(url)
                took = _time(lambda u=url: fetch(u))
                self.line(f"over HTTP ({self.server_text}) {url}: {took * 1000:.0f} ms "
                          f"(HTTP {status})")
            self.load_test(fetch, urls, options["clients"], options["seconds"],
                           cpu=functools.partial(_tree_cpu, server.pid))
        finally:
            server.terminate()
            server.wait(timeout=30)

    def load_test(self, fetch, urls, clients: int, seconds: float, cpu=None) -> None:
        times, errors = [], []
        cpu_before, database_before = cpu() if cpu else 0.0, _database_cpu()
        lock = threading.Lock()
        stop = time.perf_counter() + seconds

        def client(number):
            i = number
            while time.perf_counter() < stop:
                url = urls[i % len(urls)]
                i += 1
                start = time.perf_counter()
                try:
                    status = fetch(url)
                except OSError as exc:
                    status = repr(exc)
                took = time.perf_counter() - start
                with lock:
                    (times if status == 200 else errors).append(took)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if len(times) >= 2:
            cuts = statistics.quantiles(times, n=20)
            p50, p95 = statistics.median(times), cuts[18]
        else:
            p50 = p95 = float("nan")
        verdict = "ok" if not errors and p95 < 1 else "over target"
        answered = max(1, len(times) + len(errors))
        spent = (f"; CPU per request: server {(cpu() - cpu_before) / answered * 1000:.0f} ms, "
                 f"PostgreSQL {_cpu_since(database_before, _database_cpu()) / answered * 1000:.0f}"
                 " ms "
                 f"(all its processes), {os.cpu_count()} cores, load average "
                 f"{os.getloadavg()[0]:.1f}") if cpu else ""
        self.line(f"load test: {clients} clients for {seconds:g} s on {', '.join(urls)}: "
                  f"{len(times)} answered, {len(errors)} errors, {len(times) / seconds:.1f} "
                  f"requests/s, p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms "
                  f"(target: no errors, p95 < 1 s: {verdict}){spent}")
