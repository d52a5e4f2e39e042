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

from . import (
    activities_selectors,
    activities_services,
    petitions_selectors,
    records_selectors,
    records_services,
    rules,
)
from .activities_forms import AssistanceForm
from .records_forms import NoteForm, WorkEntryForm

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



class NoteOut(Schema):
    id: int
    text: str
    written_by_name: str
    written_at: dt.datetime


class NoteIn(Schema):
    text: str = Field(description="A note to the record (批注): the way to correct or "
                                  "complete it once its 7 days are past")


@router.get("/work-records/{int:pk}/notes", response={200: list[NoteOut], **READ_ERRORS},
            summary=_("A work record's notes"))
def workentry_notes(request, pk: Pk):
    need(request, "ledgers.view_workentry")
    entry = records_selectors.workentry_get(user=request.user, pk=pk)
    return records_selectors.workentry_notes(entry)


@router.post("/work-records/{int:pk}/notes", response={201: NoteOut, **ERRORS},
             summary=_("Add a note to a work record"))
def workentry_note_create(request, pk: Pk, payload: NoteIn):
    need(request, "ledgers.add_workentrynote")
    entry = records_selectors.workentry_get(user=request.user, pk=pk)
    text = cleaned(NoteForm(form_data(payload.dict())))["text"]
    return Status(201, records_services.work_entry_annotate(actor=request.user,
                                                            workentry=entry, text=text))

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


# ---- reads: meetings ------------------------------------------------------------------------
class MeetingItem(Schema):
    id: int
    unit_id: int
    unit_name: str
    held_on: dt.date
    kind: str
    title: str
    place: str
    host: str
    expected_count: int | None
    present_count: int | None
    version: int

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name


class MeetingPage(Schema):
    items: list[MeetingItem]
    next_cursor: int | None


class AttendeeOut(Schema):
    id: int
    name: str
    unit_name: str

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name


class MeetingOut(MeetingItem):
    recorder: str
    attendee_names: str
    absent: str
    minutes: str
    decisions: str
    attendees: list[AttendeeOut] = Field(description="The workers recorded as attending whom "
                                                     "the user may see")

    @staticmethod
    def resolve_attendees(obj) -> list:
        return obj.api_attendees


@router.get("/meetings", response={200: MeetingPage, **READ_ERRORS}, summary=_("Meetings"))
def meeting_list(request, query: Query[PageQuery]):
    need(request, "ledgers.view_meeting")
    page = cursor_page(records_selectors.meeting_list(user=request.user),
                       cursor=query.cursor, limit=query.limit)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/meetings/{int:pk}", response={200: MeetingOut, **READ_ERRORS},
            summary=_("One meeting"))
def meeting_detail(request, pk: Pk):
    need(request, "ledgers.view_meeting")
    meeting = records_selectors.meeting_get(user=request.user, pk=pk)
    meeting.api_attendees = records_selectors.meeting_attendees(meeting, user=request.user)
    return meeting


# ---- reads: annual plans --------------------------------------------------------------------
class PlanItemOut(Schema):
    id: int
    kind: str
    influential: bool
    title: str
    target: str
    target_number: Decimal | None
    due_on: dt.date | None
    fulfilled: bool
    version: int

    @staticmethod
    def resolve_fulfilled(obj) -> bool:
        return records_selectors.item_state(obj).fulfilled


class PlanOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    year: int
    summary: str
    notes: str
    items: list[PlanItemOut]
    flags: list[str] = Field(description="What the plan is flagged for: too few practical "
                                         "things, items past due and not fulfilled")
    version: int

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_items(obj) -> list:
        return list(obj.items.all())

    @staticmethod
    def resolve_flags(obj) -> list[str]:
        return [str(f) for f in records_selectors.plan_flags(obj).all]


class PlanPage(Schema):
    items: list[PlanOut]
    next_cursor: int | None


@router.get("/plans", response={200: PlanPage, **READ_ERRORS}, summary=_("Annual plans"))
def plan_list(request, query: Query[PageQuery]):
    need(request, "ledgers.view_annualplan")
    page = cursor_page(records_selectors.plan_list(user=request.user),
                       cursor=query.cursor, limit=query.limit)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/plans/{int:pk}", response={200: PlanOut, **READ_ERRORS},
            summary=_("One annual plan"))
def plan_detail(request, pk: Pk):
    need(request, "ledgers.view_annualplan")
    return records_selectors.plan_get(user=request.user, pk=pk)


# ---- reads: volunteers and their activities -------------------------------------------------
class VolunteerItem(Schema):
    id: int
    unit_id: int
    unit_name: str
    name: str
    phone: str
    organisation: str
    skills: str
    active: bool
    version: int

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name


class VolunteerListItem(VolunteerItem):
    total_hours: Decimal | None


class VolunteerPage(Schema):
    items: list[VolunteerListItem]
    next_cursor: int | None


class YearHoursOut(Schema):
    year: int
    activities: int
    hours: Decimal | None


class VolunteerOut(VolunteerItem):
    years: list[YearHoursOut] = Field(description="Activities and hours per year, newest "
                                                  "first")

    @staticmethod
    def resolve_years(obj) -> list:
        return obj.api_years


@router.get("/volunteers", response={200: VolunteerPage, **READ_ERRORS},
            summary=_("The volunteer roster"))
