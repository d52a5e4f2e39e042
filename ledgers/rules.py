"""The ledgers' rules, pure: values in, ``{field: message}`` or derived values out. The
services, the import specs and the demo all call them.

Attachments: the type is read from the content, never from the name or the browser's word;
an image is decoded and re-encoded (which drops its EXIF block — the phone's GPS position,
its serial number — and any bytes hidden after the picture), turned upright first and
shrunk to at most MAX_SIDE pixels on its long side; a PDF must parse and may carry no
script."""

import hashlib
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

# The long side of a kept photo: a ledger's photo is evidence, not a print (a 12-megapixel
# phone photo of 4 MB becomes ~0.5 MB).
MAX_SIDE = 2048
# Larger than this is refused before decoding (a decompression bomb).
MAX_PIXELS = 60_000_000
JPEG_QUALITY = 85

IMAGE_TYPES = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png"),
               "WEBP": ("image/webp", ".webp"), "GIF": ("image/png", ".png")}
PDF_TYPE = ("application/pdf", ".pdf")


class FileRefused(ValueError):
    """A file that cannot be kept, with the reason in the user's language."""


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    content_type: str
    extension: str
    sha256: str


def sniff(head: bytes) -> str | None:
    """The kind a file's first bytes say it is: "image" or "pdf", else None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")) or (
            head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    return None


def check_size(size: int, limit: int) -> None:
    if size <= 0:
        raise FileRefused(_("The file is empty."))
    if size > limit:
        raise FileRefused(_("The file is %(size)s; files up to %(limit)s are kept.")
                          % {"size": human_size(size), "limit": human_size(limit)})


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def clean_file(content: bytes, *, limit: int) -> CleanFile:
    """The file as it is kept, or FileRefused saying why not."""
    check_size(len(content), limit)
    kind = sniff(content[:16])
    if kind == "image":
        data, content_type, extension = _reencode(content)
    elif kind == "pdf":
        data, (content_type, extension) = _check_pdf(content), PDF_TYPE
    else:
        raise FileRefused(_("Only photos (JPEG, PNG, WebP) and PDF files can be attached; "
                            "this file is neither, whatever its name says."))
    return CleanFile(data, content_type, extension, hashlib.sha256(data).hexdigest())


def _reencode(content: bytes) -> tuple[bytes, str, str]:
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise FileRefused(_("The picture is too large (%(w)s × %(h)s pixels).")
                                  % {"w": probe.width, "h": probe.height})
            probe.verify()
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            kind = image.format
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((MAX_SIDE, MAX_SIDE))
            content_type, extension = IMAGE_TYPES[kind]
            out = io.BytesIO()
            if extension == ".jpg":
                upright.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
            elif extension == ".webp":
                upright.save(out, "WEBP", quality=JPEG_QUALITY)
            else:
                mode = "RGBA" if upright.mode in ("RGBA", "LA", "P") else "RGB"
                upright.convert(mode).save(out, "PNG", optimize=True)
    except FileRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, KeyError,
            Image.DecompressionBombError) as exc:
        raise FileRefused(_("The picture cannot be read: it is damaged or not a picture."
                            )) from exc
    return out.getvalue(), content_type, extension


# Names in a PDF that run something when it is opened.
_SCRIPTS = (b"/JavaScript", b"/JS", b"/Launch")


def _check_pdf(content: bytes) -> bytes:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if b"%%EOF" not in content[-2048:]:
        raise FileRefused(_("The PDF file is incomplete (it was cut off while sending)."))
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        pages = len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise FileRefused(_("The PDF file cannot be read: it is damaged.")) from exc
    if pages == 0:
        raise FileRefused(_("The PDF file has no pages."))
    if any(name in content for name in _SCRIPTS):
        raise FileRefused(_("The PDF file holds a script or a program; save it again as a "
                            "plain PDF (print to PDF) and attach that."))
    return content


# ---- the work record book, meetings and the annual plan (issue 14, records) -----------------

import datetime as dt  # noqa: E402 - this section's own
import re  # noqa: E402

# A work record can be changed for this long after it was written; then only annotated.
EDIT_WINDOW = dt.timedelta(days=7)
# 实事: "one or two" practical things for disabled people a year (doc3).
PRACTICAL_MIN, PRACTICAL_MAX = 1, 2
EARLIEST_YEAR = 2000


def entry_editable(created_at: dt.datetime, now: dt.datetime) -> bool:
    """Whether a work record written at ``created_at`` can still be changed at ``now``: for
    7 days after it was written (7 days to the second still can; a second more cannot)."""
    return now - created_at <= EDIT_WINDOW


def entry_edit_refusal(*, created_at: dt.datetime, now: dt.datetime, is_author: bool,
                       same_unit: bool) -> str | None:
    """Why this user may not change this work record now, or None when they may: only its
    author or the users of the unit keeping the book, and only for 7 days."""
    if not entry_editable(created_at, now):
        return _("This record was written on %(date)s, more than 7 days ago: it can no "
                 "longer be changed. Add a note to it instead; the record and its notes are "
                 "both kept.") % {"date": f"{created_at:%Y-%m-%d}"}
    if not (is_author or same_unit):
        return _("Only the users of the unit keeping this book, or the record's author, "
                 "can change it. Add a note to it instead.")
    return None


def _dated(value: dt.date | None, today: dt.date, field: str) -> dict[str, str]:
    if value is None:
        return {field: _("Give the date.")}
    if value > today:
        return {field: _("The date is in the future.")}
    if value.year < EARLIEST_YEAR:
        return {field: _("The date is too far in the past.")}
    return {}


def work_entry_problems(values: dict, *, today: dt.date) -> dict[str, str]:
    """A work record: its date (not in the future) and what was done."""
    problems = _dated(values.get("written_on"), today, "written_on")
    if not (values.get("content") or "").strip():
        problems["content"] = _("Write what was done.")
    return problems


def note_problems(values: dict) -> dict[str, str]:
    if not (values.get("text") or "").strip():
        return {"text": _("Write the note.")}
    return {}


_NAME_SEPARATORS = re.compile(r"[\s,，、;；/]+")


def attendee_names(text: str) -> list[str]:
    """The names in a "who came" text, however they are separated (、，; or spaces)."""
    return [name for name in _NAME_SEPARATORS.split(text or "") if name]


def meeting_problems(values: dict, *, today: dt.date) -> dict[str, str]:
    """A meeting: its date, its minutes, and a head count that adds up."""
    problems = _dated(values.get("held_on"), today, "held_on")
    if not (values.get("minutes") or "").strip():
        problems["minutes"] = _("Write the minutes: what was said and done.")
    expected, present = values.get("expected_count"), values.get("present_count")
    if expected is not None and present is not None and present > expected:
        problems["present_count"] = _("More people are present (%(present)s) than were "
                                      "expected (%(expected)s).") % {
            "present": present, "expected": expected}
    return problems


def present_count(*, given: int | None, names: str, workers: int) -> int | None:
    """How many came: the number given, else the people named and the workers ticked (None
    when nobody is named)."""
    if given is not None:
        return given
    counted = len(attendee_names(names)) + workers
    return counted or None


def plan_problems(values: dict, *, today: dt.date) -> dict[str, str]:
    year = values.get("year")
    if year is None:
        return {"year": _("Give the year of the plan.")}
    if year < EARLIEST_YEAR or year > today.year + 1:
        return {"year": _("A plan is made for this year or the next, from %(first)s on.")
                % {"first": EARLIEST_YEAR}}
    return {}


def plan_item_problems(values: dict, *, year: int) -> dict[str, str]:
    """A plan item: what it is, and a due date within the plan's year."""
    problems = {}
    if not (values.get("title") or "").strip():
        problems["title"] = _("Say what is planned.")
    if values.get("influential") and values.get("kind") != "activity":
        problems["influential"] = _("Only an activity can be the influential activity.")
    due = values.get("due_on")
    if due is not None and due.year != year:
        problems["due_on"] = _("The due date must be in %(year)s, the plan's year.") % {
            "year": year}
    number = values.get("target_number")
    if number is not None and number < 0:
        problems["target_number"] = _("The target number cannot be negative.")
    return problems


