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
