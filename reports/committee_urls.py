"""The work committee's and the special associations' pages (issue 18), in the reports
namespace (included from reports/urls.py)."""

from django.urls import path

from . import associations_views as associations
from . import committee_views as committee

urlpatterns = [
    path("committees/", committee.committee_list, name="committee_list"),
    path("committees/unit/<int:pk>/", committee.committee_of, name="committee_of"),
    path("committees/unit/<int:pk>/new/", committee.committee_create, name="committee_create"),
    path("committees/<int:pk>/", committee.committee_detail, name="committee_detail"),
    path("committees/<int:pk>/edit/", committee.committee_edit, name="committee_edit"),
    path("committees/<int:pk>/xlsx/", committee.committee_xlsx, name="committee_xlsx"),
    path("committees/<int:pk>/departments/new/", committee.department_add,
         name="department_add"),
    path("committees/<int:pk>/meetings/link/", committee.committee_meeting,
         name="committee_meeting"),
    path("committees/departments/<int:pk>/edit/", committee.department_edit,
         name="department_edit"),
    path("committees/departments/<int:pk>/remove/", committee.department_remove,
         name="department_remove"),
    path("committees/departments/<int:pk>/agreement/", committee.department_agreement,
         name="department_agreement"),
    path("associations/unit/<int:pk>/", associations.unit_associations,
         name="unit_associations"),
    path("associations/unit/<int:pk>/set-up/", associations.associations_set_up,
         name="associations_set_up"),
    path("associations/<int:pk>/", associations.association_detail,
         name="association_detail"),
    path("associations/<int:pk>/edit/", associations.association_edit,
         name="association_edit"),
    path("associations/<int:pk>/members/add/", associations.members_add, name="members_add"),
    path("associations/<int:pk>/activities/link/", associations.association_activity,
         name="association_activity"),
    path("associations/<int:pk>/xlsx/", associations.association_xlsx,
         name="association_xlsx"),
    path("associations/members/<int:pk>/remove/", associations.member_remove,
         name="member_remove"),
    path("committees/meetings/<int:pk>/unlink/", committee.meeting_unlink,
         name="meeting_unlink"),
    path("committees/agreements/<int:pk>/unlink/", committee.agreement_unlink,
         name="agreement_unlink"),
    path("associations/activities/<int:pk>/unlink/", associations.activity_unlink,
         name="activity_unlink"),
]
