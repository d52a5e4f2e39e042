"""The REST API, /api/v1/: one NinjaAPI adding each app's router (``<app>/api.py``), with
its OpenAPI schema at /api/v1/openapi.json and its documentation at /api/v1/docs."""

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI

from imports.api import router as imports_router
from ledgers.api import router as ledgers_router
from orgs.api import router as orgs_router
from people.api import router as people_router
from reports.api import router as reports_router
from workforce.api import router as workforce_router

from . import errors
from .auth import BrowserSession, TokenAuth
from .docs import LocalDocs
from .throttle import TokenRateThrottle

api = NinjaAPI(
    title="canlian API",
    version="1",
    description=_("The register and network of the Disabled Persons' Federation, for "
                  "programs: every answer is what the token's user may see, every write "
                  "goes through the same rules and audit as the pages."),
    auth=[TokenAuth(), BrowserSession()],
    throttle=[TokenRateThrottle()],
    docs=LocalDocs(),
    docs_url="/docs",
    urls_namespace="api-1",
)
errors.install(api)
errors.install_form_errors(api)

api.add_router("/units/", orgs_router, tags=["units"])
api.add_router("/", people_router, tags=["people"])
api.add_router("/imports/", imports_router, tags=["imports"])
api.add_router("/workforce/", workforce_router, tags=["workforce"])
api.add_router("/ledgers/", ledgers_router, tags=["ledgers"])
api.add_router("/reports/", reports_router, tags=["reports"])
