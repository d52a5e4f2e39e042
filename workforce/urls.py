from django.urls import path

from . import views

app_name = "workforce"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("workers/", views.WorkerListView.as_view(), name="worker_list"),
    path("workers/export.xlsx", views.WorkerListView.as_view(export=True), name="worker_export"),
    path("workers/new/", views.WorkerCreateView.as_view(), name="worker_create"),
    path("workers/<int:pk>/", views.WorkerDetailView.as_view(), name="worker_detail"),
    path("workers/<int:pk>/edit/", views.WorkerEditView.as_view(), name="worker_edit"),
    path("workers/<int:pk>/appoint/", views.worker_appoint, name="worker_appoint"),
    path("appointments/<int:pk>/", views.AppointmentEditView.as_view(),
         name="appointment_edit"),
    path("appointments/<int:pk>/end/", views.appointment_end, name="appointment_end"),
    path("board/", views.post_board, name="board"),
    path("board/<int:pk>/", views.post_board, name="board_unit"),
    path("vacancies/", views.vacancy_list, name="vacancy_list"),
    path("checks/", views.checks, name="checks"),
    path("coverage/", views.coverage, name="coverage"),
    path("quotas/", views.quotas, name="quotas"),
    path("norms/", views.norm_list, name="norm_list"),
    path("norms/<int:pk>/", views.norm_edit, name="norm_edit"),
]

# ---- subsidies and payroll -------------------------------------------------------------------
from . import payroll_views  # noqa: E402

urlpatterns += [
    path("policies/", payroll_views.policy_list, name="policy_list"),
    path("policies/new/", payroll_views.PolicyCreateView.as_view(), name="policy_create"),
    path("policies/<int:pk>/", payroll_views.PolicyEditView.as_view(), name="policy_edit"),
    path("payroll/", payroll_views.run_list, name="payroll_list"),
    path("payroll/new/", payroll_views.run_create, name="payroll_create"),
    path("payroll/<int:pk>/", payroll_views.run_detail, name="payroll_detail"),
    path("payroll/<int:pk>/confirm/", payroll_views.run_confirm, name="payroll_confirm"),
    path("payroll/<int:pk>/refresh/", payroll_views.run_refresh, name="payroll_refresh"),
    path("payroll/<int:pk>/adjust/", payroll_views.run_adjust, name="payroll_adjust"),
    path("payroll/<int:pk>/sheet.xlsx", payroll_views.run_sheet, name="payroll_sheet"),
    path("payroll/<int:pk>/sheet.pdf", payroll_views.run_pdf, name="payroll_pdf"),
    path("payroll/<int:pk>/bank.xlsx", payroll_views.run_bank, name="payroll_bank"),
]
