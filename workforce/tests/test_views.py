"""The workforce's pages: what each role sees, forms that keep the input, a stale edit
refused, a double submit saving once, exports audited, personal numbers masked."""

import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from audit.models import Action, AuditLog
from core.tests.forms import error_summary, page_form
from people.tests.factories import make_id, make_person
from workforce.models import Appointment, Worker
from workforce.tests.factories import make_officer, make_worker

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend="accounts.backends.RoleBackend")
    return client


def test_the_overview_counts_link_to_their_lists(tree, client_for):
    make_officer(unit=tree.community, name="健全专委")
    response = client_for(tree.county_admin).get(reverse("workforce:overview"))
    text = response.content.decode()
    assert response.status_code == 200
    assert reverse("workforce:vacancy_list") in text and reverse("workforce:checks") in text
    assert response.context["untied"] == 1
    # 2 townships and 3 villages need a chair and a liaison officer; one is in post.
    assert response.context["vacancies"] == 9


def test_the_worker_list_masks_ids_and_shows_posts(tree, client_for):
    number = make_id(seq=31)
    make_officer(unit=tree.community, name="李专委", id_number=number)
    text = client_for(tree.township_officer).get(reverse("workforce:worker_list")).content \
        .decode()
    assert "李专委" in text and number not in text and f"{number[:6]}********" in text
    assert "东山根社区" in text


def test_the_file_shows_the_id_and_is_audited_the_bank_account_only_to_admins(tree):
    number = make_id(seq=32)
    worker = make_worker(unit=tree.community, id_number=number, bank_name="农行",
                         bank_account="6228480012345678")
    url = reverse("workforce:worker_detail", args=[worker.pk])
    officer = _client(tree.township_officer).get(url).content.decode()
    assert number in officer and "6228480012345678" not in officer
    assert "622848********5678" in officer
    assert "6228480012345678" in _client(tree.county_admin).get(url).content.decode()
    assert AuditLog.objects.filter(action=Action.VIEW, object_id=str(worker.pk),
                                   content_type__model="worker").count() == 2


def test_a_worker_form_with_errors_keeps_what_was_typed(tree):
    client = _client(tree.township_officer)
    url = reverse("workforce:worker_create")
    data = page_form(client.get(url)) | {
        "unit": tree.community.pk, "unit_text": "", "name": "王小明",
        "id_number": "620422198003010", "phone": "13912345678", "connection": "disabled"}
    response = client.post(url, data)
    assert response.status_code == 200
    summary = error_summary(response)
    assert "身份证" in summary
    again = page_form(response)
    assert again["name"] == "王小明" and again["phone"] == "13912345678"
    assert not Worker.objects.exists()


def test_a_worker_form_sent_twice_creates_one_worker(tree):
    client = _client(tree.township_officer)
    url = reverse("workforce:worker_create")
    data = page_form(client.get(url)) | {
        "unit": tree.community.pk, "unit_text": "", "name": "王小明",
        "id_number": make_id(seq=33), "connection": "none"}
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert Worker.objects.count() == 1


def test_a_stale_worker_edit_is_refused_and_keeps_the_input(tree):
    worker = make_worker(unit=tree.community, phone="13900000001")
    url = reverse("workforce:worker_edit", args=[worker.pk])
    first, second = _client(tree.county_admin), _client(tree.township_officer)
    first_data, second_data = page_form(first.get(url)), page_form(second.get(url))
    assert first.post(url, first_data | {"phone": "13900000002"}).status_code == 302
    response = second.post(url, second_data | {"notes": "补充说明"})
    assert response.status_code == 200 and "其他人已保存" in error_summary(response)
    assert page_form(response)["notes"] == "补充说明"
    worker.refresh_from_db()
    assert worker.phone == "13900000002" and worker.notes == ""


