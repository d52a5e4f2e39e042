from django.http import JsonResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _

from .main import api


def not_found(request):
    """Anything under /api/v1/ that names no operation: a JSON 404 like the API's own."""
    return JsonResponse({"detail": _("Not found, or not in your scope."), "errors": {}},
                        status=404)


urlpatterns = [path("", api.urls), re_path(r"^.*$", not_found, name="api_not_found")]
