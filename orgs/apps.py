from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = _("Organisation network")

    def ready(self):
        from . import reform_holdings  # noqa: F401 - what a reform does with them
