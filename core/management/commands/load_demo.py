"""``manage.py load_demo``: every app's demo (its ``demo.load()``), in the order of
INSTALLED_APPS — the network before its users, the users before the register — in one
transaction. Loading it twice changes nothing. core names no app: it finds them."""

import importlib
import importlib.util

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _


def demo_modules():
    for config in apps.get_app_configs():
        name = f"{config.name}.demo"
        if importlib.util.find_spec(config.name) and importlib.util.find_spec(name):
            module = importlib.import_module(name)
            if hasattr(module, "load"):
                yield module


class Command(BaseCommand):
    help = "Load the demo of every app (the 会宁县 network, its users, synthetic people)."

    def handle(self, *args, **options):
        with transaction.atomic():
            lines = [line for module in demo_modules() for line in module.load()]
        self.stdout.write(_("Demo loaded."))
        for line in lines:
            self.stdout.write(line)