@dataclass(frozen=True)
class ItemState:
    """What the plan's rules need of an item."""

    kind: str
    influential: bool
    title: str
    due_on: dt.date | None
    fulfilled: bool


def plan_minimum_problems(items: list[ItemState]) -> list[str]:
    """What a plan lacks of its minimum content (doc3): at least one influential activity,
    and one or two practical things for disabled people."""
    problems = []
    if not any(item.kind == "activity" and item.influential for item in items):
        problems.append(_("No influential activity is planned (at least one a year)."))
    practical = sum(1 for item in items if item.kind == "practical")
    if practical < PRACTICAL_MIN:
        problems.append(_("No practical thing for disabled people is planned (one or two "
                          "a year)."))
    elif practical > PRACTICAL_MAX:
        problems.append(_("%(n)s practical things for disabled people are planned: one or "
                          "two a year.") % {"n": practical})
    return problems


def item_unfulfilled(item: ItemState, *, year: int, today: dt.date) -> str | None:
    """Why an item counts as unfulfilled, or None: it has no fulfilling entry and either
    its due date has passed or the plan's year has ended."""
    if item.fulfilled:
        return None
    if item.due_on is not None and item.due_on < today:
        return _("“%(title)s” was due by %(date)s and is not fulfilled.") % {
            "title": item.title, "date": f"{item.due_on:%Y-%m-%d}"}
    if today > dt.date(year, 12, 31):
        return _("“%(title)s” was not fulfilled in %(year)s.") % {"title": item.title,
                                                                 "year": year}
    return None


