"""The base of every list's table: django-tables2, rendered with the project's own template
(templates/components/table.html): a focusable region named by the caption, which counts
the rows; headers that sort as links, with ``aria-sort`` on the sorted one; a ``data-label``
on every cell, so the rows stack on a phone.

    class JobSeekerTable(ObjectTable):
        caption = ngettext_lazy("%(n)s registration", "%(n)s registrations", "n")
        registered_on = tables.DateColumn("Y-m-d", verbose_name=_("Registered on"),
                                          orderable=True)
        ...

Columns sort only when they say so (``orderable=True``), and only on a cheap field: an
indexed one, or one the selector already orders by (a test checks every table). Sorting
replaces the selector's order at the front and keeps it behind, so ties keep their order.

Pages (``ObjectTable.paginate``): ``?page=n`` is the n-th page (an OFFSET, fine for the first
pages); the "next" and "previous" links carry the row the page ends or begins with instead
(``?after=<pk>`` / ``?before=<pk>``, keyset paging): the next page is the rows that sort
after that row's ordering key (the sort, then the selector's order, then the primary key
as the tie-breaker), so page 2,000 costs what page 2 does and no row is skipped or repeated
when rows are added meanwhile. The link holds only the row's id; its key is read from the
list (so an id outside the list or the user's scope opens the first page). The count is
exact for a list as it first opens (the user's whole area), and stops at count_cap() for a
filtered list, which then says "10,000 or more".
"""

import datetime as dt
import functools
import math

import django_tables2 as tables
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.utils import dateformat, timezone
from django.utils.translation import get_language, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from django_tables2.data import TableQuerysetData
from django_tables2.rows import BoundRows

PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50


def count_cap() -> int:
    """A filtered list counts its rows up to this many (settings.CANLIAN_LIST_COUNT_CAP);
    beyond, it says "10,000+"."""
    return settings.CANLIAN_LIST_COUNT_CAP


def page_size(value) -> int:
    """``?per_page=`` as one of PAGE_SIZES; anything else is the default."""
    try:
        size = int(value)
    except (TypeError, ValueError):
        return DEFAULT_PAGE_SIZE
    return size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE


class DateColumn(tables.Column):
    """A date, or a date and time in local time, as ``format`` (a ``date`` filter format;
    the ISO day by default, as every ledger writes it)."""

    def __init__(self, format: str = "Y-m-d", **kwargs):  # noqa: A002 - the date filter's word
        self.format = format
        super().__init__(**kwargs)

    def render(self, value):
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)
        return dateformat.format(value, self.format)


@functools.lru_cache(maxsize=256)
def _choice_labels(field, language: str | None) -> dict:
    return {value: str(label) for value, label in field.flatchoices}


def choice_label(record, name: str):
    """The label of ``record``'s choice field ``name`` in the current language, what
    ``get_FOO_display`` says — from the field's choices read once per language, where
    ``get_FOO_display`` rebuilds them and hashes every translated label again on each call
    (a list of 50 people called it 200 times: a sixth of the page's time)."""
    field = type(record)._meta.get_field(name)
    value = getattr(record, field.attname)
    return _choice_labels(field, get_language()).get(value, value)


class ChoiceColumn(tables.Column):
    """A choice field's label (``choice_label``). django-tables2 would call
    ``get_FOO_display`` for a column named after a choice field; this one reads the row
    itself, and sorts by the field."""

    def __init__(self, field: str, **kwargs):
        self.field_name = field
        kwargs.setdefault("accessor", "pk")  # not the field: no get_FOO_display
        kwargs.setdefault("order_by", (field,))
        super().__init__(**kwargs)

    def render(self, record):
        return choice_label(record, self.field_name)


class _SortedQueryset(TableQuerysetData):
    """A queryset sorted by a column first and by the selector's own order after it."""

    def order_by(self, aliases):
        own = list(self.data.query.order_by)
        super().order_by(aliases)
        if aliases:
            self.data = self.data.order_by(*self.data.query.order_by, *own, "pk")


