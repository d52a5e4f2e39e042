import datetime as dt

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from core.actors import SYSTEM
from orgs import services as org_services
from orgs.models import Level
from reports.selectors import (
    COLUMNS,
    COLUMNS_BY_KEY,
    COUNT_KEYS,
    Cell,
    PopulationSource,
    SummaryRow,
    summary_table,
)

from .conftest import ADULT, AS_OF, OLD, TEEN, register

CATEGORIES = range(1, 8)
GRADES = range(1, 5)


def expected(*, total, cert, categories=None, grades=None, cells=None, male, female, ages,
             urban, rural, population=None):
    """Every count cell of one row, written out: categories {c: n}, grades {g: n},
    cells {(c, g): n}; ages (0–6, 7–17, 18–59, 60+). Whatever is not named is 0."""
    categories, grades, cells = categories or {}, grades or {}, cells or {}
    row = {"total": total, "certificate.yes": cert, "certificate.no": total - cert}
    for c in CATEGORIES:
        row[f"category.{c}"] = categories.get(c, 0)
        for g in GRADES:
            row[f"category.{c}.grade.{g}"] = cells.get((c, g), 0)
    for g in GRADES:
        row[f"grade.{g}"] = grades.get(g, 0)
    row.update({"gender.M": male, "gender.F": female})
    row.update(zip(("age.0-6", "age.7-17", "age.18-59", "age.60+"), ages, strict=True))
    row.update({"hukou.urban": urban, "hukou.rural": rural, "population": population})
    return row


def values(row) -> dict:
    """The row as {column key: value}, the shares left out (compared approximately)."""
    return {cell.column.key: cell.value for cell in row.cells
            if cell.column.kind not in ("share", "part")}


HUISHI = expected(
    total=10, cert=7,
    categories={1: 1, 2: 1, 4: 3, 5: 1, 7: 1},
    grades={1: 3, 2: 2, 3: 1, 4: 1},
    cells={(1, 1): 1, (2, 4): 1, (4, 1): 1, (4, 2): 2, (5, 3): 1, (7, 1): 1},
    male=5, female=5, ages=(2, 2, 3, 3), urban=5, rural=5, population=20000,
)
GUOCHENGYI = expected(
    total=6, cert=5,
    categories={1: 1, 3: 1, 4: 1, 6: 2},
    grades={2: 3, 3: 1, 4: 1},
    cells={(1, 2): 1, (3, 3): 1, (4, 4): 1, (6, 2): 2},
    male=4, female=2, ages=(1, 1, 3, 1), urban=1, rural=5, population=None,
)
COUNTY_TOTAL = expected(
    total=16, cert=12,
    categories={1: 2, 2: 1, 3: 1, 4: 4, 5: 1, 6: 2, 7: 1},
    grades={1: 3, 2: 5, 3: 2, 4: 2},
    cells={(1, 1): 1, (1, 2): 1, (2, 4): 1, (3, 3): 1, (4, 1): 1, (4, 2): 2, (4, 4): 1,
           (5, 3): 1, (6, 2): 2, (7, 1): 1},
    male=9, female=7, ages=(3, 3, 6, 4), urban=6, rural=10,
    population=500000,  # the county's own, not the sum of its rows (only 会师镇's 20 000)
)

DONGSHANGEN = expected(
    total=6, cert=4,
    categories={1: 1, 4: 2, 5: 1},
    grades={1: 1, 2: 2, 3: 1},
    cells={(1, 1): 1, (4, 2): 2, (5, 3): 1},
    male=3, female=3, ages=(2, 1, 1, 2), urban=5, rural=1, population=3000,
)
GAOJIAZHUANG = expected(
    total=4, cert=3,
    categories={2: 1, 4: 1, 7: 1},
    grades={1: 2, 4: 1},
    cells={(2, 4): 1, (4, 1): 1, (7, 1): 1},
    male=2, female=2, ages=(0, 1, 2, 1), urban=0, rural=4, population=1000,
)
LIJIAYUAN = expected(total=0, cert=0, male=0, female=0, ages=(0, 0, 0, 0), urban=0, rural=0)
HUISHI_TOTAL = HUISHI  # the township's own 20 000, not its villages' 3 000 + 1 000


