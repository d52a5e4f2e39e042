"""The payroll benchmark: a payroll run for a county of N officers (default 20,000: 40
townships × 250 villages, a chair and a liaison officer in each village), beside a raw
baseline, with the number of queries at N and at N/10 (the same: it does not grow).

    manage.py bench_payroll [--officers 20000] [--repeat 3]

It works in a throwaway database of the configured kind (Django's test database:
test_<name> on PostgreSQL, in memory on SQLite), made and dropped by the command. The
officers are written by bulk inserts (the benchmark's speed machinery, not the system's).

* run: workforce.payroll_services.payroll_run — both input queries, the rules
  (workforce/rules.py subsidy_pay: pro-rating, policy choice) and the lines' bulk insert,
  with its audit entry;
* baseline: the same two input queries by the ORM and as many lines inserted by the same
  fastest path (COPY on PostgreSQL, executemany on SQLite), each the policy's monthly
  amount with no rule applied — the floor of reading and writing;
* confirm: payroll_confirm of the run (locks, check, totals).

The ratio run / baseline is what the rules and the service cost over the floor."""

import datetime as dt
import time
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext


def _fill(officers: int):
    from core.actors import SYSTEM
    from core.scope import path_segment
    from orgs.models import Level, OrgUnit
    from workforce.models import Appointment, Post, Worker
    from workforce.tests.factories import make_policy

    def units(parents, level, per, prefix):
        made = OrgUnit.objects.bulk_create([
            OrgUnit(parent=p, level=level, code=f"{p.code}{i:03d}", name=f"{prefix}{p.pk}-{i}",
                    kind="village" if level == Level.VILLAGE and i % 5 else "community"
                    if level == Level.VILLAGE else "town")
            for p in parents for i in range(1, per + 1)])
        by_pk = {p.pk: p for p in parents}
        for u in made:
            u.path = by_pk[u.parent_id].path + path_segment(u.pk)
        OrgUnit.objects.bulk_update(made, ["path"], batch_size=2000)
        return made

    province = OrgUnit.objects.create(level=Level.PROVINCE, code="62", name="甘肃省")
    province.path = path_segment(province.pk)
    province.save(update_fields=["path"])
    city = units([province], Level.CITY, 1, "市")[0]
    county = units([city], Level.COUNTY, 1, "县")[0]
    villages_per = max(officers // 2 // 40, 1)
    townships = units([county], Level.TOWNSHIP, 40, "镇")
    villages = units(townships, Level.VILLAGE, villages_per, "村")[: max(officers // 2, 1)]
    posts = Post.objects.bulk_create([Post(unit=v, kind=k) for v in villages
                                      for k in ("chair", "liaison")], batch_size=5000)
    workers = Worker.objects.bulk_create([
        Worker(unit_id=p.unit_id, name=f"委员{i}", id_cipher=f"bench{i}",
               id_hash=f"bench{i:010d}", gender="M", birth_date=dt.date(1980, 1, 1))
        for i, p in enumerate(posts)], batch_size=5000)
    Appointment.objects.bulk_create([
        Appointment(post=p, worker=w, starts_on=dt.date(2024, 3, 16) if i % 10 == 0
                    else dt.date(2020, 1, 1),
                    ended_on=dt.date(2024, 3, 20) if i % 37 == 0 else None,
                    end_reason="resigned" if i % 37 == 0 else "")
        for i, (p, w) in enumerate(zip(posts, workers, strict=True))], batch_size=5000)
    for kind, level, unit_kind, amount in (("liaison", 5, "community", "200.00"),
                                           ("liaison", 5, "village", "100.00"),
                                           ("chair", 5, "", "50.00")):
        make_policy(unit=county, actor=SYSTEM, name=f"{kind}{unit_kind}", post_kind=kind,
                    unit_level=level, unit_kind=unit_kind, monthly_amount=amount,
                    kind="public_welfare" if kind == "liaison" else "lost_work")
    make_policy(unit=townships[0], actor=SYSTEM, name="镇里提标", monthly_amount="300.00")
    return county, townships[0], len(posts)


def _baseline(unit, *, start, end):
    """The floor: the run's two input queries and as many lines inserted, no rule applied."""
    from django.db.models import Q
    from django.utils import timezone

    from imports.engine.fastinsert import insert_columns, insert_rows
    from workforce.models import (
        Appointment,
        PayrollLine,
        PayrollRun,
        SubsidyPolicy,
    )

    rows = list(Appointment.objects.within(unit).filter(starts_on__lte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=start)).order_by().values_list(
        "id", "worker_id", "post__unit_id", "post__kind", "post__title", "post__unit__level",
        "post__unit__kind", "post__unit__path", "starts_on", "ended_on"))
    policies = list(SubsidyPolicy.objects.filter(
        Q(unit_id__in=unit.ancestor_ids) | SubsidyPolicy.objects.scope_q(unit.path),
        cycle="monthly").values_list("id", "monthly_amount", "kind"))
    run = PayrollRun.objects.create(unit=unit, cycle="monthly", period_start=start,
                                    period_end=end)
    pk, amount, kind = policies[0]
    fields = insert_columns(PayrollLine)
    names = [f.attname for f in fields]
    fixed = {"run_id": run.pk, "line_kind": "computed", "batch": 1, "reason": "",
             "created_by_id": None, "created_at": timezone.now(), "policy_id": pk,
             "subsidy_kind": kind, "monthly_amount": amount, "amount": amount, "days": 31,
             "post_title": "", "basis": ""}
    template = [fixed.get(name) for name in names]
    unit_at, worker_at, appointment_at = (names.index(n) for n in (
        "unit_id", "worker_id", "appointment_id"))
    lines = []
    for r in rows:
        line = template.copy()
        line[unit_at], line[worker_at], line[appointment_at] = r[2], r[1], r[0]
        lines.append(tuple(line))
    insert_rows(PayrollLine, fields, lines)
    return len(rows)


def _inserts(sql: str) -> bool:
    # executemany is logged as "<n> times: INSERT …".
    return '"workforce_payrollline"' in sql and ("INSERT INTO" in sql or "COPY" in sql)


class _Rollback(Exception):
    pass


def _timed_once(function):
    """``function``'s time and result, in a transaction rolled back afterwards."""
    try:
        with transaction.atomic():
            started = time.perf_counter()
            result = function()
            elapsed = time.perf_counter() - started
            raise _Rollback((elapsed, result))
    except _Rollback as done:
        return done.args[0]


def _timed(functions, repeat):
    """The fastest of ``repeat`` times of each function, measured in turn (a shared
    machine only ever slows a run down, and a change in its load meets all alike)."""
    best = [None] * len(functions)
    results = [None] * len(functions)
    for _ in range(repeat):
        for i, function in enumerate(functions):
            elapsed, results[i] = _timed_once(function)
            best[i] = elapsed if best[i] is None else min(best[i], elapsed)
    return best, results


class Command(BaseCommand):
    help = "Time a payroll run for N officers beside a raw baseline (its own database)."

    def add_arguments(self, parser):
        parser.add_argument("--officers", type=int, default=20000)
        parser.add_argument("--repeat", type=int, default=3)

    def handle(self, *args, **options):
        from core.actors import SYSTEM
        from workforce import payroll_services as services

        officers, repeat = options["officers"], options["repeat"]
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True,
                                                      serialize=False)
        try:
            started = time.perf_counter()
            county, township, made = _fill(officers)
            filled = time.perf_counter() - started
            start, end = dt.date(2024, 3, 1), dt.date(2024, 3, 31)

            def run():
                return services.payroll_run(actor=SYSTEM, unit=county, cycle="monthly",
                                            year=2024, part=3)

            def run_and_confirm():
                return services.payroll_confirm(actor=SYSTEM, run=run())

            (run_time, base_time, both_time), (_r, base_lines, _c) = _timed(
                [run, lambda: _baseline(county, start=start, end=end), run_and_confirm],
                repeat)
            with transaction.atomic(), CaptureQueriesContext(connection) as big:
                result = run()
                lines = result.lines.count()
                total = sum(result.lines.values_list("amount", flat=True), Decimal("0"))
                services.payroll_confirm(actor=SYSTEM, run=result)
                transaction.set_rollback(True)
            with transaction.atomic(), CaptureQueriesContext(connection) as small:
                small_run = services.payroll_run(actor=SYSTEM, unit=township,
                                                 cycle="monthly", year=2024, part=3)
                small_lines = small_run.lines.count()
                services.payroll_confirm(actor=SYSTEM, run=small_run)
                transaction.set_rollback(True)
            big_inserts = sum(1 for q in big.captured_queries if _inserts(q["sql"]))
            small_inserts = sum(1 for q in small.captured_queries if _inserts(q["sql"]))
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        out = self.stdout.write
        out(f"database: {connection.vendor}; {made} officers ({filled:.1f} s to make), "
            f"March 2024, fastest of {repeat}")
        out(f"run:      {run_time:.2f} s for {lines} lines, {total} yuan")
        out(f"baseline: {base_time:.2f} s for {base_lines} lines (ORM reads + COPY/executemany, "
            f"no rules)")
        out(f"ratio:    {run_time / base_time:.2f}× the baseline")
        out(f"run + confirm: {both_time:.2f} s")
        out(f"queries:  {len(big.captured_queries)} for {lines} lines "
            f"({big_inserts} of them line inserts); "
            f"{len(small.captured_queries)} for one township's {small_lines} lines "
            f"({small_inserts} inserts) — the rest does not grow"
            + ("; a COPY is not in Django's query log" if connection.vendor == "postgresql"
               else ""))
