"""The statistics overview as a workbook and as a printable A4 document. The words are
Chinese whatever the user's language, as in the summary table's workbook
(reports/exports.py): the overview is filed and quoted in Chinese documents."""

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from core.pdf import render_pdf

from . import rules
from .exports import (
    BODY_FONTS,
    BORDER,
    CENTRE,
    FONT_NAME,
    HEADER_FONT,
    NAME_ALIGNMENT,
    NUMBER_ALIGNMENT,
    _text,
    date_zh,
)
from .overview_selectors import OverviewRow, StatisticsOverview
from .selectors import PopulationSource

TITLE = "统计概况"
OVERVIEW_CSS = Path(__file__).resolve().parent / "print" / "overview.css"
NOT_RECORDED = "未登记"
SHARE_FORMAT = "0.0%"

# The columns after the unit's name and its divisions: (header, value of a row, is share).
FIGURE_COLUMNS = (
    ("总人口", lambda r: r.population, False),
    ("残疾人", lambda r: r.people, False),
    ("占总人口比例", lambda r: r.people_share, True),
    ("持证残疾人", lambda r: r.certified, False),
    ("城镇残疾人", lambda r: r.urban, False),
    ("城镇占比", lambda r: r.urban_share, True),
    ("农村残疾人", lambda r: r.rural, False),
    ("农村占比", lambda r: r.rural_share, True),
)


def overview_title(found: StatisticsOverview) -> str:
    return f"{found.unit.name}{TITLE}（截至{date_zh(found.as_of)}）"


def overview_filename(found: StatisticsOverview, fmt: str) -> str:
    frozen = "（冻结）" if found.status.frozen else ""
    return f"{found.unit.name}{TITLE}{found.as_of:%Y%m%d}{frozen}.{fmt}"


def headers(found: StatisticsOverview) -> list[str]:
    return ["单位", *(rules.DIVISION_ZH[k] for k in found.division_keys),
            *(h for h, _value, _share in FIGURE_COLUMNS)]


def cells(row: OverviewRow) -> list:
    """The row's values after its name: divisions, then the figures; a share as printed
    (rules.share_text) is left to the renderer: here the Decimal, or None."""
    return [*(n for _key, n in row.divisions),
            *(value(row) for _h, value, _share in FIGURE_COLUMNS)]


def population_note(found: StatisticsOverview) -> str:
    """Where the total's population comes from; "" when the unit records its own."""
    total = found.total
    if total.population_source == PopulationSource.SUM:
        return (f"注：合计人口数为下级{len(found.rows)}个单位中登记了人口数的"
                f"{total.population_rows}个单位的人口数之和，占总人口比例只计这些单位的残疾人。")
    if total.population_source == PopulationSource.OWN:
        return ""
    return "注：人口数未登记，无法计算残疾人占总人口比例。"


def overview_xlsx(found: StatisticsOverview) -> bytes:
    """A title row, the live-or-frozen row, doc5's paragraph, then the table: one row per
    child unit and the total (合计), shares as percentages with one decimal."""
    wb = Workbook()
    ws = wb.active
    ws.title = TITLE
    title = overview_title(found)
    names = headers(found)
    last = len(names)
    for at, text, font in ((1, title, Font(name=FONT_NAME, size=14, bold=True)),
                           (2, found.status.statement_zh(), Font(name=FONT_NAME, size=10)),
                           (3, found.paragraph, Font(name=FONT_NAME, size=11))):
        cell = _text(ws, at, 1, text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center" if at < 3 else "left",
                                   vertical="center", wrap_text=True)
        ws.merge_cells(start_row=at, start_column=1, end_row=at, end_column=last)
    ws.row_dimensions[1].height = 28
    ws.row_dimensions[3].height = 15 * (len(found.paragraph) // 60 + 2)
    header_row = 5
    for col, name in enumerate(names, start=1):
        cell = ws.cell(header_row, col, name)
        cell.font, cell.alignment, cell.border = HEADER_FONT, CENTRE, BORDER
    at = header_row + 1
    for row in (*found.rows, found.total):
        font = BODY_FONTS[row.is_total]
        first = _text(ws, at, 1, "合计" if row.is_total else row.name)
        first.font, first.border, first.alignment = font, BORDER, NAME_ALIGNMENT
        shares = [False] * len(row.divisions) + [s for _h, _v, s in FIGURE_COLUMNS]
        for col, (value, is_share) in enumerate(zip(cells(row), shares, strict=True), start=2):
            if value is None:
                value = rules.DASH if is_share else NOT_RECORDED
            elif is_share:
                value = float(value / 100)
            cell = ws.cell(at, col, value)
            cell.font, cell.border, cell.alignment = font, BORDER, NUMBER_ALIGNMENT
            cell.number_format = SHARE_FORMAT if is_share else "0"
        at += 1
    note = population_note(found)
    if note:
        cell = ws.cell(at, 1, note)
        cell.font = Font(name=FONT_NAME, size=9)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.merge_cells(start_row=at, start_column=1, end_row=at, end_column=last)
    longest = max([len(r.name) for r in found.rows] + [6])
    ws.column_dimensions["A"].width = min(max(12, longest * 2 + 2), 30)
    for col in range(2, last + 1):
        ws.column_dimensions[get_column_letter(col)].width = 11
    ws.freeze_panes = ws.cell(header_row + 1, 2).coordinate
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    wb.properties.title, wb.properties.creator = title, "canlian"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def print_rows(found: StatisticsOverview) -> list[tuple[str, bool, list[str]]]:
    """(name, is the total, the cells as printed) of every row of the printed table."""
    shares = [False] * len(found.division_keys) + [s for _h, _v, s in FIGURE_COLUMNS]
    printed = []
    for row in (*found.rows, found.total):
        texts = []
        for value, is_share in zip(cells(row), shares, strict=True):
            if is_share:
                texts.append(rules.share_text(value))
            else:
                texts.append(NOT_RECORDED if value is None else str(value))
        printed.append(("合计" if row.is_total else row.name, row.is_total, texts))
    return printed


def overview_pdf(found: StatisticsOverview) -> bytes:
    """The overview on A4 (GB/T 9704 margins, core/pdf.py): the title, live or frozen, the
    paragraph and the table."""
    return render_pdf("reports/overview_print.html", {
        "overview": found, "title": overview_title(found), "headers": headers(found),
        "rows": print_rows(found), "note": population_note(found),
        "statement": found.status.statement_zh()}, stylesheets=[OVERVIEW_CSS])
