"""The ledgers' import specs, found by imports.apps (autodiscover_modules("imports")): each
part of the app registers its own in its module, imported here."""

# ---- the work record book, meetings and the annual plan's items (issue 14, records) ---------
# ---- assistance and volunteer activities (issue 14, activities) ----------------------------
from . import (
    activities_imports,  # noqa: F401, I001
    records_imports,  # noqa: F401
)
