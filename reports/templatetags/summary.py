"""The summary table's cells, written in Python: a province's table has some 800 of them,
and an included template per cell was most of the page's time (and of a busy server's)."""

from django import template
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


def cell_html(row, cell, population_title: str = "") -> str:
    """One ``<td>`` of ``row`` (what reports/_summary_cell.html wrote): the value, a share
    with two decimals, a part with one, or a dash read as "not recorded"; the total's
    population cell names where its population comes from (``population_title``)."""
    column = cell.column
    extra = ""
    if population_title and row.is_total and column.kind == "population" and \
            row.population_source:
        extra = format_html(' title="{}" aria-describedby="population-note"', population_title)
    if cell.value is None:
        shown = format_html('<span role="img" aria-label="{}">—</span>', gettext("not recorded"))
    elif column.kind == "share":
        shown = conditional_escape(floatformat(cell.percent, 2)) + "%"
    elif column.kind == "part":
        shown = conditional_escape(floatformat(cell.percent, 1)) + "%"
    else:
        shown = conditional_escape(localize(cell.value))
    return format_html('<td class="num" headers="{} {}"{}>{}</td>', row.html_id,
                       column.headers, extra, shown)


@register.simple_tag(takes_context=True)
def summary_cells(context, row):
    """Every cell of ``row``."""
    title = ""
    if row.is_total and row.population_source:
        title = render_to_string("reports/_population_source.html", {
            "row": row, "unit": context.get("unit"), "table": context.get("table")}).strip()
    return mark_safe("".join(cell_html(row, cell, title) for cell in row.cells))  # noqa: S308
