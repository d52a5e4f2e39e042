"""``manage.py forget_exports``: remove the files of background exports past their time
(CANLIAN_EXPORT_KEEP_HOURS after they were written; core.exportjobs). Each new export job
does it too, so it is only needed where exports are rare: run it daily, from cron or the job
runner."""

from django.core.management.base import BaseCommand

from core.exportjobs import export_jobs_purge


class Command(BaseCommand):
    help = "Remove the files of background exports past their time."

    def handle(self, *args, **options):
        self.stdout.write(f"{export_jobs_purge()}")
