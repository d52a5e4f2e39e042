"""Reading tables: the streaming .xlsx reader gives what calamine gives, cell for cell; CSV
files are read without holding them; broken files are a TableError."""

import datetime as dt
import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from core import tabular, xlsxstream
from core.tabular import TableError, open_table, read_table, sheet_names


def _book(rows, *, formats=None, write_only=False, title="登记表") -> bytes:
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet(title) if write_only else book.active
    if not write_only:
        sheet.title = title
    for row in rows:
        sheet.append(row)
    if formats and not write_only:
        for (row, column), code in formats.items():
            sheet.cell(row, column).number_format = code
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _calamine_rows(data: bytes, sheet=0):
    worksheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(sheet)
    rows = []
    if worksheet.end is None:
        return rows
    pad = [""] * worksheet.start[1]
    for number, row in enumerate(worksheet.iter_rows(), start=1):
        row = pad + row
        while row and row[-1] == "":
            row.pop()
        if row:
            rows.append((number, row))
    return rows


def _streamed_rows(data: bytes, sheet=0):
    return [(n, r) for n, r in xlsxstream.Workbook(data).rows(sheet) if r]


def test_every_kind_of_cell_reads_as_calamine_reads_it():
    rows = [
        ["姓名", "出生日期", "时间", "到达", "数", "是否", "时长"],
        ["王芳", dt.date(2011, 3, 5), dt.time(10, 30), dt.datetime(2011, 3, 5, 10, 30), 42,
         True, dt.timedelta(hours=30)],
        [None, None, None, None, 3.5, False, None],
        ["620422194001010002", 40547, None, None, 6.2042219400101e17, None, None],
    ]
    formats = {(2, 2): "yyyy-mm-dd", (2, 3): "hh:mm", (2, 4): "yyyy-mm-dd hh:mm",
               (2, 7): "[h]:mm:ss", (4, 2): 'yyyy"年"m"月"d"日"', (4, 5): "0"}
    for write_only in (False, True):  # shared strings, and inline strings
        data = _book(rows, formats=None if write_only else formats, write_only=write_only)
        assert _streamed_rows(data) == _calamine_rows(data)
    streamed = _streamed_rows(_book(rows, formats=formats))
    assert streamed[1][1][1:4] == [dt.date(2011, 3, 5), dt.time(10, 30),
                                   dt.datetime(2011, 3, 5, 10, 30)]
    assert streamed[3][1][1] == dt.date(2011, 1, 4)  # a serial number with a date format
    assert streamed[3][1][4] == 6.2042219400101e17  # an ID Excel made a number stays one


def test_sparse_rows_and_columns_keep_their_sheet_numbers():
    book = Workbook()
    sheet = book.active
    sheet["C3"] = "身份证号"
    sheet["E3"] = "姓名"
    sheet["AA7"] = "远"
    buffer = io.BytesIO()
    book.save(buffer)
    streamed = _streamed_rows(buffer.getvalue())
    assert streamed == _calamine_rows(buffer.getvalue())
    assert streamed[0] == (3, ["", "", "身份证号", "", "姓名"])
    assert streamed[1][0] == 7 and len(streamed[1][1]) == 27


cell_values = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
    st.integers(-10**12, 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(dt.date(1901, 1, 1), dt.date(2099, 12, 31)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cell_values, max_size=8), min_size=1, max_size=12),
       st.booleans())
def test_random_sheets_read_the_same_with_both_readers(rows, write_only):
    rows = [[None if isinstance(v, str) and not v.strip() else v for v in row] for row in rows]
    data = _book(rows, write_only=write_only)
    assert _streamed_rows(data) == _calamine_rows(data)


def test_sheets_are_found_by_name_and_index():
    book = Workbook()
    book.active.title = "说明"
    book.active["A1"] = "请填写第二页"
    book.create_sheet("个人登记表")["B2"] = "姓名"
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    assert sheet_names(data, "a.xlsx") == ["说明", "个人登记表"]
    for sheet in ("个人登记表", 1):
        rows = [(n, r) for n, r in read_table(data, "a.xlsx", sheet) if any(r)]
        assert rows == [(2, ["", "姓名"])]
        head = [(n, r) for n, r in open_table(data, "a.xlsx", sheet, head=True)[1] if any(r)]
        assert head == rows
    with pytest.raises(TableError):
        list(read_table(data, "a.xlsx", "没有这页"))


def test_large_sheets_are_streamed_and_give_the_same_rows(monkeypatch):
    rows = [["姓名", "出生日期"]] + [[f"人{i}", dt.date(2000, 1, 1 + i % 28)]
                                     for i in range(300)]
    data = _book(rows, formats={(i, 2): "yyyy-mm-dd" for i in range(2, 302)})
    calamine_total, calamine_rows = open_table(data, "a.xlsx")
    calamine_rows = [(n, r) for n, r in calamine_rows]
    monkeypatch.setattr(tabular, "CALAMINE_MAX_XML", 0)
    total, streamed = open_table(io.BytesIO(data), "a.xlsx")
    assert isinstance(streamed, type(tabular._guard(iter(()))))  # the streaming reader
    assert total == calamine_total == 301
    assert list(streamed) == calamine_rows


def test_csv_in_either_encoding_is_read_from_an_open_file_which_stays_open():
    text = "姓名,身份证号\n王芳,620422194001010002\n李强,\n"
    for encoding in ("utf-8-sig", "utf-8", "gb18030"):
        handle = io.BytesIO(text.encode(encoding))
        total, rows = open_table(handle, "a.csv")
        assert total == 3
        assert next(rows) == (1, ["姓名", "身份证号"])
        del rows  # a reader left half-way does not close the caller's file
        assert not handle.closed
        assert list(read_table(handle, "a.csv"))[2] == (3, ["李强", ""])


def test_files_that_are_not_tables_are_refused_with_a_reason():
    with pytest.raises(TableError):
        list(read_table(b"\xff\xfe\x00broken \x81\x30", "a.csv"))
    with pytest.raises(TableError):
        list(read_table(b"not a zip", "a.xlsx"))
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:  # a zip, but no workbook in it
        archive.writestr("hello.txt", "hi")
    with pytest.raises(TableError):
        sheet_names(broken.getvalue(), "a.xlsx")
    with pytest.raises(TableError):
        list(read_table(b"x", "photo.png"))


def test_a_sheet_cut_short_is_a_table_error(monkeypatch):
    data = _book([["姓名"]] + [[f"人{i}"] for i in range(50)], write_only=True)
    source = zipfile.ZipFile(io.BytesIO(data))
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                content = content[: len(content) // 2]
            archive.writestr(info, content)
    monkeypatch.setattr(tabular, "CALAMINE_MAX_XML", 0)
    with pytest.raises(TableError):
        list(read_table(broken.getvalue(), "a.xlsx"))


def test_date_formats_are_told_from_number_formats():
    assert xlsxstream.is_date_format("yyyy-mm-dd") == (True, False)
    assert xlsxstream.is_date_format('yyyy"年"m"月"d"日"') == (True, False)
    assert xlsxstream.is_date_format("[h]:mm:ss") == (True, True)
    assert xlsxstream.is_date_format("[Red]0.00") == (False, False)
    assert xlsxstream.is_date_format('0.00" days"') == (False, False)
    assert xlsxstream.is_date_format("General") == (False, False)
    assert xlsxstream.is_date_format("0;[Red]-0;dd") == (False, False)

