from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("Register of disabled people")

    def ready(self):
        from . import reforms  # noqa: F401 - what a reform does with its tables
