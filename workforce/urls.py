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
    path("norms/new/", views.norm_create, name="norm_create"),
    path("norms/selection/", views.selection_edit, name="selection_edit"),
    path("norms/<int:pk>/", views.norm_edit, name="norm_edit"),
]

# ---- training, appraisal and awards (issue 13, second part) ---------------------------------
urlpatterns += [
    path("training/", views.TrainingListView.as_view(), name="training_list"),
    path("training/export.xlsx", views.TrainingListView.as_view(export=True),
         name="training_export"),
    path("training/new/", views.TrainingCreateView.as_view(), name="training_create"),
    path("training/shortfalls/", views.training_shortfalls, name="training_shortfalls"),
    path("training/<int:pk>/", views.TrainingDetailView.as_view(), name="training_detail"),
    path("training/<int:pk>/edit/", views.TrainingEditView.as_view(), name="training_edit"),
    path("training/<int:pk>/attendance/", views.training_attendance,
         name="training_attendance"),
    path("appraisals/", views.appraisal_year, name="appraisal_year"),
    path("appointments/<int:pk>/appraisal/", views.appraisal_form, name="appraisal_form"),
    path("appraisals/<int:pk>/confirm/", views.appraisal_confirm, name="appraisal_confirm"),
    path("awards/", views.award_list, name="award_list"),
    path("awards/new/", views.award_create, name="award_create"),
    path("awards/<int:pk>/", views.award_detail, name="award_detail"),
    path("awards/<int:pk>/nominate/", views.award_nominate, name="award_nominate"),
    path("awards/<int:pk>/decide/", views.award_decide, name="award_decide"),
    path("awards/<int:pk>/publish/", views.award_publish, name="award_publish"),
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
