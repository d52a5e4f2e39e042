from django.urls import path

from . import views

app_name = "ledgers"
urlpatterns = [
    path("", views.index, name="index"),
    path("files/<int:pk>/", views.attachment_file, name="attachment_file"),
    path("files/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("book/", views.book, name="book"),
    path("book/<int:pk>/", views.book, name="book_unit"),
    path("book/<int:pk>/book.pdf", views.book_pdf, name="book_pdf"),
    path("book/<int:pk>/progress/", views.book_progress, name="book_progress"),
]

# ---- the work record book, meetings and the annual plan (issue 14, records) -----------------
from . import records_views as records  # noqa: E402

urlpatterns += [
    path("workbook/", records.WorkEntryListView.as_view(), name="workentry_list"),
    path("workbook/export.xlsx", records.WorkEntryListView.as_view(export=True),
         name="workentry_export"),
    path("workbook/new/", records.WorkEntryCreateView.as_view(), name="workentry_create"),
    path("workbook/<int:pk>/", records.WorkEntryDetailView.as_view(), name="workentry_detail"),
    path("workbook/<int:pk>/edit/", records.WorkEntryEditView.as_view(), name="workentry_edit"),
    path("workbook/<int:pk>/note/", records.workentry_note, name="workentry_note"),
    path("meetings/", records.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/export.xlsx", records.MeetingListView.as_view(export=True),
         name="meeting_export"),
    path("meetings/new/", records.MeetingCreateView.as_view(), name="meeting_create"),
    path("meetings/<int:pk>/", records.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/edit/", records.MeetingEditView.as_view(), name="meeting_edit"),
    path("meetings/<int:pk>/attendance/", records.meeting_attendance,
         name="meeting_attendance"),
    path("plans/", records.AnnualPlanListView.as_view(), name="annualplan_list"),
    path("plans/export.xlsx", records.AnnualPlanListView.as_view(export=True),
         name="annualplan_export"),
    path("plans/status/", records.plan_status, name="plan_status"),
    path("plans/new/", records.AnnualPlanCreateView.as_view(), name="annualplan_create"),
    path("plans/<int:pk>/", records.AnnualPlanDetailView.as_view(), name="annualplan_detail"),
    path("plans/<int:pk>/edit/", records.AnnualPlanEditView.as_view(), name="annualplan_edit"),
    path("plans/<int:pk>/plan.xlsx", records.plan_workbook, name="annualplan_workbook"),
    path("plans/<int:pk>/items/new/", records.PlanItemCreateView.as_view(),
         name="planitem_create"),
    path("plan-items/<int:pk>/", records.PlanItemEditView.as_view(), name="planitem_edit"),
    path("plan-items/<int:pk>/remove/", records.planitem_remove, name="planitem_remove"),
    path("plan-items/<int:pk>/fulfil/", records.planitem_fulfil, name="planitem_fulfil"),
    path("fulfilments/<int:pk>/remove/", records.fulfilment_remove, name="fulfilment_remove"),
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

# ---- funds 经费 (issue 18) ---------------------------------------------------------------------
from . import funds_views  # noqa: E402

urlpatterns += [
    path("funds/", funds_views.FundEntryListView.as_view(), name="fundentry_list"),
    path("funds/export.xlsx", funds_views.FundEntryListView.as_view(export=True),
         name="fundentry_export"),
    path("funds/new/", funds_views.FundEntryCreateView.as_view(), name="fundentry_create"),
    path("funds/<int:pk>/", funds_views.FundEntryDetailView.as_view(), name="fundentry_detail"),
    path("funds/<int:pk>/edit/", funds_views.FundEntryEditView.as_view(),
         name="fundentry_edit"),
    path("funds/<int:pk>/void/", funds_views.fund_entry_void, name="fundentry_void"),
    path("funds/totals/", funds_views.fund_totals, name="fund_totals"),
    path("funds/totals/<int:pk>/", funds_views.fund_totals, name="fund_totals_unit"),
    path("funds/totals/<int:pk>/totals.xlsx", funds_views.fund_totals_xlsx,
         name="fund_totals_xlsx"),
]
