"""Filters on the network that every list shares."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from .forms import UnitPickerField
from .models import Level

# The levels a list can be narrowed to: everything above the grids.
FILTER_LEVELS = tuple(level for level in Level.values if level < Level.GRID)


class UnitFilter(django_filters.Filter):
    """"Unit": the rows of the chosen unit's subtree (``within``, so any scoped model works:
    people through their village, needs through their person).

    The unit is picked by typing its code or name (orgs.forms.UnitPickerField, the
    search-as-you-type picker), never from a list of every unit in scope: the page stays
    the same size for a province as for a village. A unit outside the user's scope is
    found by nothing: the form refuses it and the list is not widened. The query string
    carries the unit's id (``unit=``) and the text typed (``unit_text=``); either alone
    is read."""

    field_class = UnitPickerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Unit"))
        kwargs.setdefault("levels", FILTER_LEVELS)
        kwargs.setdefault("help_text", _("Type a division code or a name; empty: all your "
                                         "units."))
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        field = super().field
        field.user = self.parent.user
        return field

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        return qs.within(value)
