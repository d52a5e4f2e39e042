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
