from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.PersonListView.as_view(), name="person_list"),
    path("export.xlsx", views.PersonListView.as_view(export=True), name="person_export"),
    path("new/", views.person_create, name="person_create"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("<int:pk>/status/", views.person_status, name="person_status"),
    path("<int:pk>/move/", views.person_move, name="person_move"),
    path("<int:pk>/needs/new/", views.need_create, name="need_create"),
    path("<int:pk>/visits/new/", views.visit_create, name="visit_create"),
    path("<int:pk>/jobs/new/", views.jobseeker_create, name="jobseeker_create"),
    path("needs/", views.NeedListView.as_view(), name="need_list"),
    path("needs/export.xlsx", views.NeedListView.as_view(export=True), name="need_export"),
    path("needs/<int:pk>/", views.NeedEditView.as_view(), name="need_edit"),
    path("jobs/", views.JobSeekerListView.as_view(), name="jobseeker_list"),
    path("jobs/export.xlsx", views.JobSeekerListView.as_view(export=True),
         name="jobseeker_export"),
    path("jobs/<int:pk>/", views.JobSeekerEditView.as_view(), name="jobseeker_edit"),
    path("visits/", views.visit_coverage, name="visit_coverage"),
    path("visits/<int:pk>/", views.visit_coverage, name="visit_coverage_unit"),
    path("transfers/", views.transfer_list, name="transfer_list"),
    path("transfers/request/", views.transfer_request, name="transfer_request"),
    path("transfers/<int:pk>/decide/", views.transfer_decide, name="transfer_decide"),
]
