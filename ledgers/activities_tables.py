"""The activities' lists and the roster as tables (rows stack on a phone)."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.tables import ChoiceColumn, DateColumn, ObjectTable

from .models import AssistanceActivity, Volunteer, VolunteerActivity


def _link(record, text):
    return format_html('<a href="{}">{}</a>', record.get_absolute_url(), text)


class AssistanceTable(ObjectTable):
    caption = ngettext_lazy("%(n)s assistance activity", "%(n)s assistance activities", "n")

    held_on = DateColumn(verbose_name=_("Date"), orderable=True)
    title = tables.Column(verbose_name=_("Activity"))
    kind = ChoiceColumn("kind", verbose_name=_("Kind"))
    unit = tables.Column(verbose_name=_("Unit"))
    place = tables.Column(verbose_name=_("Place"))
    helped = tables.Column(verbose_name=_("People helped"), attrs={"td": {"class": "num"}})
    influential = tables.Column(verbose_name=_("Influential"), empty_values=())

    class Meta(ObjectTable.Meta):
        model = AssistanceActivity
        fields = ()
        empty_text = _("No assistance activities match.")

    def render_title(self, record):
        return _link(record, record.title)

    def render_unit(self, record):
        return record.unit.name

    def render_influential(self, record):
        if record.influential:
            return format_html('<span class="badge">{}</span>', _("Influential"))
        return "—"


class VolunteerActivityTable(ObjectTable):
    caption = ngettext_lazy("%(n)s volunteer activity", "%(n)s volunteer activities", "n")

    held_on = DateColumn(verbose_name=_("Date"), orderable=True)
    title = tables.Column(verbose_name=_("Activity"))
    unit = tables.Column(verbose_name=_("Unit"))
    place = tables.Column(verbose_name=_("Place"))
    came = tables.Column(verbose_name=_("Volunteers"), attrs={"td": {"class": "num"}})
    served = tables.Column(verbose_name=_("People served"), attrs={"td": {"class": "num"}})

    class Meta(ObjectTable.Meta):
        model = VolunteerActivity
        fields = ()
        empty_text = _("No volunteer activities match.")

    def render_title(self, record):
        return _link(record, record.title)

    def render_unit(self, record):
        return record.unit.name


class VolunteerTable(ObjectTable):
    caption = ngettext_lazy("%(n)s volunteer", "%(n)s volunteers", "n")

    name = tables.Column(verbose_name=_("Full name"))
    unit = tables.Column(verbose_name=_("Unit"))
    organisation = tables.Column(verbose_name=_("Organisation"))
    skills = tables.Column(verbose_name=_("Skills"))
    phone = tables.Column(verbose_name=_("Phone"))
    total_hours = tables.Column(verbose_name=_("Hours in all"), attrs={"td": {"class": "num"}})

    class Meta(ObjectTable.Meta):
        model = Volunteer
        fields = ()
        empty_text = _("No volunteers match.")

    def render_name(self, record):
        text = record.name if record.active else format_html(
            '{} <span class="badge">{}</span>', record.name, _("No longer serving"))
        return _link(record, text)

    def render_unit(self, record):
        return record.unit.name


class VolunteerHoursTable(ObjectTable):
    caption = ngettext_lazy("%(n)s volunteer served this year",
                            "%(n)s volunteers served this year", "n")

    name = tables.Column(verbose_name=_("Full name"))
    unit = tables.Column(verbose_name=_("Unit"))
    year_activities = tables.Column(verbose_name=_("Activities"),
                                    attrs={"td": {"class": "num"}})
    year_hours = tables.Column(verbose_name=_("Hours"), attrs={"td": {"class": "num"}})

    class Meta(ObjectTable.Meta):
        model = Volunteer
        fields = ()
        empty_text = _("No volunteer served in this year.")

    def render_name(self, record):
        return _link(record, record.name)

    def render_unit(self, record):
        return record.unit.name