def plan_flags(items: list[ItemState], *, year: int, today: dt.date) -> list[str]:
    """Everything a plan is flagged for: its missing minimum content, then its unfulfilled
    items."""
    unfulfilled = [item_unfulfilled(item, year=year, today=today) for item in items]
    return plan_minimum_problems(items) + [reason for reason in unfulfilled if reason]


def months_without_entries(dates, *, year: int, today: dt.date) -> list[int]:
    """The months of ``year`` already over by ``today`` in which no entry is dated."""
    last = 12 if today.year > year else (today.month - 1 if today.year == year else 0)
    seen = {d.month for d in dates if d.year == year}
    return [month for month in range(1, last + 1) if month not in seen]


_UNIT_SUFFIXES = (("居民委员会", ""), ("村民委员会", "村"), ("委员会", ""))


def keeper_name(name: str, level: int) -> str:
    """Who keeps a unit's books, as the paper books say: 会师镇残联, 东山根社区残协,
    高家庄村残协 (a village or community's association, a township's or county's DPF)."""
    short = name
    for suffix, replacement in _UNIT_SUFFIXES:
        if short.endswith(suffix) and len(short) > len(suffix):
            short = short[: -len(suffix)] + replacement
            break
    return f"{short}{'残协' if level >= 5 else '残联'}"


# ---- assistance and volunteer activities (issue 14, activities) ----------------------------

# The most hours a volunteer is credited for one activity (a day and a night's work).
MAX_SERVICE_HOURS = 24


def activity(values: dict, *, today) -> dict[str, str]:
    """The problems of an assistance or a volunteer activity: a title, a date not in the
    future and not before 2000, no negative money or participants."""
    problems = {}
    if not (values.get("title") or "").strip():
        problems["title"] = _("Name the activity.")
    held_on = values.get("held_on")
    if held_on is None:
        problems["held_on"] = _("Give the date of the activity.")
    elif held_on > today:
        problems["held_on"] = _("The date is in the future: record the activity once it "
                                "has taken place.")
    elif held_on.year < 2000:
        problems["held_on"] = _("The date is before 2000.")
    money = values.get("money")
    if money is not None and money < 0:
        problems["money"] = _("The money given cannot be negative.")
    participants = values.get("participants")
    if participants is not None and participants < 0:
        problems["participants"] = _("The number of participants cannot be negative.")
    return problems


