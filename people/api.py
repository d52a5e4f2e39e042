"""The register in the API (mounted at /api/v1/ by the api app): people, their needs,
visits and job seeking, transfers. Reads through people.selectors (scope, masking), input
through the pages' own forms (the same messages), writes through people.services (rules,
audit, versions). Every answer naming people is one audit entry (core.api.audit_read).

A person's ID and certificate numbers are shown whole only to the roles that keep the
register (people.change_person); to the others, and in every list, masked."""

import datetime as dt
import uuid
from typing import Annotated

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Path, Query, Router, Schema, Status

from core.api import (
    ERRORS,
    MAX_ID,
    READ_ERRORS,
    FormErrors,
    audit_read,
    cleaned,
    cursor_page,
    form_data,
    need,
)

from . import selectors, services
from .filters import JobSeekerFilterSet, NeedFilterSet, PersonFilterSet
from .forms import JobSeekerForm, NeedForm, PersonForm, TransferRequestForm, VisitForm

router = Router()

Pk = Annotated[int, Path(ge=1, le=MAX_ID)]
Cursor = Annotated[int | None, Field(None, ge=0, le=MAX_ID, description=(
    "The next_cursor of the page before; empty for the first page."))]
Limit = Annotated[int | None, Field(None, ge=1, le=200)]


def may_see_numbers(user) -> bool:
    """Whether the user sees ID and certificate numbers whole (those who keep the register)."""
    return user.has_perm("people.change_person")


def _filters(filterset_class, request, query: Schema, **override):
    """The list page's FilterSet over the query's filters (those given); invalid ones are a
    422 with the filter bar's messages."""
    given = {**query.dict(exclude={"cursor", "limit"}, exclude_none=True), **override}
    data = form_data(given)
    filterset = filterset_class(data or None, user=request.user)
    if filterset.is_bound and not filterset.is_valid():
        raise FormErrors({name: [str(m) for m in messages]
                          for name, messages in filterset.form.errors.items()})
    return filterset


# ---- people ---------------------------------------------------------------------------------
class PersonItem(Schema):
    id: int
    name: str
    masked_id: str
    gender: str
    birth_date: dt.date | None
    unit_id: int
    unit_name: str
    grid_id: int | None
    status: str
    has_certificate: bool
    category: int | None
    grade: int | None
    last_visited_on: dt.date | None
    next_visit_due: dt.date | None
    version: int

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name


class PersonPage(Schema):
    items: list[PersonItem]
    next_cursor: int | None


class PersonOut(PersonItem):
    id_number: str | None = Field(description="Whole for the roles that keep the register, "
                                              "masked for the others.")
    certificate_number: str | None
    ethnicity: str
    phone: str
    address: str
    hukou: str
    education: str
    marital_status: str
    living: str
    guardian_name: str
    guardian_phone: str
    guardian_relation: str
    dibao: bool
    tekun: bool
    living_subsidy: bool
    care_subsidy: bool
    employment: str
    notes: str
    certificate_issued_on: dt.date | None
    certificate_valid_until: dt.date | None
    status_date: dt.date | None
    registered_on: dt.date


    @staticmethod
    def resolve_id_number(obj, context) -> str | None:
        if may_see_numbers(context["request"].user):
            return obj.id_number
        return obj.masked_id or None

    @staticmethod
    def resolve_certificate_number(obj, context) -> str | None:
        if may_see_numbers(context["request"].user):
            return obj.certificate_number
        return obj.masked_certificate or None


def _start(form) -> dict:
    """What an edit form starts from (the object's values), as form data."""
    return form_data({name: form.get_initial_for_field(field, name)
                      for name, field in form.fields.items()})


class PersonQuery(Schema):
    q: str | None = Field(None, description="Name, pinyin, initials, ID or certificate number")
    unit: int | None = Field(None, ge=1, le=MAX_ID, description="A unit's id: its subtree")
    category: str | None = None
    grade: str | None = None
    gender: str | None = None
    age_band: str | None = None
    status: str | None = None
    certificate: str | None = Field(None, description="yes or no")
    open_needs: bool | None = None
    need_type: str | None = None
    not_visited_this_year: bool | None = None
    visit_due: bool | None = None
    cursor: Cursor = None
    limit: Limit = None


