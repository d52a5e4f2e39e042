"""The service cards for staff to print (login required; a unit outside the scope is a
404): a village's card, and a township's cards, one A6 page per village or community."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pdf import PDF
from orgs import selectors as org_selectors
from orgs.models import Level

from . import cards, public_selectors
from .views import _attachment


def _unit(request, pk, level):
    unit = org_selectors.unit_get(user=request.user, pk=pk)
    if unit.level != level or (unit.valid_to is not None
                               and unit.valid_to <= timezone.localdate()):
        raise Http404
    return unit


def _pdf(content: bytes, filename: str, fallback: str) -> HttpResponse:
    response = HttpResponse(content, content_type=PDF)
    response["Content-Disposition"] = _attachment(filename, fallback).replace(
        "attachment", "inline", 1)
    return response


@login_required
@permission_required("orgs.view_orgunit", raise_exception=True)
def service_card(request, pk):
    """The card of one village or community."""
    village = _unit(request, pk, Level.VILLAGE)
    if not village.code:
        raise Http404  # no division code, no public page for the QR code to open
    title = _("Service card of %(unit)s") % {"unit": village.name}
    content = cards.cards_pdf([public_selectors.public_unit_of(village)],
                              base=cards.public_base(request), title=title)
    return _pdf(content, f"{title}.pdf", f"service-card-{village.code}.pdf")


@login_required
@permission_required("orgs.view_orgunit", raise_exception=True)
def service_cards(request, pk):
    """The cards of every village and community of a township, as one PDF."""
    township = _unit(request, pk, Level.TOWNSHIP)
    units = public_selectors.public_units_beneath(township)
    if not units:
        raise Http404
    title = _("Service cards of %(unit)s") % {"unit": township.name}
    content = cards.cards_pdf(units, base=cards.public_base(request), title=title)
    return _pdf(content, f"{title}.pdf", f"service-cards-{township.code or township.pk}.pdf")
