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
