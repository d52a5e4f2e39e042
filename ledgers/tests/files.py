"""Files for the tests: real pictures and PDF files made on the spot."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile


def jpeg_bytes(size=(64, 48), *, gps: bool = False, orientation: int | None = None) -> bytes:
    """A JPEG picture; with an EXIF block naming a GPS position and a camera when ``gps``,
    and an orientation tag when ``orientation``."""
    from PIL import Image

    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    if gps:
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x8825] = {1: "N", 2: (36.0, 5.0, 0.0), 3: "E", 4: (105.0, 3.0, 0.0)}
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes() if (gps or orientation) else b"")
    return out.getvalue()


def png_bytes(size=(32, 32)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA", size, (0, 0, 255, 128)).save(out, "PNG")
    return out.getvalue()


def pdf_bytes(*, script: bool = False) -> bytes:
    """A one-page PDF; with an /OpenAction /JavaScript when ``script``."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if script:
        from pypdf.generic import DictionaryObject, NameObject, TextStringObject

        writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hi');")})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload_of(content: bytes, name: str, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)
