"""The service card (服务家园卡, doc1) of a village or community: an A6 page with the unit's
name, its liaison officer's name, duties and phone, the township service window's address,
phone and hours, and a QR code that opens the unit's public page (reports/public_views.py).

The QR code's address is absolute: CANLIAN_PUBLIC_URL (the address the public reaches the
server at, e.g. https://canlian.example.gov.cn) when set, else the host of the request that
prints the card (right when staff print from the same address the public uses; set the
setting when they print from an internal one). The QR code is drawn by segno as inline SVG:
a printed document fetches nothing (core/pdf.py)."""

from pathlib import Path

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe

from core.pdf import render_pdf

from .public_selectors import LIAISON_DUTIES, PublicUnit

CARD_CSS = Path(__file__).resolve().parent / "print" / "card.css"


def public_base(request) -> str:
    """Where the public reaches this server: the setting, else the request's host."""
    return settings.CANLIAN_PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")


def public_address(base: str, code: str) -> str:
    return base.rstrip("/") + reverse("public:unit", args=[code])


def qr_code(address: str) -> segno.QRCode:
    return segno.make(address, error="m", micro=False)


def qr_svg(address: str) -> str:
    """The QR code of ``address`` as an SVG element sized by the card's stylesheet."""
    return qr_code(address).svg_inline(scale=1, border=2, omitsize=True, svgclass="qr",
                                       lineclass=None)


def card_context(unit: PublicUnit, *, base: str) -> dict:
    """What one card prints: the unit, its public address and the QR code of it."""
    address = public_address(base, unit.code)
    return {"unit": unit, "address": address, "qr": mark_safe(qr_svg(address))}  # noqa: S308 - segno's own SVG of our own URL


def cards_pdf(units: list[PublicUnit], *, base: str, title: str) -> bytes:
    """One A6 page per unit of ``units``."""
    return render_pdf("reports/cards/cards.html",
                      {"cards": [card_context(u, base=base) for u in units],
                       "duties": LIAISON_DUTIES, "title": title},
                      stylesheets=[CARD_CSS])
