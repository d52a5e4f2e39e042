"""The filters of the work record book, the meetings and the annual plans (applied by
ledgers/records_selectors.py to what the user may see)."""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, DateFilter, NumberFilter

from core.filters import ChoiceFilter, FilterSet
from core.text import normalise_text
from orgs.filters import UnitFilter
from orgs.forms import DateInput

from .models import AnnualPlan, Meeting, MeetingKind, PlanFulfilment, PlanItem, WorkEntry


def _year():
    return NumberFilter(label=_("Year"), method="filter_year", min_value=2000, max_value=2100)


def _since(field):
    return DateFilter(label=_("From"), field_name=field, lookup_expr="gte", widget=DateInput())


def _until(field):
    return DateFilter(label=_("To"), field_name=field, lookup_expr="lte", widget=DateInput())


class WorkEntryFilterSet(FilterSet):
    more_filters = ("unit", "since", "until")

    q = CharFilter(label=_("Words in the record"), method="filter_q", max_length=50)
    year = _year()
    unit = UnitFilter()
    since = _since("written_on")
    until = _until("written_on")

    class Meta:
        model = WorkEntry
        fields = []

    def filter_q(self, qs, name, value):
        text = normalise_text(value)
        return qs.filter(Q(subject__contains=text) | Q(content__contains=text))

    def filter_year(self, qs, name, value):
        return qs.filter(written_on__year=int(value))


class MeetingFilterSet(FilterSet):
    more_filters = ("unit", "since", "until")

    q = CharFilter(label=_("Words in the record"), method="filter_q", max_length=50)
    kind = ChoiceFilter(label=_("Kind"), choices=MeetingKind.choices)
    year = _year()
    unit = UnitFilter()
    since = _since("held_on")
    until = _until("held_on")

    class Meta:
        model = Meeting
        fields = []

    def filter_q(self, qs, name, value):
        text = normalise_text(value)
        return qs.filter(Q(title__contains=text) | Q(minutes__contains=text)
                         | Q(decisions__contains=text) | Q(host__contains=text)
                         | Q(place__contains=text) | Q(attendee_names__contains=text))

    def filter_year(self, qs, name, value):
        return qs.filter(held_on__year=int(value))


class AnnualPlanFilterSet(FilterSet):
    more_filters = ("unit", "flag")

    q = CharFilter(label=_("Words in the plan"), method="filter_q", max_length=50)
    year = NumberFilter(label=_("Year"), field_name="year", min_value=2000, max_value=2100)
    unit = UnitFilter()
    flag = ChoiceFilter(label=_("Flagged"), method="filter_flag", choices=[
        ("minimum", _("Lacks its minimum content")),
        ("unfulfilled", _("Has unfulfilled items"))])

    class Meta:
        model = AnnualPlan
        fields = []

    def filter_q(self, qs, name, value):
        text = normalise_text(value)
        items = PlanItem.objects.filter(plan=OuterRef("pk")).filter(
            Q(title__contains=text) | Q(target__contains=text))
        return qs.filter(Q(summary__contains=text) | Q(notes__contains=text) | Exists(items))

    def filter_flag(self, qs, name, value):
        if value == "minimum":
            influential = PlanItem.objects.filter(plan=OuterRef("pk"), kind="activity",
                                                  influential=True)
            qs = qs.annotate(practical_n=Count("items", filter=Q(items__kind="practical")))
            return qs.filter(~Exists(influential) | Q(practical_n__lt=1) | Q(practical_n__gt=2))
        today = timezone.localdate()
        open_items = PlanItem.objects.filter(plan=OuterRef("pk")).exclude(
            Exists(PlanFulfilment.objects.filter(item=OuterRef("pk"))))
        late = open_items.filter(Q(due_on__lt=today) | Q(plan__year__lt=today.year))
        return qs.filter(Exists(late))
