"""The export benchmark still runs (a tiny one: figures only, no timings asserted)."""

import io
import re

from django.core.management import call_command


def test_bench_export_prints_every_figure():
    out = io.StringIO()
    call_command("bench_export", "--rows", "200", "--small", "50", "--repeat", "1", stdout=out)
    text = out.getvalue()
    assert re.search(r"^database: (sqlite|postgresql) .*; 200 people registered", text,
                     re.M), text
    assert re.search(r"^sql: [\d.]+ s, 200 rows fetched; cells: [\d.]+ s", text, re.M), text
    for library in ("xlsxwriter", "openpyxl"):
        assert re.search(rf"^{library} \([a-z' ]+\): export [\d.]+ s, 200 rows, [\d.]+ MB; "
                         r"a plain workbook of the same cells [\d.]+ s; ratio [\d.]+x "
                         r"\(target <= 1\.5x; one run\); CPU time [\d.]+ s and [\d.]+ s, ratio "
                         r"[\d.]+x$", text, re.M), text
        assert re.search(rf"^{library} peak memory: export \d+ MB at 50 rows, \d+ MB at 200 "
                         r"rows", text, re.M), text
    assert "WRONG" not in text