class ObjectTable(tables.Table):
    """A list's table. ``caption``: the count of rows, singular and plural (an
    ``ngettext_lazy`` with the number named ``n``). ``user``: who the table is shown to
    (for cells that depend on their permissions). ``sort``: the ``?sort=`` of the request,
    a column name with "-" for descending; a column that does not sort is ignored."""

    caption = ngettext_lazy("%(n)s row", "%(n)s rows", "n")

    class Meta:
        template_name = "components/table.html"
        attrs = {"class": "stack"}
        orderable = False
        default = "—"
        empty_text = _("Nothing matches.")

    def __init__(self, data, *, user=None, sort: str = "", **kwargs):
        if isinstance(data, QuerySet):
            data = _SortedQueryset(data)
        # () rather than None: never re-sort by what tables2 reads off the queryset.
        kwargs.setdefault("order_by", sort or ())
        super().__init__(data, **kwargs)
        self.user = user

    def paginate(self, paginator_class=None, per_page=DEFAULT_PAGE_SIZE, page=1, *args,
                 after=None, before=None, exact_count=True, **kwargs):
        """One page of the (sorted) rows. ``page``: a page number (one that is not one is
        the first page, past the end the last); ``after``/``before``: the id of the row
        the page follows or precedes (keyset paging, see the module's docstring), with
        ``page`` then only the number shown. ``exact_count=False``: count up to count_cap().
        A list not on a queryset, or sorted by a key that may be empty, pages by number."""
        queryset = self.data.data
        if not isinstance(queryset, QuerySet):
            self.paginator = (paginator_class or Paginator)(queryset, per_page, *args,
                                                            **kwargs)
            self.page = self.paginator.get_page(page)
            return self
        self.paginator = ListPaginator(queryset, per_page, keys=keyset_keys(queryset),
                                       exact=exact_count)
        self.page = self.paginator.page(number=page, after=after, before=before)
        return self

    @property
    def paginated_rows(self):
        if hasattr(self, "page"):
            return BoundRows(data=self.page.object_list, table=self)
        return self.rows

    @property
    def count(self) -> int:
        return self.paginator.count if hasattr(self, "paginator") else len(self.data)

    @property
    def count_capped(self) -> bool:
        return getattr(getattr(self, "paginator", None), "capped", False)

    @property
    def caption_text(self) -> str:
        if self.count_capped:
            return _("%(cap)s+ (a filtered list is counted only up to %(cap)s)") % {
                "cap": f"{count_cap():,}"}
        return self.caption % {"n": self.count}

    @property
    def caption_id(self) -> str:
        model = getattr(self.data, "model", None)
        return f"{model._meta.model_name if model else 'list'}-caption"

    @property
    def sort(self) -> str:
        """The sort in force, as the ``?sort=`` that gives it ("" for the selector's)."""
        return ",".join(self.order_by or ())


# ---- pages ---------------------------------------------------------------------------------

def _field_path(model, name: str):
    """The model field at the end of ``name`` ("unit__path"), or None if it is not one."""
    field = None
    for part in name.split("__"):
        if model is None:
            return None
        try:
            field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if getattr(field, "null", False):
            return None  # an empty value has no place in a keyset
        model = field.related_model if field.is_relation else None
    return field


def keyset_keys(queryset: QuerySet) -> list[tuple[str, bool]] | None:
    """The ordering of ``queryset`` as [(field, descending)], ending with the primary key
    (its tie-breaker), or None when it cannot be paged by key: an expression, or a field
    that may be empty."""
    order = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    pk_name = queryset.model._meta.pk.name
    keys, seen = [], set()
    for item in order:
        if not isinstance(item, str) or item == "?":
            return None
        descending = item.startswith("-")
        name = item.lstrip("-")
        name = "pk" if name in ("pk", pk_name) else name
        if name in seen:
            continue
        if _field_path(queryset.model, name) is None:
            return None
        seen.add(name)
        keys.append((name, descending))
        if name == "pk":
            break  # the primary key orders every row: what follows never decides
    if "pk" not in seen:
        keys.append(("pk", False))
    return keys


