"""Workbooks of the reports, laid out like the paper forms they replace.

The headers are Chinese whatever the user's language: the summary table is a ledger of the
Chinese federation, filed and compared with the forms of other counties, so its words are
fixed, not translated.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from people.choices import AGE_BANDS, Category, Gender, Grade, Hukou

from .selectors import PopulationSource, SummaryRow, SummaryTable

FONT_NAME = "WenQuanYi Micro Hei"
TITLE = "残疾人基本情况汇总表"

CATEGORY_ZH = {
    Category.VISUAL: "视力", Category.HEARING: "听力", Category.SPEECH: "言语",
    Category.PHYSICAL: "肢体", Category.INTELLECTUAL: "智力", Category.MENTAL: "精神",
    Category.MULTIPLE: "多重",
}
GRADE_ZH = {Grade.ONE: "一级", Grade.TWO: "二级", Grade.THREE: "三级", Grade.FOUR: "四级"}
AGE_ZH = {"0-6": "0–6岁", "7-17": "7–17岁", "18-59": "18–59岁", "60+": "60岁及以上"}


def _labels() -> tuple[dict[str, str], dict[str, str]]:
    """Chinese words for every group and column key of the selector's layout."""
    groups = {
        "total": "残疾人总数", "certificate": "持证情况", "grade": "持证人数按等级",
        "gender": "性别", "age": "年龄", "hukou": "户籍", "population": "人口数",
        "share": "占人口比例",
    }
    columns = {
        "total": "残疾人总数", "certificate.yes": "持证", "certificate.no": "未持证",
        f"gender.{Gender.MALE.value}": "男", f"gender.{Gender.FEMALE.value}": "女",
        f"hukou.{Hukou.URBAN.value}": "城镇户籍", f"hukou.{Hukou.RURAL.value}": "农村户籍",
        f"hukou.{Hukou.URBAN.value}.share": "城镇占比",
        f"hukou.{Hukou.RURAL.value}.share": "农村占比",
        "population": "人口数", "share": "占人口比例",
    }
    for c in Category:
        groups[f"category.{c.value}"] = CATEGORY_ZH[c]
        columns[f"category.{c.value}"] = "小计"
        for g in Grade:
            columns[f"category.{c.value}.grade.{g.value}"] = GRADE_ZH[g]
    for g in Grade:
        columns[f"grade.{g.value}"] = GRADE_ZH[g]
    for code, *_rest in AGE_BANDS:
        columns[f"age.{code}"] = AGE_ZH[code]
    return groups, columns


GROUP_ZH, COLUMN_ZH = _labels()

TITLE_ROW = 1
STATUS_ROW = 2  # live or frozen, and as of when
HEADER_ROWS = (3, 4)
FIRST_DATA_ROW = 5
SHARE_FORMAT = "0.00%"
PART_FORMAT = "0.0%"  # the urban and rural shares of the disabled people
COUNT_FORMAT = "0"
NUMBER_FORMATS = {"share": SHARE_FORMAT, "part": PART_FORMAT}

_thin = Side(style="thin", color="000000")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
# Each style is built once, not per cell (a new style object per cell is hashed into the
# workbook's style table every time).
HEADER_FONT = Font(name=FONT_NAME, size=10, bold=True)
BODY_FONTS = {False: Font(name=FONT_NAME, size=10), True: Font(name=FONT_NAME, size=10,
                                                                 bold=True)}
NAME_ALIGNMENT = Alignment(vertical="center", wrap_text=True)
NUMBER_ALIGNMENT = Alignment(horizontal="right", vertical="center")


