from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgersConfig(AppConfig):
    name = "ledgers"
    verbose_name = _("Ledgers")

    def ready(self):
        from . import (
            declared,  # noqa: F401 - the ledgers of the book declare themselves
            reforms,  # noqa: F401 - what a reform does with its tables
        )
