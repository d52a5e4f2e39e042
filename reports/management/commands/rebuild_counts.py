"""``manage.py rebuild_counts``: recount the kept counts of the summary table (people.counts)
from the register, or with ``--check`` compare them with it and exit non-zero on any
difference. ``--unit PK``: only that unit's subtree."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from orgs.models import OrgUnit
from people import counts
from reports.selectors import COUNT_KEYS, live_counts_by_unit


def compare(kept: dict, live: dict) -> list[tuple[int, str, int, int]]:
    """(unit id, key, kept, live) for every count that differs."""
    return [(pk, key, kept.get(pk, {}).get(key, 0), live.get(pk, {}).get(key, 0))
            for pk in sorted(set(kept) | set(live)) for key in COUNT_KEYS
            if kept.get(pk, {}).get(key, 0) != live.get(pk, {}).get(key, 0)]


def check_counts(unit: OrgUnit | None, dates: list[dt.date]) -> dict[dt.date, list]:
    """The differences between the kept counts and the register: today's against the
    grouped count over the people (reports.selectors.live_counts_by_unit) and the visit
    counts of every year against the visits, and those of each earlier day of ``dates``
    against the register's events replayed."""
    today = timezone.localdate()
    found = {today: compare(counts.kept_counts_by_unit(unit, today),
                            live_counts_by_unit(unit=unit, as_of=today))}
    # The kept visit counts (people.UnitVisitCount): the active people visited each year.
    kept, live = counts.visited_by_unit(unit), counts.visited_by_unit(unit, live=True)
    found[today] += [(pk, f"visited.{year}", kept.get((pk, year), 0), live.get((pk, year), 0))
                     for pk, year in sorted(set(kept) | set(live))
                     if kept.get((pk, year), 0) != live.get((pk, year), 0)]
    for day in dates:
        if day != today:
            found[day] = compare(counts.kept_counts_by_unit(unit, day),
                                 counts.live_history_counts(unit, day))
    return found


class Command(BaseCommand):
    help = ("Recount the summary table's kept counts from the register (--check: compare "
            "them instead, and exit with status 1 on a difference).")

    def add_arguments(self, parser):
        parser.add_argument("--unit", type=int, help="Only this unit's subtree (its id).")
        parser.add_argument("--check", action="store_true",
                            help="Compare, change nothing; print each difference.")
        parser.add_argument("--as-of", action="append", default=[], type=dt.date.fromisoformat,
                            metavar="YYYY-MM-DD",
                            help="With --check: also compare the counts as of this day "
                                 "(repeatable; default: the last day of last year).")

    def handle(self, *args, unit=None, check=False, as_of=(), **options):
        top = None
        if unit is not None:
            top = OrgUnit.objects.filter(pk=unit).first()
            if top is None:
                raise CommandError(f"No unit with the id {unit}.")
        if not check:
            with transaction.atomic():
                counts.rebuild(top)
            self.stdout.write(f"Kept counts rebuilt{f' for {top.name}' if top else ''}.")
            return
        today = timezone.localdate()
        dates = list(as_of) or [dt.date(today.year - 1, 12, 31)]
        with transaction.atomic():
            counts.lock_people()  # one consistent reading of the register
            check_result = check_counts(top, dates)
        names = dict(OrgUnit.objects.values_list("pk", "name"))
        differences = 0
        for day, rows in sorted(check_result.items()):
            for pk, key, kept, live in rows:
                self.stdout.write(f"{day} {pk} {names.get(pk, '?')} {key}: "
                                  f"kept {kept}, register {live}")
            differences += len(rows)
        if differences:
            raise CommandError(f"{differences} kept counts differ from the register.")
        self.stdout.write(f"The kept counts agree with the register "
                          f"({', '.join(d.isoformat() for d in sorted(check_result))}).")
