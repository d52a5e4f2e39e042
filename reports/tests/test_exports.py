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
    assert ws.max_column == 55 == len(HEADER_TOP) == len(HEADER_BOTTOM)
    assert _row(ws, 2) == HEADER_TOP
    assert _row(ws, 3) == HEADER_BOTTOM
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:BC1", "A2:A3", "B2:B3", "C2:D2", "E2:I2", "J2:N2", "AI2:AM2", "AN2:AQ2",
            "AR2:AS2", "AT2:AW2", "AX2:BA2", "BB2:BB3", "BC2:BC3"} <= merged


def test_values_equal_the_table(workbook):
    table, ws = workbook
    assert ws["A4"].value == "会师镇" and ws["A5"].value == "郭城驿镇" and ws["A6"].value == "合计"
    # Under the table: where the total's population comes from.
    assert ws["A7"].value == "注：合计行人口数为会宁县自身登记的人口数。"
    assert "A7:BC7" in {str(r) for r in ws.merged_cells.ranges} and ws["A8"].value is None
    for n, row in ((4, table.rows[0]), (5, table.rows[1]), (6, table.total)):
        cells = _row(ws, n)[1:]
        assert cells == [pytest.approx(c.value) if isinstance(c.value, float) else c.value
                         for c in row.cells]
    # Numbers are numbers; the spot checks below are the hand counts of test_selectors.
    assert ws["B6"].value == 16 and isinstance(ws["B6"].value, int)
    assert ws["C6"].value == 12 and ws["D6"].value == 4
    assert ws["AZ5"].value == 5  # rural household registration, 郭城驿镇
    assert ws["BA5"].value == pytest.approx(5 / 6)  # and its share of the township's people
    assert ws["AY4"].value == pytest.approx(0.5) and ws["AY4"].number_format == "0.0%"
    assert ws["BB5"].value is None  # 郭城驿镇 records no population, so no share
    # The total: the county's own population, and all its people over it.
    assert ws["BB4"].value == 20000 and ws["BB6"].value == 500000
    assert ws["BC4"].value == pytest.approx(0.0005)
    assert ws["BC6"].value == pytest.approx(16 / 500000)
    assert ws["BC4"].number_format == "0.00%"
    assert ws["B4"].number_format == "0"
    assert ws["BC5"].value is None


def test_layout_for_screen_and_print(workbook):
    _table, ws = workbook
    assert ws.freeze_panes == "B4"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.print_title_rows == "$2:$3"
    assert ws.column_dimensions["A"].width >= 12
    assert ws.column_dimensions["B"].width == 9 and ws.column_dimensions["BB"].width == 10
    assert ws["A1"].font.name == "WenQuanYi Micro Hei" and ws["A1"].font.b
    assert ws["E3"].font.name == "WenQuanYi Micro Hei" and 9 <= ws["E3"].font.sz <= 11
    assert ws["A6"].font.b and not ws["A4"].font.b  # the total row stands out


def test_a_unit_named_like_a_formula_stays_text(people):
    from dataclasses import replace

    t = people.tree
    table = summary_table(user=t.county_admin, unit=t.county, as_of=AS_OF)
    table = replace(table, rows=[replace(table.rows[0], name="=1+1"), *table.rows[1:]])
    ws = load_workbook(io.BytesIO(summary_table_xlsx(table))).active
    assert (ws["A4"].value, ws["A4"].data_type, ws["A4"].quotePrefix) == ("=1+1", "s", True)
