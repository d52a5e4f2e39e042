"""The letters-and-visits benchmark: the petition list of a city with 10,000 petitions,
each page beside the hand-written SQL doing the same work.

    manage.py bench_petitions [--petitions 10000] [--database petitions_bench] [--keep]

It builds, in a database of its own (a fresh SQLite file, or ``--database`` on the
PostgreSQL server DATABASE_URL names; dropped at the end unless --keep), a city of 7
counties, 8 townships each and 12 villages each (735 units), and --petitions petitions
across its townships and villages over two years — most closed, some open, about one in
ten overdue — written with bulk inserts (the bench's own speed machinery, not the
service's). Then, as a city administrator and as a county administrator, it asks each list
page through the test client, as a browser would (best of 3, with its query count), beside
the raw SQL giving the same rows and count, and prints one line per figure: the page's
time, the raw time, the ratio, the queries. Nothing is asserted; the tests assert that the
query count does not grow with the data or the page."""

import datetime as dt
import functools
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

DATABASE = "petitions_bench"


def _counted(queries: list, execute, sql, params, many, context):
    """A query the page asks (connection.execute_wrapper: counted whatever DEBUG says, and
    not reset when a request starts)."""
    queries.append(sql)
    return execute(sql, params, many, context)


def _best(function, repeat: int = 3):
    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        took = time.perf_counter() - start
        best = took if best is None else min(best, took)
    return best


