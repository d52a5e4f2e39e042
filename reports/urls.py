from django.urls import include, path

from . import card_views, dashboard_views, overview_views, views, workreport_views

app_name = "reports"
urlpatterns = [
    path("summary/", views.summary, name="summary"),
    path("summary/<int:pk>/", views.summary, name="summary_unit"),
    path("summary/<int:pk>/xlsx/", views.summary_xlsx, name="summary_xlsx"),
    path("reforms/<int:pk>/comparison/", views.reform_comparison, name="reform_comparison"),
    path("summary/<int:pk>/freeze/", views.summary_freeze, name="summary_freeze"),
    path("frozen/<int:pk>/", views.snapshot_list, name="snapshot_list"),
    # A unit's dashboard (工作看板).
    path("dashboard/", dashboard_views.dashboard_page, name="dashboard"),
    path("dashboard/<int:pk>/", dashboard_views.dashboard_page, name="dashboard_unit"),
    path("dashboard/<int:pk>/xlsx/", dashboard_views.dashboard_xlsx, name="dashboard_xlsx"),
    path("dashboard/<int:pk>/pdf/", dashboard_views.dashboard_pdf, name="dashboard_pdf"),
    # The statistics overview (统计概况) in the form of the yearly reports.
    path("overview/", overview_views.overview, name="overview"),
    path("overview/<int:pk>/", overview_views.overview, name="overview_unit"),
    path("overview/<int:pk>/xlsx/", overview_views.overview_xlsx, name="overview_xlsx"),
    path("overview/<int:pk>/pdf/", overview_views.overview_pdf, name="overview_pdf"),
    # The yearly work report (汇报材料) and the template it follows.
    path("work-report/", workreport_views.work_report, name="work_report"),
    path("work-report/<int:pk>/", workreport_views.work_report, name="work_report_unit"),
    path("work-report/<int:pk>/docx/", workreport_views.work_report_docx,
         name="work_report_docx"),
    path("work-report/<int:pk>/pdf/", workreport_views.work_report_pdf, name="work_report_pdf"),
    path("work-report/<int:pk>/template/", workreport_views.work_report_template,
         name="work_report_template"),
    # The service cards (服务家园卡) of a village and of a township's villages.
    path("cards/village/<int:pk>/", card_views.service_card, name="service_card"),
    path("cards/township/<int:pk>/", card_views.service_cards, name="service_cards"),
    # The work committee (残工委) and the special associations (专门协会).
    path("", include("reports.committee_urls")),
]
