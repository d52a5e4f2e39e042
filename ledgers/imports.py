"""The ledgers' import specs (found by the import engine's autodiscovery of ``imports``
modules): each ledger's spec lives in its own module, imported here."""

# ---- letters and visits 来信来访 (issue 14) ----------------------------------------------------
from . import petitions_imports  # noqa: F401
