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
"""

import datetime as dt

import django_tables2 as tables
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_tables2.data import TableQuerysetData
from django_tables2.rows import BoundRows

PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50


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

    def paginate(self, paginator_class=Paginator, per_page=DEFAULT_PAGE_SIZE, page=1, *args,
                 **kwargs):
        """One page of the (sorted) rows: a page number that is not one is the first page,
        past the end the last (Paginator.get_page)."""
        self.paginator = paginator_class(self.data.data, per_page, *args, **kwargs)
        self.page = self.paginator.get_page(page)
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
    def caption_text(self) -> str:
        return self.caption % {"n": self.count}

    @property
    def caption_id(self) -> str:
        model = getattr(self.data, "model", None)
        return f"{model._meta.model_name if model else 'list'}-caption"

    @property
    def sort(self) -> str:
        """The sort in force, as the ``?sort=`` that gives it ("" for the selector's)."""
        return ",".join(self.order_by or ())
