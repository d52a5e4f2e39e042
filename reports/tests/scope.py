"""The summary table's pages that name a unit (see core/tests/test_out_of_scope.py)."""

OBJECT_URLS = {
    "reports:summary_unit": ("other_township", "get"),
    "reports:summary_xlsx": ("other_township", "get"),
    "reports:reform_comparison": ("comparison_reform", "get"),
    "reports:summary_freeze": ("other_township", "get"),
    "reports:snapshot_list": ("other_township", "get"),
    "reports:work_report_unit": ("other_township", "get"),
    "reports:work_report_docx": ("other_township", "get"),
    "reports:work_report_pdf": ("other_township", "get"),
    "reports:work_report_template": ("other_township", "get"),

    "reports:service_card": ("other_village", "get"),
    "reports:service_cards": ("other_township", "get"),

    "reports:overview_unit": ("other_township", "get"),
    "reports:overview_xlsx": ("other_township", "get"),
    "reports:overview_pdf": ("other_township", "get"),
}


def build(tree):
    import datetime as dt

    from core.actors import SYSTEM
    from orgs import reform_services

    tree.comparison_reform = reform_services.reform_create(
        actor=SYSTEM, unit=tree.other_township, title="合并村", effective_on=dt.date(2024, 1, 1))


# ---- the work committee and the special associations (issue 18) --------------------------
# 会宁县's committee with a member department, and its association of the blind with a
# member registered in 红堡子村.
OBJECT_URLS.update({
    "reports:committee_of": ("county", "get"),
    "reports:committee_create": ("county", "get"),
    "reports:committee_detail": ("committee", "get"),
    "reports:committee_edit": ("committee", "get"),
    "reports:committee_xlsx": ("committee", "get"),
    "reports:department_add": ("committee", "get"),
    "reports:committee_meeting": ("committee", "get"),
    "reports:department_edit": ("committee_department", "get"),
    "reports:department_remove": ("committee_department", "post"),
    "reports:department_agreement": ("committee_department", "get"),
    "reports:unit_associations": ("county", "get"),
    "reports:associations_set_up": ("county", "post"),
    "reports:association_detail": ("association", "get"),
    "reports:association_edit": ("association", "get"),
    "reports:members_add": ("association", "get"),
    "reports:association_activity": ("association", "get"),
    "reports:association_xlsx": ("association", "get"),
    "reports:member_remove": ("association_member", "post"),
    "reports:meeting_unlink": ("committee_meeting", "post"),
    "reports:agreement_unlink": ("department_agreement", "post"),
    "reports:activity_unlink": ("association_activity", "post"),
})

_build_summary = build


def build(tree):  # noqa: F811 — the summary's objects, then the committee's
    import datetime as dt

    from core.actors import SYSTEM
    from ledgers import associations_services
    from orgs import committee_services
    from people.tests.factories import make_person

    _build_summary(tree)
    tree.committee = committee_services.committee_create(
        actor=SYSTEM, unit=tree.county, chair_name="张县长", chair_post="副县长")
    tree.committee_department = committee_services.department_add(
        actor=SYSTEM, committee=tree.committee, name="县民政局", duties="困难残疾人生活补贴")
    tree.association = committee_services.associations_set_up(
        actor=SYSTEM, unit=tree.county)[0]
    person = make_person(unit=tree.other_village, name="郭盲协", category=1,
                         birth=dt.date(1966, 2, 3))
    tree.association_member = associations_services.members_add(
        actor=SYSTEM, association=tree.association, people=[person])[0]
    # A meeting, an agreement and an activity linked (to unlink).
    from django.utils import timezone

    from ledgers import records_services
    from ledgers.activities_services import assistance_create
    from standards import agreements_services
    from standards.committee_services import agreement_link_department

    today = timezone.localdate()
    tree.committee_meeting = associations_services.meeting_link(
        actor=SYSTEM, committee=tree.committee, meeting=records_services.meeting_create(
            actor=SYSTEM, unit=tree.county, held_on=today, kind="work", minutes="残工委会议"))
    tree.department_agreement = agreement_link_department(
        actor=SYSTEM, department=tree.committee_department,
        agreement=agreements_services.agreement_create(
            actor=SYSTEM, party_a=tree.county, party_b_name="县民政局", year=today.year + 2))
    tree.association_activity = associations_services.activity_link(
        actor=SYSTEM, association=tree.association, activity=assistance_create(
            actor=SYSTEM, unit=tree.other_village, held_on=today, title="盲协走访",
            kind="visit"))

# The dashboard of a unit (reports/dashboard_views.py).
OBJECT_URLS.update({
    "reports:dashboard_unit": ("other_township", "get"),
    "reports:dashboard_xlsx": ("other_township", "get"),
    "reports:dashboard_pdf": ("other_township", "get"),
})
