"""The register's pages that name an object (see core/tests/test_out_of_scope.py), and the
register entries they ask for."""

from core.actors import SYSTEM
from people import services
from people.tests.factories import make_person

OBJECT_URLS = {
    "people:person_detail": ("person", "get"),
    "people:person_edit": ("person", "get"),
    "people:person_status": ("person", "get"),
    "people:person_move": ("person", "get"),
    "people:need_create": ("person", "get"),
    "people:visit_create": ("person", "get"),
    "people:jobseeker_create": ("person", "get"),
    "people:need_edit": ("need", "get"),
    "people:jobseeker_edit": ("job", "get"),
    "people:visit_coverage_unit": ("other_township", "get"),
    "people:transfer_decide": ("transfer", "post"),
}


def build(tree):
    """A register entry of each kind in 郭城驿镇's village, and a transfer it asked for."""
    tree.person = make_person(unit=tree.other_village, name="郭某")
    tree.need = services.need_create(actor=SYSTEM, person=tree.person, type="relief")
    tree.job = services.jobseeker_register(actor=SYSTEM, person=tree.person,
                                           work_wished="保洁", ability="full")
    holder = make_person(unit=tree.village, name="高某")
    tree.transfer = services.transfer_request(
        actor=tree.other_officer, id_number=holder.id_number, to_unit=tree.other_village)
