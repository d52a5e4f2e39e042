"""The import benchmark still runs (a tiny one: figures only, no timings asserted)."""

import io
import re

from django.core.management import call_command


def test_bench_import_prints_every_figure():
    out = io.StringIO()
    call_command("bench_import", "--rows", "300", "--skip-import-export", "--repeat", "2",
                 stdout=out)
    text = out.getvalue()
    assert re.search(r"^database: (sqlite|postgresql) ", text, re.M), text
    assert re.search(r"^file: 300 rows \(6 with errors, 294 valid\), [\d.]+ MB \.xlsx, "
                     r"generated in [\d.]+ s", text, re.M), text
    assert re.search(r"^parse \(calamine\): [\d.]+ s \(best of 2\)$", text, re.M), text
    assert re.search(r"^raw insert \((executemany|COPY)\): [\d.]+ s, 294 rows \(best of 2; of "
                     r"which sealing the ID numbers [\d.]+ s\)$", text, re.M), text
    assert re.search(r"^importer: [\d.]+ s, 294 rows, ratio to parse\+insert [\d.]+x "
                     r"\(target <= 1\.5x; best of 2: [\d.]+, [\d.]+ s\)$", text, re.M), text
    assert re.search(r"^CPU time \(least of 2\): parse [\d.]+ s, raw insert [\d.]+ s, importer "
                     r"[\d.]+ s \(its two processes together[^)]*\), ratio [\d.]+x ", text,
                     re.M), text
    assert re.search(r"^importer at 75 rows: [\d.]+ s, \d+ rows$", text, re.M), text
    assert "django-import-export: skipped" in text
    assert re.search(r"^peak memory: parse \d+ MB, raw insert \d+ MB, importer \d+ MB \+ its "
                     r"reading process [1-9]\d* MB", text, re.M), text
    assert re.search(r"^peak memory importer: \d+ MB \+ reader [1-9]\d* MB at 300 rows, "
                     r"\d+ MB \+ [1-9]\d* MB at 75 rows ", text, re.M), text
    assert "WRONG" not in text