class PersonIn(Schema):
    """A person as the register's form takes them (the same fields, the same rules)."""

    unit: int = Field(ge=1, le=MAX_ID, description="The village or community (its id)")
    grid: int | None = Field(None, ge=1, le=MAX_ID)
    name: str
    id_number: str = ""
    gender: str = ""
    birth_date: dt.date | None = None
    ethnicity: str = "汉族"
    phone: str = ""
    address: str = ""
    hukou: str
    education: str = ""
    marital_status: str = ""
    living: str = ""
    guardian_name: str = ""
    guardian_phone: str = ""
    guardian_relation: str = ""
    dibao: bool = False
    tekun: bool = False
    living_subsidy: bool = False
    care_subsidy: bool = False
    employment: str = ""
    notes: str = ""
    certificate_number: str = ""
    certificate_issued_on: dt.date | None = None
    certificate_valid_until: dt.date | None = None
    category: int | None = None
    grade: int | None = None


class PersonPatch(Schema):
    """The fields to change (the others stay), and the version they were read at."""

    version: int = Field(ge=0, le=MAX_ID, description="The person's version when read: a "
                                                      "save by someone else since is a 409.")
    grid: int | None = Field(None, ge=1, le=MAX_ID)
    name: str | None = None
    id_number: str | None = None
    gender: str | None = None
    birth_date: dt.date | None = None
    ethnicity: str | None = None
    phone: str | None = None
    address: str | None = None
    hukou: str | None = None
    education: str | None = None
    marital_status: str | None = None
    living: str | None = None
    guardian_name: str | None = None
    guardian_phone: str | None = None
    guardian_relation: str | None = None
    dibao: bool | None = None
    tekun: bool | None = None
    living_subsidy: bool | None = None
    care_subsidy: bool | None = None
    employment: str | None = None
    notes: str | None = None
    certificate_number: str | None = None
    certificate_issued_on: dt.date | None = None
    certificate_valid_until: dt.date | None = None
    category: int | None = None
    grade: int | None = None


@router.get("/people", response={200: PersonPage, **READ_ERRORS}, tags=["people"],
            summary=_("The register"))
def person_list(request, query: Query[PersonQuery]):
    """The people the user may see, with the register page's filters; a page at a time
    (cursor: the next_cursor of the page before). ID numbers masked."""
    need(request, "people.view_person")
    filterset = _filters(PersonFilterSet, request, query)
    page = cursor_page(selectors.person_list(user=request.user, filters=filterset),
                       cursor=query.cursor, limit=query.limit)
    audit_read(request, what="people", objects=page.items)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.post("/people", response={201: PersonOut, **ERRORS}, tags=["people"],
             summary=_("Register a person"))
def person_register(request, payload: PersonIn):
    need(request, "people.add_person")
    form = PersonForm(form_data(payload.dict()), user=request.user)
    person = services.person_register(actor=request.user, **cleaned(form))
    return Status(201, selectors.person_get(user=request.user, pk=person.pk))


@router.get("/people/{int:pk}", response={200: PersonOut, **READ_ERRORS}, tags=["people"],
            summary=_("One person"))
def person_detail(request, pk: Pk):
    """A person's details; the look is audited like the file page."""
    need(request, "people.view_person")
    person = selectors.person_get(user=request.user, pk=pk)
    audit_read(request, what="person", obj=person)
    return person


@router.patch("/people/{int:pk}", response={200: PersonOut, **ERRORS}, tags=["people"],
              summary=_("Change a person"))
def person_update(request, pk: Pk, payload: PersonPatch):
    """Change the fields given; refused (409) when someone saved the person since
    ``version``."""
    need(request, "people.change_person")
    person = selectors.person_get(user=request.user, pk=pk)
    given = payload.dict(exclude_unset=True)
    version = given.pop("version")
    if not may_see_numbers(request.user):  # cannot happen today: change_person shows them
        given.pop("id_number", None)
    data = _start(PersonForm(instance=person, user=request.user, editing=True))
    data.update(form_data(given))
    form = PersonForm(data, instance=person, user=request.user, editing=True)
    person = services.person_update(actor=request.user, person=person,
                                    expected_version=version, **cleaned(form))
    return selectors.person_get(user=request.user, pk=person.pk)


# ---- needs ----------------------------------------------------------------------------------
class NeedOut(Schema):
    id: int
    person_id: int
    person_name: str
    type: str
    detail: str
    registered_on: dt.date
    status: str
    responsible: str
    closed_on: dt.date | None
    outcome: str
    unmet_reason: str
    visit_id: int | None
    client_id: uuid.UUID | None
    version: int

    @staticmethod
    def resolve_person_name(obj) -> str:
        return obj.person.name


