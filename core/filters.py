"""The base of every list's filters: a django-filter FilterSet bound to the user it filters for.

A selector applies its FilterSet to the rows the user may see (``visible_to`` first, then
``FilterSet.apply``); views never filter by hand. The same FilterSet gives the filter bar
its form, so the list, its export and its filter bar read a query string the same way.

    class NeedFilterSet(FilterSet):
        search_field = "q"                    # the search box, shown first
        more_filters = ("unit", "overdue_only")  # under "More filters"
        defaults = {"status": "open"}         # when the query names none of the filters
        q = CharFilter(label=_("Person"), method="search", max_length=50)
        ...

        class Meta:
            model = Need
            fields = []
"""

import django_filters
from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES


class FilterSet(django_filters.FilterSet):
    """A FilterSet built for one user (``user=``): filters that offer choices from the
    user's scope (orgs.filters.UnitFilter) read it as ``self.parent.user``.

    ``search_field``: the filter shown first, as the search box of the filter bar (None: no
    search box). ``more_filters``: the filters shown under "More filters", closed unless
    one of them is set. ``defaults``: the query used when the request names none of the
    filters (the need list shows open needs until asked otherwise), so page 2 of a default
    list is still the default list.
    """

    search_field: str | None = "q"
    more_filters: tuple[str, ...] = ()
    defaults: dict[str, str] = {}

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        self.user = user
        if self.defaults and not any(name in (data or {}) for name in self.base_filters):
            if isinstance(data, QueryDict):
                data = data.copy()
                for name, value in self.defaults.items():
                    data.setdefault(name, value)
            else:
                data = {**self.defaults, **(data or {})}
        super().__init__(data, queryset, **kwargs)

    @classmethod
    def apply(cls, queryset, filters, *, user):
        """``queryset`` narrowed by ``filters``: a FilterSet of this class (the one the view
        shows), a mapping of query data (``{"q": "zs"}``, as a query string would give),
        or None (the list as it first opens). Filters whose input is invalid are left out;
        the form shows why."""
        filterset = filters if isinstance(filters, cls) else cls(filters, user=user)
        if not filterset.is_bound:
            return queryset
        filterset.is_valid()
        return filterset.filter_queryset(queryset)

    # ---- for the filter bar -------------------------------------------------------------

    def search(self):
        """The bound field of the search box, or None."""
        return self.form[self.search_field] if self.search_field else None

    def inline_fields(self):
        """The bound fields shown in the bar itself, after the search box."""
        return [field for field in self.form
                if field.name != self.search_field and field.name not in self.more_filters]

    def more_fields(self):
        return [field for field in self.form if field.name in self.more_filters]

    def more_open(self) -> bool:
        """Whether "More filters" starts open: one of them is set, or has an error."""
        if not self.is_bound:
            return False
        return any(self._given(name) or self.form[name].errors for name in self.more_filters)

    def _given(self, name: str) -> bool:
        """Whether the query sets filter ``name``: its value, or any part of a value its
        widget reads from several inputs (the unit picker's id and text)."""
        value = self.form[name].value()
        if isinstance(value, list | tuple):
            return any(part not in EMPTY_VALUES for part in value)
        return self.data.get(name) not in EMPTY_VALUES

    def applied(self) -> dict[str, str]:
        """The filters in force, as strings: for the audit entry of an export, and to tell
        a filtered list from the default one. Invalid input is not in force."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: str(value) for name, value in self.form.cleaned_data.items()
                if value is not None and value != "" and value is not False}

    def active(self) -> bool:
        """Whether the list is filtered beyond its defaults (it offers to clear them)."""
        return self.applied() != {name: str(value) for name, value in self.defaults.items()}


class _TickField(forms.BooleanField):
    """Ticked is True; unticked is no value at all (so it filters nothing)."""

    def to_python(self, value):
        return True if super().to_python(value) else None


class CheckboxFilter(django_filters.Filter):
    """A tick box: ticked applies ``method`` (or ``field_name=True``), unticked filters
    nothing. (django-filter's BooleanFilter is a yes/no/unknown drop-down.)"""

    field_class = _TickField


class ChoiceFilter(django_filters.ChoiceFilter):
    """A drop-down whose empty choice says what it means ("Any") instead of dashes; the
    value "null" is an ordinary value, not "is empty"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", _("Any"))  # None: no empty choice
        kwargs.setdefault("null_value", None)
        kwargs.setdefault("null_label", None)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return django_filters.Filter.filter(self, qs, value)
