"""Schemathesis against /api/v1/openapi.json: every operation, with bounded, deterministic
examples, as the county's administrator (a token) in the standard tree with a person, a
need, a visit and an import job: no answer is a server error, every status code is one
the schema lists, and every JSON answer matches the schema. (`make test` runs it on
SQLite; on PostgreSQL with DATABASE_URL set.)"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts import services as account_services
from core.actors import SYSTEM
from people import services as people_services
from people.tests.factories import make_person


def _operations() -> list[tuple[str, str]]:
    from api.main import api

    paths = api.get_openapi_schema(path_prefix="/api/v1/")["paths"]
    return [(method.upper(), path) for path, methods in paths.items() for method in methods]


@pytest.fixture
def _keep_the_test_connection():
    """Schemathesis calls the WSGI application itself, not through Django's test client:
    keep Django from closing the test's database connection (its transaction) at the end
    of each request, as the test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_world(tree, settings, _keep_the_test_connection):
    """The token's headers, and for each path with an object the id of one in scope."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from imports import services as import_services
    from ledgers import activities_services, records_services
    from workforce.tests.factories import make_officer

    settings.CANLIAN_API_RATE = 100_000
    person = make_person(unit=tree.community, name="模式测试")
    need = people_services.need_create(actor=SYSTEM, person=person, type="relief")
    people_services.visit_record(actor=SYSTEM, person=person, visited_on=person.registered_on,
                                 worker_name="测试", mode="home")
    job = people_services.jobseeker_register(actor=SYSTEM, person=person, work_wished="保洁",
                                             ability="full")
    appointment = make_officer(unit=tree.community, name="模式专委")
    today = timezone.localdate()
    entry = records_services.work_entry_create(actor=SYSTEM, unit=tree.community,
                                               written_on=today, content="记录")
    activity = activities_services.assistance_create(
        actor=SYSTEM, unit=tree.community, held_on=today, title="活动", kind="visit",
        people=[person])
    meeting = records_services.meeting_create(actor=SYSTEM, unit=tree.community, held_on=today,
                                              kind="work", title="例会", minutes="议事")
    plan = records_services.plan_create(actor=SYSTEM, unit=tree.community, year=today.year)
    records_services.plan_item_add(actor=SYSTEM, plan=plan, kind="activity", influential=True,
                                   title="助残日活动")
    volunteer = activities_services.volunteer_create(actor=SYSTEM, unit=tree.community,
                                                     name="志愿者", phone="13909431001")
    served = activities_services.volunteer_activity_create(
        actor=SYSTEM, unit=tree.community, held_on=today, title="服务", people=[person],
        services={volunteer: 2})
    from ledgers.tests.petitions import make_petition

    petition = make_petition(unit=tree.community)
    transfer = people_services.transfer_request(actor=SYSTEM, id_number=person.id_number,
                                                to_unit=tree.village)
    upload = import_services.job_create(
        actor=tree.county_admin, kind="people",
        upload=SimpleUploadedFile("a.csv", "姓名,身份证号,所属村（社区）\n甲,1,东山根社区\n"
                                  .encode()))
    _row, token = account_services.token_create(actor=tree.county_admin, name="schemathesis")
    objects = {"/api/v1/people/": person.pk, "/api/v1/needs/": need.pk,
               "/api/v1/jobseekers/": job.pk, "/api/v1/units/": tree.township.pk,
               "/api/v1/imports/": upload.pk, "/api/v1/workforce/workers/": appointment.worker_id,
               "/api/v1/workforce/appointments/": appointment.pk,
               "/api/v1/ledgers/work-records/": entry.pk,
               "/api/v1/ledgers/assistance/": activity.pk,
               "/api/v1/ledgers/meetings/": meeting.pk, "/api/v1/ledgers/plans/": plan.pk,
               "/api/v1/ledgers/volunteers/": volunteer.pk,
               "/api/v1/ledgers/volunteer-activities/": served.pk,
               "/api/v1/ledgers/petitions/": petition.pk,
               "/api/v1/transfers/": transfer.pk,
               "/api/v1/reports/summary/": tree.township.pk}
    return {"Authorization": f"Bearer {token}"}, objects


@pytest.mark.parametrize(("method", "path"), _operations())
def test_every_operation_answers_by_its_schema(method, path, api_world):
    headers, objects = api_world
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operation = schema[path][method]
    strategy = operation.as_strategy()
    known = next((pk for prefix, pk in objects.items() if path.startswith(prefix)), None)
    if "{pk}" in path and known is not None:
        def in_scope(case):  # the same request about an object that exists, in scope
            case.path_parameters = {**(case.path_parameters or {}), "pk": known}
            return case

        strategy = st.one_of(strategy, strategy.map(in_scope))

    @given(case=strategy)
    @settings(max_examples=12, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate(headers=headers, checks=[
            not_a_server_error, status_code_conformance, content_type_conformance,
            response_schema_conformance])

    check()
