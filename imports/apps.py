from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = "canlian imports"

    def ready(self):
        # Each app registers its ledgers' specs in its own imports.py (@registry.register).
        autodiscover_modules("imports")
