"""The statistics overview's pages: in scope, out of scope, by role; the workbook and the
PDF with their audit entries."""

import io
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import Action, AuditLog
from core.actors import SYSTEM
from orgs import services as org_services

from .test_overview import known  # noqa: F401 - the fixture


def _url(name, unit):
    return reverse(f"reports:{name}", args=[unit.pk])


def test_the_page_shows_the_paragraph_figures_and_a_row_per_child(known, client_for):  # noqa: F811
    t = known.tree
    page = client_for(t.county_admin).get(_url("overview_unit", t.county)).content.decode()
    main = page.split("<main", 1)[1]
    assert main.count("<h1>") == 1 and "会宁县" in main.split("</h1>")[0]
    assert ("全县辖2个乡镇、1个街道办事处，4个行政村、2个社区，总人口1200人，残疾人18人，"
            "占总人口的1.5%") in main
    assert "data-status" in main  # live, as of today
    assert f'<a href="{_url("overview_unit", t.township)}">会师镇</a>' in main
    row = main.split(f'<tr id="r-{t.township.pk}">', 1)[1].split("</tr>", 1)[0]
    cells = [c.split("</td>")[0] for c in row.split('<td class="num">')[1:]]
    assert cells == ["1", "0", "2", "1", "20000", "10", "0.1%", "7", "5", "50.0%", "5", "50.0%"]
    total = main.split('<tr id="r-total">', 1)[1].split("</tr>", 1)[0]
    assert total.count('<td class="num">') == 12 and "1.5%" in total and "44.4%" in total
    street = main.split(f'<tr id="r-{known.street.pk}">', 1)[1].split("</tr>", 1)[0]
    assert 'aria-label="' in street and "—" in street  # no population: said, not 0
    assert f'href="{_url("overview_xlsx", t.county)}"' in main
    assert f'href="{_url("overview_pdf", t.county)}"' in main
    assert f'href="{_url("summary_unit", t.county)}"' in main


def test_the_page_defaults_to_the_users_unit_and_reads_a_past_day(known, client_for):  # noqa: F811
    t = known.tree
    client = client_for(t.township_officer)
    main = client.get(reverse("reports:overview")).content.decode().split("<main", 1)[1]
    assert "会师镇" in main.split("</h1>")[0] and "郭城驿镇" not in main
    response = client.get(_url("overview_unit", t.township), {"as_of": "2025-06-30"})
    assert response.status_code == 200
    assert response.context["overview"].as_of.isoformat() == "2025-06-30"
    assert "?as_of=2025-06-30" in response.content.decode()
    future = client.get(_url("overview_unit", t.township), {"as_of": "2999-01-01"})
    assert future.status_code == 200  # the form says why, the figures are today's
    assert "日期不能晚于今天。" in future.content.decode()
    assert future.context["overview"].as_of == timezone.localdate()


def test_out_of_scope_is_404(known, client_for):  # noqa: F811
    t = known.tree
    client = client_for(t.township_officer)
    for unit in (t.other_township, t.other_village, t.county, known.street):
        for name in ("overview_unit", "overview_xlsx", "overview_pdf"):
            assert client.get(_url(name, unit)).status_code == 404, (name, unit)
    assert client.get(reverse("reports:overview_unit", args=[999999])).status_code == 404
    assert not AuditLog.objects.filter(action=Action.EXPORT).exists()


def test_roles(known, client, client_for):  # noqa: F811
    t = known.tree
    assert client.get(reverse("reports:overview")).status_code == 302  # to the login page
    auditor = client_for(t.auditor)  # the audit log only, not the register
    for url in (reverse("reports:overview"), _url("overview_unit", t.county),
                _url("overview_xlsx", t.county), _url("overview_pdf", t.county)):
        assert auditor.get(url).status_code == 403
    leader = client_for(t.leader)
    page = leader.get(_url("overview_unit", t.county)).content.decode()
    assert f'href="{_url("overview_xlsx", t.county)}"' in page
    nav = page.split('aria-label="', 1)[1].split("</nav>", 1)[0]
    assert f'href="{reverse("reports:overview")}" aria-current="true"' in nav
    village = client_for(t.village_officer)
    assert village.get(_url("overview_unit", t.community)).status_code == 200
    assert village.get(_url("overview_unit", t.village)).status_code == 404


