"""``manage.py standards_defaults [--year 2027]``: write the national default standards of a
year (九有, 六有, 三个百分之百; standards/defaults.py), published, if they are not there yet —
run once at the start of each year, before the regions copy and change them."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from standards import services


class Command(BaseCommand):
    help = "Write the national default standards of a year (this year by default)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None)

    def handle(self, *args, year=None, **options):
        year = year or timezone.localdate().year
        for standard in services.defaults_ensure(year=year):
            self.stdout.write(f"{standard} · {standard.items.count()}")
