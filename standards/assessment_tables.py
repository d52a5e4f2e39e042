"""The assessment schemes' list as a table (templates/components/table.html)."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.tables import ObjectTable

from .models import AssessmentScheme


class SchemeTable(ObjectTable):
    caption = ngettext_lazy("%(n)s scheme", "%(n)s schemes", "n")

    name = tables.Column(verbose_name=_("Scheme"))
    year = tables.Column(verbose_name=_("Year"))
    level = tables.Column(verbose_name=_("Assesses units of"))
    region = tables.Column(verbose_name=_("County"))
    status = tables.Column(verbose_name=_("Status"))

    class Meta(ObjectTable.Meta):
        model = AssessmentScheme
        fields = ()
        empty_text = _("No schemes yet.")

    def render_name(self, record):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.name)

    def render_level(self, record):
        return record.get_level_display()

    def render_region(self, record):
        return record.region.name

    def render_status(self, record):
        return record.get_status_display()
