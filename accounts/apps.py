from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import (
            reforms,  # noqa: F401 - what a reform does with its tables
            signals,  # noqa: F401  (login audit receivers)
        )
