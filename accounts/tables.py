"""The user list and the audit log as tables (templates/components/table.html)."""

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from audit.models import AuditLog
from audit.services import change_text, entry_text
from core.tables import DateColumn, ObjectTable

from .models import User


class UserTable(ObjectTable):
    caption = ngettext_lazy("%(n)s user", "%(n)s users", "n")

    username = tables.Column(verbose_name=_("Login name"), orderable=True, linkify=True)
    full_name = tables.Column(verbose_name=_("Full name"))
    unit = tables.Column(verbose_name=_("Unit"), accessor="unit__name", orderable=True,
                         order_by=("unit__path",))
    role = tables.Column(verbose_name=_("Role"), accessor="role_label", empty_values=())
    is_active = tables.Column(verbose_name=_("Status"))

    class Meta(ObjectTable.Meta):
        model = User
        fields = ()
        empty_text = _("No users match.")

    def render_is_active(self, value):
        return _("active") if value else _("deactivated")


class AuditTable(ObjectTable):
    caption = ngettext_lazy("%(n)s entry", "%(n)s entries", "n")

    at = DateColumn("Y-m-d H:i:s", verbose_name=_("Time"), orderable=True)
    actor_name = tables.Column(verbose_name=_("User"))
    action = tables.Column(verbose_name=_("Action"), orderable=True)
    object = tables.Column(verbose_name=_("Object"), accessor="object_repr", empty_values=())
    unit = tables.Column(verbose_name=_("Unit"), accessor="unit__name")
    ip_address = tables.Column(verbose_name=_("IP address"))
    changes = tables.Column(verbose_name=_("Changes"))

    class Meta(ObjectTable.Meta):
        model = AuditLog
        fields = ()
        empty_text = _("No entries match.")

    def render_object(self, record):
        name = record.object_repr or "—"
        return f"{record.content_type.name}：{name}" if record.content_type_id else name

    def render_changes(self, value):
        if not isinstance(value, dict):
            return entry_text(value)
        return format_html('<ul class="changes">{}</ul>', format_html_join(
            "", "<li>{}: {} → {}</li>",
            ((field, *change_text(change)) for field, change in value.items())))
