from django.urls import path

from . import views

app_name = "ledgers"
urlpatterns = [
    path("", views.index, name="index"),
    path("files/<int:pk>/", views.attachment_file, name="attachment_file"),
    path("files/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
]

# ---- assistance and volunteer activities (issue 14, activities) ----------------------------
from . import activities_views as activities  # noqa: E402

urlpatterns += [
    path("assistance/", activities.AssistanceListView.as_view(), name="assistance_list"),
    path("assistance/export.xlsx", activities.AssistanceListView.as_view(export=True),
         name="assistance_export"),
    path("assistance/new/", activities.AssistanceCreateView.as_view(),
         name="assistance_create"),
    path("assistance/<int:pk>/", activities.AssistanceDetailView.as_view(),
         name="assistance_detail"),
    path("assistance/<int:pk>/edit/", activities.AssistanceEditView.as_view(),
         name="assistance_edit"),
    path("people/pick/", activities.person_pick, name="person_pick"),
    path("volunteers/", activities.VolunteerListView.as_view(), name="volunteer_list"),
    path("volunteers/export.xlsx", activities.VolunteerListView.as_view(export=True),
         name="volunteer_export"),
    path("volunteers/new/", activities.VolunteerCreateView.as_view(), name="volunteer_create"),
    path("volunteers/hours/", activities.VolunteerHoursView.as_view(), name="volunteer_hours"),
    path("volunteers/<int:pk>/", activities.VolunteerDetailView.as_view(),
         name="volunteer_detail"),
    path("volunteers/<int:pk>/edit/", activities.VolunteerEditView.as_view(),
         name="volunteer_edit"),
    path("volunteers/<int:pk>/certificate/", activities.certificate_issue,
         name="volunteer_certificate_issue"),
    path("volunteers/certificates/<int:pk>.pdf", activities.certificate_pdf,
         name="volunteer_certificate_pdf"),
    path("volunteer-activities/", activities.VolunteerActivityListView.as_view(),
         name="volunteer_activity_list"),
    path("volunteer-activities/export.xlsx",
         activities.VolunteerActivityListView.as_view(export=True),
         name="volunteer_activity_export"),
    path("volunteer-activities/new/", activities.VolunteerActivityCreateView.as_view(),
         name="volunteer_activity_create"),
    path("volunteer-activities/<int:pk>/", activities.VolunteerActivityDetailView.as_view(),
         name="volunteer_activity_detail"),
    path("volunteer-activities/<int:pk>/edit/",
         activities.VolunteerActivityEditView.as_view(), name="volunteer_activity_edit"),
]