def test_the_columns_follow_the_paper_form():
    keys = [c.key for c in COLUMNS]
    assert keys[:3] == ["total", "certificate.yes", "certificate.no"]
    assert keys[3:8] == ["category.1", "category.1.grade.1", "category.1.grade.2",
                         "category.1.grade.3", "category.1.grade.4"]
    assert keys[33:38] == ["category.7", "category.7.grade.1", "category.7.grade.2",
                           "category.7.grade.3", "category.7.grade.4"]
    assert keys[38:] == ["grade.1", "grade.2", "grade.3", "grade.4", "gender.M", "gender.F",
                         "age.0-6", "age.7-17", "age.18-59", "age.60+", "hukou.urban",
                         "hukou.urban.share", "hukou.rural", "hukou.rural.share", "population",
                         "share"]


def test_county_table_every_cell(people):
    t = people.tree
    table = summary_table(user=t.county_admin, unit=t.county, as_of=AS_OF)
    assert table.unit == t.county and table.as_of == AS_OF
    assert [r.unit for r in table.rows] == [t.township, t.other_township]
    huishi, guochengyi = table.rows
    assert values(huishi) == HUISHI
    assert values(guochengyi) == GUOCHENGYI
    assert values(table.total) == COUNTY_TOTAL
    assert huishi.share == pytest.approx(10 / 20000)
    assert guochengyi.share is None
    # Total: the county records its own population: all its people over it.
    assert table.total.share == pytest.approx(16 / 500000)
    assert table.total.population_source == PopulationSource.OWN
    assert table.total.is_total and not huishi.is_total
    # Urban and rural: shares of each row's disabled people.
    assert huishi.value("hukou.urban.share") == pytest.approx(5 / 10)
    assert guochengyi.value("hukou.rural.share") == pytest.approx(5 / 6)
    assert table.total.value("hukou.urban.share") == pytest.approx(6 / 16)


def test_township_table_every_cell(people):
    t = people.tree
    table = summary_table(user=t.township_officer, unit=t.township, as_of=AS_OF)
    # The abolished village is not a row; the empty one is, with zeros.
    assert [r.unit for r in table.rows] == [t.community, t.village, people.lijiayuan]
    dongshangen, gaojiazhuang, lijiayuan = table.rows
    assert values(dongshangen) == DONGSHANGEN
    assert values(gaojiazhuang) == GAOJIAZHUANG
    assert values(lijiayuan) == LIJIAYUAN
    assert values(table.total) == HUISHI_TOTAL
    assert dongshangen.share == pytest.approx(6 / 3000)
    assert gaojiazhuang.share == pytest.approx(4 / 1000)
    assert lijiayuan.share is None
    assert lijiayuan.value("hukou.urban.share") is None  # nobody: no share, not 0 %
    assert table.total.share == pytest.approx(10 / 20000)


def test_a_village_is_one_row_with_its_grid_inside(people):
    t = people.tree
    table = summary_table(user=t.village_officer, unit=t.community, as_of=AS_OF)
    assert [r.unit for r in table.rows] == [t.community]  # the grid is not a row
    assert values(table.rows[0]) == DONGSHANGEN
    assert values(table.total) == DONGSHANGEN
    assert table.total.share == pytest.approx(6 / 3000)


def test_a_grid_counts_the_people_who_name_it(people):
    t = people.tree
    table = summary_table(user=t.village_officer, unit=t.grid, as_of=AS_OF)
    assert [r.unit for r in table.rows] == [t.grid]
    assert table.total.total == 1
    assert table.total.counts["category.4.grade.2"] == 1