def _text(ws: Worksheet, row: int, col: int, value: str):
    """A cell of text that stays text: a unit named like a formula is not one."""
    cell = ws.cell(row, col, value)
    if cell.data_type == "f":
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def date_zh(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def summary_title(table: SummaryTable) -> str:
    return f"{table.unit.name}{TITLE}（截至{date_zh(table.as_of)}）"


def summary_filename(table: SummaryTable) -> str:
    frozen = "（冻结）" if table.data_status.frozen else ""
    return f"{table.unit.name}{TITLE}{table.as_of:%Y%m%d}{frozen}.xlsx"


def population_note(table: SummaryTable) -> str:
    """Where the total's population comes from, under the table; "" without one."""
    total = table.total
    if total.population_source == PopulationSource.OWN:
        return f"注：合计行人口数为{table.unit.name}自身登记的人口数。"
    if total.population_source == PopulationSource.SUM:
        return (f"注：合计行人口数为下级{len(table.rows)}个单位中登记了人口数的"
                f"{total.population_rows}个单位的人口数之和，占人口比例只计这些单位的残疾人。")
    return ""


def _header(ws: Worksheet, table: SummaryTable) -> None:
    top, bottom = HEADER_ROWS
    font = HEADER_FONT
    ws.cell(top, 1, "单位")
    ws.merge_cells(start_row=top, start_column=1, end_row=bottom, end_column=1)
    col = 2
    for group in table.groups:
        if group.single:
            ws.cell(top, col, COLUMN_ZH[group.columns[0].key])
            ws.merge_cells(start_row=top, start_column=col, end_row=bottom, end_column=col)
        else:
            ws.cell(top, col, GROUP_ZH[group.key])
            last = col + len(group.columns) - 1
            if last > col:
                ws.merge_cells(start_row=top, start_column=col, end_row=top, end_column=last)
            for offset, column in enumerate(group.columns):
                ws.cell(bottom, col + offset, COLUMN_ZH[column.key])
        col += len(group.columns)
    for row in ws.iter_rows(min_row=top, max_row=bottom, max_col=col - 1):
        for cell in row:  # merged cells too, so their borders print
            cell.font, cell.alignment, cell.border = font, CENTRE, BORDER


def _body_row(ws: Worksheet, at: int, row: SummaryRow, name: str) -> None:
    font = BODY_FONTS[bool(row.is_total)]
    first = _text(ws, at, 1, name)
    first.font, first.border = font, BORDER
    first.alignment = NAME_ALIGNMENT
    for offset, cell_value in enumerate(row.cells, start=2):
        cell = ws.cell(at, offset, cell_value.value)
        cell.font, cell.border = font, BORDER
        cell.number_format = NUMBER_FORMATS.get(cell_value.column.kind, COUNT_FORMAT)
        cell.alignment = NUMBER_ALIGNMENT


def _widths(ws: Worksheet, table: SummaryTable) -> None:
    longest = max([len(r.name) for r in table.rows] + [4])
    ws.column_dimensions["A"].width = min(max(12, longest * 2 + 2), 30)
    for index, column in enumerate(table.columns, start=2):
        width = {"count": 6.5, "population": 10, "share": 10, "part": 8}[column.kind]
        if column.key == "total":
            width = 9
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.row_dimensions[TITLE_ROW].height = 28
    ws.row_dimensions[HEADER_ROWS[0]].height = 30
    ws.row_dimensions[HEADER_ROWS[1]].height = 30


def _print_setup(ws: Worksheet, title: str) -> None:
    """A4 landscape, one page wide and as many long as it takes, the header on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = f"{HEADER_ROWS[0]}:{HEADER_ROWS[1]}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddHeader.center.text = title
    ws.oddHeader.center.size = 10
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 9


def summary_table_xlsx(table: SummaryTable) -> bytes:
    """The summary table as an .xlsx workbook: a title row, a row saying whether the
    figures are live or frozen and as of when, two header rows (categories over
    their grades), one row per unit and the total row."""
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总表"
    title = summary_title(table)
    last_col = len(table.columns) + 1

    cell = _text(ws, TITLE_ROW, 1, title)
    cell.font = Font(name=FONT_NAME, size=14, bold=True)
    cell.alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=last_col)
    cell = ws.cell(STATUS_ROW, 1, table.data_status.statement_zh())
    cell.font = Font(name=FONT_NAME, size=10)
    cell.alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=STATUS_ROW, start_column=1, end_row=STATUS_ROW, end_column=last_col)

    _header(ws, table)
    at = FIRST_DATA_ROW
    for row in table.rows:
        _body_row(ws, at, row, row.name)
        at += 1
    _body_row(ws, at, table.total, "合计")
    note = population_note(table)
    if note:
        at += 1
        cell = ws.cell(at, 1, note)
        cell.font = Font(name=FONT_NAME, size=9)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.merge_cells(start_row=at, start_column=1, end_row=at, end_column=last_col)

    _widths(ws, table)
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 2).coordinate
    _print_setup(ws, title)
    wb.properties.title = title
    wb.properties.creator = "canlian"

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
