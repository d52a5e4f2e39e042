"""The ledgers' import specs (found by imports.apps: each is registered where it is
written)."""

# ---- assistance and volunteer activities (issue 14, activities) ----------------------------
from . import activities_imports  # noqa: F401
