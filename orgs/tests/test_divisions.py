import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import Action, AuditLog
from core.actors import SYSTEM
from core.scope import path_segment
from core.tabular import TableError, read_table
from orgs.divisions import MODE_VALID, divisions_import
from orgs.models import Kind, Level, OrgUnit

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "divisions-2023-sample.csv"
HEADER = "code,name,parent_code,level\n"


def _csv(text: str, encoding="utf-8") -> list:
    return list(read_table(text.encode(encoding), "list.csv"))


def _import(text, **kwargs):
    kwargs.setdefault("actor", SYSTEM)
    return divisions_import(table=_csv(HEADER + text), **kwargs)


@pytest.mark.django_db
def test_sample_imports_and_a_second_time_changes_nothing():
    first = divisions_import(actor=SYSTEM, table=read_table(SAMPLE.read_bytes(), SAMPLE.name))
    assert first.errors == [] and first.applied
    assert first.created == 1797 == OrgUnit.objects.count()
    snapshot = list(OrgUnit.objects.order_by("pk").values_list("pk", "path", "name", "updated_at"))
    second = divisions_import(actor=SYSTEM, table=read_table(SAMPLE.read_bytes(), SAMPLE.name))
    assert (second.created, second.updated, second.unchanged) == (0, 0, 1797)
    assert list(
        OrgUnit.objects.order_by("pk").values_list("pk", "path", "name", "updated_at")
    ) == snapshot
    huining = OrgUnit.objects.get(code="620422")
    assert OrgUnit.objects.within(huining).filter(level=Level.TOWNSHIP).count() == 28
    assert OrgUnit.objects.within(huining).filter(level=Level.VILLAGE).count() == 322
    village = OrgUnit.objects.get(code="620422100200")
    assert village.kind == Kind.VILLAGE and village.parent.code == "620422100"
    assert village.path == village.parent.path + path_segment(village.pk)
    assert not OrgUnit.objects.filter(path="").exists()


BAD_FILE = (
    "62,甘肃省,,province\n"
    "6204,白银市,62,city\n"
    "62042X,坏代码县,6204,county\n"
    "620422,会宁县,6204,county\n"
    "620499100,孤儿镇,620499,township\n"
    "620422100,会师镇,620422,township\n"
)


@pytest.mark.django_db
def test_bad_code_and_missing_parent_are_both_reported_and_nothing_is_written():
    result = _import(BAD_FILE)
    assert not result.applied and OrgUnit.objects.count() == 0
    assert [(e.row, e.column) for e in result.errors] == [(4, "code"), (6, "parent_code")]
    assert "620499" in result.errors[1].reason
    assert result.errors[0].value == "62042X"
    assert not AuditLog.objects.filter(action=Action.IMPORT).exists()


@pytest.mark.django_db
def test_valid_only_imports_the_good_rows():
    result = _import(BAD_FILE, mode=MODE_VALID)
    assert result.applied and result.created == 4 and result.bad_rows == 2
    assert set(OrgUnit.objects.values_list("code", flat=True)) == {
        "62", "6204", "620422", "620422100"
    }
    entry = AuditLog.objects.get(action=Action.IMPORT)
    assert entry.detail["created"] == 4 and entry.detail["errors"] == 2


@pytest.mark.django_db
def test_dry_run_writes_nothing_but_counts():
    result = _import("62,甘肃省,,province\n6204,白银市,62,city\n", dry_run=True)
    assert result.created == 2 and not result.applied
    assert OrgUnit.objects.count() == 0


@pytest.mark.django_db
def test_a_row_whose_parent_row_is_bad_says_so():
    result = _import("62,甘肃省,,province\n6204,,62,city\n620422,会宁县,6204,county\n")
    reasons = {(e.row, e.column): e.reason for e in result.errors}
    assert (3, "name") in reasons
    assert (4, "parent_code") in reasons and "6204" in reasons[(4, "parent_code")]


@pytest.mark.django_db
def test_duplicates_level_mismatch_and_blank_lines():
    result = _import(
        "62,甘肃省,,province\n\n,,,\n62,甘肃省,,province\n6204,白银市,62,county\n"
    )
    reasons = {(e.row, e.column) for e in result.errors}
    assert reasons == {(5, "code"), (6, "level")}
    assert result.total == 3


@pytest.mark.django_db
def test_renaming_by_code_updates_in_place(tree):
    pk = tree.township.pk
    result = _import("620422100,会师镇（新）,620422,township\n")
    assert (result.updated, result.created) == (1, 0)
    assert OrgUnit.objects.get(pk=pk).name == "会师镇（新）"