def test_appoint_and_end_from_the_pages(tree):
    person = make_person(unit=tree.community, name="赵残")
    worker = make_worker(unit=tree.community, name="赵残", id_number=person.id_number,
                         connection="disabled")
    client = _client(tree.township_officer)
    url = reverse("workforce:worker_appoint", args=[worker.pk])
    data = page_form(client.get(url)) | {"unit": tree.community.pk, "unit_text": "",
                                         "kind": "liaison", "starts_on": "2025-03-01",
                                         "term_ends_on": "2025-01-01"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "聘期须晚于开始日期结束" in error_summary(response)
    assert page_form(response)["starts_on"] == "2025-03-01"  # the input is kept
    assert client.post(url, page_form(response) | {"term_ends_on": "2028-02-28"}) \
        .status_code == 302
    appointment = Appointment.objects.get(worker=worker)
    end = reverse("workforce:appointment_end", args=[appointment.pk])
    assert client.post(end, page_form(client.get(end)) | {
        "ended_on": "2026-01-31", "reason": "resigned"}).status_code == 302
    appointment.refresh_from_db()
    assert appointment.ended_on == dt.date(2026, 1, 31)
    assert client.get(end).status_code == 404  # ended: nothing more to end
    board = client.get(reverse("workforce:board_unit", args=[tree.community.pk])).content \
        .decode()
    assert "空缺" in board  # the vacancy said in words


def test_the_roster_export_is_audited_and_round_trips_its_columns(tree):
    number = make_id(seq=34)
    make_officer(unit=tree.community, name="钱专委", id_number=number,
                 certificate_number="ZW-1", certificate_issued_on=dt.date(2024, 1, 1))
    response = _client(tree.county_admin).get(reverse("workforce:worker_export"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[1]
    assert header[:2] == ("姓名", "身份证号") and "岗位" in header
    line = dict(zip(header, rows[2], strict=True))
    assert (line["姓名"], line["身份证号"]) == ("钱专委", number)
    assert line["岗位"] == "村（社区）专职委员"
    assert line["任职单位"] == "620422100001"
    assert AuditLog.objects.filter(action=Action.EXPORT).count() == 1


def test_the_vacancy_export_and_the_filter_by_unit(tree):
    client = _client(tree.county_admin)
    url = reverse("workforce:vacancy_list")
    page = client.get(url, {"unit_text": "郭城驿镇", "kind": "liaison"})
    assert page.status_code == 200
    assert {s.unit.pk for s in page.context["lines"]} == {tree.other_township.pk,
                                                         tree.other_village.pk}
    bad = client.get(url, {"unit_text": "不存在镇"})
    assert bad.status_code == 200 and "不存在镇" in bad.content.decode()
    book = client.get(url, {"unit_text": "郭城驿镇", "export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(book.content)).active.iter_rows(
        values_only=True))
    assert len(rows) == 2 + 4 and rows[1][0] == "乡镇（街道）"


def test_a_village_officer_reads_their_village_and_their_own_file(tree):
    own = make_officer(unit=tree.community, name="本村专委")
    Worker.objects.filter(pk=own.worker.pk).update(user=tree.village_officer)
    other = make_officer(unit=tree.village, name="邻村专委")
    client = _client(tree.village_officer)
    assert client.get(reverse("workforce:worker_detail", args=[own.worker.pk])).status_code \
        == 200
    assert client.get(reverse("workforce:worker_detail", args=[other.worker.pk])) \
        .status_code == 404
    assert client.get(reverse("workforce:worker_edit", args=[own.worker.pk])).status_code \
        == 403
    home = client.get("/").content.decode()
    assert own.worker.get_absolute_url() in home


def test_an_administrator_sets_a_regions_norm_and_the_selection_conditions(tree):
    from workforce.models import SelectionRule, StaffingNorm

    client = _client(tree.county_admin)
    url = reverse("workforce:norm_create")
    data = page_form(client.get(url)) | {"unit": tree.county.pk, "unit_text": "",
                                         "level": "5", "kind": "liaison", "count": "1",
                                         "extra_threshold": "50", "extra_basis": "people",
                                         "extra_required": "on"}
    assert client.post(url, data).status_code == 302
    norm = StaffingNorm.objects.get(unit=tree.county)
    assert (norm.extra_threshold, norm.extra_required) == (50, True)
    again = client.post(url, page_form(client.get(url)) | {
        k: v for k, v in data.items() if k != "form_token"})
    assert again.status_code == 200 and "已有" in error_summary(again)
    url = reverse("workforce:selection_edit")
    assert client.post(url, page_form(client.get(url)) | {
        "unit": tree.county.pk, "unit_text": "", "kind": "liaison",
        "max_age_at_hiring": "50", "min_education": "junior"}).status_code == 302
    rule = SelectionRule.objects.get(unit=tree.county)
    assert (rule.max_age_at_hiring, rule.min_education) == (50, "junior")
    listing = client.get(reverse("workforce:norm_list")).content.decode()
    assert "会宁县" in listing and "50" in listing
    officer = _client(tree.township_officer)
    assert officer.get(reverse("workforce:norm_create")).status_code == 403
    assert officer.get(reverse("workforce:selection_edit")).status_code == 403


@pytest.mark.parametrize("name, title, first", [
    ("workforce:checks", "队伍检查", "非残疾人或亲属的专职委员"),
    ("workforce:coverage", "专职委员走访情况", "东山根社区居民委员会"),
])
def test_the_computed_lists_export_what_they_show_audited(tree, name, title, first):
    make_officer(unit=tree.community, name="健全专委")
    client = _client(tree.county_admin)
    response = client.get(reverse(name), {"export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(
        values_only=True))
    assert title in rows[0][0] and rows[2][0] == first and "健全专委" in rows[2]
    assert AuditLog.objects.filter(action=Action.EXPORT, object_repr=title).count() == 1
    # Without the export permission the page shows, and exports nothing.
    leader = _client(tree.leader).get(reverse(name), {"export": "xlsx"})
    assert leader["Content-Type"].startswith("text/html")


def test_the_checks_count_their_items_per_unit(tree, client_for):
    make_officer(unit=tree.community, name="健全甲")
    make_officer(unit=tree.other_village, name="健全乙")
    make_officer(unit=tree.other_village, name="健全丙")
    response = client_for(tree.county_admin).get(reverse("workforce:checks"))
    counts = {unit.pk: n for unit, n in response.context["by_unit"]}
    # Each is untied and without a certificate: two items per officer.
    assert counts == {tree.township.pk: 2, tree.other_township.pk: 4}
