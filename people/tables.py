"""The register's lists as tables (django-tables2, drawn by templates/components/table.html).
ID numbers are masked in every list; the person's file shows them."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.tables import ChoiceColumn, DateColumn, ObjectTable, choice_label

from .filters import need_overdue_cutoff
from .models import JobSeeker, Need, Person


class PersonLinkColumn(tables.Column):
    """The person's name, linked to their file."""

    def __init__(self, **kwargs):
        kwargs.setdefault("verbose_name", _("Person"))
        super().__init__(**kwargs)

    def render(self, value, record):
        person = getattr(record, "person", record)
        return format_html('<a href="{}">{}</a>', person.get_absolute_url(), person.name)


class PersonTable(ObjectTable):
    caption = ngettext_lazy("%(n)s person", "%(n)s people", "n")

    name = PersonLinkColumn(verbose_name=_("Full name"), orderable=True)
    masked_id = tables.Column(verbose_name=_("ID number"), attrs={"td": {"class": "mono"}})
    gender = ChoiceColumn("gender", verbose_name=_("Gender"))
    birth_date = DateColumn(verbose_name=_("Birth date"))
    certificate = tables.Column(verbose_name=_("Category and grade"), accessor="category",
                                empty_values=())
    unit = tables.Column(verbose_name=_("Village or community"), orderable=True,
                         order_by=("unit__path",))
    status = ChoiceColumn("status", verbose_name=_("Status"), orderable=True)

    class Meta(ObjectTable.Meta):
        model = Person
        fields = ()
        empty_text = _("No one matches.")

    def render_certificate(self, record):
        if record.has_certificate:
            return f"{choice_label(record, 'category')} · {choice_label(record, 'grade')}"
        return format_html('<span class="badge">{}</span>', _("No certificate yet"))

    def render_unit(self, record):
        if record.grid_id:
            return f"{record.unit.name} · {record.grid.name}"
        return record.unit.name


class NeedTable(ObjectTable):
    caption = ngettext_lazy("%(n)s need", "%(n)s needs", "n")

    registered_on = tables.Column(verbose_name=_("Registered on"), orderable=True)
    person = PersonLinkColumn(orderable=True, order_by=("person__name",))
    village = tables.Column(verbose_name=_("Village or community"), accessor="person__unit__name")
    type = tables.Column(verbose_name=_("Type"))
    status = tables.Column(verbose_name=_("Status"), orderable=True)
    responsible = tables.Column(verbose_name=_("Responsible"))
    detail = tables.Column(verbose_name=_("Detail"))

    class Meta(ObjectTable.Meta):
        model = Need
        fields = ()
        empty_text = _("No needs match.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.overdue_cutoff = need_overdue_cutoff()
        self.may_edit = bool(self.user and self.user.has_perm("people.change_need"))

    def render_registered_on(self, record):
        day = f"{record.registered_on:%Y-%m-%d}"
        if record.is_open and record.registered_on < self.overdue_cutoff:
            return format_html('{} <span class="badge badge--warn">{}</span>', day,
                               _("overdue"))
        return day

    def render_status(self, record):
        if self.may_edit:
            return format_html('<a href="{}">{}</a>',
                               reverse("people:need_edit", args=[record.pk]),
                               record.get_status_display())
        return record.get_status_display()

    def render_detail(self, value):
        return Truncator(value).chars(80)


class JobSeekerTable(ObjectTable):
    caption = ngettext_lazy("%(n)s registration", "%(n)s registrations", "n")

    registered_on = DateColumn(verbose_name=_("Registered on"), orderable=True)
    person = PersonLinkColumn()
    village = tables.Column(verbose_name=_("Village or community"), accessor="person__unit__name")
    work_wished = tables.Column(verbose_name=_("Work wished for"))
    ability = tables.Column(verbose_name=_("Ability to work"))
    status = tables.Column(verbose_name=_("Status"))

    class Meta(ObjectTable.Meta):
        model = JobSeeker
        fields = ()
        empty_text = _("No registrations match.")

    def render_status(self, record):
        if record.employer:
            return f"{record.get_status_display()}（{record.employer}）"
        return record.get_status_display()
