"""The ledger book benchmark still runs (a tiny one: figures only, no timings asserted)."""

import io
import re

from django.core.management import call_command


def test_bench_book_prints_every_figure():
    out = io.StringIO()
    call_command("bench_book", "--villages", "2", "--repeat", "1", stdout=out)
    text = out.getvalue()
    assert re.search(r"^township 会师镇: 2 villages, 120 people, 40 needs, 240 visits, "
                     r"10 job seekers, 156 work records, 36 meetings, 12 plan items, "
                     r"36 assistance activities, 12 volunteer activities, 60 volunteer "
                     r"services, 18 letters and visits", text, re.M), text
    assert re.search(r"^book page: [\d.]+ s, \d+ queries", text, re.M), text
    assert re.search(r"^book PDF, first print \(every chapter typeset, in the request\): "
                     r"[\d.]+ s, \d+ queries, [\d,]+ KB, \d+ pages$", text, re.M), text
    assert re.search(r"^book PDF, printed again \(no change\): [\d.]+ s", text, re.M), text
    assert re.search(r"^book PDF after a visit in one village: [\d.]+ s", text, re.M), text
    assert re.search(r"^WeasyPrint alone, the same 4 documents .*: [\d.]+ s; the first print "
                     r"is [\d.]+× that, a reprint [\d.]+×", text, re.M), text
