"""``manage.py rebuild_visit_facts [--check] [--batch 50000]``: set every person's kept visit
facts (``last_visited_on``, ``next_visit_due``) from their visits again, a batch of people
per transaction (people.services.visit_facts_refresh). The writes of visits keep them; run
this after writing visits by hand (SQL, a restore of an older backup), or with ``--check``
to count the people whose facts differ (exit status 1 when any do), writing nothing."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Max

from people.models import Person
from people.selectors import visit_facts_stale
from people.services import visit_facts_refresh


class Command(BaseCommand):
    help = "Set the people's kept visit facts from their visits again (--check: only count)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help="count the people whose facts differ; write nothing")
        parser.add_argument("--batch", type=int, default=50_000,
                            help="people per transaction (by id range)")

    def handle(self, *args, check, batch, **options):
        if check:
            stale = visit_facts_stale().count()
            self.stdout.write(f"{stale} people with stale visit facts")
            if stale:
                raise CommandError("visit facts are stale: run rebuild_visit_facts")
            return
        top = Person.objects.aggregate(top=Max("pk"))["top"] or 0
        done = 0
        for start in range(0, top + 1, max(batch, 1)):
            with transaction.atomic():
                done += visit_facts_refresh(people=Person.objects.filter(
                    pk__gte=start, pk__lt=start + batch).values("pk"))
        self.stdout.write(f"{done} people's visit facts set")
