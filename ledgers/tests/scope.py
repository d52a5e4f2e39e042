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

_build_attachments = build


def build(tree):  # noqa: F811 - the attachment's objects, then the petitions'
    import datetime as dt

    from django.utils import timezone

    from ledgers import petitions_services

    _build_attachments(tree)
    defaults = petitions_services.default_categories()
    tree.petition_category = petitions_services.category_create(
        actor=SYSTEM, unit=tree.other_township, name="郭城驿专项", parent=defaults[0],
        deadline_days=30)
    tree.petition = petitions_services.petition_register(
        actor=SYSTEM, unit=tree.other_village, category=defaults[0],
        received_on=timezone.localdate() - dt.timedelta(days=3), content="申请康复训练",
        petitioner_name="郭来访", petitioner_phone="13900001111")