@pytest.mark.django_db
def test_an_existing_unit_under_another_parent_is_not_moved(tree):
    result = _import("620422100200,高家庄村民委员会,620422101,village\n")
    assert result.errors and result.errors[0].column == "parent_code"
    assert OrgUnit.objects.get(pk=tree.village.pk).parent == tree.township


@pytest.mark.django_db
def test_an_officer_imports_only_inside_their_area(tree):
    result = _import(
        "620422100,会师镇,620422,township\n"
        "620422100300,新村,620422100,village\n"
        "620422101300,别人的村,620422101,village\n",
        actor=tree.township_officer, mode=MODE_VALID,
    )
    assert [(e.row, e.column) for e in result.errors] == [(4, "parent_code")]
    assert OrgUnit.objects.filter(code="620422100300").exists()
    assert not OrgUnit.objects.filter(code="620422101300").exists()
    assert result.unchanged == 1


@pytest.mark.django_db
def test_full_width_digits_spaces_and_gb18030_are_read():
    text = HEADER + "６２ ,甘肃省,,省\n 6204,白银市,62,市\n"
    result = divisions_import(actor=SYSTEM, table=_csv(text, "gb18030"))
    assert result.errors == [] and result.created == 2
    assert OrgUnit.objects.get(code="62").name == "甘肃省"


@pytest.mark.django_db
def test_xlsx_with_the_same_columns_and_chinese_headers():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([])  # an empty first row, as real sheets have
    ws.append(["区划代码", "名称", "上级代码", "级别"])
    ws.append([62, "甘肃省", None, "province"])  # a number cell, as Excel stores codes
    ws.append(["6204", "白银市", "62", "city"])
    ws.append(["620422", "", "6204", "county"])
    buffer = io.BytesIO()
    wb.save(buffer)
    result = divisions_import(actor=SYSTEM, table=read_table(buffer.getvalue(), "list.xlsx"),
                              mode=MODE_VALID)
    assert [(e.row, e.column) for e in result.errors] == [(5, "name")]
    assert result.created == 2


def test_a_file_that_is_no_table_is_a_clear_error():
    with pytest.raises(TableError):
        list(read_table(b"\x89PNG....", "photo.png"))
    with pytest.raises(TableError):
        list(read_table(b"not a zip", "broken.xlsx"))


@pytest.mark.django_db
def test_a_missing_header_is_reported():
    result = divisions_import(actor=SYSTEM, table=_csv("62,甘肃省,,province\n"))
    assert len(result.errors) == 1 and result.errors[0].row == 1


def _province_rows(townships_per_county=20, villages_per_township=28, counties=33):
    """A synthetic province of the size of 甘肃 (about 19,000 rows)."""
    rows = [("99", "测试省", "", "province")]
    for c in range(1, 4):
        city = f"99{c:02d}"
        rows.append((city, f"测试市{c}", "99", "city"))
        for k in range(1, counties // 3 + 1):
            county = f"{city}{k:02d}"
            rows.append((county, f"测试县{c}-{k}", city, "county"))
            for t in range(1, townships_per_county + 1):
                township = f"{county}{100 + t:03d}"
                rows.append((township, f"测试镇{township}", county, "township"))
                for v in range(1, villages_per_township + 1):
                    village = f"{township}{200 + v:03d}"
                    rows.append((village, f"测试村{village}", township, "village"))
    return rows


@pytest.mark.django_db
def test_a_province_goes_in_with_few_queries():
    rows = _province_rows()
    assert len(rows) > 19000
    table = [(1, ["code", "name", "parent_code", "level"])] + [
        (n, list(r)) for n, r in enumerate(rows, start=2)
    ]
    with CaptureQueriesContext(connection) as ctx:
        result = divisions_import(actor=SYSTEM, table=table)
    assert result.errors == [] and result.created == len(rows)
    # Lookups in chunks and inserts in batches (SQLite's batches are small: Django keeps
    # under 999 parameters a statement): a small fraction of the rows, never one per row.
    assert len(ctx.captured_queries) < len(rows) / 50, len(ctx.captured_queries)
    assert not OrgUnit.objects.filter(path="").exists()
    sample = OrgUnit.objects.get(code="990101101201")
    assert sample.path.startswith(sample.parent.path) and sample.depth == 5


@pytest.mark.django_db
def test_command_reports_rows_and_refuses_a_bad_file(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + BAD_FILE, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_divisions", str(bad))
    err = capsys.readouterr().err
    assert "62042X" in err and "620499" in err
    assert OrgUnit.objects.count() == 0
    call_command("import_divisions", str(bad), "--valid-only")
    assert OrgUnit.objects.count() == 4
