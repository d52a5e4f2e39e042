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
