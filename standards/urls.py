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
    path("attainment/<int:pk>/freeze/", views.attainment_freeze, name="attainment_freeze"),
]

# ---- responsibility agreements 目标责任书 (issue 16) ------------------------------------------
from . import agreements_views  # noqa: E402

urlpatterns += [
    path("agreements/", agreements_views.AgreementListView.as_view(), name="agreement_list"),
    path("agreements/new/", agreements_views.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/", agreements_views.AgreementDetailView.as_view(),
         name="agreement_detail"),
    path("agreements/<int:pk>/edit/", agreements_views.AgreementEditView.as_view(),
         name="agreement_edit"),
    path("agreements/<int:pk>/tasks/new/", agreements_views.task_add,
         name="agreement_task_add"),
    path("agreements/tasks/<int:pk>/remove/", agreements_views.task_remove,
         name="agreement_task_remove"),
    path("agreements/<int:pk>/sign/", agreements_views.agreement_sign, name="agreement_sign"),
    path("agreements/<int:pk>/pdf/", agreements_views.agreement_pdf, name="agreement_pdf"),
    path("agreements/<int:pk>/inspect/", agreements_views.inspection_create,
         name="agreement_inspect"),
    path("agreements/inspections/<int:pk>/", agreements_views.InspectionDetailView.as_view(),
         name="agreement_inspection_detail"),
    path("agreements/<int:pk>/accept/", agreements_views.agreement_accept,
         name="agreement_accept"),
]

# ---- the 100-point assessment 百分制目标考核 ----------------------------------------------------
from . import assessment_views as assessment  # noqa: E402

urlpatterns += [
    path("assessment/", assessment.SchemeListView.as_view(), name="scheme_list"),
    path("assessment/new/", assessment.scheme_create, name="scheme_create"),
    path("assessment/<int:pk>/", assessment.SchemeDetailView.as_view(), name="scheme_detail"),
    path("assessment/<int:pk>/edit/", assessment.SchemeEditView.as_view(), name="scheme_edit"),
    path("assessment/<int:pk>/publish/", assessment.scheme_publish, name="scheme_publish"),
    path("assessment/<int:pk>/copy/", assessment.scheme_copy, name="scheme_copy"),
    path("assessment/<int:pk>/categories/new/", assessment.category_add,
         name="scheme_category_add"),
    path("assessment/<int:pk>/items/new/", assessment.scheme_item_add, name="scheme_item_add"),
    path("assessment/items/<int:pk>/", assessment.SchemeItemEditView.as_view(),
         name="scheme_item_edit"),
    path("assessment/items/<int:pk>/remove/", assessment.scheme_item_remove,
         name="scheme_item_remove"),
    path("assessment/<int:pk>/round/new/", assessment.round_create, name="round_create"),
    path("assessment/rounds/<int:pk>/", assessment.round_detail, name="round_detail"),
    path("assessment/rounds/<int:pk>/confirm/", assessment.round_confirm, name="round_confirm"),
    path("assessment/sheets/<int:pk>/", assessment.SheetDetailView.as_view(),
         name="sheet_detail"),
    path("assessment/sheets/<int:pk>/self/", assessment.sheet_self_score, name="sheet_self"),
    path("assessment/sheets/<int:pk>/inspect/", assessment.sheet_inspect,
         name="sheet_inspect"),
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
