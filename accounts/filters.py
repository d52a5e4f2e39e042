"""The filters of the user list and the audit log (django-filter), applied by the selectors."""

import datetime as dt

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, DateFilter, ModelChoiceFilter

from audit.models import Action, AuditLog
from core.filters import ChoiceFilter, FilterSet
from orgs.filters import UnitFilter

from .models import User
from .roles import Role


class UserFilterSet(FilterSet):
    more_filters = ("unit", "role", "active")

    q = CharFilter(label=_("Login name or full name"), method="filter_q", max_length=150)
    unit = UnitFilter()
    role = ChoiceFilter(label=_("Role"), choices=Role.choices)
    active = ChoiceFilter(label=_("Status"), method="filter_active", choices=[
        ("yes", _("active")), ("no", _("deactivated"))])

    class Meta:
        model = User
        fields = []

    def filter_q(self, qs, name, value):
        value = value.strip()
        return qs.filter(Q(username__icontains=value) | Q(full_name__icontains=value)) \
            if value else qs

    def filter_active(self, qs, name, value):
        return qs.filter(is_active=value == "yes")


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


class AuditFilterSet(FilterSet):
    """The audit log: by who, what, which kind of object and when (local days, both ends
    included)."""

    search_field = "actor"
    more_filters = ("object_type", "date_from", "date_to")

    actor = CharFilter(label=_("User"), field_name="actor_name", lookup_expr="icontains",
                       max_length=150)
    action = ChoiceFilter(label=_("Action"), choices=Action.choices)
    object_type = ModelChoiceFilter(
        label=_("Object type"), field_name="content_type", empty_label=_("Any"),
        queryset=ContentType.objects.filter(
            app_label__in=["orgs", "accounts", "people", "workforce", "ledgers", "standards"]
        ).order_by("app_label", "model"),
    )
    date_from = DateFilter(label=_("From date"), method="filter_from",
                           widget=forms.DateInput(attrs={"type": "date"}))
    date_to = DateFilter(label=_("To date"), method="filter_to",
                         widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = AuditLog
        fields = []

    def filter_from(self, qs, name, value):
        return qs.filter(at__gte=_local_midnight(value))

    def filter_to(self, qs, name, value):
        return qs.filter(at__lt=_local_midnight(value + dt.timedelta(days=1)))
