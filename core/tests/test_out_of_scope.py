"""A generated test: every URL that names an object answers 404 to a user of another
subtree — in pages, exports and API alike — and never 403 (which would confirm it exists)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from orgs import services as org_services
from orgs.models import Level
from people import services as people_services
from people.tests.factories import make_person

# For each URL with an object: which object of the standard tree (and its register) to
# ask for, and how.
OBJECT_URLS = {
    "orgs:unit_detail": ("other_village", "get"),
    "orgs:unit_children": ("other_township", "get"),
    "orgs:unit_edit": ("other_village", "get"),
    "orgs:grid_create": ("other_village", "get"),
    "orgs:unit_move": ("other_village", "get"),
    "accounts:user_detail": ("other_officer", "get"),
    "accounts:user_toggle_active": ("other_officer", "post"),
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
    "reports:summary_unit": ("other_township", "get"),
    "core:import_detail": ("import_job", "get"),
    "core:import_progress": ("import_job", "get"),
    "core:import_rejected": ("import_job", "get"),
    "reports:summary_xlsx": ("other_township", "get"),
}


@pytest.fixture
def world(tree):
    """The standard tree plus a register entry of each kind in 郭城驿镇's village."""
    tree.person = make_person(unit=tree.other_village, name="郭某")
    tree.need = people_services.need_create(actor=None, person=tree.person, type="relief")
    tree.job = people_services.jobseeker_register(actor=None, person=tree.person,
                                                  work_wished="保洁", ability="full")
    holder = make_person(unit=tree.village, name="高某")
    tree.transfer = people_services.transfer_request(
        actor=tree.other_officer, id_number=holder.id_number, to_unit=tree.other_village)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core import imports

    tree.import_job = imports.job_create(
        actor=tree.other_officer, kind="people",
        upload=SimpleUploadedFile("a.csv", "姓名,身份证号,所属村（社区）\n甲,1,红堡子村\n"
                                  .encode()))
    imports.job_start(actor=tree.other_officer, job=tree.import_job)
    tree.import_job = imports.job_run(tree.import_job.pk)
    assert tree.import_job.rejected_file
    return tree


def _object_urls(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # the superuser's admin site; no scoped user reaches it
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _object_urls(entry, inner)
        elif isinstance(entry, URLPattern) and "pk" in entry.pattern.converters:
            yield f"{namespace}{entry.name}"


def test_the_table_names_every_url_with_an_object():
    assert set(_object_urls()) == set(OBJECT_URLS)


def test_every_object_url_is_404_outside_the_scope(world, client_for):
    tree = world
    # An administrator of a neighbouring county: every right, none of this county's rows.
    neighbour = org_services.unit_create(actor=None, parent=tree.city, level=Level.COUNTY,
                                         code="620421", name="靖远县")
    outsider = UserFactory(username="t_neighbour", unit=neighbour, role=Role.ADMIN)
    client = client_for(outsider)
    for name, (attr, method) in OBJECT_URLS.items():
        url = reverse(name, args=[getattr(tree, attr).pk])
        response = getattr(client, method)(url)
        assert response.status_code == 404, (name, response.status_code)


def test_the_same_urls_answer_inside_the_scope(world, client_for):
    tree = world
    client = client_for(tree.county_admin)
    for name, (attr, method) in OBJECT_URLS.items():
        if method != "get":
            continue
        target = getattr(tree, attr)
        if name == "orgs:grid_create":
            target = tree.other_village
        response = client.get(reverse(name, args=[target.pk]))
        assert response.status_code == 200, (name, response.status_code)
