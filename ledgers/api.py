"""The ledgers in the API (mounted at /api/v1/ledgers/ by the api app), read-only for now:
the work record book and the assistance activities. Reads through the ledgers' selectors;
an activity names the people it helped, so reading one is audited."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.utils.translation import gettext_lazy as _
from ninja import Field, Path, Query, Router, Schema

from core.api import MAX_ID, READ_ERRORS, audit_read, cursor_page, need

from . import activities_selectors, records_selectors

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
