from django.urls import path

from . import views

app_name = "ledgers"
urlpatterns = [
    path("", views.index, name="index"),
    path("files/<int:pk>/", views.attachment_file, name="attachment_file"),
    path("files/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
]

# ---- letters and visits 来信来访 (issue 14) ----------------------------------------------------
from . import petitions_views  # noqa: E402

urlpatterns += [
    path("petitions/", petitions_views.PetitionListView.as_view(), name="petition_list"),
    path("petitions/export.xlsx", petitions_views.PetitionListView.as_view(export=True),
         name="petition_export"),
    path("petitions/overdue/", petitions_views.PetitionOverdueView.as_view(),
         name="petition_overdue"),
    path("petitions/new/", petitions_views.petition_create, name="petition_create"),
    path("petitions/<int:pk>/", petitions_views.PetitionDetailView.as_view(),
         name="petition_detail"),
    path("petitions/<int:pk>/edit/", petitions_views.petition_edit, name="petition_edit"),
    path("petitions/<int:pk>/accept/", petitions_views.petition_accept, name="petition_accept"),
    path("petitions/<int:pk>/refuse/", petitions_views.petition_refuse, name="petition_refuse"),
    path("petitions/<int:pk>/start/", petitions_views.petition_start, name="petition_start"),
    path("petitions/<int:pk>/reply/", petitions_views.petition_reply, name="petition_reply"),
    path("petitions/<int:pk>/close/", petitions_views.petition_close, name="petition_close"),
    path("petitions/<int:pk>/reopen/", petitions_views.petition_reopen, name="petition_reopen"),
    path("petitions/categories/", petitions_views.category_list,
         name="petition_category_list"),
    path("petitions/categories/new/", petitions_views.category_create,
         name="petition_category_create"),
    path("petitions/categories/<int:pk>/", petitions_views.category_edit,
         name="petition_category_edit"),
]
