"""The list of letters and visits as a table. A petition is personal data: the list shows
the petitioner's name and phone masked, and never the content — only the category, the
status and the dates; the petition's own page (audited) shows the rest."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.tables import ChoiceColumn, DateColumn, ObjectTable

from . import rules
from .models import Petition


class PetitionTable(ObjectTable):
    caption = ngettext_lazy("%(n)s petition", "%(n)s petitions", "n")

    received_on = tables.Column(verbose_name=_("Received on"), orderable=True)
    petitioner = tables.Column(verbose_name=_("Petitioner"), accessor="pk", empty_values=())
    phone = tables.Column(verbose_name=_("Phone"), accessor="pk", empty_values=(),
                          attrs={"td": {"class": "mono"}})
    received_how = ChoiceColumn("received_how", verbose_name=_("Received how"))
    category = tables.Column(verbose_name=_("Subject category"))
    unit = tables.Column(verbose_name=_("Unit"), orderable=True, order_by=("unit__path",))
    status = tables.Column(verbose_name=_("Status"), accessor="pk", empty_values=())
    deadline = DateColumn(verbose_name=_("Reply due by"), orderable=True)
    replied_on = DateColumn(verbose_name=_("Replied on"))

    class Meta(ObjectTable.Meta):
        model = Petition
        fields = ()
        empty_text = _("No petitions match.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()

    def render_received_on(self, record):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(),
                           f"{record.received_on:%Y-%m-%d}")

    def render_petitioner(self, record):
        return rules.mask_name(record.petitioner_name)

    def render_phone(self, record):
        return rules.mask_phone(record.petitioner_phone) or "—"

    def render_category(self, record):
        return record.category.name

    def render_unit(self, record):
        return record.unit.name

    def render_status(self, record):
        from core.tables import choice_label

        label = choice_label(record, "status")
        if rules.petition_overdue(status=record.status, deadline=record.deadline,
                                  today=self.today):
            return format_html('{} <span class="badge badge--warn">{}</span>', label,
                               _("Overdue"))
        return label
