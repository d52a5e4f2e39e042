"""The ledgers' import specs, found by imports.apps (autodiscover_modules("imports")): each
part of the app registers its own in its module, imported here."""

# ---- the work record book, meetings and the annual plan's items (issue 14, records) ---------
from . import records_imports  # noqa: E402, F401

# ---- letters and visits 来信来访 (issue 14) ----------------------------------------------------
from . import petitions_imports  # noqa: F401
