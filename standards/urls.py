from django.urls import path

from . import views

app_name = "standards"
urlpatterns = [
    path("", views.index, name="index"),
    path("attainment/<int:pk>/", views.attainment, name="attainment"),
    path("units/<int:pk>/", views.unit, name="unit"),
    path("units/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("coverage/<int:pk>/", views.coverage, name="coverage"),
    path("confirmations/<int:pk>/", views.ConfirmationDetailView.as_view(),
         name="confirmation_detail"),
    path("confirmations/<int:pk>/withdraw/", views.confirmation_withdraw,
         name="confirmation_withdraw"),
    path("list/", views.StandardListView.as_view(), name="standard_list"),
    path("list/<int:pk>/", views.StandardDetailView.as_view(), name="standard_detail"),
    path("list/<int:pk>/edit/", views.StandardEditView.as_view(), name="standard_edit"),
    path("list/<int:pk>/copy/", views.standard_copy, name="standard_copy"),
    path("list/<int:pk>/publish/", views.standard_publish, name="standard_publish"),
    path("list/<int:pk>/items/new/", views.item_add, name="item_add"),
    path("items/<int:pk>/", views.ItemEditView.as_view(), name="item_edit"),
    path("items/<int:pk>/remove/", views.item_remove, name="item_remove"),
]

# ---- demonstration sites 示范点, rules documents, the per-township summary, the new year's
# defaults (issue 16, second part: standards/sites_views.py) ----------------------------------
from . import sites_views  # noqa: E402

urlpatterns += [
    path("sites/", sites_views.sites_index, name="sites_index"),
    path("sites/county/<int:pk>/", sites_views.site_list, name="site_list"),
    path("sites/county/<int:pk>/candidates/", sites_views.candidates, name="site_candidates"),
    path("sites/county/<int:pk>/designate/", sites_views.designate, name="site_designate"),
    path("sites/county/<int:pk>/targets/", sites_views.targets, name="site_targets"),
    path("sites/<int:pk>/", sites_views.SiteDetailView.as_view(), name="site_detail"),
    path("sites/<int:pk>/withdraw/", sites_views.site_withdraw, name="site_withdraw"),
    path("units/<int:pk>/rules/new/", sites_views.rules_add, name="rules_add"),
    path("rules/<int:pk>/", sites_views.RulesDocumentDetailView.as_view(),
         name="rules_detail"),
    path("townships/<int:pk>/", sites_views.township_summary, name="township_summary"),
    path("list/defaults/", sites_views.defaults_new_year, name="defaults_new_year"),
]
