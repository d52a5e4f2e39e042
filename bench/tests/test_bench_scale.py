"""The scale benchmark runs end to end on PostgreSQL and prints a line per figure (at a tiny
size: the figures themselves are not asserted)."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the scale benchmark is for PostgreSQL")
@pytest.mark.django_db
def test_bench_scale_prints_every_figure(monkeypatch):
    settings = connection.settings_dict
    monkeypatch.setenv("DATABASE_URL", f"postgres://{settings['USER'] or 'postgres'}@"
                       f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/postgres")
    out = io.StringIO()
    call_command("bench_scale", "--people", "400", "--import-rows", "300",
                 "--database", f"{settings['NAME']}_scale", stdout=out)
    text = out.getvalue()
    last_year = dt.date.today().year - 1
    assert re.search(r"^province: 19,224 units \(17,895 villages and communities\), 400 people",
                     text, re.M), text
    figures = re.findall(r"^(.+): (\d+) ms / (\d+) ms = ([\d.]+|inf)x \((\d+) queries; (\d+) KB",
                         text, re.M)
    assert [f[0] for f in figures] == [
        "people list, page 1", "people list, page 1 (county user)",
        "people list, name search 王伟", "people list, pinyin search wangwei",
        "people list, page 8 by key (?after=)", "visits: coverage table and due list",
        f"visits: coverage of {last_year} (a past year)",
        "summary table of the province, work_mem at the default 4MB",
        "summary table of the province", f"summary table of the province as of {last_year}-12-31",
        "dashboard of the province (people, needs, visits, workers, training)",
        "statistics overview of the province (divisions, population, shares)",
        "home page of a province user (key figures)"], text
    assert all(int(f[4]) > 0 for f in figures), text  # the queries were counted
    assert re.search(r"^import of 300 rows into a register of 400: [\d.]+ s / parse [\d.]+ s "
                     r"\+ COPY [\d.]+ s = [\d.]+x \(294 rows; target <= 1.5x: [^)]+\)$",
                     text, re.M), text
