"""The workforce in the API (mounted at /api/v1/workforce/ by the api app): workers (ID
numbers always masked, bank accounts never shown), appointments, vacancies. Reads through
workforce.selectors; a list or a file naming workers is one audit entry."""

import datetime as dt
from typing import Annotated

from django.utils.translation import gettext_lazy as _
from ninja import Field, Path, Query, Router, Schema

from core.api import MAX_ID, READ_ERRORS, FormErrors, audit_read, cursor_page, form_data, need
from orgs import selectors as org_selectors

from . import selectors
from .choices import post_title
from .filters import WorkerFilterSet

router = Router()

Pk = Annotated[int, Path(ge=1, le=MAX_ID)]


class AppointmentOut(Schema):
    id: int
    worker_id: int
    worker_name: str
    post_id: int
    post_kind: str
    post_title: str
    unit_id: int
    unit_name: str
    starts_on: dt.date
    term_ends_on: dt.date | None
    holding: str
    ended_on: dt.date | None
    end_reason: str
    version: int

    @staticmethod
    def resolve_worker_name(obj) -> str:
        return obj.worker.name

    @staticmethod
    def resolve_post_kind(obj) -> str:
        return obj.post.kind

    @staticmethod
    def resolve_post_title(obj) -> str:
        return obj.post.title or post_title(obj.post.kind, obj.post.unit.level)

    @staticmethod
    def resolve_unit_id(obj) -> int:
        return obj.post.unit_id

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.post.unit.name


class WorkerItem(Schema):
    id: int
    name: str
    masked_id: str
    gender: str
    birth_date: dt.date
    unit_id: int
    unit_name: str
    connection: str
    posts: list[str]
    version: int

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_posts(obj) -> list[str]:
        return [a.post.title or post_title(a.post.kind, a.post.unit.level)
                for a in getattr(obj, "current", [])]


class WorkerPage(Schema):
    items: list[WorkerItem]
    next_cursor: int | None


class WorkerOut(WorkerItem):
    phone: str
    education: str
    political_status: str
    relation: str
    certificate_number: str
    certificate_valid_until: dt.date | None
    certificate_state: str
    warnings: list[str]
    appointments: list[AppointmentOut]

    @staticmethod
    def resolve_certificate_state(obj) -> str:
        return str(obj.api_file.certificate)

    @staticmethod
    def resolve_warnings(obj) -> list[str]:
        return [str(w) for w in obj.api_file.warnings]

    @staticmethod
    def resolve_appointments(obj) -> list:
        return obj.api_file.appointments


class WorkerQuery(Schema):
    q: str | None = Field(None, description="Name or ID number")
    unit: int | None = Field(None, ge=1, le=MAX_ID)
    kind: str | None = None
    connection: str | None = None
    certificate: str | None = None
    no_post: bool | None = None
    cursor: int | None = Field(None, ge=0, le=MAX_ID)
    limit: int | None = Field(None, ge=1, le=200)


class VacancyOut(Schema):
    unit_id: int
    unit_name: str
    kind: str
    title: str
    required: int
    held: int
    vacant: int
    vacant_since: dt.date | None
    days_vacant: int | None


class VacancyQuery(Schema):
    unit: int | None = Field(None, ge=1, le=MAX_ID, description="Beneath this unit")
    kind: str | None = None


@router.get("/workers", response={200: WorkerPage, **READ_ERRORS}, summary=_("Workers"))
def worker_list(request, query: Query[WorkerQuery]):
    """The workers of the user's subtree with the workers page's filters, a page at a time;
    ID numbers masked."""
    need(request, "workforce.view_worker")
    data = form_data(query.dict(exclude={"cursor", "limit"}, exclude_none=True))
    filterset = WorkerFilterSet(data or None, user=request.user)
    if filterset.is_bound and not filterset.is_valid():
        raise FormErrors({k: [str(m) for m in v] for k, v in filterset.form.errors.items()})
    page = cursor_page(selectors.worker_list(user=request.user, filters=filterset),
                       cursor=query.cursor, limit=query.limit)
    audit_read(request, what="workers", objects=page.items)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/workers/{int:pk}", response={200: WorkerOut, **READ_ERRORS},
            summary=_("One worker"))
def worker_detail(request, pk: Pk):
    """A worker's file: details (ID masked; no bank account), every appointment, what the
    rules warn of."""
    need(request, "workforce.view_worker")
    file = selectors.worker_file(user=request.user, pk=pk)
    worker = file.worker
    worker.current, worker.api_file = file.current, file
    audit_read(request, what="worker", obj=worker)
    return worker


@router.get("/appointments/{int:pk}", response={200: AppointmentOut, **READ_ERRORS},
            summary=_("One appointment"))
def appointment_detail(request, pk: Pk):
    need(request, "workforce.view_appointment")
    return selectors.appointment_get(user=request.user, pk=pk)


@router.get("/vacancies", response={200: list[VacancyOut], **READ_ERRORS},
            summary=_("Vacant posts"))
def vacancy_list(request, query: Query[VacancyQuery]):
    """Every post the staffing norms ask for that nobody holds, in the user's scope
    (beneath ``unit``), longest vacant first."""
    need(request, "workforce.view_worker")
    unit = org_selectors.unit_get(user=request.user, pk=query.unit) if query.unit else None
    lines = selectors.vacancies(user=request.user, unit=unit, kind=query.kind or "")
    return [{"unit_id": s.unit.pk, "unit_name": s.unit.name, "kind": s.kind,
             "title": str(s.title), "required": s.required, "held": s.held,
             "vacant": s.vacant, "vacant_since": s.vacant_since, "days_vacant": s.days_vacant}
            for s in lines]