def test_ages_move_with_the_day_they_are_counted_on(people):
    t = people.tree
    tomorrow = summary_table(user=t.county_admin, unit=t.county,
                             as_of=AS_OF + dt.timedelta(days=1)).total.counts
    # The one who turns 7 and the one who turns 60 tomorrow change band; nobody else does.
    assert [tomorrow[k] for k in ("age.0-6", "age.7-17", "age.18-59", "age.60+")] == [2, 4, 5, 5]


def test_out_of_scope_unit_is_404(people):
    t = people.tree
    with pytest.raises(Http404):
        summary_table(user=t.township_officer, unit=t.other_township, as_of=AS_OF)
    with pytest.raises(Http404):
        summary_table(user=t.township_officer, unit=t.county, as_of=AS_OF)
    with pytest.raises(Http404):
        summary_table(user=t.village_officer, unit=t.village, as_of=AS_OF)


def _queries(user, unit):
    with CaptureQueriesContext(connection) as ctx:
        table = summary_table(user=user, unit=unit, as_of=AS_OF)
    return len(ctx.captured_queries), table


def test_query_count_does_not_grow_with_units_or_people(people):
    t = people.tree
    small, table = _queries(t.county_admin, t.county)
    assert len(table.rows) == 2 and table.total.total == 16
    for n in range(3):
        township = org_services.unit_create(
            actor=SYSTEM, parent=t.county, level=Level.TOWNSHIP, code=f"62042210{n + 2}",
            name=f"新镇{n}",
        )
        for m in range(3):
            village = org_services.unit_create(
                actor=SYSTEM, parent=township, level=Level.VILLAGE,
                code=f"62042210{n + 2}{m + 200:03d}", name=f"新村{n}{m}",
            )
            register(village, name="甲", male=True, birth=ADULT, hukou="rural",
                     certificate=(4, 3))
            register(village, name="乙", male=False, birth=OLD, hukou="urban")
            register(village, name="丙", male=True, birth=TEEN, hukou="rural",
                     certificate=(1, 1))
    large, table = _queries(t.county_admin, t.county)
    assert len(table.rows) == 5 and table.total.total == 16 + 27
    assert table.rows[2].total == 9 and table.rows[2].counts["category.4.grade.3"] == 3
    # The unit and its children; the kept counts' base day, rows, age-edge correction
    # (AS_OF is not the base day) and history after AS_OF; whether a reform changed the
    # tree since AS_OF (none did: today's tree counts).
    assert small == large == 6

    township_queries, table = _queries(t.county_admin, t.township)
    assert township_queries == 6 and len(table.rows) == 3


def test_a_total_without_its_own_population_sums_its_rows(people):
    t = people.tree
    org_services.unit_update(actor=SYSTEM, unit=t.county, population=None)
    t.county.refresh_from_db()
    table = summary_table(user=t.county_admin, unit=t.county, as_of=AS_OF)
    total = table.total
    assert total.population == 20000  # 会师镇's; 郭城驿镇 records none
    assert total.population_source == PopulationSource.SUM and total.population_rows == 1
    # Only the people of the rows that record a population are set against it.
    assert total.people_with_population == 10 and total.share == pytest.approx(10 / 20000)


def test_a_citys_urban_share_is_of_its_disabled_people():
    """15 800 urban of a city's 136 400 disabled people is 11.6 %, on the page and in the
    workbook's fraction."""
    from reports.templatetags.summary import cell_html

    counts = dict.fromkeys(COUNT_KEYS, 0)
    counts.update({"total": 136400, "hukou.urban": 15800, "hukou.rural": 120600})
    row = SummaryRow(unit=None, name="合计", counts=counts, population=None)
    assert row.value("hukou.urban.share") == pytest.approx(0.11583, abs=1e-5)
    assert row.value("hukou.rural.share") == pytest.approx(0.88416, abs=1e-5)
    assert row.hukou_parts[0][1:] == (15800, pytest.approx(11.583, abs=1e-3))
    cell = Cell(COLUMNS_BY_KEY["hukou.urban.share"], row.value("hukou.urban.share"))
    html = cell_html(row, cell)
    assert html == (
        '<td class="num" headers="r-total g-hukou c-hukou-urban-share">11.6%</td>')