class NeedPage(Schema):
    items: list[NeedOut]
    next_cursor: int | None


class NeedQuery(Schema):
    q: str | None = Field(None, description="Person (name or pinyin)")
    type: str | None = None
    status: str | None = Field(None, description="open (the default), a status, or any")
    unit: int | None = Field(None, ge=1, le=MAX_ID)
    overdue_only: bool | None = None
    cursor: Cursor = None
    limit: Limit = None


class NeedIn(Schema):
    type: str
    detail: str = ""
    registered_on: dt.date | None = None
    responsible: str = ""
    client_id: uuid.UUID | None = Field(None, description=(
        "An id the client made (offline): sent twice, the need is made once; the second "
        "answer is the first need, with 200."))


class NeedPatch(Schema):
    version: int = Field(ge=0, le=MAX_ID)
    type: str | None = None
    detail: str | None = None
    registered_on: dt.date | None = None
    responsible: str | None = None
    status: str | None = None
    closed_on: dt.date | None = None
    outcome: str | None = None
    unmet_reason: str | None = None


@router.get("/needs", response={200: NeedPage, **READ_ERRORS}, tags=["needs"],
            summary=_("Needs"))
def need_list(request, query: Query[NeedQuery]):
    """Needs of the user's subtree with the needs page's filters (open ones unless asked
    otherwise)."""
    need(request, "people.view_need")
    override = {"status": ""} if query.status == "any" else {}
    filterset = _filters(NeedFilterSet, request, query, **override)
    page = cursor_page(selectors.need_list(user=request.user, filters=filterset),
                       cursor=query.cursor, limit=query.limit)
    audit_read(request, what="needs", objects=page.items)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/needs/{int:pk}", response={200: NeedOut, **READ_ERRORS}, tags=["needs"],
            summary=_("One need"))
def need_detail(request, pk: Pk):
    need(request, "people.view_need")
    found = selectors.need_get(user=request.user, pk=pk)
    audit_read(request, what="need", obj=found)
    return found


@router.get("/people/{int:pk}/needs", response={200: list[NeedOut], **READ_ERRORS},
            tags=["needs"], summary=_("A person's needs"))
def person_needs(request, pk: Pk):
    need(request, "people.view_person", "people.view_need")
    file = selectors.person_file(user=request.user, pk=pk)
    audit_read(request, what="needs of a person", obj=file.person)
    for found in file.needs:
        found.person = file.person
    return file.needs


@router.post("/people/{int:pk}/needs", response={200: NeedOut, 201: NeedOut, **ERRORS},
             tags=["needs"], summary=_("Register a need of a person"))
def need_create(request, pk: Pk, payload: NeedIn):
    """201 with the new need; 200 with the need made before when ``client_id`` was sent
    already."""
    need(request, "people.add_need")
    person = selectors.person_get(user=request.user, pk=pk)
    data = payload.dict()
    client_id = data.pop("client_id")
    if data["registered_on"] is None:
        data["registered_on"] = timezone.localdate()
    fields = cleaned(NeedForm(form_data(data), creating=True))
    if client_id is None:
        return Status(201, services.need_create(actor=request.user, person=person, **fields))
    made, created = services.need_create_once(actor=request.user, person=person,
                                              client_id=client_id, **fields)
    return Status(201 if created else 200, selectors.need_get(user=request.user, pk=made.pk))


@router.patch("/needs/{int:pk}", response={200: NeedOut, **ERRORS}, tags=["needs"],
              summary=_("Change a need"))
def need_update(request, pk: Pk, payload: NeedPatch):
    need(request, "people.change_need")
    found = selectors.need_get(user=request.user, pk=pk)
    given = payload.dict(exclude_unset=True)
    version = given.pop("version")
    data = _start(NeedForm(instance=found))
    data.update(form_data(given))
    saved = services.need_update(actor=request.user, need=found, expected_version=version,
                                 **cleaned(NeedForm(data, instance=found)))
    return selectors.need_get(user=request.user, pk=saved.pk)


# ---- visits ---------------------------------------------------------------------------------
class VisitOut(Schema):
    id: int
    person_id: int
    visited_on: dt.date
    worker_name: str
    mode: str
    findings: str
    next_due: dt.date | None
    client_id: uuid.UUID | None


