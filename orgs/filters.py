"""Filters on the network that every list shares."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from .forms import UnitChoiceField
from .models import Level, OrgUnit


def filter_units(user):
    """The units a list can be narrowed to: the user's own subtree above the grids, still
    in force, in tree order, each with its parent (for its label)."""
    return (OrgUnit.objects.visible_to(user).active().filter(level__lt=Level.GRID)
            .select_related("parent").order_by("path"))


class UnitFilter(django_filters.ModelChoiceFilter):
    """"Unit": the rows of the chosen unit's subtree (``within``, so any scoped model works:
    people through their village, needs through their person).

    The seam for the unit picker: today a drop-down of ``filter_units(user)``; a
    search-as-you-type picker replaces ``field_class`` (and its widget) here, and every list
    that filters by unit gets it. A unit outside the user's scope is not a choice: the form
    refuses it and the list is not widened."""

    field_class = UnitChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Unit"))
        kwargs.setdefault("empty_label", _("All my units"))
        super().__init__(*args, **kwargs)

    def get_queryset(self, request):
        return filter_units(self.parent.user)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        return qs.within(value)
