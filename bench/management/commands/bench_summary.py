"""The summary table benchmark at province scale: the table read from the kept counts
(reports.selectors.summary_table) against the grouped count over the people
(summary_table_live), on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME \\
        manage.py bench_summary [--people 2000000] [--repeat 5]

It builds, in the database DATABASE_URL names (which must be empty, migrated by the
command), a province of 14 cities, 7 counties each, 14 townships each and 13 villages each
(19,224 units with the grids left out), and ``--people`` people spread over the villages
with registration days over ten years (a share deceased or moved out), written by SQL
(generate_series) and counted as an import counts them (people.counts.record_new_people).
Then it times the province's table both ways, today and as of 31 December of last year
(fastest of ``--repeat``), checks that they agree, and prints one line each.
"""

import datetime as dt
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from core.scope import path_segment
from orgs.models import Level, OrgUnit
from people import counts
from people.models import Person
from reports.selectors import summary_table, summary_table_live

SHAPE = ((Level.CITY, 14), (Level.COUNTY, 7), (Level.TOWNSHIP, 14), (Level.VILLAGE, 13))


def _build_units() -> OrgUnit:
    province = OrgUnit.objects.create(level=Level.PROVINCE, code="62", name="甘肃省",
                                      population=25_000_000)
    province.path = path_segment(province.pk)
    province.save(update_fields=["path"])
    parents = [province]
    for level, per_parent in SHAPE:
        units = [OrgUnit(parent=p, level=level, name=f"{p.name[:6]}{level}-{i}",
                         code=None, population=1000 * (i + 1), path="")
                 for p in parents for i in range(per_parent)]
        OrgUnit.objects.bulk_create(units, batch_size=5000)
        for unit in units:
            unit.path = unit.parent.path + path_segment(unit.pk)
        OrgUnit.objects.bulk_update(units, ["path"], batch_size=5000)
        parents = units
    return province


PEOPLE_SQL = """
INSERT INTO people_person (unit_id, name, search_key, id_number, gender, birth_date,
    ethnicity, phone, address, hukou, education, marital_status, living, guardian_name,
    guardian_phone, guardian_relation, dibao, tekun, living_subsidy, care_subsidy,
    employment, notes, certificate_number, certificate_issued_on, certificate_valid_until,
    category, grade, status, status_date, registered_on, updated_at, version)
SELECT v.id, 'bench', '', lpad(g::text, 18, '0'),
    CASE WHEN g %% 2 = 0 THEN 'M' ELSE 'F' END,
    DATE '1935-01-01' + (g * 7919 %% 32000)::int,
    '汉族', '', '', CASE WHEN g %% 3 = 0 THEN 'urban' ELSE 'rural' END, '', '', '', '',
    '', '', false, false, false, false, '', '',
    CASE WHEN g %% 5 = 0 THEN NULL ELSE lpad(g::text, 18, '0') || (g %% 7 + 1) || (g %% 4 + 1) END,
    CASE WHEN g %% 5 = 0 THEN NULL ELSE DATE '2016-04-01' END, NULL,
    CASE WHEN g %% 5 = 0 THEN NULL ELSE g %% 7 + 1 END,
    CASE WHEN g %% 5 = 0 THEN NULL ELSE g %% 4 + 1 END,
    CASE WHEN g %% 13 = 0 THEN 'deceased' WHEN g %% 17 = 0 THEN 'moved_out' ELSE 'active' END,
    CASE WHEN g %% 13 = 0 OR g %% 17 = 0 THEN %(today)s - (g %% 300)::int END,
    %(today)s - 3650 + (g * 31 %% 3650)::int, now(), 1
FROM generate_series(1::bigint, %(people)s) g
JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM orgs_orgunit
      WHERE level = 5) v ON v.k = g %% %(villages)s
"""


class Command(BaseCommand):
    help = "Time the province's summary table from the kept counts and counted live."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=2_000_000)
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args, people, repeat, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The summary benchmark runs on PostgreSQL (DATABASE_URL).")
        call_command("migrate", verbosity=0)
        if OrgUnit.objects.exists():
            raise CommandError("The database is not empty.")
        started = time.perf_counter()
        today = timezone.localdate()
        with transaction.atomic():
            province = _build_units()
            villages = OrgUnit.objects.filter(level=Level.VILLAGE).count()
            with connection.cursor() as cursor:
                cursor.execute(PEOPLE_SQL, {"people": people, "villages": villages,
                                            "today": today})
            counts.aged_on()
            counts.record_new_people(Person.objects.all())
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        units = OrgUnit.objects.count()
        self.stdout.write(f"built {units} units, {people} people in "
                          f"{time.perf_counter() - started:.0f} s")
        user = User.objects.create(username="bench_province", is_superuser=True)
        past = dt.date(today.year - 1, 12, 31)
        for day in (today, past):
            timings = {}
            for name, read in (("kept", summary_table), ("live", summary_table_live)):
                best, table = None, None
                for _ in range(repeat):
                    start = time.perf_counter()
                    table = read(user=user, unit=province, as_of=day)
                    elapsed = time.perf_counter() - start
                    best = elapsed if best is None else min(best, elapsed)
                timings[name] = (best, table)
            kept, live = timings["kept"][1], timings["live"][1]
            if day == today:
                same = [r.counts for r in kept.rows] == [r.counts for r in live.rows]
                note = "same counts" if same else "COUNTS DIFFER"
            else:  # the live count has no history: today's register with ages on the day
                note = "the live count is today's register with ages on that day"
            self.stdout.write(
                f"{day}: kept {timings['kept'][0] * 1000:.0f} ms, live "
                f"{timings['live'][0] * 1000:.0f} ms; {kept.total.total} people; {note}")