def service_hours(hours) -> str | None:
    """What is wrong with the hours a volunteer served at one activity, or None."""
    if hours is None:
        return _("Give the hours served.")
    if hours <= 0:
        return _("The hours served must be more than 0.")
    if hours > MAX_SERVICE_HOURS:
        return _("At most %(max)s hours are counted for one activity.") % {
            "max": MAX_SERVICE_HOURS}
    if hours * 2 != int(hours * 2):
        return _("Hours are counted in half hours (e.g. 2.5).")
    return None


def volunteer(values: dict) -> dict[str, str]:
    problems = {}
    if not (values.get("name") or "").strip():
        problems["name"] = _("Give the volunteer's name.")
    return problems


def certificate_period(starts_on, ends_on, *, today) -> dict[str, str]:
    """The period an hours certificate counts: a start and an end, in order, not ahead."""
    problems = {}
    if starts_on is None:
        problems["starts_on"] = _("Give the first day counted.")
    if ends_on is None:
        problems["ends_on"] = _("Give the last day counted.")
    if starts_on and ends_on and ends_on < starts_on:
        problems["ends_on"] = _("The last day is before the first.")
    return problems


def influential_shortfall(count: int) -> bool:
    """doc3: a unit holds at least one influential activity a year."""
    return count < 1


# ---- letters and visits 来信来访 (issue 14) ----------------------------------------------------
# Where a petition stands and what moves it on:
#
#   registered ─accept→ accepted ─start→ being handled ─reply→ replied ─close→ closed
#        └─refuse→ not accepted (a reason)          ↑                 └─reopen→ reopened
#                                                    └──────start──────────────────┘
#
# Each step is a service (ledgers/petitions_services.py), recorded as a PetitionEvent.

import datetime as _dt  # noqa: E402

from .petitions_choices import (  # noqa: E402
    FINISHED,
    PetitionStatus,
    Satisfaction,
)

S = PetitionStatus

# action: (the statuses it starts from, the status it leads to)
PETITION_TRANSITIONS: dict[str, tuple[frozenset, str]] = {
    "accept": (frozenset({S.REGISTERED}), S.ACCEPTED),
    "refuse": (frozenset({S.REGISTERED}), S.NOT_ACCEPTED),
    "start": (frozenset({S.ACCEPTED, S.REOPENED}), S.HANDLING),
    "reply": (frozenset({S.HANDLING}), S.REPLIED),
    "close": (frozenset({S.REPLIED}), S.CLOSED),
    "reopen": (frozenset({S.REPLIED}), S.REOPENED),
}

# A petition is linked to an earlier one on the same subject (category and unit) received
# within this many days before it.
REPEAT_SUBJECT_DAYS = 365
DEFAULT_DEADLINE_DAYS = 60
# The first petition a ledger can hold: nothing typed before this is believed.
EARLIEST_PETITION = _dt.date(2000, 1, 1)

# The default categories (a data migration makes them, for everywhere).
DEFAULT_CATEGORIES = ("康复", "教育", "就业", "社会保障/救助", "托养照护", "无障碍", "维权/法律",
                      "证件办理", "其他")


def petition_actions(status: str) -> list[str]:
    """The actions that may be taken on a petition in ``status``, in the order shown."""
    return [action for action, (sources, _to) in PETITION_TRANSITIONS.items()
            if status in sources]


def petition_deadline(received_on: _dt.date, days: int) -> _dt.date:
    """The day a reply is due: ``days`` after the petition was received."""
    return received_on + _dt.timedelta(days=int(days))


def petition_overdue(*, status: str, deadline: _dt.date | None, today: _dt.date) -> bool:
    """Past its deadline and not yet replied, closed or refused."""
    return deadline is not None and status not in FINISHED and deadline < today


