from django.urls import path

from . import export_views

app_name = "core"
urlpatterns = [
    path("exports/<int:pk>/", export_views.export_detail, name="export_detail"),
    path("exports/<int:pk>/progress/", export_views.export_progress, name="export_progress"),
    path("exports/<int:pk>/download.xlsx", export_views.export_download,
         name="export_download"),
]
