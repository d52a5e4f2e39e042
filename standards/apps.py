from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "standards"
    verbose_name = "standards"

    def ready(self):
        from . import reforms  # noqa: F401 - what a reform does with its tables