def volunteer_list(request, query: Query[PageQuery]):
    need(request, "ledgers.view_volunteer")
    page = cursor_page(activities_selectors.volunteer_list(user=request.user),
                       cursor=query.cursor, limit=query.limit)
    audit_read(request, what="volunteers", objects=page.items)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/volunteers/{int:pk}", response={200: VolunteerOut, **READ_ERRORS},
            summary=_("One volunteer"))
def volunteer_detail(request, pk: Pk):
    need(request, "ledgers.view_volunteer")
    volunteer = activities_selectors.volunteer_get(user=request.user, pk=pk)
    audit_read(request, what="volunteer", obj=volunteer)
    volunteer.api_years = activities_selectors.volunteer_years(volunteer)
    return volunteer


class VolunteerActivityItem(Schema):
    id: int
    unit_id: int
    unit_name: str
    held_on: dt.date
    title: str
    place: str
    served: int = Field(description="The registered people served")
    came: int = Field(description="The volunteers who came")
    version: int

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name


class VolunteerActivityPage(Schema):
    items: list[VolunteerActivityItem]
    next_cursor: int | None


class ServiceOut(Schema):
    volunteer_id: int
    volunteer_name: str
    hours: Decimal

    @staticmethod
    def resolve_volunteer_name(obj) -> str:
        return obj.volunteer.name


class VolunteerActivityOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    held_on: dt.date
    title: str
    place: str
    content: str
    people: list[HelpedOut]
    services: list[ServiceOut]
    version: int

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_people(obj) -> list:
        return obj.api_people

    @staticmethod
    def resolve_services(obj) -> list:
        return obj.api_services


@router.get("/volunteer-activities", response={200: VolunteerActivityPage, **READ_ERRORS},
            summary=_("Volunteer activities"))
def volunteer_activity_list(request, query: Query[PageQuery]):
    need(request, "ledgers.view_volunteeractivity")
    page = cursor_page(activities_selectors.volunteer_activity_list(user=request.user),
                       cursor=query.cursor, limit=query.limit)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/volunteer-activities/{int:pk}", response={200: VolunteerActivityOut,
                                                        **READ_ERRORS},
            summary=_("One volunteer activity"))
def volunteer_activity_detail(request, pk: Pk):
    """The activity, the registered people it served and the volunteers who came (audited:
    it names them)."""
    need(request, "ledgers.view_volunteeractivity")
    activity = activities_selectors.volunteer_activity_get(user=request.user, pk=pk)
    activity.api_people = activities_selectors.people_of(activity)
    activity.api_services = activities_selectors.activity_services(activity)
    audit_read(request, what="volunteer activity", obj=activity,
               people=[p.pk for p in activity.api_people],
               volunteers=[s.volunteer_id for s in activity.api_services])
    return activity


# ---- reads: letters and visits (personal data) ----------------------------------------------
class PetitionItem(Schema):
    """A row of the petitions' list: the petitioner's name and phone masked as the page
    masks them, and never the content."""

    id: int
    unit_id: int
    unit_name: str
    received_on: dt.date
    received_how: str
    petitioner: str = Field(description="Masked: the surname and stars")
    phone: str = Field(description="Masked: the first 3 and last 4 digits")
    category: str
    status: str
    deadline: dt.date
    replied_on: dt.date | None
    overdue: bool
    version: int

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_petitioner(obj) -> str:
        return rules.mask_name(obj.petitioner_name)

    @staticmethod
    def resolve_phone(obj) -> str:
        return rules.mask_phone(obj.petitioner_phone)

    @staticmethod
    def resolve_category(obj) -> str:
        return obj.category.name

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return rules.petition_overdue(status=obj.status, deadline=obj.deadline,
                                      today=timezone.localdate())


class PetitionPage(Schema):
    items: list[PetitionItem]
    next_cursor: int | None


class PetitionOut(Schema):
    """One petition, whole (but its ID number), as its page shows it; the read is audited."""

    id: int
    unit_id: int
    unit_name: str
    received_on: dt.date
    received_how: str
    person_id: int | None = Field(description="The registered person, when it is one")
    petitioner_name: str
    petitioner_phone: str
    petitioner_address: str
    category: str
    content: str
    handler_name: str
    status: str
    deadline: dt.date
    not_accepted_reason: str
    reply: str
    replied_on: dt.date | None
    satisfaction: str
    closed_on: dt.date | None
    earlier_id: int | None
    repeat_of: str
    notes: str
    version: int

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_category(obj) -> str:
        return obj.category.name


@router.get("/petitions", response={200: PetitionPage, **READ_ERRORS},
            summary=_("Letters and visits"))
def petition_list(request, query: Query[PageQuery]):
    """The petitions the user may see (only the roles that handle them): name and phone
    masked, no content; one audit entry naming the rows shown."""
    need(request, "ledgers.view_petition")
    page = cursor_page(petitions_selectors.petition_list(user=request.user),
                       cursor=query.cursor, limit=query.limit)
    audit_read(request, what="petitions", objects=page.items)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/petitions/{int:pk}", response={200: PetitionOut, **READ_ERRORS},
            summary=_("One letter or visit"))
def petition_detail(request, pk: Pk):
    need(request, "ledgers.view_petition")
    petition = petitions_selectors.petition_get(user=request.user, pk=pk)
    audit_read(request, what="petition", obj=petition)
    return petition
