"""The workforce's pages that name an object (see core/tests/test_out_of_scope.py), and the
objects they ask for, all in 郭城驿镇."""

from core.actors import SYSTEM
from workforce import services
from workforce.tests.factories import make_officer

OBJECT_URLS = {
    "workforce:worker_detail": ("worker", "get"),
    "workforce:worker_edit": ("worker", "get"),
    "workforce:worker_appoint": ("worker", "get"),
    "workforce:appointment_edit": ("appointment", "get"),
    "workforce:appointment_end": ("appointment", "get"),
    "workforce:board_unit": ("other_township", "get"),
    "workforce:norm_edit": ("norm", "get"),
}


def build(tree):
    tree.appointment = make_officer(unit=tree.other_village, name="郭专委")
    tree.worker = tree.appointment.worker
    tree.norm = services.norm_create(actor=SYSTEM, unit=tree.county, level=5,
                                     kind="liaison", count=1, extra_threshold=50)
