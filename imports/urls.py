from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.import_list, name="import_list"),
    path("<int:pk>/", views.import_detail, name="import_detail"),
    path("<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("<int:pk>/rejected.xlsx", views.import_rejected, name="import_rejected"),
    path("<int:pk>/cancel/", views.import_cancel, name="import_cancel"),
    path("templates/<slug:kind>.xlsx", views.import_template, name="import_template"),
]
