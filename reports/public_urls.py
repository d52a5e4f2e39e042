"""The public pages (no login): /public/ searches, /public/<division code>/ shows a village."""

from django.urls import path

from . import public_views

app_name = "public"
urlpatterns = [
    path("", public_views.search, name="search"),
    path("<str:code>/", public_views.unit, name="unit"),
]
