"""The lists of the work record book, the meetings and the annual plans as tables."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.tables import ChoiceColumn, ObjectTable

from . import rules
from .models import AnnualPlan, Meeting, WorkEntry


def _link(record, text):
    return format_html('<a href="{}">{}</a>', record.get_absolute_url(), text)


class WorkEntryTable(ObjectTable):
    caption = ngettext_lazy("%(n)s work record", "%(n)s work records", "n")

    written_on = tables.Column(verbose_name=_("Date"), orderable=True)
    unit = tables.Column(verbose_name=_("Unit"))
    subject = tables.Column(verbose_name=_("Subject"), empty_values=())
    content = tables.Column(verbose_name=_("Content"))
    created_by = tables.Column(verbose_name=_("Written by"))
    note_count = tables.Column(verbose_name=_("Notes"), attrs={"td": {"class": "num"}})
    state = tables.Column(verbose_name=_("Can be changed"), accessor="pk", empty_values=())

    class Meta(ObjectTable.Meta):
        model = WorkEntry
        fields = ()
        empty_text = _("No work records match.")

    def render_written_on(self, record):
        return _link(record, f"{record.written_on:%Y-%m-%d}")

    def render_unit(self, record):
        return record.unit.name

    def render_subject(self, record):
        return record.subject or "—"

    def render_content(self, record):
        return Truncator(record.content).chars(60)

    def render_created_by(self, record):
        return str(record.created_by) if record.created_by else "—"

    def render_state(self, record):
        if rules.entry_editable(record.created_at, timezone.now()):
            return _("Yes, for 7 days after it was written")
        return format_html('<span class="badge">{}</span>', _("No: notes only"))


class MeetingTable(ObjectTable):
    caption = ngettext_lazy("%(n)s meeting", "%(n)s meetings", "n")

    held_on = tables.Column(verbose_name=_("Date"), orderable=True)
    unit = tables.Column(verbose_name=_("Unit"))
    kind = ChoiceColumn("kind", verbose_name=_("Kind"))
    title = tables.Column(verbose_name=_("Subject"), empty_values=())
    host = tables.Column(verbose_name=_("Host"))
    attendance = tables.Column(verbose_name=_("Present / expected"), accessor="pk",
                               empty_values=(), attrs={"td": {"class": "num"}})

    class Meta(ObjectTable.Meta):
        model = Meeting
        fields = ()
        empty_text = _("No meetings match.")

    def render_held_on(self, record):
        return _link(record, f"{record.held_on:%Y-%m-%d}")

    def render_unit(self, record):
        return record.unit.name

    def render_title(self, record):
        return record.title or "—"

    def render_attendance(self, record):
        present = "—" if record.present_count is None else record.present_count
        expected = "—" if record.expected_count is None else record.expected_count
        return f"{present} / {expected}"


class AnnualPlanTable(ObjectTable):
    caption = ngettext_lazy("%(n)s annual plan", "%(n)s annual plans", "n")

    year = tables.Column(verbose_name=_("Year"), orderable=True)
    unit = tables.Column(verbose_name=_("Unit"))
    items = tables.Column(verbose_name=_("Items"), accessor="pk", empty_values=(),
                          attrs={"td": {"class": "num"}})
    flags = tables.Column(verbose_name=_("Flagged"), accessor="pk", empty_values=())

    class Meta(ObjectTable.Meta):
        model = AnnualPlan
        fields = ()
        empty_text = _("No annual plans match.")

    def render_year(self, record):
        return _link(record, record.year)

    def render_unit(self, record):
        return _link(record, record.unit.name)

    def render_items(self, record):
        items = record.items.all()
        done = sum(1 for item in items if item.fulfilled_n)
        return _("%(done)s of %(n)s fulfilled") % {"done": done, "n": len(items)}

    def render_flags(self, record):
        from .records_selectors import plan_flags

        flags = plan_flags(record).all
        if not flags:
            return _("None")
        return format_html('<ul class="flags">{}</ul>', format_html_join(
            "", '<li><span class="badge badge--warn">{}</span></li>', ((f,) for f in flags)))
