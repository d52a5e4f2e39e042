"""manage.py reseal_numbers [--everything]: every sealed number sealed again with the current
keys (after a key rotation; see the README, Encryption of ID numbers). Each app that seals
numbers has ``services.reseal_numbers(actor=, everything=)`` returning {what: count}; this
command finds them in the order of INSTALLED_APPS (core names no app), so the register's ID
numbers and the audit log, then the workers' ID and bank account numbers, follow."""

import importlib
import importlib.util

from django.apps import apps
from django.core.management.base import BaseCommand

from core.actors import SYSTEM


def resealers():
    for config in apps.get_app_configs():
        name = f"{config.name}.services"
        if config.name == "core" or not importlib.util.find_spec(config.name):
            continue
        if importlib.util.find_spec(name):
            function = getattr(importlib.import_module(name), "reseal_numbers", None)
            if function is not None:
                yield function


class Command(BaseCommand):
    help = ("Seal the personal numbers (and the audit log's) again with the current key: "
            "after a new key is put first in CANLIAN_FIELD_KEYS. --everything also "
            "recomputes the lookup hashes, after CANLIAN_LOOKUP_KEY changed.")

    def add_arguments(self, parser):
        parser.add_argument("--everything", action="store_true",
                            help="Reseal every number and recompute every lookup hash.")

    def handle(self, *args, everything=False, **options):
        counts = {}
        for reseal in resealers():
            counts.update(reseal(actor=SYSTEM, everything=everything))
        self.stdout.write("resealed: " + ", ".join(
            f"{n} {what.replace('_', ' ')}" for what, n in counts.items()))
