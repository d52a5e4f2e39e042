"""The statistics overview 统计概况: the rules (shares rounded once, doc5's 7.5 %), the
selector against a register with every figure known (reports/tests/conftest.py, plus a
street office with a community), as of a past day, frozen, and in a fixed number of
queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.actors import SYSTEM
from orgs import services as org_services
from orgs.models import Kind, Level, UrbanRural
from reports import rules
from reports import services as report_services
from reports.overview_selectors import statistics_overview

from .conftest import ADULT, OLD, register

# ---- the rules -----------------------------------------------------------------------------


def test_doc5s_figures_are_seven_and_a_half_percent():
    # 136 400 disabled people of 1 815 000 people: 7.515… → 7.5 (doc5 typed 7.2).
    assert rules.share(136400, 1815000) == Decimal("7.5")
    assert rules.share_text(rules.share(136400, 1815000)) == "7.5%"
    # and its urban and rural shares of the disabled people, as doc5 printed them
    assert rules.share(15800, 136400) == Decimal("11.6")
    assert rules.share(120600, 136400) == Decimal("88.4")


def test_a_share_is_rounded_half_up_once_and_none_without_a_whole():
    assert rules.share(10, 20000) == Decimal("0.1")  # exactly 0.05: half up, not to even
    assert rules.share(1, 40) == Decimal("2.5")
    assert rules.share(1, 3) == Decimal("33.3")
    assert rules.share(2, 3) == Decimal("66.7")
    assert rules.share(0, 5) == Decimal("0.0")
    assert rules.share(3, 0) is None and rules.share(3, None) is None
    assert rules.share_text(None) == "—"


def test_divisions_are_told_apart_by_kind_then_by_urban_mark():
    assert rules.division_key(Level.TOWNSHIP, Kind.STREET) == rules.STREET
    assert rules.division_key(Level.TOWNSHIP, Kind.TOWN) == rules.TOWNSHIP
    assert rules.division_key(Level.TOWNSHIP, Kind.TOWNSHIP, UrbanRural.URBAN) == rules.TOWNSHIP
    assert rules.division_key(Level.TOWNSHIP, "", UrbanRural.URBAN) == rules.STREET
    assert rules.division_key(Level.TOWNSHIP, "") == rules.TOWNSHIP
    assert rules.division_key(Level.VILLAGE, Kind.COMMUNITY) == rules.COMMUNITY
    assert rules.division_key(Level.VILLAGE, Kind.VILLAGE) == rules.VILLAGE
    assert rules.division_key(Level.VILLAGE, Kind.OTHER, UrbanRural.URBAN) == rules.VILLAGE
    assert rules.division_key(Level.COUNTY) == rules.COUNTY
    assert rules.division_key(Level.GRID) is None
    assert rules.division_keys_below(Level.CITY) == ("county", "township", "street", "village",
                                                     "community")
    assert rules.division_keys_below(Level.VILLAGE) == ()


def test_the_region_is_named_as_reports_name_it():
    assert rules.region_word(Level.CITY, name="白银市") == "全市"
    assert rules.region_word(Level.COUNTY, name="会宁县") == "全县"
    assert rules.region_word(Level.COUNTY, name="海南区") == "全区"
    assert rules.region_word(Level.TOWNSHIP, Kind.STREET, "会师街道") == "全街道"
    assert rules.region_word(Level.TOWNSHIP, Kind.TOWNSHIP, "八里湾乡") == "全乡"
    assert rules.region_word(Level.VILLAGE, Kind.COMMUNITY) == "全社区"
    assert rules.region_word(Level.VILLAGE, Kind.VILLAGE) == "全村"
    assert rules.region_word(Level.GRID) == "全网格"


def test_doc5s_paragraph_from_doc5s_figures():
    f = rules.ParagraphFigures(
        region="全市", divisions=(("county", 4), ("township", 93), ("street", 7),
                                 ("village", 1125), ("community", 63)),
        population=1815000, population_source="own", population_rows=0, rows=4,
        people=136400, certified=120000, people_share=rules.share(136400, 1815000),
        urban=15800, urban_share=rules.share(15800, 136400),
        rural=120600, rural_share=rules.share(120600, 136400))
    assert rules.overview_paragraph(f) == (
        "全市辖4个县区，93个乡镇、7个街道办事处，1125个行政村、63个社区，总人口181.5万人，"
        "残疾人136400人，占总人口的7.5%，其中持证残疾人120000人。"
        "城镇残疾人15800人，占11.6%；农村残疾人120600人，占88.4%。")


def test_populations_are_written_in_wan_from_ten_thousand():
    assert rules.population_text(1815000) == "181.5万人"
    assert rules.population_text(136400) == "13.64万人"
    assert rules.population_text(20000) == "2万人"
    assert rules.population_text(9999) == "9999人"


# ---- the selector --------------------------------------------------------------------------


@pytest.fixture
def known(people):
    """The register of conftest.py, a street office 会师街道 with a community of two urban
    people (one certified), and a population of 1 200 for the county."""
    t = people.tree
    people.street = org_services.unit_create(actor=SYSTEM, parent=t.county, level=Level.TOWNSHIP,
                                             code="620422001", name="会师街道")
    people.nanguan = org_services.unit_create(actor=SYSTEM, parent=people.street,
                                              level=Level.VILLAGE, code="620422001001",
                                              name="南关社区居民委员会")
    register(people.nanguan, name="甲", male=True, birth=ADULT, hukou="urban",
             certificate=(4, 3))
    register(people.nanguan, name="乙", male=False, birth=OLD, hukou="urban")
    t.county = org_services.unit_update(actor=SYSTEM, unit=t.county, population=1200)
    return people


def _figures(row):
    return (row.divisions, row.population, row.people, row.people_share, row.certified,
            row.urban, row.urban_share, row.rural, row.rural_share)


def test_a_countys_overview_every_figure_and_share(known):
    t = known.tree
    found = statistics_overview(user=t.county_admin, unit=t.county)
    assert found.as_of == timezone.localdate() and not found.status.frozen
    assert found.division_keys == ("township", "street", "village", "community")
    assert [r.name for r in found.rows] == ["会师街道", "会师镇", "郭城驿镇"]
    street, township, other = found.rows
    d = Decimal
    # Each child counts itself among the divisions; 旧庄村 (abolished) is not counted.
    assert _figures(street) == (
        (("township", 0), ("street", 1), ("village", 0), ("community", 1)),
        None, 2, None, 1, 2, d("100.0"), 0, d("0.0"))
    assert street.population_missing
    assert _figures(township) == (
        (("township", 1), ("street", 0), ("village", 2), ("community", 1)),
        20000, 10, d("0.1"), 7, 5, d("50.0"), 5, d("50.0"))
    assert _figures(other) == (
        (("township", 1), ("street", 0), ("village", 2), ("community", 0)),
        None, 6, None, 5, 1, d("16.7"), 5, d("83.3"))
    assert _figures(found.total) == (
        (("township", 2), ("street", 1), ("village", 4), ("community", 2)),
        1200, 18, d("1.5"), 13, 8, d("44.4"), 10, d("55.6"))
    assert found.total.population_source == "own" and found.total.is_total
    assert found.paragraph == (
        "全县辖2个乡镇、1个街道办事处，4个行政村、2个社区，总人口1200人，残疾人18人，"
        "占总人口的1.5%，其中持证残疾人13人。城镇残疾人8人，占44.4%；农村残疾人10人，占55.6%。")


def test_a_population_summed_from_some_children_says_so(known):
    t = known.tree
    org_services.unit_update(actor=SYSTEM, unit=t.township, population=None)
    found = statistics_overview(user=t.township_officer, unit=t.township)
    assert [r.name for r in found.rows] == ["东山根社区居民委员会", "高家庄村民委员会",
                                            "李家塬村民委员会"]
    assert [r.division("community") for r in found.rows] == [1, 0, 0]
    assert [r.people_share for r in found.rows] == [Decimal("0.2"), Decimal("0.4"), None]
    total = found.total
    assert (total.population, total.population_source, total.population_rows) == (4000, "sum", 2)
    assert total.people_share == Decimal("0.3")  # 10 of the 4 000 of the two: 0.25 → 0.3
    assert found.paragraph == (
        "全镇辖2个行政村、1个社区，下级3个单位中2个登记了人口，合计4000人，残疾人10人，"
        "占这些单位人口的0.3%，其中持证残疾人7人。城镇残疾人5人，占50.0%；农村残疾人5人，"
        "占50.0%。")


def test_a_missing_population_is_said_and_a_village_has_no_rows(known):
    t = known.tree
    other = statistics_overview(user=t.county_admin, unit=t.other_township)
    assert other.total.population is None and other.total.people_share is None
    assert other.paragraph == ("全镇辖2个行政村，总人口未登记，残疾人6人，其中持证残疾人5人。"
                               "城镇残疾人1人，占16.7%；农村残疾人5人，占83.3%。")
    village = statistics_overview(user=t.village_officer, unit=t.community)
    assert village.rows == () and village.division_keys == ()
    assert village.paragraph == ("全社区总人口3000人，残疾人6人，占总人口的0.2%，"
                                 "其中持证残疾人4人。城镇残疾人5人，占83.3%；农村残疾人1人，占16.7%。")


def test_out_of_scope_is_404(known):
    from django.http import Http404

    t = known.tree
    with pytest.raises(Http404):
        statistics_overview(user=t.other_officer, unit=t.township)


def test_as_of_a_day_before_a_move_the_tree_of_that_day(known):
    """高家庄村 moved to 郭城驿镇 today (the move keeps where it was, as a reform does) and
    a village made today: yesterday's overview has the old tree, today's the new."""
    t = known.tree
    org_services.unit_move(actor=SYSTEM, unit=t.village, new_parent=t.other_township)
    today = timezone.localdate()
    org_services.unit_create(actor=SYSTEM, parent=t.other_township, level=Level.VILLAGE,
                             code="620422101203", name="新建村民委员会", valid_from=today)
    yesterday = today - dt.timedelta(days=1)
    then = statistics_overview(user=t.county_admin, unit=t.county, as_of=yesterday)
    now = statistics_overview(user=t.county_admin, unit=t.county)
    assert then.as_of == yesterday
    by_name = {r.name: r for r in then.rows}
    assert (by_name["会师镇"].division("village"), by_name["会师镇"].people) == (2, 10)
    assert (by_name["郭城驿镇"].division("village"), by_name["郭城驿镇"].people) == (2, 6)
    assert then.total.division("village") == 4  # the village made today is not counted
    by_name = {r.name: r for r in now.rows}
    assert (by_name["会师镇"].division("village"), by_name["会师镇"].people) == (1, 6)
    assert (by_name["郭城驿镇"].division("village"), by_name["郭城驿镇"].people) == (4, 10)
    assert now.total.division("village") == 5


def test_a_unit_begun_after_the_day_is_no_row(known):
    t = known.tree
    today = timezone.localdate()
    org_services.unit_create(actor=SYSTEM, parent=t.county, level=Level.TOWNSHIP,
                             code="620422102", name="新设镇", valid_from=today)
    then = statistics_overview(user=t.county_admin, unit=t.county,
                               as_of=today - dt.timedelta(days=1))
    assert "新设镇" not in [r.name for r in then.rows]
    assert then.total.division("township") == 2
    now = statistics_overview(user=t.county_admin, unit=t.county)
    assert "新设镇" in [r.name for r in now.rows] and now.total.division("township") == 3


def test_a_frozen_year_is_shown_as_frozen(known):
    t = known.tree
    year = timezone.localdate().year - 1
    report_services.summary_tables_freeze(actor=t.county_admin, unit=t.county, year=year)
    register(known.nanguan, name="丙", male=True, birth=ADULT, hukou="rural")
    frozen = statistics_overview(user=t.county_admin, unit=t.county, year=year)
    assert frozen.status.frozen and frozen.as_of == dt.date(year, 12, 31) and frozen.year == year
    assert frozen.total.people == 18 and frozen.total.rural == 10
    assert frozen.total.division("township") == 2
    assert statistics_overview(user=t.county_admin, unit=t.county).total.people == 19


def test_the_queries_do_not_grow_with_units_or_people(known):
    t = known.tree

    def count(**kwargs):
        with CaptureQueriesContext(connection) as ctx:
            statistics_overview(user=t.county_admin, unit=t.county, **kwargs)
        return len(ctx)

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    before, before_then = count(), count(as_of=yesterday)
    for n in range(3):
        township = org_services.unit_create(actor=SYSTEM, parent=t.county, level=Level.TOWNSHIP,
                                            code=f"62042220{n}", name=f"第{n}乡")
        for m in range(3):
            village = org_services.unit_create(actor=SYSTEM, parent=township,
                                               level=Level.VILLAGE, population=900,
                                               code=f"62042220{n}20{m}", name=f"第{n}{m}村")
            register(village, name=f"丁{n}{m}", male=True, birth=ADULT, hukou="rural")
    assert count() == before <= 8
    assert count(as_of=yesterday) == before_then <= 10


def test_a_unit_abolished_since_is_a_row_of_the_days_before(known):
    """旧庄村 ended on 31 December 2024: a row (and a village) of the summary table and of
    the overview as of a day before, not after."""
    from reports.selectors import summary_table

    t = known.tree
    then = statistics_overview(user=t.county_admin, unit=t.township, as_of=dt.date(2024, 6, 30))
    assert "旧庄村民委员会" in [r.name for r in then.rows]
    assert then.total.division("village") == 3
    assert sum(r.division("village") for r in then.rows) == 3
    table = summary_table(user=t.county_admin, unit=t.township, as_of=dt.date(2024, 6, 30))
    assert "旧庄村民委员会" in [r.name for r in table.rows]
    now = statistics_overview(user=t.county_admin, unit=t.township)
    assert "旧庄村民委员会" not in [r.name for r in now.rows]
    assert now.total.division("village") == 2
