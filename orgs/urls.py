from django.urls import path

from . import reform_views, views

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
    # reforms of the network (orgs/reform_views.py)
    path("reforms/", reform_views.ReformListView.as_view(), name="reform_list"),
    path("reforms/new/", reform_views.reform_create, name="reform_create"),
    path("reforms/<int:pk>/", reform_views.reform_detail, name="reform_detail"),
    path("reforms/<int:pk>/edit/", reform_views.reform_edit, name="reform_edit"),
    *[path(f"reforms/<int:pk>/operations/new/{kind}/", reform_views.operation_create,
           {"kind": kind}, name=f"operation_create_{kind}") for kind in reform_views.KIND_NAMES],
    path("reforms/<int:pk>/abolish-level/", reform_views.reform_abolish_level,
         name="reform_abolish_level"),
    path("reforms/<int:pk>/preview/", reform_views.reform_preview, name="reform_preview"),
    path("reforms/operations/<int:pk>/edit/", reform_views.operation_edit,
         name="operation_edit"),
    path("reforms/operations/<int:pk>/remove/", reform_views.operation_remove,
         name="operation_remove"),
    path("units/<int:pk>/history/", reform_views.unit_history, name="unit_history"),
    path("units/<int:pk>/on/", reform_views.unit_on, name="unit_on"),
]
