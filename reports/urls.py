from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("summary/", views.summary, name="summary"),
    path("summary/<int:pk>/", views.summary, name="summary_unit"),
    path("summary/<int:pk>/xlsx/", views.summary_xlsx, name="summary_xlsx"),
    path("reforms/<int:pk>/comparison/", views.reform_comparison, name="reform_comparison"),
    path("summary/<int:pk>/freeze/", views.summary_freeze, name="summary_freeze"),
    path("frozen/<int:pk>/", views.snapshot_list, name="snapshot_list"),
]

from . import overview_views  # noqa: E402 - the statistics overview, appended

urlpatterns += [
    path("overview/", overview_views.overview, name="overview"),
    path("overview/<int:pk>/", overview_views.overview, name="overview_unit"),
    path("overview/<int:pk>/xlsx/", overview_views.overview_xlsx, name="overview_xlsx"),
    path("overview/<int:pk>/pdf/", overview_views.overview_pdf, name="overview_pdf"),
]