def _beyond(keys, values: dict, *, forward: bool) -> Q:
    """Rows sorting after (``forward``) or before the row whose key is ``values``."""
    condition = Q()
    equal = Q()
    for name, descending in keys:
        down = descending == forward  # the way on is to smaller values
        step = Q(**{f"{name}__{'lt' if down else 'gt'}": values[name]})
        condition |= equal & step
        equal &= Q(**{name: values[name]})
    first, descending = keys[0]
    # The first key bounds the range alone too, so the database can start from its index.
    bound = Q(**{f"{first}__{'lte' if descending == forward else 'gte'}": values[first]})
    return bound & condition


class ListPage:
    """One page of a list: ``object_list``, ``number`` (shown; 0 when not known),
    ``has_next``/``has_previous`` and the query of the links to them (``next_query``,
    ``previous_query``: dicts for the {% querystring %} tag)."""

    def __init__(self, paginator, rows, *, number, has_next, has_previous):
        self.paginator, self.object_list, self.number = paginator, rows, number
        self._next, self._previous = has_next, has_previous

    def has_next(self):
        return self._next

    def has_previous(self):
        return self._previous

    def has_other_pages(self):
        return self._next or self._previous

    @property
    def next_query(self) -> dict:
        number = self.number + 1 if self.number else None
        if self.paginator.keys is None:
            return {"page": number, "after": None, "before": None}
        last = self.object_list[-1].pk if self.object_list else None
        return {"after": last, "before": None, "page": number}

    @property
    def previous_query(self) -> dict:
        number = self.number - 1 if self.number else None
        if self.paginator.keys is None:
            return {"page": number, "after": None, "before": None}
        first = self.object_list[0].pk if self.object_list else None
        return {"before": first, "after": None, "page": number}

    def __len__(self):
        return len(self.object_list)

    def __iter__(self):
        return iter(self.object_list)


class ListPaginator:
    """Pages of a sorted queryset by page number or by key (``page(after=…)``; ``keys``
    from keyset_keys, None: by number only); ``count`` exact, or up to count_cap()
    (``capped`` says it stopped there)."""

    def __init__(self, queryset: QuerySet, per_page: int, *, keys, exact: bool = True):
        self.queryset, self.per_page, self.keys, self.exact = queryset, per_page, keys, exact

    @property
    def count(self) -> int:
        if not hasattr(self, "_count"):
            if self.exact:
                self._count = self.queryset.order_by().count()
            else:
                self._count = self.queryset.order_by()[:count_cap() + 1].count()
        return self._count

    @property
    def capped(self) -> bool:
        return not self.exact and self.count > count_cap()

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(min(self.count, count_cap()) / self.per_page))

    @staticmethod
    def _number(value) -> int | None:
        try:
            number = int(value)
        except (TypeError, ValueError):
            return None
        return number if number >= 1 else None

    def _cursor(self, pk) -> dict | None:
        """The ordering key of the row ``pk`` of this list, or None."""
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            return None
        names = [name for name, _descending in self.keys]
        return self.queryset.filter(pk=pk).values(*names).first()

    def page(self, *, number=None, after=None, before=None) -> ListPage:
        shown = self._number(number)
        per = self.per_page
        keyed = self.keys is not None and (after or before)
        cursor = self._cursor(after or before) if keyed else None
        if cursor is not None and after:
            rows = list(self.queryset.filter(_beyond(self.keys, cursor, forward=True))[:per + 1])
            return ListPage(self, rows[:per], number=shown or 0, has_next=len(rows) > per,
                            has_previous=True)
        if cursor is not None:
            rows = list(self.queryset.filter(_beyond(self.keys, cursor, forward=False))
                        .reverse()[:per + 1])
            more = len(rows) > per
            rows = rows[:per][::-1]
            if not more:
                shown = 1  # nothing before it: this is the first page
            return ListPage(self, rows, number=shown or 0, has_next=True, has_previous=more)
        # By number: an OFFSET (the first pages; the links go on by key). Past the end (as
        # far as the count knows) is the last page.
        shown = min(shown or 1, self.num_pages)
        start = (shown - 1) * per
        rows = list(self.queryset[start:start + per + 1])
        if not rows and shown > 1:
            return self.page(number=1)
        return ListPage(self, rows[:per], number=shown, has_next=len(rows) > per,
                        has_previous=shown > 1)