class VisitIn(Schema):
    """A visit as the visit form takes it; the needs found become open needs."""

    visited_on: dt.date
    worker_name: str = Field("", description="Empty: the user's own name")
    mode: str
    findings: str = ""
    next_due: dt.date | None = None
    found_needs: list[str] = Field([], description="Need types found on the visit")
    found_detail: str = ""
    client_id: uuid.UUID | None = Field(None, description=(
        "An id the phone made when it recorded the visit (offline): sent twice, the visit "
        "is recorded once; the second answer is the first visit, with 200."))


@router.get("/people/{int:pk}/visits", response={200: list[VisitOut], **READ_ERRORS},
            tags=["visits"], summary=_("A person's visits"))
def visit_list(request, pk: Pk):
    need(request, "people.view_person", "people.view_visit")
    file = selectors.person_file(user=request.user, pk=pk)
    audit_read(request, what="visits", obj=file.person)
    return file.visits


@router.post("/people/{int:pk}/visits", response={200: VisitOut, 201: VisitOut, **ERRORS},
             tags=["visits"], summary=_("Record a visit"))
def visit_create(request, pk: Pk, payload: VisitIn):
    """The field worker's main write, from a phone: 201 with the visit; 200 with the visit
    recorded before when ``client_id`` was sent already."""
    need(request, "people.add_visit")
    person = selectors.person_get(user=request.user, pk=pk)
    data = payload.dict()
    client_id = data.pop("client_id")
    data["worker_name"] = data["worker_name"] or str(request.user)
    fields = dict(cleaned(VisitForm(form_data(data), user=request.user)))
    found, detail = fields.pop("found_needs"), fields.pop("found_detail")
    needs = [{"type": t, "detail": detail} for t in found]
    if client_id is None:
        return Status(201, services.visit_record(actor=request.user, person=person,
                                                 needs=needs, **fields))
    visit, created = services.visit_record_once(actor=request.user, person=person,
                                                client_id=client_id, needs=needs, **fields)
    return Status(201 if created else 200, visit)


# ---- job seekers ----------------------------------------------------------------------------
class JobSeekerOut(Schema):
    id: int
    person_id: int
    person_name: str
    registered_on: dt.date
    work_wished: str
    skills: str
    training_wanted: str
    ability: str
    status: str
    employer: str
    placed_on: dt.date | None
    version: int

    @staticmethod
    def resolve_person_name(obj) -> str:
        return obj.person.name


class JobSeekerPage(Schema):
    items: list[JobSeekerOut]
    next_cursor: int | None


class JobSeekerQuery(Schema):
    status: str | None = None
    cursor: Cursor = None
    limit: Limit = None


class JobSeekerIn(Schema):
    registered_on: dt.date | None = None
    work_wished: str
    skills: str = ""
    training_wanted: str = ""
    ability: str
    status: str = "seeking"
    employer: str = ""
    placed_on: dt.date | None = None


@router.get("/jobseekers", response={200: JobSeekerPage, **READ_ERRORS}, tags=["job seekers"],
            summary=_("Job-seeking registrations"))
def jobseeker_list(request, query: Query[JobSeekerQuery]):
    need(request, "people.view_jobseeker")
    filterset = _filters(JobSeekerFilterSet, request, query)
    page = cursor_page(selectors.jobseeker_list(user=request.user, filters=filterset),
                       cursor=query.cursor, limit=query.limit)
    audit_read(request, what="jobseekers", objects=page.items)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/jobseekers/{int:pk}", response={200: JobSeekerOut, **READ_ERRORS},
            tags=["job seekers"], summary=_("One job-seeking registration"))
def jobseeker_detail(request, pk: Pk):
    need(request, "people.view_jobseeker")
    job = selectors.jobseeker_get(user=request.user, pk=pk)
    audit_read(request, what="jobseeker", obj=job)
    return job


@router.get("/people/{int:pk}/jobseekers", response={200: list[JobSeekerOut], **READ_ERRORS},
            tags=["job seekers"], summary=_("A person's job seeking"))
def person_jobseekers(request, pk: Pk):
    need(request, "people.view_person", "people.view_jobseeker")
    file = selectors.person_file(user=request.user, pk=pk)
    audit_read(request, what="job seeking of a person", obj=file.person)
    for job in file.jobs:
        job.person = file.person
    return file.jobs


