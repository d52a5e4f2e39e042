"""manage.py reseal_numbers [--everything]: the ID numbers sealed again with the current keys
(after a key rotation; see the README, Encryption of ID numbers)."""

from django.core.management.base import BaseCommand

from core.actors import SYSTEM
from people.services import reseal_numbers


class Command(BaseCommand):
    help = ("Seal the ID numbers (and the audit log's) again with the current key: after a "
            "new key is put first in CANLIAN_FIELD_KEYS. --everything also recomputes the "
            "lookup hashes, after CANLIAN_LOOKUP_KEY changed.")

    def add_arguments(self, parser):
        parser.add_argument("--everything", action="store_true",
                            help="Reseal every number and recompute every lookup hash.")

    def handle(self, *args, everything=False, **options):
        counts = reseal_numbers(actor=SYSTEM, everything=everything)
        self.stdout.write(f"resealed: {counts['people']} people, "
                          f"{counts['audit_entries']} audit entries")
