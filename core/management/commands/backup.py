"""``manage.py backup [FILE]``: a consistent copy of the database (see core.backup)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.backup import BackupError, backup, default_suffix


class Command(BaseCommand):
    help = "Write a consistent copy of the database (SQLite backup API, or pg_dump)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path,
                            help="Where to write it (default: var/backups/canlian-<time>).")

    def handle(self, *args, file: Path | None, **options):
        if file is None:
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            file = Path(settings.BASE_DIR) / "var" / "backups" / \
                f"canlian-{stamp}{default_suffix()}"
        try:
            written = backup(file)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{written} ({written.stat().st_size:,} bytes)")
