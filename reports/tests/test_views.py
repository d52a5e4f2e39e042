import io
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import Action, AuditLog
from core.actors import SYSTEM
from orgs import services as org_services
from orgs.models import Level

from .conftest import ADULT, register


def _summary(unit):
    return reverse("reports:summary_unit", args=[unit.pk])


def _xlsx(unit):
    return reverse("reports:summary_xlsx", args=[unit.pk])


def test_the_summary_defaults_to_the_users_own_unit(people, client_for):
    t = people.tree
    page = client_for(t.township_officer).get(reverse("reports:summary")).content.decode()
    main = page.split("<main", 1)[1]
    assert "会师镇" in main and "东山根社区居民委员会" in main and "李家塬村民委员会" in main
    assert "郭城驿镇" not in main and "旧庄村民委员会" not in main


def test_county_page_shows_the_counts_with_links_to_each_child(people, client_for):
    t = people.tree
    page = client_for(t.county_admin).get(_summary(t.county)).content.decode()
    r1, r2 = f"r-{t.township.pk}", f"r-{t.other_township.pk}"
    assert f'<a href="{_summary(t.township)}">会师镇</a>' in page
    assert f'<a href="{_summary(t.other_township)}">郭城驿镇</a>' in page
    # Each number sits under its row, its group and its column.
    assert f'<td class="num" headers="{r1} c-total">10</td>' in page
    assert f'<td class="num" headers="{r2} c-total">6</td>' in page
    assert '<td class="num" headers="r-total c-total">16</td>' in page
    assert f'<td class="num" headers="{r1} g-category-4 c-category-4-grade-2">2</td>' in page
    assert '<td class="num" headers="r-total g-category-6 c-category-6-grade-2">2</td>' in page
    assert '<td class="num" headers="r-total g-gender c-gender-M">9</td>' in page
    assert f'<td class="num" headers="{r1} c-population">20000</td>' in page
    assert f'<td class="num" headers="{r1} c-share">0.05%</td>' in page
    assert f'<td class="num" headers="{r2} c-share"><span role="img" aria-label="' in page


def test_the_table_is_accessible_and_scrolls_on_its_own(people, client_for):
    t = people.tree
    page = client_for(t.county_admin).get(_summary(t.county)).content.decode()
    wrap = page.split('<div class="table-wrap"', 1)[1].split(">", 1)[0]
    assert 'tabindex="0"' in wrap and 'role="region"' in wrap and 'aria-label="' in wrap
    table = page.split("<table", 1)[1].split("</table>", 1)[0]
    assert "<caption>" in table and "会宁县" in table.split("</caption>")[0]
    assert table.count("<thead>") == 1 and table.count("<tr>", 0, table.index("</thead>")) == 2
    assert table.count('<colgroup span="5"></colgroup>') == 7  # a category over its grades
    assert table.count('scope="colgroup" colspan="5"') == 7
    assert '<th scope="col" rowspan="2" id="c-unit">' in table
    assert table.count('scope="row"') == 3  # two townships and the total
    assert '<th scope="col" id="c-category-1-grade-1" headers="g-category-1" class="num">' \
        in table
    assert "<tfoot>" in table


def test_a_village_table_has_one_row_and_no_link_to_itself(people, client_for):
    t = people.tree
    page = client_for(t.village_officer).get(reverse("reports:summary")).content.decode()
    table = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert table.count('scope="row"') == 1 and "东山根社区居民委员会" in table
    assert "<a " not in table and "第1网格" not in table
    assert f'headers="r-{t.community.pk} c-total">6</td>' in table


def test_out_of_scope_is_404(people, client_for):
    t = people.tree
    client = client_for(t.township_officer)
    for unit in (t.other_township, t.other_village, t.county, t.city):
        assert client.get(_summary(unit)).status_code == 404
        assert client.get(_xlsx(unit)).status_code == 404
    assert client.get(_summary(t.village)).status_code == 200
    assert client.get(reverse("reports:summary_unit", args=[999999])).status_code == 404
    assert not AuditLog.objects.filter(action=Action.EXPORT).exists()


def test_permissions(people, client, client_for):
    t = people.tree
    assert client.get(reverse("reports:summary")).status_code == 302  # to the login page
    auditor = client_for(t.auditor)  # audit log only, no register
    assert auditor.get(reverse("reports:summary")).status_code == 403
    assert auditor.get(_xlsx(t.county)).status_code == 403
    leader = client_for(t.leader)
    page = leader.get(_summary(t.county)).content.decode()
    assert f'href="{_xlsx(t.county)}"' in page
    assert f'href="{reverse("reports:summary")}"' in page.split("</nav>", 1)[0]


def test_xlsx_export_returns_the_workbook_and_is_audited(people, client_for):
    t = people.tree
    response = client_for(t.county_admin).get(_xlsx(t.county))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    today = timezone.localdate()
    name = f"会宁县残疾人基本情况汇总表{today:%Y%m%d}.xlsx"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote(name)}" in disposition
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A3"].value == "单位" and ws["A5"].value == "会师镇"
    assert ws["B7"].value == 16

    entry = AuditLog.objects.get(action=Action.EXPORT)
    assert entry.actor == t.county_admin and entry.unit == t.county
    assert entry.object_id == str(t.county.pk)
    assert entry.detail == {
        "report": "summary_table", "format": "xlsx", "as_of": today.isoformat(),
        "frozen": False, "rows": 2, "people": 16, "filename": name,
    }