def petition_problems(values: dict, *, today: _dt.date) -> dict[str, str]:
    """What is wrong with a petition's registration: ``received_on``, ``petitioner_name``
    (unless ``has_person``), ``content``, ``category_active``, ``petitioner_phone``."""
    problems: dict[str, str] = {}
    received = values.get("received_on")
    if received is None:
        problems["received_on"] = _("Give the date the petition was received.")
    elif received > today:
        problems["received_on"] = _("The date received cannot be after today.")
    elif received < EARLIEST_PETITION:
        problems["received_on"] = _("The date received is too long ago; check the year.")
    if not values.get("has_person") and not (values.get("petitioner_name") or "").strip():
        problems["petitioner_name"] = _("Give the petitioner's name.")
    if not (values.get("content") or "").strip():
        problems["content"] = _("Write what the petitioner raises.")
    if values.get("category_active") is False:
        problems["category"] = _("This category is no longer in use; choose another.")
    phone = (values.get("petitioner_phone") or "").replace(" ", "").replace("-", "")
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 12):
        problems["petitioner_phone"] = _("A phone number has 7 to 12 digits.")
    return problems


def transition_problems(action: str, *, status: str, values: dict, received_on: _dt.date,
                        today: _dt.date) -> dict[str, str]:
    """What stops ``action`` on a petition in ``status``: the step itself, and what it needs
    (a reason to refuse, a handler to accept, the reply and its date, a satisfaction)."""
    sources, _to = PETITION_TRANSITIONS[action]
    if status not in sources:
        return {"__all__": _("This cannot be done to a petition that is %(status)s.")
                % {"status": PetitionStatus(status).label}}
    problems: dict[str, str] = {}
    if action == "refuse" and not (values.get("reason") or "").strip():
        problems["reason"] = _("Say why the petition is not accepted.")
    if action == "accept" and not values.get("handler") and not (
            values.get("handler_name") or "").strip():
        problems["handler_name"] = _("Name who handles it: choose a user or type a name.")
    if action == "reply":
        if not (values.get("reply") or "").strip():
            problems["reply"] = _("Write the reply given to the petitioner.")
        replied = values.get("replied_on")
        if replied is None:
            problems["replied_on"] = _("Give the date of the reply.")
        elif replied > today:
            problems["replied_on"] = _("The date of the reply cannot be after today.")
        elif replied < received_on:
            problems["replied_on"] = _("The reply cannot be before the petition was received.")
    if action in ("close", "reopen"):
        satisfaction = values.get("satisfaction") or ""
        if satisfaction not in Satisfaction.values:
            problems["satisfaction"] = _("Say whether the petitioner is satisfied.")
        elif action == "close" and satisfaction == Satisfaction.NOT_SATISFIED \
                and not (values.get("note") or "").strip():
            problems["note"] = _("Closing when the petitioner is not satisfied needs a note "
                                 "saying why it is not reopened.")
        elif action == "reopen" and satisfaction != Satisfaction.NOT_SATISFIED:
            problems["satisfaction"] = _("A petition is reopened when the petitioner is not "
                                         "satisfied with the reply.")
    return problems


def category_problems(*, name: str, deadline_days, parent_depth: int = 0) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not (name or "").strip():
        problems["name"] = _("Give the category a name.")
    if deadline_days is None or not 1 <= int(deadline_days) <= 365:
        problems["deadline_days"] = _("The days to reply are between 1 and 365.")
    if parent_depth >= 2:
        problems["parent"] = _("Categories go two levels deep at most.")
    return problems


def mask_name(name: str | None) -> str:
    """张* / 欧阳** : the surname's first character, stars for the rest (a list shows who
    came without naming them to everyone looking at the screen)."""
    text = (name or "").strip()
    if not text:
        return ""
    return text[0] + "*" * max(1, len(text) - 1)


def mask_phone(phone: str | None) -> str:
    """139****5678: the first 3 and last 4 digits of a mobile number; a shorter number
    shows its last 2 digits."""
    text = (phone or "").strip()
    if not text:
        return ""
    if len(text) >= 11:
        return f"{text[:3]}****{text[-4:]}"
    return "*" * max(4, len(text) - 2) + text[-2:]
