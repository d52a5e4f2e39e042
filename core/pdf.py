"""Printable documents as PDF: one place for every page the system prints (a payroll sheet,
later a unit's ledger book or the yearly report).

    from core.pdf import render_pdf
    content = render_pdf("workforce/payroll_print.html", {"run": run, ...})

The template extends ``core/print_base.html``; the stylesheet ``core/print/base.css`` gives
an A4 page with the margins of GB/T 9704-2012 (top 37 mm, left 28 mm, a text block of
156 × 225 mm, so right 26 mm and bottom 35 mm), the WenQuanYi Micro Hei font (Debian's
fonts-wqy-microhei, installed by ``make system-test-deps``) and the page number at the foot;
a document adds its own stylesheet files (``stylesheets=``). Styles live in files, not in
the templates: no template holds an inline style (the pages' CSP, core/tests/test_csp.py).
WeasyPrint fetches nothing from the network or the disk: a document is built from its
template and these files alone (no URL in a name typed by a user can make the server fetch
it)."""

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

FONT = "WenQuanYi Micro Hei"
PDF = "application/pdf"
BASE_CSS = Path(__file__).resolve().parent / "print" / "base.css"


def _refuse(url, *args, **kwargs):
    raise ValueError(f"a printed document fetches nothing: {url[:80]}")


# ---- official documents (公文): GB/T 9704-2012, named once -------------------------------------
# The .docx a user edits names the government fonts (Word on their PC has them); the PDF is
# typeset here with what this machine has (WenQuanYi Micro Hei: Noto CJK takes ~15 s a PDF).


@dataclass(frozen=True)
class DocumentFont:
    docx: str  # the font the standard asks for, named in the .docx
    pdf: str = FONT  # the font available to WeasyPrint


TITLE_FONT = DocumentFont("方正小标宋简体")  # 小标宋, the title
BODY_FONT = DocumentFont("仿宋_GB2312")  # 仿宋, the text
HEADING_FONTS = {  # 一、黑体  （一）楷体  1. and （1） as the text
    1: DocumentFont("黑体"),
    2: DocumentFont("楷体_GB2312"),
    3: BODY_FONT,
    4: BODY_FONT,
}
TITLE_PT = 22  # 二号
BODY_PT = 16  # 三号
# A4, top 37 mm, left 28 mm, a text block of 156 × 225 mm: right 26 mm, bottom 35 mm.
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "right": 26, "bottom": 35, "left": 28}
LINE_PT = 28.95  # 22 lines in the 225 mm block (固定值 28.95 磅)
DOCUMENT_CSS = Path(__file__).resolve().parent / "print" / "document.css"


def render_pdf(template: str, context: dict, *, stylesheets=()) -> bytes:
    """The PDF of ``template`` rendered with ``context``, styled by core/print/base.css and
    then by ``stylesheets`` (paths of .css files; DOCUMENT_CSS for an official document).
    """
    html = render_to_string(template, {"pdf_font": FONT, **context})
    return typeset(html, stylesheets=stylesheets)


def typeset(html: str, *, stylesheets=()) -> bytes:
    """WeasyPrint's PDF of ``html`` with core/print/base.css and ``stylesheets``."""
    return typeset_pages(html, stylesheets=stylesheets)[0]


def typeset_pages(html: str, *, stylesheets=()) -> tuple[bytes, int]:
    """``typeset``, and the number of pages it made."""
    from weasyprint import CSS, HTML  # heavy: imported when a document is printed

    sheets = [CSS(string=Path(path).read_text(encoding="utf-8"), url_fetcher=_refuse)
              for path in (BASE_CSS, *stylesheets)]
    document = HTML(string=html, url_fetcher=_refuse).render(stylesheets=sheets)
    return document.write_pdf(), len(document.pages)


def _document_cache():
    from django.core.cache import caches

    return caches["documents"] if "documents" in settings.CACHES else None


def _typeset_key(html: str, stylesheets) -> str:
    digest = hashlib.sha256(html.encode())
    for path in (BASE_CSS, *stylesheets):
        digest.update(Path(path).read_bytes())
    return f"pdf:{digest.hexdigest()}"


def is_typeset(html: str, *, stylesheets=()) -> bool:
    """Whether ``typeset_cached`` holds this very document already."""
    cache = _document_cache()
    return cache is not None and cache.has_key(_typeset_key(html, stylesheets))


def typeset_cached(html: str, *, stylesheets=()) -> tuple[bytes, int]:
    """``typeset``, kept: the same HTML with the same stylesheets is typeset once (the key
    is the hash of both, so any change of the data, the template or the styles is a new
    key, and nothing needs invalidating). WeasyPrint takes about 0.1 s of CPU per page of
    tables; a long document made of parts (a ledger book's chapters) typesets only the
    parts that changed since it was last printed. Returns the PDF and its number of pages
    (kept with it, so a document put together from parts need not read them again)."""
    key = _typeset_key(html, stylesheets)
    cache = _document_cache()
    kept = cache.get(key) if cache is not None else None
    if kept is None:
        kept = typeset_pages(html, stylesheets=stylesheets)
        if cache is not None:
            cache.set(key, kept)
    return kept


@dataclass(frozen=True)
class Part:
    """One part of a document put together from parts: its PDF and its bookmark."""

    content: bytes
    title: str = ""


def page_count(content: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


def join_pdfs(parts: list[Part], *, title: str = "") -> bytes:
    """One PDF of ``parts`` in order, each titled part a bookmark (the outline a reader
    jumps from)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        start = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(part.content)), import_outline=False)
        if part.title:
            writer.add_outline_item(title=part.title, page_number=start)
    if title:
        writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
