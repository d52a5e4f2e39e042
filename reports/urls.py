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

# ---- the dashboard of a unit (工作看板) --------------------------------------------------------
from . import dashboard_views  # noqa: E402

urlpatterns += [
    path("dashboard/", dashboard_views.dashboard_page, name="dashboard"),
    path("dashboard/<int:pk>/", dashboard_views.dashboard_page, name="dashboard_unit"),
    path("dashboard/<int:pk>/xlsx/", dashboard_views.dashboard_xlsx, name="dashboard_xlsx"),
    path("dashboard/<int:pk>/pdf/", dashboard_views.dashboard_pdf, name="dashboard_pdf"),
]
