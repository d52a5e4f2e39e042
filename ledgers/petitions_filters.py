"""The filters of the list of letters and visits, applied by the selectors to what the user
may see."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import DateFilter, NumberFilter

from core.filters import CheckboxFilter, ChoiceFilter, FilterSet
from core.text import normalise_text
from orgs.filters import UnitFilter
from orgs.forms import DateInput

from .models import Petition
from .petitions_choices import PetitionStatus, ReceivedHow


class CategoryFilter(django_filters.ModelChoiceFilter):
    """A category the user chooses from (their area's), with its subcategories."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", _("Any"))
        super().__init__(*args, **kwargs)

    def get_queryset(self, request):
        from .petitions_selectors import categories_for

        return categories_for(user=self.parent.user)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        return qs.filter(category__in=[value.pk, *value.children.values_list("pk", flat=True)])


class PetitionFilterSet(FilterSet):
    more_filters = ("received_how", "unit", "received_from", "received_to")

    q = django_filters.CharFilter(label=_("Petitioner's name"), method="filter_q",
                                  max_length=50)
    status = ChoiceFilter(label=_("Status"), choices=PetitionStatus.choices)
    category = CategoryFilter(label=_("Subject category"))
    overdue = CheckboxFilter(label=_("Overdue only"), method="filter_overdue")
    year = NumberFilter(label=_("Year"), field_name="received_on", lookup_expr="year",
                        min_value=2000, max_value=2100)
    received_how = ChoiceFilter(label=_("Received how"), choices=ReceivedHow.choices)
    unit = UnitFilter()
    received_from = DateFilter(label=_("Received from"), field_name="received_on",
                               lookup_expr="gte", widget=DateInput())
    received_to = DateFilter(label=_("Received until"), field_name="received_on",
                             lookup_expr="lte", widget=DateInput())

    class Meta:
        model = Petition
        fields = []

    def filter_q(self, qs, name, value):
        return qs.filter(petitioner_name__contains=normalise_text(value))

    def filter_overdue(self, qs, name, value):
        from .petitions_selectors import overdue_q

        return qs.filter(overdue_q(timezone.localdate()))

