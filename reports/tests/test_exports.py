import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from reports.exports import summary_table_xlsx
from reports.selectors import summary_table

from .conftest import AS_OF

CATEGORIES = ["视力", "听力", "言语", "肢体", "智力", "精神", "多重"]
HEADER_TOP = (
    ["单位", "残疾人总数", "持证情况", None]
    + [cell for name in CATEGORIES for cell in (name, None, None, None, None)]
    + ["持证人数按等级", None, None, None, "性别", None, "年龄", None, None, None, "户籍", None,
       None, None, "人口数", "占人口比例"]
)
HEADER_BOTTOM = (
    [None, None, "持证", "未持证"]
    + ["小计", "一级", "二级", "三级", "四级"] * 7
    + ["一级", "二级", "三级", "四级", "男", "女", "0–6岁", "7–17岁", "18–59岁", "60岁及以上",
       "城镇户籍", "城镇占比", "农村户籍", "农村占比", None, None]
)


@pytest.fixture
def workbook(people):
    t = people.tree
    table = summary_table(user=t.county_admin, unit=t.county, as_of=AS_OF)
    with translation.override("en"):  # the ledger's words do not follow the user's language
        content = summary_table_xlsx(table)
    return table, load_workbook(io.BytesIO(content)).active


def _row(ws, n):
    return [c.value for c in ws[n]]


def test_title_and_chinese_headers(workbook):
    _table, ws = workbook
    assert ws["A1"].value == "会宁县残疾人基本情况汇总表（截至2025年6月30日）"
    assert ws["A2"].value == "实时数据 · 截至2025年6月30日"
    assert ws.max_column == 55 == len(HEADER_TOP) == len(HEADER_BOTTOM)
    assert _row(ws, 3) == HEADER_TOP
    assert _row(ws, 4) == HEADER_BOTTOM
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:BC1", "A2:BC2", "A3:A4", "B3:B4", "C3:D3", "E3:I3", "J3:N3", "AI3:AM3", "AN3:AQ3",
            "AR3:AS3", "AT3:AW3", "AX3:BA3", "BB3:BB4", "BC3:BC4"} <= merged


def test_values_equal_the_table(workbook):
    table, ws = workbook
    assert ws["A5"].value == "会师镇" and ws["A6"].value == "郭城驿镇" and ws["A7"].value == "合计"
    # Under the table: where the total's population comes from.
    assert ws["A8"].value == "注：合计行人口数为会宁县自身登记的人口数。"
    assert "A8:BC8" in {str(r) for r in ws.merged_cells.ranges} and ws["A9"].value is None
    for n, row in ((5, table.rows[0]), (6, table.rows[1]), (7, table.total)):
        cells = _row(ws, n)[1:]
        assert cells == [pytest.approx(c.value) if isinstance(c.value, float) else c.value
                         for c in row.cells]
    # Numbers are numbers; the spot checks below are the hand counts of test_selectors.
    assert ws["B7"].value == 16 and isinstance(ws["B7"].value, int)
    assert ws["C7"].value == 12 and ws["D7"].value == 4
    assert ws["AZ6"].value == 5  # rural household registration, 郭城驿镇
    assert ws["BA6"].value == pytest.approx(5 / 6)  # and its share of the township's people
    assert ws["AY5"].value == pytest.approx(0.5) and ws["AY5"].number_format == "0.0%"
    assert ws["BB6"].value is None  # 郭城驿镇 records no population, so no share
    # The total: the county's own population, and all its people over it.
    assert ws["BB5"].value == 20000 and ws["BB7"].value == 500000
    assert ws["BC5"].value == pytest.approx(0.0005)
    assert ws["BC7"].value == pytest.approx(16 / 500000)
    assert ws["BC5"].number_format == "0.00%"
    assert ws["B5"].number_format == "0"
    assert ws["BC6"].value is None


def test_layout_for_screen_and_print(workbook):
    _table, ws = workbook
    assert ws.freeze_panes == "B5"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.print_title_rows == "$3:$4"
    assert ws.column_dimensions["A"].width >= 12
    assert ws.column_dimensions["B"].width == 9 and ws.column_dimensions["BB"].width == 10
    assert ws["A1"].font.name == "WenQuanYi Micro Hei" and ws["A1"].font.b
    assert ws["E4"].font.name == "WenQuanYi Micro Hei" and 9 <= ws["E4"].font.sz <= 11
    assert ws["A7"].font.b and not ws["A5"].font.b  # the total row stands out


def test_a_unit_named_like_a_formula_stays_text(people):
    from dataclasses import replace

    t = people.tree
    table = summary_table(user=t.county_admin, unit=t.county, as_of=AS_OF)
    table = replace(table, rows=[replace(table.rows[0], name="=1+1"), *table.rows[1:]])
    ws = load_workbook(io.BytesIO(summary_table_xlsx(table))).active
    assert (ws["A5"].value, ws["A5"].data_type, ws["A5"].quotePrefix) == ("=1+1", "s", True)
