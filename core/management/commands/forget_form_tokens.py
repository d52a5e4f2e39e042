"""``manage.py forget_form_tokens [--days 2]``: delete the one-time form tokens used more
than ``days`` ago (core.models.FormSubmission). A page that old resubmitted is then saved
again as new: run it daily, from cron or the job runner."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from core.models import FormSubmission


class Command(BaseCommand):
    help = "Delete the one-time form tokens used more than --days ago (default 2)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=2)

    def handle(self, *args, days, **options):
        cutoff = timezone.now() - dt.timedelta(days=max(days, 1))
        deleted, _by_model = FormSubmission.objects.filter(at__lt=cutoff).delete()
        self.stdout.write(f"{deleted}")