def test_the_summary_table_links_to_the_overview(known, client_for):  # noqa: F811
    t = known.tree
    page = client_for(t.county_admin).get(_url("summary_unit", t.county)).content.decode()
    assert f'href="{_url("overview_unit", t.county)}"' in page


def test_the_workbook_holds_every_figure_and_is_audited(known, client_for):  # noqa: F811
    t = known.tree
    response = client_for(t.county_admin).get(_url("overview_xlsx", t.county))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    today = timezone.localdate()
    name = f"会宁县统计概况{today:%Y%m%d}.xlsx"
    assert f"filename*=UTF-8''{quote(name)}" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == f"会宁县统计概况（截至{today.year}年{today.month}月{today.day}日）"
    assert ws["A2"].value.startswith("实时数据")
    assert ws["A3"].value.startswith("全县辖2个乡镇、1个街道办事处")
    assert [c.value for c in ws[5]] == [
        "单位", "乡镇", "街道办事处", "行政村", "社区", "总人口", "残疾人", "占总人口比例",
        "持证残疾人", "城镇残疾人", "城镇占比", "农村残疾人", "农村占比"]
    assert [c.value for c in ws[6]] == ["会师街道", 0, 1, 0, 1, "未登记", 2, "—", 1, 2, 1.0, 0,
                                        0.0]
    assert [c.value for c in ws[7]] == ["会师镇", 1, 0, 2, 1, 20000, 10, 0.001, 7, 5, 0.5, 5, 0.5]
    assert [c.value for c in ws[9]] == ["合计", 2, 1, 4, 2, 1200, 18, 0.015, 13, 8, 0.444, 10,
                                        0.556]
    assert ws["H9"].number_format == "0.0%"
    entry = AuditLog.objects.get(action=Action.EXPORT)
    assert entry.actor == t.county_admin and entry.unit == t.county
    assert entry.detail == {"report": "statistics_overview", "format": "xlsx",
                            "as_of": today.isoformat(), "frozen": False, "rows": 3,
                            "people": 18, "filename": name}


def test_the_workbook_notes_a_summed_population(known, client_for):  # noqa: F811
    t = known.tree
    org_services.unit_update(actor=SYSTEM, unit=t.township, population=None)
    response = client_for(t.township_officer).get(_url("overview_xlsx", t.township))
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A10"].value.startswith("注：合计人口数为下级3个单位中登记了人口数的2个单位")


def test_the_pdf_prints_the_overview_and_is_audited(known, client_for):  # noqa: F811
    from pypdf import PdfReader

    t = known.tree
    response = client_for(t.county_admin).get(_url("overview_pdf", t.county))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape
    text = reader.pages[0].extract_text()
    assert "会宁县统计概况" in text and "1.5%" in text and "44.4%" in text
    entry = AuditLog.objects.get(action=Action.EXPORT)
    assert entry.detail["format"] == "pdf" and entry.detail["filename"].endswith(".pdf")


def test_a_frozen_year_says_so_on_the_page_and_in_the_workbook(known, client_for):  # noqa: F811
    from reports import services as report_services

    t = known.tree
    year = timezone.localdate().year - 1
    report_services.summary_tables_freeze(actor=t.county_admin, unit=t.county, year=year)
    client = client_for(t.county_admin)
    page = client.get(_url("overview_unit", t.county), {"year": year}).content.decode()
    assert "data-status--frozen" in page
    assert f'href="{_url("overview_xlsx", t.county)}?year={year}"' in page
    response = client.get(_url("overview_xlsx", t.county), {"year": year})
    assert quote(f"会宁县统计概况{year}1231（冻结）.xlsx") in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A2"].value.startswith("冻结数据")


def test_the_page_takes_the_same_queries_for_more_units_and_people(known, client_for):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from orgs.models import Level

    from .conftest import ADULT, register

    t = known.tree
    client = client_for(t.county_admin)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_url("overview_unit", t.county)).status_code == 200
        return len(ctx)

    count()  # the session and the like, read once
    before = count()
    for n in range(3):
        township = org_services.unit_create(actor=SYSTEM, parent=t.county, level=Level.TOWNSHIP,
                                            code=f"62042220{n}", name=f"第{n}乡")
        village = org_services.unit_create(actor=SYSTEM, parent=township, level=Level.VILLAGE,
                                           code=f"62042220{n}200", name=f"第{n}村")
        register(village, name=f"戊{n}", male=False, birth=ADULT, hukou="urban")
    assert count() == before
