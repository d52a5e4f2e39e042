from django.urls import path

from . import card_views, views

app_name = "reports"
urlpatterns = [
    path("summary/", views.summary, name="summary"),
    path("summary/<int:pk>/", views.summary, name="summary_unit"),
    path("summary/<int:pk>/xlsx/", views.summary_xlsx, name="summary_xlsx"),
    path("reforms/<int:pk>/comparison/", views.reform_comparison, name="reform_comparison"),
    path("summary/<int:pk>/freeze/", views.summary_freeze, name="summary_freeze"),
    path("frozen/<int:pk>/", views.snapshot_list, name="snapshot_list"),
    path("cards/village/<int:pk>/", card_views.service_card, name="service_card"),
    path("cards/township/<int:pk>/", card_views.service_cards, name="service_cards"),
]

# The work committee and the special associations (issue 18): reports/committee_urls.py.
from django.urls import include  # noqa: E402

urlpatterns += [path("", include("reports.committee_urls"))]

from . import workreport_views  # noqa: E402 - the yearly work report (issue 18)

urlpatterns += [
    path("work-report/", workreport_views.work_report, name="work_report"),
    path("work-report/<int:pk>/", workreport_views.work_report, name="work_report_unit"),
    path("work-report/<int:pk>/docx/", workreport_views.work_report_docx,
         name="work_report_docx"),
    path("work-report/<int:pk>/pdf/", workreport_views.work_report_pdf, name="work_report_pdf"),
    path("work-report/<int:pk>/template/", workreport_views.work_report_template,
         name="work_report_template"),
]

# ---- the dashboard of a unit (工作看板) --------------------------------------------------------
from . import dashboard_views  # noqa: E402

urlpatterns += [
    path("dashboard/", dashboard_views.dashboard_page, name="dashboard"),
    path("dashboard/<int:pk>/", dashboard_views.dashboard_page, name="dashboard_unit"),
    path("dashboard/<int:pk>/xlsx/", dashboard_views.dashboard_xlsx, name="dashboard_xlsx"),
    path("dashboard/<int:pk>/pdf/", dashboard_views.dashboard_pdf, name="dashboard_pdf"),
]
