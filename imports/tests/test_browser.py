"""The import pages in a real browser: upload, read the preview and the column mapping, run,
and read the result — accessible at every step, on a phone too."""

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from core.tests.browser import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_structure,
    goto,
    login,
)
from people.models import Person
from people.tests.factories import make_id

pytestmark = pytest.mark.browser


def test_import_a_ledger_with_one_bad_row(make_page, live_server, live_tree, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["东山根社区残疾人登记表"])
    ws.append(["姓名", "性别", "身份证号", "残疾类别", "残疾等级", "残疾证号", "所属村（社区）"])
    good = make_id()
    ws.append(["马有福", "男", good, "肢体", "二级", f"{good}42", "东山根社区"])
    ws.append(["坏行", "男", 6.20422197e17, "", "", "", "东山根社区"])
    path = tmp_path / "登记表.xlsx"
    wb.save(path)

    page = make_page(viewport={"width": 360, "height": 740})
    login(page, live_server, live_tree.village_officer)
    goto(page, f"{live_server.url}/imports/")
    assert_structure(page)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.set_input_files("#id_file", str(path))
    page.locator("main form[enctype] button[type=submit]").click()
    page.wait_for_url("**/imports/*/")
    assert_structure(page)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    expect(page.locator("#id_header_row")).to_have_value("2")
    expect(page.locator("#id_col_2")).to_have_value("id_number")
    page.locator("#id_mode_1").check()  # the valid rows only
    page.locator("button[name=start]").click()
    page.wait_for_load_state()
    expect(page.locator("#result")).to_be_visible(timeout=15_000)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    expect(page.locator("#errors-caption")).to_be_visible()
    expect(page.locator("tbody tr", has_text="身份证号")).to_have_count(1)
    assert Person.objects.with_id(good).exists()
    with page.expect_download() as download:
        page.locator("a[href$='/rejected.xlsx']").click()
    book = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    assert [r[0] for r in book.active.iter_rows(min_row=2, values_only=True)] == ["坏行"]
