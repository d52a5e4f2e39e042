"""The standards' list as a table (templates/components/table.html)."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.tables import ObjectTable

from .models import Standard


class StandardTable(ObjectTable):
    caption = ngettext_lazy("%(n)s standard", "%(n)s standards", "n")

    name = tables.Column(verbose_name=_("Standard"))
    year = tables.Column(verbose_name=_("Year"))
    level = tables.Column(verbose_name=_("Applies to units of"))
    region = tables.Column(verbose_name=_("Published by"), empty_values=())
    status = tables.Column(verbose_name=_("Status"))

    class Meta(ObjectTable.Meta):
        model = Standard
        fields = ()
        empty_text = _("No standards yet.")

    def render_name(self, record):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.name)

    def render_level(self, record):
        return record.get_level_display()

    def render_region(self, record):
        return record.region.name if record.region_id else _("National default")

    def render_status(self, record):
        return record.get_status_display()
