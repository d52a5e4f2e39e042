"""The unit picker's widget: a labelled text box for a division code or a name, and the chosen
unit's id in a hidden input beside it. With static/js/canlian.js the text box becomes a
combobox listing the matching units as one types (orgs:unit_picker, an htmx partial); without
it the field reads the code or name typed (orgs.forms.UnitPickerField)."""

from urllib.parse import urlencode

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .selectors import PICK_LIMIT

TEXT_SUFFIX = "_text"


class UnitPickerWidget(forms.Widget):
    """Its value is ``(pk, text)``: the id chosen from the list (may be empty or stale) and
    what the text box holds."""

    template_name = "orgs/widgets/unit_picker.html"

    def __init__(self, attrs=None, levels=None):
        super().__init__(attrs)
        self.levels = levels

    def picker_url(self) -> str:
        query = urlencode([("level", level) for level in self.levels or ()])
        url = reverse("orgs:unit_picker")
        return f"{url}?{query}" if query else url

    def value_from_datadict(self, data, files, name):
        return (data.get(name) or "", data.get(name + TEXT_SUFFIX) or "")

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + TEXT_SUFFIX not in data

    def format_value(self, value):
        if isinstance(value, tuple | list) and len(value) == 2:
            return (str(value[0] or ""), str(value[1] or ""))
        return ("", "")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        pk, text = context["widget"]["value"]
        list_id = f"{context['widget']['attrs'].get('id') or name}-options"
        context["widget"].update({
            "pk": pk, "text": text, "text_name": name + TEXT_SUFFIX, "list_id": list_id,
            "url": self.picker_url(), "limit": PICK_LIMIT,
            # What the list's live region says, worded here to be translated ({n}, {unit}
            # are filled in by the script).
            "messages": {
                "found": _("{n} matching units. Use the Up and Down keys to choose, Enter "
                           "to take one."),
                "more": _("The first {n} matching units. Type more to narrow them down."),
                "none": _("No unit in your area matches."),
                "chosen": _("Chosen: {unit}"),
            },
        })
        return context
