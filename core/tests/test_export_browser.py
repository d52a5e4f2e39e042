"""A large export in a real browser: the export button leads to the job's page, which shows
its progress while the worker writes and then the download — accessible, on a phone too."""

import openpyxl
import pytest
from playwright.sync_api import expect

from core.exportjobs import export_job_run
from core.models import ExportJob
from core.tests.browser import (
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_structure,
    goto,
    login,
)
from people.tests.factories import make_person

pytestmark = pytest.mark.browser


def test_a_large_export_shows_its_progress_then_the_download(make_page, live_server,
                                                             live_tree, settings):
    t = live_tree
    settings.CANLIAN_EXPORT_JOB_ROWS = 1
    for name in ("张三", "李四", "王五"):
        make_person(unit=t.community, name=name)
    page = make_page(viewport={"width": 360, "height": 740})
    login(page, live_server, t.county_admin)

    # While the worker has not written it: the progress, polled.
    queued = ExportJob.objects.create(unit=t.county, created_by=t.county_admin,
                                      name="残疾人名单", url_name="people:person_export")
    goto(page, f"{live_server.url}{queued.get_absolute_url()}")
    assert_structure(page)
    expect(page.locator("#export-progress progress")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    export_job_run(queued.pk)  # the worker; the page refreshes itself when it is done
    expect(page.locator("a[href$='/download.xlsx']")).to_be_visible(timeout=10_000)
    assert_structure(page)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    # The export button of the register (the tests' task backend runs the job at once).
    goto(page, f"{live_server.url}/people/")
    page.locator("a[href^='/people/export.xlsx']").click()
    page.wait_for_url("**/exports/*/")
    assert_structure(page)
    assert_accessible(page)
    with page.expect_download() as download:
        page.locator("a[href$='/download.xlsx']").click()
    assert download.value.suggested_filename.startswith("残疾人名单-")
    with open(download.value.path(), "rb") as handle:
        sheet = openpyxl.load_workbook(handle).active
    assert sorted(r[0] for r in sheet.iter_rows(min_row=3, values_only=True)) == \
        ["张三", "李四", "王五"]
