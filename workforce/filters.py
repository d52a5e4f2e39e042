"""The workforce's list filters, applied by the selectors to what the user may see."""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, NumberFilter

from core.filters import CheckboxFilter, ChoiceFilter, FilterSet
from core.text import normalise_text
from orgs.filters import UnitFilter
from people.identity import normalise_id

from .choices import Connection, PostKind, TrainingLevel
from .models import Appointment, TrainingSession, Worker, id_lookup


class WorkerFilterSet(FilterSet):
    more_filters = ("unit", "kind", "connection", "certificate", "no_post")

    q = CharFilter(label=_("Name or ID number"), method="filter_q", max_length=50)
    unit = UnitFilter()
    kind = ChoiceFilter(label=_("Holds a post of"), choices=PostKind.choices,
                        method="filter_kind")
    connection = ChoiceFilter(label=_("Tie to disability"), choices=Connection.choices)
    certificate = ChoiceFilter(label=_("Work certificate"), method="filter_certificate",
                               choices=[("valid", _("Valid")), ("missing", _("None")),
                                        ("expired", _("Expired"))])
    no_post = CheckboxFilter(label=_("Holds no post now"), method="filter_no_post")

    class Meta:
        model = Worker
        fields = []

    def filter_q(self, qs, name, value):
        text = normalise_text(value)
        number = normalise_id(text)
        if len(number) == 18 and number[:17].isdigit():
            return qs.filter(id_hash=id_lookup(number))
        return qs.filter(name__contains=text)

    def filter_kind(self, qs, name, value):
        return qs.filter(Exists(Appointment.objects.current().filter(
            worker=OuterRef("pk"), post__kind=value)))

    def filter_no_post(self, qs, name, value):
        return qs.exclude(Exists(Appointment.objects.current().filter(worker=OuterRef("pk"))))

    def filter_certificate(self, qs, name, value):
        today = timezone.localdate()
        if value == "missing":
            return qs.filter(certificate_number="")
        expired = Q(certificate_valid_until__lt=today)
        if value == "expired":
            return qs.exclude(certificate_number="").filter(expired)
        return qs.exclude(certificate_number="").exclude(expired)


# ---- training --------------------------------------------------------------------------------

class TrainingFilterSet(FilterSet):
    """The training register's filters: title or trainer, year, level, organising unit."""

    more_filters = ("unit",)

    q = CharFilter(label=_("Title or trainer"), method="filter_q", max_length=50)
    year = NumberFilter(label=_("Year"), field_name="starts_on", lookup_expr="year",
                        min_value=2000, max_value=2100)
    level = ChoiceFilter(label=_("Level"), choices=TrainingLevel.choices)
    unit = UnitFilter(label=_("Organising unit"))

    class Meta:
        model = TrainingSession
        fields = []

    def filter_q(self, qs, name, value):
        text = normalise_text(value)
        return qs.filter(Q(title__contains=text) | Q(trainer__contains=text))
