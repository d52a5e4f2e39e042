"""The list of responsibility agreements as a table (templates/components/table.html)."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.tables import ObjectTable

from .models import Agreement


class AgreementTable(ObjectTable):
    caption = ngettext_lazy("%(n)s agreement", "%(n)s agreements", "n")

    title = tables.Column(verbose_name=_("Agreement"))
    year = tables.Column(verbose_name=_("Year"))
    party_a = tables.Column(verbose_name=_("Party A"), order_by=("party_a__path",))
    party_b = tables.Column(verbose_name=_("Party B"), empty_values=(),
                            order_by=("party_b__path", "party_b_name"))
    status = tables.Column(verbose_name=_("Status"))

    class Meta(ObjectTable.Meta):
        model = Agreement
        fields = ()
        empty_text = _("No agreements yet.")

    def render_title(self, record):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.title)

    def render_party_a(self, record):
        return record.party_a.name

    def render_party_b(self, record):
        return record.party_b_label

    def render_status(self, record):
        return record.get_status_display()
