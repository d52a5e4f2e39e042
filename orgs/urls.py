from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("units/pick/", views.unit_picker, name="unit_picker"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/children/", views.unit_children, name="unit_children"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/grids/new/", views.grid_create, name="grid_create"),
    path("units/<int:pk>/move/", views.unit_move, name="unit_move"),
    path("import/", views.division_import, name="division_import"),
]
