"""Meetings and organisational life (会议记录): the head count's rules, recording a meeting
on its form, ticking the workers who came, the list, its export in the paper layout, the
import, and query counts that do not grow."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from core.actors import SYSTEM
from ledgers import records_services as services
from ledgers import rules
from ledgers.models import Meeting
from people.tests.test_imports import upload, xlsx
from workforce.tests.factories import make_worker

DAY = dt.date(2026, 3, 2)


def _meeting(unit, **fields):
    values = {"held_on": DAY, "kind": "work", "title": "例会", "minutes": "通报工作"}
    values.update(fields)
    return services.meeting_create(actor=SYSTEM, unit=unit, today=DAY, **values)


def test_the_head_count_adds_up():
    assert rules.attendee_names("王桂兰、李建国，张秀英 刘志强;陈玉梅") == [
        "王桂兰", "李建国", "张秀英", "刘志强", "陈玉梅"]
    assert rules.present_count(given=None, names="王桂兰、李建国", workers=1) == 3
    assert rules.present_count(given=7, names="王桂兰", workers=1) == 7
    assert rules.present_count(given=None, names="", workers=0) is None
    problems = rules.meeting_problems({"held_on": DAY, "minutes": "x", "expected_count": 3,
                                       "present_count": 4}, today=DAY)
    assert set(problems) == {"present_count"}
    assert set(rules.meeting_problems({"held_on": None, "minutes": ""}, today=DAY)) == {
        "held_on", "minutes"}


def test_a_meeting_counts_who_came_and_keeps_the_workers(tree):
    worker = make_worker(unit=tree.community, name="马专委")
    meeting = services.meeting_create(
        actor=tree.village_officer, held_on=DAY, kind="party_lecture", title="党课",
        attendee_names="王桂兰、李建国", expected_count=5, minutes="讲党课", workers=[worker],
        today=DAY)
    assert meeting.unit == tree.community and meeting.present_count == 3
    assert list(meeting.attendees.all()) == [worker]
    with pytest.raises(ValidationError):
        services.meeting_update(actor=tree.village_officer, meeting=meeting,
                                present_count=9, today=DAY)
    stranger = make_worker(unit=tree.other_village, name="外镇专委")
    with pytest.raises(PermissionDenied):
        services.meeting_update(actor=tree.village_officer, meeting=meeting,
                                workers=[stranger], today=DAY)


def test_a_meeting_is_recorded_on_its_form_and_who_came_ticked(tree, client_for):
    worker = make_worker(unit=tree.village, name="高专委")
    make_worker(unit=tree.other_village, name="外镇专委")
    client = client_for(tree.township_officer)
    today = timezone.localdate().isoformat()
    response = client.post(reverse("ledgers:meeting_create"), {
        "unit": tree.township.pk, "unit_text": "620422100", "held_on": today,
        "kind": "study", "title": "学习残疾人保障法", "attendee_names": "王桂兰、李建国",
        "expected_count": "4", "minutes": "集中学习", "decisions": ""})
    meeting = Meeting.objects.get()
    assert response.status_code == 302, response.content.decode()[:2000]
    assert (meeting.unit, meeting.kind, meeting.present_count) == (tree.township, "study", 2)
    url = reverse("ledgers:meeting_attendance", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert "高专委" in page and "外镇专委" not in page
    response = client.post(url, {"workers": [worker.pk], "version": meeting.version})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert list(meeting.attendees.all()) == [worker] and meeting.version == 2
    assert "高专委" in client.get(meeting.get_absolute_url()).content.decode()


def test_too_many_present_is_refused_on_the_form(tree, client_for):
    client = client_for(tree.village_officer)
    response = client.post(reverse("ledgers:meeting_create"), {
        "held_on": timezone.localdate().isoformat(), "kind": "work", "expected_count": "3",
        "present_count": "5", "minutes": "例会内容"})
    assert response.status_code == 200 and "例会内容" in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_list_filters_and_exports_in_the_books_layout(tree, client_for):
    _meeting(tree.township, kind="party_committee", title="支委会", minutes="研究党员联系户")
    _meeting(tree.community, title="社区例会", held_on=dt.date(2025, 5, 5))
    _meeting(tree.other_township, title="外镇例会")
    client = client_for(tree.township_officer)
    page = client.get(reverse("ledgers:meeting_list")).content.decode()
    assert "支委会" in page and "社区例会" in page and "外镇例会" not in page
    page = client.get(reverse("ledgers:meeting_list"),
                      {"kind": "party_committee"}).content.decode()
    assert "支委会" in page and "社区例会" not in page
    page = client.get(reverse("ledgers:meeting_list"), {"since": "2026-01-01"}).content.decode()
    assert "支委会" in page and "社区例会" not in page
    response = client.get(reverse("ledgers:meeting_export"), {"unit": tree.township.pk})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(
        values_only=True))
    assert rows[0][0] == "会师镇残联会议记录"
    assert rows[1][:4] == ("单位", "日期", "会议类型", "会议主题")
    assert {r[3] for r in rows[2:]} == {"支委会", "社区例会"}
    assert "支委会" in {r[2] for r in rows[2:]}


def test_the_import_writes_meetings_and_names_bad_rows(tree):
    header = ["日期", "会议类型", "会议主题", "参会人员", "应到人数", "实到人数", "会议内容"]
    rows = [["2026-03-01", "党课", "党课", "王桂兰、李建国", 3, "", "讲党课"],
            ["2026-03-02", "茶话会", "", "", "", "", "内容"],
            ["2026-03-03", "工作例会", "", "", 2, 3, "内容"]]
    job = upload(tree.village_officer, xlsx(rows, header=header), kind="meetings",
                 mode="good")
    assert job.created == 1 and job.bad_rows == 2, job.errors
    meeting = Meeting.objects.get()
    assert (meeting.kind, meeting.present_count, meeting.unit) == (
        "party_lecture", 2, tree.community)
    assert {(row, label) for row, label, _v, _r in job.errors} == {(3, "会议类型"),
                                                                   (4, "实到人数")}


def _grow(tree, n):
    for i in range(n):
        meeting = _meeting(tree.community, title=f"例会{i}")
        meeting.attendees.add(make_worker(unit=tree.community, name=f"专委{i}"))


@pytest.mark.parametrize("name", ["ledgers:meeting_list", "ledgers:meeting_export"])
def test_the_list_and_export_queries_do_not_grow(tree, client_for,
                                                 django_assert_max_num_queries, name):
    client = client_for(tree.county_admin)
    _grow(tree, 2)
    with django_assert_max_num_queries(30) as small:
        assert client.get(reverse(name)).status_code == 200
    _grow(tree, 10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(name)).status_code == 200


def test_the_detail_and_attendance_queries_do_not_grow(tree, client_for,
                                                       django_assert_max_num_queries):
    client = client_for(tree.county_admin)
    meeting = _meeting(tree.community)
    meeting.attendees.add(make_worker(unit=tree.community, name="专委甲"))
    urls = [meeting.get_absolute_url(), reverse("ledgers:meeting_attendance",
                                                args=[meeting.pk])]
    counts = []
    for url in urls:
        with django_assert_max_num_queries(30) as small:
            assert client.get(url).status_code == 200
        counts.append(len(small.captured_queries))
    for i in range(8):
        meeting.attendees.add(make_worker(unit=tree.community, name=f"专委{i}"))
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200
