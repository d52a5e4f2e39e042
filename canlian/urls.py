from django.contrib import admin
from django.urls import include, path

from reports.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("orgs/", include("orgs.urls")),
    path("reports/", include("reports.urls")),
    path("people/", include("people.urls")),
    path("workforce/", include("workforce.urls")),
    path("ledgers/", include("ledgers.urls")),
    path("standards/", include("standards.urls")),
    path("imports/", include("imports.urls")),
    path("api/v1/", include("api.urls")),
    path("", include("core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("public/", include("reports.public_urls")),
]
