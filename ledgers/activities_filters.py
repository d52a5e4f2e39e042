"""Filters of the activities' lists and the roster, applied by the selectors."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, DateFilter, NumberFilter

from core.filters import CheckboxFilter, ChoiceFilter, FilterSet
from core.text import normalise_text
from orgs.filters import UnitFilter
from orgs.forms import DateInput

from .activities_choices import AssistanceKind
from .models import AssistanceActivity, Volunteer, VolunteerActivity


class _DatedFilterSet(FilterSet):
    more_filters = ("unit", "since", "until")

    unit = UnitFilter()
    year = NumberFilter(label=_("Year"), field_name="held_on", lookup_expr="year",
                        min_value=2000, max_value=2100)
    since = DateFilter(label=_("From"), field_name="held_on", lookup_expr="gte",
                       widget=DateInput())
    until = DateFilter(label=_("To"), field_name="held_on", lookup_expr="lte",
                       widget=DateInput())


class AssistanceFilterSet(_DatedFilterSet):
    more_filters = ("unit", "since", "until", "influential")

    q = CharFilter(label=_("Activity, organiser or place"), method="filter_q", max_length=50)
    kind = ChoiceFilter(label=_("Kind"), choices=AssistanceKind.choices)
    influential = CheckboxFilter(label=_("Influential activities only"),
                                 field_name="influential")

    class Meta:
        model = AssistanceActivity
        fields = []

    def filter_q(self, qs, name, value):
        text = normalise_text(value)
        return qs.filter(Q(title__contains=text) | Q(organiser__contains=text)
                         | Q(partners__contains=text) | Q(place__contains=text))


class VolunteerActivityFilterSet(_DatedFilterSet):
    q = CharFilter(label=_("Activity or place"), method="filter_q", max_length=50)

    class Meta:
        model = VolunteerActivity
        fields = []

    def filter_q(self, qs, name, value):
        text = normalise_text(value)
        return qs.filter(Q(title__contains=text) | Q(place__contains=text))


class VolunteerFilterSet(FilterSet):
    more_filters = ("unit",)
    defaults = {"status": "serving"}

    q = CharFilter(label=_("Name, organisation or skill"), method="filter_q", max_length=50)
    status = ChoiceFilter(label=_("Serving"), method="filter_status", empty_label=None,
                          choices=[("serving", _("Serving")), ("left", _("No longer serving")),
                                   ("all", _("All"))])
    unit = UnitFilter()

    class Meta:
        model = Volunteer
        fields = []

    def filter_q(self, qs, name, value):
        text = normalise_text(value)
        return qs.filter(Q(name__contains=text) | Q(organisation__contains=text)
                         | Q(skills__contains=text) | Q(phone__contains=text))

    def filter_status(self, qs, name, value):
        if value == "serving":
            return qs.filter(active=True)
        if value == "left":
            return qs.filter(active=False)
        return qs
