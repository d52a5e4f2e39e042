"""The workforce's lists as tables (django-tables2, drawn by templates/components/table.html).
ID numbers are masked in every list; the worker's file shows them to those who may see
them."""

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.tables import ObjectTable

from . import rules
from .models import TrainingSession, Worker


class WorkerTable(ObjectTable):
    caption = ngettext_lazy("%(n)s worker", "%(n)s workers", "n")

    name = tables.Column(verbose_name=_("Full name"), orderable=True)
    masked_id = tables.Column(verbose_name=_("ID number"), attrs={"td": {"class": "mono"}})
    gender = tables.Column(verbose_name=_("Gender"))
    unit = tables.Column(verbose_name=_("Unit"), orderable=True, order_by=("unit__path",))
    posts = tables.Column(verbose_name=_("Posts now"), accessor="pk", empty_values=())
    connection = tables.Column(verbose_name=_("Tie to disability"))
    certificate = tables.Column(verbose_name=_("Work certificate"), accessor="pk",
                                empty_values=())
    phone = tables.Column(verbose_name=_("Phone"))

    class Meta(ObjectTable.Meta):
        model = Worker
        fields = ()
        empty_text = _("No workers match.")

    def render_name(self, record):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.name)

    def render_unit(self, record):
        return record.unit.name

    def render_posts(self, record):
        current = getattr(record, "current", [])
        if not current:
            return format_html('<span class="badge">{}</span>', _("No post"))
        return format_html_join("、", "{}（{}）", (
            (a.post.display_title(a.post.unit.level), a.post.unit.name) for a in current))

    def render_certificate(self, record):
        from django.utils import timezone

        state = rules.certificate_state(number=record.certificate_number,
                                        valid_until=record.certificate_valid_until,
                                        today=timezone.localdate())
        if state == "valid":
            return record.certificate_number
        label = _("None") if state == "missing" else _("Expired")
        return format_html('<span class="badge badge--warn">{}</span>', label)


# ---- training --------------------------------------------------------------------------------

class TrainingTable(ObjectTable):
    caption = ngettext_lazy("%(n)s training session", "%(n)s training sessions", "n")

    title = tables.Column(verbose_name=_("Title"))
    starts_on = tables.Column(verbose_name=_("Dates"), orderable=True)
    level = tables.Column(verbose_name=_("Level"))
    unit = tables.Column(verbose_name=_("Organising unit"))
    hours = tables.Column(verbose_name=_("Hours"), attrs={"td": {"class": "num"}})
    trainer = tables.Column(verbose_name=_("Trainer"))
    attendees = tables.Column(verbose_name=_("Attendees"), attrs={"td": {"class": "num"}})

    class Meta(ObjectTable.Meta):
        model = TrainingSession
        fields = ()
        empty_text = _("No training sessions match.")

    def render_title(self, record):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.title)

    def render_starts_on(self, record):
        if record.ends_on == record.starts_on:
            return f"{record.starts_on:%Y-%m-%d}"
        return f"{record.starts_on:%Y-%m-%d} – {record.ends_on:%Y-%m-%d}"

    def render_unit(self, record):
        return record.unit.name
