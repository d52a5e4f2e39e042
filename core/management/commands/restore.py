"""``manage.py restore FILE``: bring back a copy that ``backup`` wrote (everything in the
database is replaced by it)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Replace the database by a copy written by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--yes", action="store_true",
                            help="Do not ask: everything in the database is replaced.")

    def handle(self, *args, file: Path, yes: bool, **options):
        if not yes:
            answer = input(f"Replace everything in the database by {file}? [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("Nothing was restored.")
        try:
            restore(file)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored from {file}.")