def test_page_query_count_does_not_grow(people, client_for, django_assert_num_queries):
    t = people.tree
    client = client_for(t.county_admin)

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small_page, small_xlsx = count(_summary(t.county)), count(_xlsx(t.county))
    for n in range(3):
        township = org_services.unit_create(
            actor=SYSTEM, parent=t.county, level=Level.TOWNSHIP, code=f"62042210{n + 2}",
            name=f"新镇{n}",
        )
        village = org_services.unit_create(actor=SYSTEM, parent=township, level=Level.VILLAGE,
                                           code=f"62042210{n + 2}200", name=f"新村{n}")
        for _ in range(3):
            register(village, name="甲", male=True, birth=ADULT, hukou="rural",
                     certificate=(4, 3))
    large_page, large_xlsx = count(_summary(t.county)), count(_xlsx(t.county))
    assert small_page == large_page
    assert small_xlsx == large_xlsx
    with django_assert_num_queries(small_page):
        page = client.get(_summary(t.county)).content.decode()
    assert page.count('scope="row"') == 6


@pytest.mark.parametrize("language, title, header", [
    ("en", "Summary table of disabled people: 会宁县", "Share of the population"),
    ("zh-hans", "会宁县残疾人基本情况汇总表", "占人口比例"),
])
def test_the_page_speaks_the_users_language(people, client_for, language, title, header):
    t = people.tree
    client = client_for(t.county_admin)
    client.cookies["django_language"] = language
    page = client.get(_summary(t.county)).content.decode()
    assert f'lang="{language}"' in page
    assert f"<h1>{title}</h1>" in page
    assert f'<th scope="col" rowspan="2" id="c-share" class="num">{header}</th>' in page


def test_the_key_figures_stand_above_the_table(people, client_for):
    t = people.tree
    client = client_for(t.county_admin)
    client.cookies["django_language"] = "en"
    page = client.get(_summary(t.county)).content.decode()
    figures = page.split('<dl class="facts key-figures">', 1)[1].split("</dl>", 1)[0]
    assert page.index("key-figures") < page.index("<table")
    assert "<dd>16</dd>" in figures
    assert "500000" in figures and "The population 会宁县 records for itself" in figures
    assert "6 (37.5% of the disabled people)" in figures  # urban, of 16
    assert "10 (62.5% of the disabled people)" in figures  # rural
    # The total's population says where it comes from, in its cell and under the table.
    cell = page.split('headers="r-total c-population"', 1)[1].split(">", 1)[0]
    assert 'title="The population 会宁县 records for itself"' in cell
    assert 'aria-describedby="population-note"' in cell
    assert '<p class="lead" id="population-note">Population of the total: The population 会宁县' \
        in page
    # Urban and rural shares beside their counts, under their own headers.
    r1 = f"r-{t.township.pk}"
    assert f'<td class="num" headers="{r1} g-hukou c-hukou-urban">5</td>' in page
    assert f'<td class="num" headers="{r1} g-hukou c-hukou-urban-share">50.0%</td>' in page
    assert '<td class="num" headers="r-total g-hukou c-hukou-rural-share">62.5%</td>' in page


def test_a_summed_population_says_so(people, client_for):
    t = people.tree
    org_services.unit_update(actor=SYSTEM, unit=t.county, population=None)
    client = client_for(t.county_admin)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(_summary(t.county)).content.decode()
    assert "下级2个单位中登记了人口数的1个单位的人口数之和" in page
    assert '<td class="num" headers="r-total c-population" title="下级2个单位中' in page


def test_the_table_is_read_as_of_the_day_asked_for(people, client_for):
    t = people.tree
    client = client_for(t.county_admin)
    page = client.get(_summary(t.county)).content.decode()
    today = timezone.localdate().isoformat()
    assert f'type="date" name="as_of" value="{today}"' in page
    assert f'href="{_xlsx(t.county)}"' in page  # today's: no day in the links
    # Before anyone was registered (conftest.REGISTERED): nobody.
    page = client.get(_summary(t.county), {"as_of": "2019-12-31"}).content.decode()
    assert f'href="{_summary(t.township)}?as_of=2019-12-31"' in page
    assert f'href="{_xlsx(t.county)}?as_of=2019-12-31"' in page
    assert '<dt>残疾人总数</dt><dd>0</dd>' in page
    page = client.get(_summary(t.county), {"as_of": "2020-01-01"}).content.decode()
    assert '<dt>残疾人总数</dt><dd>18</dd>' in page  # the deceased and the moved out too
    response = client.get(_xlsx(t.county), {"as_of": "2020-01-01"})
    assert "20200101" in response["Content-Disposition"]
    # A day in the future is refused, and the table is today's.
    page = client.get(_summary(t.county), {"as_of": "2999-01-01"}).content.decode()
    assert "日期不能晚于今天。" in page
    assert '<dt>残疾人总数</dt><dd>16</dd>' in page