@router.post("/people/{int:pk}/jobseekers", response={201: JobSeekerOut, **ERRORS},
             tags=["job seekers"], summary=_("Register a person's job seeking"))
def jobseeker_create(request, pk: Pk, payload: JobSeekerIn):
    need(request, "people.add_jobseeker")
    person = selectors.person_get(user=request.user, pk=pk)
    data = payload.dict()
    if data["registered_on"] is None:
        data["registered_on"] = timezone.localdate()
    job = services.jobseeker_register(actor=request.user, person=person,
                                      **cleaned(JobSeekerForm(form_data(data))))
    return Status(201, selectors.jobseeker_get(user=request.user, pk=job.pk))


# ---- transfers ------------------------------------------------------------------------------
class TransferOut(Schema):
    id: int
    person: str = Field(description="The person's name; to a unit that asked for them, until "
                                    "the holder accepts, only their ID number, masked")
    named: bool
    from_unit_id: int
    from_unit_name: str
    to_unit_id: int
    to_unit_name: str
    kind: str
    status: str
    reason: str
    requested_at: dt.datetime


class TransfersOut(Schema):
    incoming: list[TransferOut]
    outgoing: list[TransferOut]
    pending: list[TransferOut]


def _transfer(line) -> dict:
    t = line.transfer
    return {"id": t.pk, "person": line.person, "named": line.named,
            "from_unit_id": t.from_unit_id, "from_unit_name": t.from_unit.name,
            "to_unit_id": t.to_unit_id, "to_unit_name": t.to_unit.name, "kind": t.kind,
            "status": t.status, "reason": t.reason, "requested_at": t.requested_at}


@router.get("/transfers", response={200: TransfersOut, **READ_ERRORS}, tags=["transfers"],
            summary=_("Transfers"))
def transfer_list(request):
    """Transfers seen from the user's units: arriving, leaving, and waiting for their
    decision."""
    need(request, "people.view_transfer")
    groups = selectors.transfer_list(user=request.user)
    named = [line.transfer.person for lines in groups.values() for line in lines if line.named]
    audit_read(request, what="transfers", objects=named)
    return {name: [_transfer(line) for line in lines] for name, lines in groups.items()}



class TransferIn(Schema):
    """A request to the unit holding a person (found by their ID number) to transfer them
    to a village of the user's scope; the holder decides."""

    id_number: str = Field(description="The person's ID number (the unit asking knows it)")
    to_unit: int = Field(ge=1, le=MAX_ID, description="The village or community they move to")
    reason: str = ""


@router.post("/transfers", response={201: TransferOut, **ERRORS}, tags=["transfers"],
             summary=_("Request a transfer"))
def transfer_request(request, payload: TransferIn):
    """201 with the request; the person stays unnamed (their ID number masked) until the
    unit holding them accepts."""
    need(request, "people.add_person")
    form = TransferRequestForm(form_data(payload.dict()), user=request.user)
    transfer = services.transfer_request(actor=request.user, **cleaned(form))
    return Status(201, _transfer_answer(request, transfer.pk))


def _transfer_answer(request, pk: int) -> dict:
    """The transfer as the user sees it; naming the person is audited like the list."""
    line = selectors.transfer_line(user=request.user, pk=pk)
    if line.named:
        audit_read(request, what="transfer", obj=line.transfer.person, transfer=pk)
    return _transfer(line)


def _decide(request, pk: int, *, accept: bool) -> dict:
    need(request, "people.change_person")
    transfer = selectors.transfer_get(user=request.user, pk=pk)
    services.transfer_decide(actor=request.user, transfer=transfer, accept=accept)
    return _transfer_answer(request, pk)


@router.post("/transfers/{int:pk}/accept", response={200: TransferOut, **ERRORS},
             tags=["transfers"], summary=_("Accept a transfer"))
def transfer_accept(request, pk: Pk):
    """The unit holding the person accepts: the person moves to the unit that asked. Only
    the holder decides (403 for the unit that asked); a decided request is a 422."""
    return _decide(request, pk, accept=True)


@router.post("/transfers/{int:pk}/decline", response={200: TransferOut, **ERRORS},
             tags=["transfers"], summary=_("Decline a transfer"))
def transfer_decline(request, pk: Pk):
    """The unit holding the person declines: the person stays."""
    return _decide(request, pk, accept=False)
