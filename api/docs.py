"""The API's documentation page, /api/v1/docs: the OpenAPI schema rendered by the site's
own template (no scripts from elsewhere, which the CSP forbids; accessible like every
page), with a link to the schema itself for machines."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from ninja.openapi.docs import DocsBase

METHODS = ("get", "post", "put", "patch", "delete")
# The parts of the API (the routers' tags) as the page names them.
TAG_LABELS = {
    "units": _("Organisation network"), "people": _("Register"), "needs": _("Needs"),
    "visits": _("Visits"), "job seekers": _("Job seekers"), "transfers": _("Transfers"),
    "imports": _("Import from Excel"), "workforce": _("Workforce"), "ledgers": _("Ledgers"),
    "reports": _("Summary table"),
}


def _parameters(operation: dict) -> list[dict]:
    return [{"name": p["name"], "where": p["in"], "required": p.get("required", False),
             "description": p.get("description", "")}
            for p in operation.get("parameters", [])]


def _responses(operation: dict) -> list[tuple[str, str]]:
    return [(code, answer.get("description", "")) for code, answer
            in sorted(operation.get("responses", {}).items())]


class LocalDocs(DocsBase):
    def render_page(self, request, api, **kwargs):
        schema = api.get_openapi_schema(path_params=kwargs)
        groups: dict[str, list[dict]] = {}
        for path, methods in schema["paths"].items():
            for method in METHODS:
                operation = methods.get(method)
                if operation is None:
                    continue
                tag = (operation.get("tags") or ["api"])[0]
                groups.setdefault(str(TAG_LABELS.get(tag, tag)), []).append({
                    "method": method.upper(), "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "id": operation.get("operationId", ""),
                    "parameters": _parameters(operation),
                    "body": "requestBody" in operation,
                    "responses": _responses(operation),
                })
        order = [str(label) for label in TAG_LABELS.values()]
        return render(request, "api/docs.html", {
            "api": api, "groups": sorted(groups.items(), key=lambda g: (
                order.index(g[0]) if g[0] in order else len(order), g[0])),
            "openapi_url": self.get_openapi_url(api, kwargs),
        })
