"""Printable documents as PDF: one place for every page the system prints (a payroll sheet,
later a unit's ledger book or the yearly report).

    from core.pdf import render_pdf
    content = render_pdf("workforce/payroll_print.html", {"run": run, ...})

The template extends ``core/print_base.html``: an A4 page with the margins of GB/T 9704-2012
(top 37 mm, left 28 mm, a text block of 156 × 225 mm, so right 26 mm and bottom 35 mm),
the WenQuanYi Micro Hei font (Debian's fonts-wqy-microhei, installed by ``make
system-test-deps``) and the page number at the foot. WeasyPrint fetches nothing from the
network or the disk: a document is built from its template alone (no URL in a name typed
by a user can make the server fetch it)."""

from django.template.loader import render_to_string

FONT = "WenQuanYi Micro Hei"
PDF = "application/pdf"


def _refuse(url, *args, **kwargs):
    raise ValueError(f"a printed document fetches nothing: {url[:80]}")


def render_pdf(template: str, context: dict) -> bytes:
    """The PDF of ``template`` rendered with ``context``."""
    from weasyprint import HTML  # heavy: imported when a document is printed

    html = render_to_string(template, {"pdf_font": FONT, **context})
    return HTML(string=html, url_fetcher=_refuse).write_pdf()
