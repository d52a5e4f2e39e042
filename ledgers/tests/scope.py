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