class Command(BaseCommand):
    help = "Time the petition lists of a city with 10,000 petitions beside hand-written SQL."

    def add_arguments(self, parser):
        parser.add_argument("--petitions", type=int, default=10_000)
        parser.add_argument("--database", default=DATABASE,
                            help="the PostgreSQL database to build (made and dropped)")
        parser.add_argument("--keep", action="store_true")
        parser.add_argument("--child", action="store_true", help="(internal)")

    def handle(self, *args, **options):
        if options["child"]:
            return self.measure(options)
        from .bench_import import _Database

        workdir = Path(tempfile.mkdtemp(prefix="canlian-petitions-"))
        database = _Database(workdir, name=options["database"])
        database.create()
        self.stdout.write(f"database: {database.where}")
        env = database.child_env(workdir)
        env.update({"STATIC_ROOT": str(workdir / "static"), "SECURE_SSL_REDIRECT": "0",
                    "SECURE_COOKIES": "0", "SECURE_HSTS_SECONDS": "0"})
        command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"),
                   "bench_petitions", "--child", "--petitions", str(options["petitions"])]
        try:
            with subprocess.Popen(command, env=env, cwd=settings.BASE_DIR,  # noqa: S603
                                  stdout=subprocess.PIPE, text=True) as child:
                for text in child.stdout:
                    self.stdout.write(text.rstrip("\n"))
                    self.stdout.flush()
            if child.returncode:
                raise CommandError(f"the measurement failed (exit {child.returncode})")
        finally:
            if not options["keep"]:
                shutil.rmtree(workdir, ignore_errors=True)
                database.drop()

    # ---- the child ------------------------------------------------------------------------

    def measure(self, options):
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: hashed names
        start = time.perf_counter()
        city, county = self.build_city()
        made = self.build_petitions(options["petitions"])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(f"{connection.vendor}: {made:,} petitions in a city of "
                          f"{self.units:,} units, built in {time.perf_counter() - start:.1f} s")
        self.figures(city, county)

    def build_city(self):
        from core.actors import SYSTEM
        from orgs import services
        from orgs.models import Level

        province = services.unit_create(actor=SYSTEM, parent=None, level=Level.PROVINCE,
                                        code="62", name="甘肃省")
        city = services.unit_create(actor=SYSTEM, parent=province, level=Level.CITY,
                                    code="6204", name="白银市")
        self.units = 2
        first = None
        for c in range(7):
            county = services.unit_create(actor=SYSTEM, parent=city, level=Level.COUNTY,
                                          code=f"62042{c}", name=f"第{c + 1}县")
            first = first or county
            self.units += 1
            for t in range(8):
                township = services.unit_create(
                    actor=SYSTEM, parent=county, level=Level.TOWNSHIP,
                    code=f"62042{c}1{t:02d}", name=f"第{c + 1}县第{t + 1}镇")
                self.units += 1
                for v in range(12):
                    services.unit_create(actor=SYSTEM, parent=township, level=Level.VILLAGE,
                                         code=f"62042{c}1{t:02d}2{v:02d}",
                                         name=f"第{c + 1}县第{t + 1}镇第{v + 1}村")
                    self.units += 1
        return city, first

    def build_petitions(self, count: int) -> int:
        from django.db import transaction

        from ledgers import petitions_services
        from ledgers.models import Petition, PetitionEvent
        from orgs.models import Level, OrgUnit

        categories = petitions_services.default_categories()
        units = list(OrgUnit.objects.filter(level__in=(Level.TOWNSHIP, Level.VILLAGE))
                     .order_by("id").values_list("id", flat=True))
        today = dt.date.today()
        statuses = ["closed"] * 6 + ["replied", "handling", "accepted", "registered",
                                     "not_accepted", "reopened"]
        rows, events = [], []
        now = dt.datetime.now(dt.UTC)
        for i in range(count):
            received = today - dt.timedelta(days=(i * 37) % 730)
            status = statuses[i % len(statuses)]
            category = categories[i % len(categories)]
            replied = status in ("replied", "closed")
            rows.append(Petition(
                unit_id=units[(i * 7919) % len(units)], received_how="visit",
                received_on=received, petitioner_name=f"来访人{i}",
                petitioner_phone=f"139{i:08d}", category=category, content=f"反映问题{i}",
                status=status, deadline=received + dt.timedelta(days=category.deadline_days),
                reply="已答复" if replied else "",
                replied_on=min(today, received + dt.timedelta(days=20)) if replied else None,
                satisfaction="satisfied" if status == "closed" else ""))
        with transaction.atomic():
            made = Petition.objects.bulk_create(rows, batch_size=2000)
            for petition in made:
                events.append(PetitionEvent(petition=petition, at=now, from_status="",
                                            to_status="registered"))
            PetitionEvent.objects.bulk_create(events, batch_size=2000)
        return len(made)

    def figures(self, city, county):
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        from accounts.models import User
        from accounts.roles import Role
        from ledgers.petitions_choices import OPEN

        city_user = User.objects.create(username="bench_city", unit=city, role=Role.ADMIN)
        county_user = User.objects.create(username="bench_county", unit=county,
                                          role=Role.ADMIN)
        today = dt.date.today()
        clients = {}

        def page(user, url, params):
            if user.pk not in clients:
                clients[user.pk] = Client()
                clients[user.pk].force_login(user)
            client = clients[user.pk]

            def run():
                response = client.get(url, params, secure=True)
                if response.status_code != 200:
                    raise CommandError(f"{url} {params}: HTTP {response.status_code}")
            return run

        subtree = "p.unit_id IN (SELECT id FROM orgs_orgunit WHERE path >= %s AND path < %s)"
        columns = ("SELECT p.id, p.received_on, p.petitioner_name, p.petitioner_phone, "
                   "p.received_how, p.status, p.deadline, p.replied_on, u.name, c.name "
                   "FROM ledgers_petition p JOIN orgs_orgunit u ON u.id = p.unit_id "
                   "JOIN ledgers_petitioncategory c ON c.id = p.category_id WHERE ")
        order = " ORDER BY p.received_on DESC, p.id DESC LIMIT 50 OFFSET %s"
        open_list = ", ".join(f"'{s}'" for s in sorted(OPEN))
        overdue = f" AND p.status IN ({open_list}) AND p.deadline < %s"

        def raw(where, params, offset):
            def run():
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT count(*) FROM ledgers_petition p WHERE {where}",  # noqa: S608
                                   params)
                    cursor.fetchall()
                    cursor.execute(columns + where + order, [*params, offset])  # noqa: S608
                    cursor.fetchall()
            return run

        def bounds(unit):
            from core.scope import path_upper_bound

            return [unit.path, path_upper_bound(unit.path)]

        url = reverse("ledgers:petition_list")
        overdue_url = reverse("ledgers:petition_overdue")
        children = " AND p.unit_id IN (SELECT id FROM orgs_orgunit WHERE parent_id = %s)"
        flagged = subtree + children + overdue
        figures = [
            ("city list, first page", page(city_user, url, {}),
             raw(subtree, bounds(city), 0)),
            ("city list, page 100", page(city_user, url, {"page": 100}),
             raw(subtree, bounds(city), 99 * 50)),
            ("city list, overdue filter", page(city_user, url, {"overdue": "on"}),
             raw(subtree + overdue, [*bounds(city), today], 0)),
            ("county user's list, first page", page(county_user, url, {}),
             raw(subtree, bounds(county), 0)),
            ("county user's list, page 20", page(county_user, url, {"page": 20}),
             raw(subtree, bounds(county), 19 * 50)),
            ("county's overdue in its townships", page(county_user, overdue_url, {}),
             raw(flagged, [*bounds(county), county.pk, today], 0)),
        ]
        for name, system, hand in figures:
            system()  # warm
            queries = []
            with connection.execute_wrapper(functools.partial(_counted, queries)):
                system()
            took = _best(system)
            raw_took = _best(hand)
            ratio = took / raw_took if raw_took else float("inf")
            self.stdout.write(f"{name:<36} page {took * 1000:7.1f} ms   raw SQL "
                              f"{raw_took * 1000:7.1f} ms   ratio {ratio:6.1f}×   "
                              f"{len(queries)} queries")
            self.stdout.flush()
