"""The ledgers' import specs, found by imports.apps (autodiscover_modules("imports")): each
part of the app registers its own in its module, imported here."""

# ---- the work record book, meetings and the annual plan's items (issue 14, records) ---------
# ---- assistance and volunteer activities (issue 14, activities) ----------------------------
# ---- letters and visits 来信来访 (issue 14): petitions_imports --------------------------------
# ---- funds 经费 (issue 18): funds_imports -------------------------------------------------------
from . import (
    activities_imports,  # noqa: F401, I001
    funds_imports,  # noqa: F401
    petitions_imports,  # noqa: F401
    records_imports,  # noqa: F401
)
