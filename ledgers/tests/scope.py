"""The ledgers' pages that name an object (see core/tests/test_out_of_scope.py), and the
objects they ask for, all in 郭城驿镇's village."""

from core.actors import SYSTEM
from ledgers import services
from ledgers.tests.files import jpeg_bytes, upload_of
from people.tests.factories import make_person

OBJECT_URLS = {
    "ledgers:attachment_file": ("attachment", "get"),
    "ledgers:attachment_delete": ("attachment", "post"),
}


def build(tree):
    # A photo on a register entry (any scoped row can own files; the ledgers' entries do).
    owner = make_person(unit=tree.other_village, name="郭附件")
    clean = services.read_upload(upload_of(jpeg_bytes(), "photo.jpg"))
    tree.attachment = services.attach(actor=SYSTEM, owner=owner,
                                      files=[(clean, "photo.jpg")])[0]


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

_build_attachments = build


def build(tree):  # noqa: F811 - the attachment's objects, then the activities'
    import datetime as dt

    from django.utils import timezone

    from ledgers import activities_services as activities

    _build_attachments(tree)
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
