from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "workforce"
    verbose_name = "workforce"

    def ready(self):
        from . import reforms  # noqa: F401 - what a reform does with its tables
