from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.actors import SYSTEM
from core.tabular import TableError, read_table
from orgs.divisions import MODE_ALL, MODE_VALID, divisions_import


class Command(BaseCommand):
    help = "Import a division list (.csv or .xlsx: code, name, parent_code, level), by code."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--valid-only", action="store_true",
            help="Import the valid rows even when others are bad (default: all or nothing).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")
        parser.add_argument("--sheet", default=0, help="Sheet name or index for spreadsheets.")

    def handle(self, *args, file: Path, valid_only: bool, dry_run: bool, sheet, **options):
        if not file.exists():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        sheet = int(sheet) if str(sheet).isdigit() else sheet
        try:
            result = divisions_import(
                actor=SYSTEM, table=read_table(file.read_bytes(), file.name, sheet),
                mode=MODE_VALID if valid_only else MODE_ALL, dry_run=dry_run, source=file.name,
            )
        except TableError as exc:
            raise CommandError(str(exc)) from exc
        for error in result.errors:
            self.stderr.write(
                _("row %(row)d, column %(column)s, value “%(value)s”: %(reason)s") % {
                    "row": error.row, "column": error.column_label, "value": error.value,
                    "reason": error.reason,
                }
            )
        self.stdout.write(
            _("%(total)d rows: %(created)d created, %(updated)d updated, %(unchanged)d "
              "unchanged, %(bad)d bad rows.") % {
                "total": result.total, "created": result.created, "updated": result.updated,
                "unchanged": result.unchanged, "bad": result.bad_rows,
            }
        )
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        elif not result.applied and result.errors:
            raise CommandError(_("Nothing was imported because some rows are bad."))
