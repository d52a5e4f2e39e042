"""The one .xlsx writer (core.exports): text stays text whatever it looks like, ID numbers
are text, dates are dates, control characters go, and the workbook streams to a file."""

import datetime as dt
import io
import zoneinfo
from decimal import Decimal

import openpyxl
import pytest

from core.exports import StreamingSheet, XlsxColumn, sheet_title, write_xlsx

COLUMNS = [XlsxColumn("姓名", 10), XlsxColumn("身份证号", 21, "id"),
           XlsxColumn("出生日期", 12, "date"), XlsxColumn("备注", 20)]


def read(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content)).active


@pytest.mark.parametrize("text", [
    "=1+1", '=HYPERLINK("http://x","点我")', "+86 139", "-2+3", "@SUM(A1)", "#N/A",
    "=cmd|' /C calc'!A0",
])
def test_text_that_looks_like_a_formula_is_text_and_stays_text(text):
    sheet = read(write_xlsx(title="名单", columns=COLUMNS,
                            rows=[[text, text, text, text]]))
    for cell in sheet[3]:
        assert (cell.value, cell.data_type) == (text, "s"), cell.coordinate
        assert cell.quotePrefix, cell.coordinate  # Excel keeps it text when it is edited
    assert sheet["B3"].number_format == "@"


def test_plain_text_has_no_quote_prefix_and_ids_are_text():
    sheet = read(write_xlsx(title="名单", columns=COLUMNS, rows=[
        ["张三", "62042219610305123X", dt.date(1961, 3, 5), "住址 1组"],
        ["李四", 620422195007011234, None, None],
    ]))
    assert [c.value for c in sheet[2]] == ["姓名", "身份证号", "出生日期", "备注"]
    assert sheet["A1"].value == "名单" and sheet["A1"].font.b and sheet["A2"].font.b
    assert not sheet["A3"].quotePrefix and sheet["A3"].data_type == "s"
    assert (sheet["B4"].value, sheet["B4"].data_type) == ("620422195007011234", "s")
    assert sheet["C3"].is_date and sheet["C3"].value.date() == dt.date(1961, 3, 5)
    assert sheet["C3"].number_format == "yyyy-mm-dd"
    assert sheet["D4"].value is None
    assert sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["B"].width == pytest.approx(21, abs=1)


def test_values_of_every_type():
    aware = dt.datetime(2024, 5, 1, 2, 30, tzinfo=dt.UTC)  # 10:30 in Shanghai
    sheet = read(write_xlsx(title="t", columns=[XlsxColumn(str(i)) for i in range(9)], rows=[
        ["a\x00b\x1fc", 3, 2.5, Decimal("1.25"), True, aware, dt.time(8, 15),
         float("nan"), zoneinfo.ZoneInfo("Asia/Shanghai")],
    ]))
    cells = [c.value for c in sheet[3]]
    assert cells[:5] == ["abc", 3, 2.5, 1.25, True]
    assert cells[5] == dt.datetime(2024, 5, 1, 10, 30)  # local time, without a zone
    assert cells[6] == dt.time(8, 15)
    assert cells[7] == "nan" and cells[8] == "Asia/Shanghai"


def test_a_blank_id_cell_keeps_the_text_format_and_empty_text_is_an_empty_cell():
    sheet = read(write_xlsx(title="t", columns=COLUMNS, rows=[[None] * 4, ["", "", "", ""]]))
    assert sheet["B3"].number_format == "@" and sheet["B4"].number_format == "@"
    assert [c.value for c in sheet[4]] == [None] * 4


def test_sheet_titles_excel_accepts():
    assert sheet_title("a/b:c[d]*?\\e" + "x" * 40) == ("abcde" + "x" * 40)[:31]
    assert sheet_title("") == "Sheet"


def test_a_workbook_streams_to_a_file(tmp_path):
    path = tmp_path / "out.xlsx"
    rows = ([f"甲{n}", f"62042219610305{n:04d}", dt.date(2000, 1, 1), "=x"] for n in range(3000))
    assert write_xlsx(title="t", columns=COLUMNS, rows=rows, target=path) is None
    sheet = openpyxl.load_workbook(path, read_only=True).active
    values = [row for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert len(values) == 3000 and values[-1][:2] == ("甲2999", "620422196103052999")


def test_the_sheet_of_plain_rows_saves_into_a_buffer():
    out = StreamingSheet("Rejected rows")
    out.append(["姓名", "住址"])
    out.append(["甲", "=1+1"])
    buffer = io.BytesIO()
    out.save(buffer)
    cell = read(buffer.getvalue())["B2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+1", "s", True)
