from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "canlian core"

    def ready(self):
        from . import crypto

        crypto.check_keys()  # a malformed key stops the start, not the first ID typed
