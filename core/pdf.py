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

from pathlib import Path

from django.template.loader import render_to_string

FONT = "WenQuanYi Micro Hei"
PDF = "application/pdf"
BASE_CSS = Path(__file__).resolve().parent / "print" / "base.css"


def _refuse(url, *args, **kwargs):
    raise ValueError(f"a printed document fetches nothing: {url[:80]}")


def render_pdf(template: str, context: dict, *, stylesheets=()) -> bytes:
    """The PDF of ``template`` rendered with ``context``, styled by core/print/base.css and
    then by ``stylesheets`` (paths of .css files)."""
    from weasyprint import CSS, HTML  # heavy: imported when a document is printed

    html = render_to_string(template, {"pdf_font": FONT, **context})
    sheets = [CSS(string=Path(path).read_text(encoding="utf-8"), url_fetcher=_refuse)
              for path in (BASE_CSS, *stylesheets)]
    return HTML(string=html, url_fetcher=_refuse).write_pdf(stylesheets=sheets)
