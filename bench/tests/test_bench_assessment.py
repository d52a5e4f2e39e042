"""The assessment benchmark still runs (a tiny one: figures only, no timings asserted)."""

import io
import re

from django.core.management import call_command


def test_bench_assessment_prints_every_figure():
    out = io.StringIO()
    call_command("bench_assessment", "--townships", "3", "--villages", "2", "--repeat", "1",
                 stdout=out)
    text = out.getvalue()
    assert re.search(r"^\w+: 3 townships, 6 villages, 48 people", text, re.M), text
    assert re.search(r"^round of 3 townships \(3 ranked\): [\d.]+ ms, \d+ queries$", text,
                     re.M), text
    assert re.search(r"^raw SQL, the same counts: [\d.]+ ms, 7 queries$", text, re.M), text
    assert re.search(r"^ratio [\d.]+×$", text, re.M), text
