"""The network in the API (mounted at /api/v1/units/ by the api app): where the user's tree
starts, a unit's children, one unit. Reads through orgs.selectors."""

import datetime as dt
from typing import Annotated

from django.utils.translation import gettext_lazy as _
from ninja import Path, Router, Schema

from core.api import MAX_ID, READ_ERRORS, need

from . import selectors

router = Router()

Pk = Annotated[int, Path(ge=1, le=MAX_ID)]


class UnitOut(Schema):
    id: int
    code: str
    name: str
    level: int
    level_label: str
    kind: str
    parent_id: int | None
    valid_from: dt.date | None
    valid_to: dt.date | None

    @staticmethod
    def resolve_level_label(obj) -> str:
        return str(obj.get_level_display())


class UnitNodeOut(UnitOut):
    child_count: int


class UnitDetailOut(UnitOut):
    population: int | None
    households: int | None
    urban_rural: str
    version: int
    ancestors: list[UnitOut]


@router.get("/", response={200: list[UnitNodeOut], **READ_ERRORS},
            summary=_("The top of the user's tree"))
def unit_roots(request):
    """The unit the user belongs to (where their scope starts), with its number of children."""
    need(request, "orgs.view_orgunit")
    return list(selectors.unit_roots(user=request.user))


@router.get("/{int:pk}", response={200: UnitDetailOut, **READ_ERRORS}, summary=_("One unit"))
def unit_detail(request, pk: Pk):
    need(request, "orgs.view_orgunit")
    unit = selectors.unit_get(user=request.user, pk=pk)
    unit.ancestors = [u for u in selectors.unit_breadcrumbs(user=request.user, unit=unit)
                      if u.pk != unit.pk]
    return unit


@router.get("/{int:pk}/children", response={200: list[UnitNodeOut], **READ_ERRORS},
            summary=_("A unit's children"))
def unit_children(request, pk: Pk):
    """The active children of a unit in scope, each with its own number of children."""
    need(request, "orgs.view_orgunit")
    unit = selectors.unit_get(user=request.user, pk=pk)
    return list(selectors.unit_children(user=request.user, unit=unit))
