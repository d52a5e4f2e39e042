"""The ledgers in the API (mounted at /api/v1/ledgers/ by the api app): the work record
book and the assistance activities (read, written and changed), the meetings, the annual
plans, the volunteers and their activities, and the letters and visits (read). Reads through
the ledgers' selectors; input through the pages' own forms (the same messages), writes
through the ledgers' services (rules, audit, versions, the 7-day lock of a work record).
What names people (an activity's people, a petitioner) is audited, one entry per answer."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Path, Query, Router, Schema, Status

from core.api import (
    ERRORS,
    MAX_ID,
    READ_ERRORS,
    audit_read,
    cleaned,
    cursor_page,
    form_data,
    form_start,
    multi_data,
    need,
)

from . import activities_selectors, activities_services, records_selectors, records_services
from .activities_forms import AssistanceForm
from .records_forms import WorkEntryForm

router = Router()

Pk = Annotated[int, Path(ge=1, le=MAX_ID)]


class PageQuery(Schema):
    cursor: int | None = Field(None, ge=0, le=MAX_ID)
    limit: int | None = Field(None, ge=1, le=200)


class WorkEntryOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    written_on: dt.date
    subject: str
    content: str
    created_by: str | None
    created_at: dt.datetime
    version: int

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_created_by(obj) -> str | None:
        return str(obj.created_by) if obj.created_by_id else None


class WorkEntryPage(Schema):
    items: list[WorkEntryOut]
    next_cursor: int | None


class HelpedOut(Schema):
    id: int
    name: str
    unit_name: str

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name


class AssistanceItem(Schema):
    id: int
    unit_id: int
    unit_name: str
    held_on: dt.date
    title: str
    kind: str
    organiser: str
    place: str
    participants: int | None
    money: Decimal | None
    goods: str
    influential: bool
    version: int

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name


class AssistancePage(Schema):
    items: list[AssistanceItem]
    next_cursor: int | None


class AssistanceOut(AssistanceItem):
    partners: str
    description: str
    people: list[HelpedOut]

    @staticmethod
    def resolve_people(obj) -> list:
        return obj.api_people


@router.get("/work-records", response={200: WorkEntryPage, **READ_ERRORS},
            summary=_("The work record book"))
def workentry_list(request, query: Query[PageQuery]):
    need(request, "ledgers.view_workentry")
    page = cursor_page(records_selectors.workentry_list(user=request.user),
                       cursor=query.cursor, limit=query.limit)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/work-records/{int:pk}", response={200: WorkEntryOut, **READ_ERRORS},
            summary=_("One work record"))
def workentry_detail(request, pk: Pk):
    need(request, "ledgers.view_workentry")
    return records_selectors.workentry_get(user=request.user, pk=pk)


@router.get("/assistance", response={200: AssistancePage, **READ_ERRORS},
            summary=_("Assistance activities"))
def assistance_list(request, query: Query[PageQuery]):
    need(request, "ledgers.view_assistanceactivity")
    page = cursor_page(activities_selectors.assistance_list(user=request.user),
                       cursor=query.cursor, limit=query.limit)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/assistance/{int:pk}", response={200: AssistanceOut, **READ_ERRORS},
            summary=_("One assistance activity"))
def assistance_detail(request, pk: Pk):
    """The activity and the registered people it helped (audited: it names them)."""
    need(request, "ledgers.view_assistanceactivity")
    activity = activities_selectors.assistance_get(user=request.user, pk=pk)
    helped = activities_selectors.people_of(activity)
    audit_read(request, what="assistance activity", obj=activity,
               people=[p.pk for p in helped])
    activity.api_people = helped
    return activity


# ---- writes: the work record book ---------------------------------------------------------------
UPLOADS = ("photo", "attachments")  # files come through the pages only, for now


def _fields(form) -> dict:
    return {k: v for k, v in cleaned(form).items() if k not in UPLOADS}


class WorkEntryIn(Schema):
    unit: int | None = Field(None, ge=1, le=MAX_ID, description=(
        "The unit whose book it is (a user above a village: one beneath them); a village's "
        "user writes their own unit's book and this is ignored"))
    written_on: dt.date | None = Field(None, description="Empty: today")
    subject: str = ""
    content: str


class WorkEntryPatch(Schema):
    version: int = Field(ge=0, le=MAX_ID, description="The record's version when read: a "
                                                      "save by someone else since is a 409.")
    written_on: dt.date | None = None
    subject: str | None = None
    content: str | None = None


@router.post("/work-records", response={201: WorkEntryOut, **ERRORS},
             summary=_("Write a work record"))
def workentry_create(request, payload: WorkEntryIn):
    need(request, "ledgers.add_workentry")
    data = payload.dict()
    if data["written_on"] is None:
        data["written_on"] = timezone.localdate()
    if data["unit"] is None:
        data["unit"] = getattr(request.user, "unit_id", None)
    form = WorkEntryForm(form_data(data), user=request.user)
    entry = records_services.work_entry_create(actor=request.user, **_fields(form))
    return Status(201, records_selectors.workentry_get(user=request.user, pk=entry.pk))


@router.patch("/work-records/{int:pk}", response={200: WorkEntryOut, **ERRORS},
              summary=_("Change a work record"))
def workentry_update(request, pk: Pk, payload: WorkEntryPatch):
    """Change the fields given, by the record's author or its unit's users for 7 days after
    it was written; after that refused (422) with the page's words. A save by someone else
    since ``version`` is a 409."""
    need(request, "ledgers.change_workentry")
    entry = records_selectors.workentry_get(user=request.user, pk=pk)
    given = payload.dict(exclude_unset=True)
    version = given.pop("version")
    data = form_start(WorkEntryForm(instance=entry, user=request.user))
    data.update(form_data(given))
    form = WorkEntryForm(data, instance=entry, user=request.user)
    records_services.work_entry_update(actor=request.user, workentry=entry,
                                       expected_version=version, **_fields(form))
    return records_selectors.workentry_get(user=request.user, pk=pk)


# ---- writes: assistance activities --------------------------------------------------------------
class AssistanceIn(Schema):
    unit: int | None = Field(None, ge=1, le=MAX_ID, description=(
        "The county, township or village keeping the record; empty: the user's own"))
    held_on: dt.date | None = Field(None, description="Empty: today")
    title: str
    kind: str = "visit"
    organiser: str = ""
    partners: str = ""
    place: str = ""
    participants: int | None = Field(None, ge=0, le=MAX_ID)
    people: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        [], description="The registered people helped (their ids, in the user's scope)")
    money: Decimal | None = Field(None, ge=0, le=Decimal("1e12"))
    goods: str = ""
    description: str = ""
    influential: bool = False


class AssistancePatch(Schema):
    version: int = Field(ge=0, le=MAX_ID, description="The activity's version when read: a "
                                                      "save by someone else since is a 409.")
    held_on: dt.date | None = None
    title: str | None = None
    kind: str | None = None
    organiser: str | None = None
    partners: str | None = None
    place: str | None = None
    participants: int | None = Field(None, ge=0, le=MAX_ID)
    people: list[Annotated[int, Field(ge=1, le=MAX_ID)]] | None = Field(
        None, description="Given: exactly these people")
    money: Decimal | None = Field(None, ge=0, le=Decimal("1e12"))
    goods: str | None = None
    description: str | None = None
    influential: bool | None = None


def _assistance_answer(request, pk: int):
    activity = activities_selectors.assistance_get(user=request.user, pk=pk)
    helped = activities_selectors.people_of(activity)
    audit_read(request, what="assistance activity", obj=activity,
               people=[p.pk for p in helped])
    activity.api_people = helped
    return activity


@router.post("/assistance", response={201: AssistanceOut, **ERRORS},
             summary=_("Record an assistance activity"))
def assistance_create(request, payload: AssistanceIn):
    need(request, "ledgers.add_assistanceactivity")
    data = payload.dict()
    if data["held_on"] is None:
        data["held_on"] = timezone.localdate()
    if data["unit"] is None:
        data["unit"] = getattr(request.user, "unit_id", None)
    form = AssistanceForm(multi_data(form_data(data)), user=request.user)
    activity = activities_services.assistance_create(actor=request.user, **_fields(form))
    return Status(201, _assistance_answer(request, activity.pk))


@router.patch("/assistance/{int:pk}", response={200: AssistanceOut, **ERRORS},
              summary=_("Change an assistance activity"))
def assistance_update(request, pk: Pk, payload: AssistancePatch):
    """Change the fields given (``people`` given: exactly these); a save by someone else
    since ``version`` is a 409."""
    need(request, "ledgers.change_assistanceactivity")
    activity = activities_selectors.assistance_get(user=request.user, pk=pk)
    given = payload.dict(exclude_unset=True)
    version = given.pop("version")
    if given.get("people", []) is None:
        given.pop("people")
    data = form_start(AssistanceForm(instance=activity, user=request.user))
    data.update(form_data(given))
    form = AssistanceForm(multi_data(data), instance=activity, user=request.user)
    activities_services.assistance_update(actor=request.user, activity=activity,
                                          expected_version=version, **_fields(form))
    return _assistance_answer(request, pk)
