"""Read a page's form as the browser would send it, so a test posts what the page carries
(the hidden version and one-time token too), not a dictionary typed by hand.

    data = page_form(client.get(url))
    data["phone"] = "13900000000"
    client.post(url, data)
"""

from lxml import html


def page_form(response, *, index: int = 0) -> dict:
    """The values of the ``index``-th POST form without an ``action`` (the page's own form;
    the logout form has one) in ``response``: a dict of name → value, a list where a name has
    several (ticked checkboxes, a multiple select)."""
    document = html.fromstring(response.content.decode())
    forms = [form for form in document.forms
             if (form.get("method") or "").lower() == "post" and not form.get("action")]
    form = forms[index]
    # A browser drops the newline that opens a textarea's content (Django writes one).
    textareas = {element.name for element in form.inputs if element.tag == "textarea"}
    values: dict = {}
    for name, value in form.form_values():
        if name in textareas and value.startswith("\n"):
            value = value[1:]
        if name in values:
            previous = values[name]
            values[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            values[name] = value
    return values


def error_summary(response) -> str:
    """The text of the page's error summary ("" when there is none)."""
    document = html.fromstring(response.content.decode())
    found = document.find_class("error-summary")
    return " ".join(found[0].text_content().split()) if found else ""
