"""The ledgers' pages that name an object (see core/tests/test_out_of_scope.py), and the
objects they ask for, all in 郭城驿镇's village."""

from core.actors import SYSTEM
from ledgers import services
from ledgers.tests.files import jpeg_bytes, upload_of
from people.tests.factories import make_person

OBJECT_URLS = {
    "ledgers:attachment_file": ("attachment", "get"),
    "ledgers:attachment_delete": ("attachment", "post"),
    "ledgers:book_unit": ("other_township", "get"),
    "ledgers:book_pdf": ("other_township", "get"),
    "ledgers:book_progress": ("other_township", "get"),
}


def build(tree):
    # A photo on a register entry (any scoped row can own files; the ledgers' entries do).
    owner = make_person(unit=tree.other_village, name="郭附件")
    clean = services.read_upload(upload_of(jpeg_bytes(), "photo.jpg"))
    tree.attachment = services.attach(actor=SYSTEM, owner=owner,
                                      files=[(clean, "photo.jpg")])[0]


# ---- the work record book, meetings and the annual plan (issue 14, records) -----------------

OBJECT_URLS.update({
    "ledgers:workentry_detail": ("work_entry", "get"),
    "ledgers:workentry_edit": ("work_entry", "get"),
    "ledgers:workentry_note": ("work_entry", "get"),
    "ledgers:meeting_detail": ("meeting", "get"),
    "ledgers:meeting_edit": ("meeting", "get"),
    "ledgers:meeting_attendance": ("meeting", "get"),
    "ledgers:annualplan_detail": ("plan", "get"),
    "ledgers:annualplan_edit": ("plan", "get"),
    "ledgers:annualplan_workbook": ("plan", "get"),
    "ledgers:planitem_create": ("plan", "get"),
    "ledgers:planitem_edit": ("plan_item", "get"),
    "ledgers:planitem_remove": ("plan_item", "post"),
    "ledgers:planitem_fulfil": ("plan_item", "get"),
    "ledgers:fulfilment_remove": ("fulfilment", "post"),
})

_build_attachments = build


def build(tree):  # noqa: F811 - the attachments' objects, then the records'
    import datetime as dt

    from django.utils import timezone

    from ledgers import records_services

    _build_attachments(tree)
    today = timezone.localdate()
    day = today - dt.timedelta(days=1) if today.day > 1 else today
    tree.work_entry = records_services.work_entry_create(
        actor=SYSTEM, unit=tree.other_village, written_on=day, subject="走访",
        content="郭城驿镇的走访记录")
    tree.meeting = records_services.meeting_create(
        actor=SYSTEM, unit=tree.other_village, held_on=day, kind="work", title="例会",
        minutes="郭城驿镇的例会")
    tree.plan = records_services.plan_create(actor=SYSTEM, unit=tree.other_village,
                                             year=today.year)
    tree.plan_item = records_services.plan_item_add(
        actor=SYSTEM, plan=tree.plan, kind="activity", influential=True, title="助残日活动")
    tree.fulfilment = records_services.plan_fulfilment_add(
        actor=SYSTEM, planitem=tree.plan_item, entry=tree.meeting)


# ---- assistance and volunteer activities (issue 14, activities) ----------------------------

OBJECT_URLS.update({
    "ledgers:assistance_detail": ("assistance", "get"),
    "ledgers:assistance_edit": ("assistance", "get"),
    "ledgers:volunteer_detail": ("volunteer", "get"),
    "ledgers:volunteer_edit": ("volunteer", "get"),
    "ledgers:volunteer_certificate_issue": ("volunteer", "get"),
    "ledgers:volunteer_certificate_pdf": ("volunteer_certificate", "get"),
    "ledgers:volunteer_activity_detail": ("volunteer_activity", "get"),
    "ledgers:volunteer_activity_edit": ("volunteer_activity", "get"),
})

_build_before_activities = build


def build(tree):  # noqa: F811 - the objects above, then the activities'
    import datetime as dt

    from django.utils import timezone

    from ledgers import activities_services as activities

    _build_before_activities(tree)
    today = timezone.localdate()
    helped = make_person(unit=tree.other_village, name="郭受助")
    tree.assistance = activities.assistance_create(
        actor=SYSTEM, unit=tree.other_village, held_on=today, title="郭城驿走访慰问",
        kind="visit", people=[helped])
    tree.volunteer = activities.volunteer_create(actor=SYSTEM, unit=tree.other_village,
                                                 name="郭志愿")
    tree.volunteer_activity = activities.volunteer_activity_create(
        actor=SYSTEM, unit=tree.other_village, held_on=today - dt.timedelta(days=1),
        title="郭城驿志愿服务", people=[helped], services={tree.volunteer: 2})
    tree.volunteer_certificate = activities.certificate_issue(
        actor=SYSTEM, volunteer=tree.volunteer, unit=tree.other_village,
        starts_on=dt.date(today.year - 1, 1, 1), ends_on=today)


# ---- letters and visits 来信来访 (issue 14) ----------------------------------------------------

OBJECT_URLS.update({
    "ledgers:petition_detail": ("petition", "get"),
    "ledgers:petition_edit": ("petition", "get"),
    "ledgers:petition_accept": ("petition", "get"),
    "ledgers:petition_refuse": ("petition", "get"),
    "ledgers:petition_start": ("petition", "get"),
    "ledgers:petition_reply": ("petition", "get"),
    "ledgers:petition_close": ("petition", "get"),
    "ledgers:petition_reopen": ("petition", "get"),
    "ledgers:petition_category_edit": ("petition_category", "get"),
})

_build_before_petitions = build


def build(tree):  # noqa: F811 - the objects above, then the petitions'
    import datetime as dt

    from django.utils import timezone

    from ledgers import petitions_services

    _build_before_petitions(tree)
    defaults = petitions_services.default_categories()
    tree.petition_category = petitions_services.category_create(
        actor=SYSTEM, unit=tree.other_township, name="郭城驿专项", parent=defaults[0],
        deadline_days=30)
    tree.petition = petitions_services.petition_register(
        actor=SYSTEM, unit=tree.other_village, category=defaults[0],
        received_on=timezone.localdate() - dt.timedelta(days=3), content="申请康复训练",
        petitioner_name="郭来访", petitioner_phone="13900001111")


# ---- funds 经费 (issue 18) ---------------------------------------------------------------------

OBJECT_URLS.update({
    "ledgers:fundentry_detail": ("fund_transfer", "get"),
    "ledgers:fundentry_edit": ("fund_transfer", "get"),
    "ledgers:fundentry_void": ("fund_transfer", "get"),
    "ledgers:fund_totals_unit": ("other_township", "get"),
    "ledgers:fund_totals_xlsx": ("other_township", "get"),
})

_build_before_funds = build


def build(tree):  # noqa: F811 - the objects above, then the funds'
    from django.utils import timezone

    from ledgers import funds_services

    _build_before_funds(tree)
    today = timezone.localdate()
    tree.fund_transfer = funds_services.fund_entry_create(
        actor=SYSTEM, unit=tree.other_township, kind="office", flow="transfer",
        amount="1500.00", occurred_on=today, counterpart=tree.other_village,
        summary="郭城驿镇费随事转")
