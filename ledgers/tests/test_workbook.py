"""The work record book (工作记录册): the 7-day rule at its boundary with a fixed clock, in
the rule, the service and the pages; notes kept with who and when; the list, its filters,
its export in the paper book's layout, its import, and query counts that do not grow."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from audit.models import AuditLog
from core.actors import SYSTEM
from ledgers import records_services as services
from ledgers import rules
from ledgers.models import WorkEntry, WorkEntryNote
from ledgers.tests.files import jpeg_bytes, upload_of
from people.tests.test_imports import upload, xlsx

WRITTEN = timezone.make_aware(dt.datetime(2026, 3, 2, 9, 30))


def _entry(unit, *, actor=SYSTEM, when=None, **fields):
    values = {"written_on": dt.date(2026, 3, 2), "subject": "走访", "content": "走访了三户"}
    values.update(fields)
    entry = services.work_entry_create(actor=actor, unit=unit, today=dt.date(2026, 3, 2),
                                       **values)
    if when is not None:  # as if it had been written then
        WorkEntry.objects.filter(pk=entry.pk).update(created_at=when)
        entry.refresh_from_db()
    return entry


# ---- the rule ------------------------------------------------------------------------------

@pytest.mark.parametrize(("after", "editable"), [
    (dt.timedelta(0), True),
    (dt.timedelta(days=6, hours=23), True),
    (dt.timedelta(days=7), True),
    (dt.timedelta(days=7, seconds=1), False),
    (dt.timedelta(days=30), False),
])
def test_an_entry_is_editable_for_seven_days(after, editable):
    assert rules.entry_editable(WRITTEN, WRITTEN + after) is editable


def test_the_refusal_says_why():
    late = rules.entry_edit_refusal(created_at=WRITTEN, now=WRITTEN + dt.timedelta(days=8),
                                    is_author=True, same_unit=True)
    assert "2026-03-02" in late and "7" in late
    stranger = rules.entry_edit_refusal(created_at=WRITTEN, now=WRITTEN, is_author=False,
                                        same_unit=False)
    assert stranger and stranger != late
    assert rules.entry_edit_refusal(created_at=WRITTEN, now=WRITTEN, is_author=False,
                                    same_unit=True) is None


def test_a_record_needs_content_and_a_past_date():
    today = dt.date(2026, 3, 2)
    assert set(rules.work_entry_problems({"written_on": dt.date(2026, 3, 3), "content": " "},
                                         today=today)) == {"written_on", "content"}
    assert rules.work_entry_problems({"written_on": today, "content": "x"}, today=today) == {}


def test_the_keeper_is_named_as_the_paper_book_names_it():
    assert rules.keeper_name("东山根社区居民委员会", 5) == "东山根社区残协"
    assert rules.keeper_name("高家庄村民委员会", 5) == "高家庄村残协"
    assert rules.keeper_name("会师镇", 4) == "会师镇残联"


def test_months_without_entries():
    dates = [dt.date(2026, 1, 5), dt.date(2026, 3, 9)]
    assert rules.months_without_entries(dates, year=2026, today=dt.date(2026, 5, 10)) == [2, 4]
    assert rules.months_without_entries(dates, year=2025, today=dt.date(2026, 5, 10)) == \
        list(range(1, 13))


# ---- the service ---------------------------------------------------------------------------

def test_the_service_edits_within_seven_days_and_refuses_after(tree):
    entry = _entry(tree.community, actor=tree.village_officer, when=WRITTEN)
    changed = services.work_entry_update(actor=tree.village_officer, workentry=entry,
                                         now=WRITTEN + dt.timedelta(days=6, hours=23),
                                         content="走访了四户")
    assert (changed.content, changed.version) == ("走访了四户", 2)
    with pytest.raises(ValidationError) as refused:
        services.work_entry_update(actor=tree.village_officer, workentry=changed,
                                   now=WRITTEN + dt.timedelta(days=7, seconds=1),
                                   content="改了")
    assert "7" in refused.value.messages[0]
    assert WorkEntry.objects.get(pk=entry.pk).content == "走访了四户"


def test_only_the_author_or_the_units_users_may_edit(tree):
    entry = _entry(tree.community, actor=tree.village_officer)
    with pytest.raises(ValidationError):  # the township sees it but it is not its book
        services.work_entry_update(actor=tree.township_officer, workentry=entry,
                                   content="镇里改的")
    colleague = UserFactory(username="t_colleague", unit=tree.community,
                            role=Role.VILLAGE_OFFICER)
    services.work_entry_update(actor=colleague, workentry=entry, content="同事补充")
    with pytest.raises(PermissionDenied):  # another township's user does not see it
        services.work_entry_update(actor=tree.other_officer, workentry=entry, content="x")


def test_notes_are_kept_with_who_and_when(tree):
    entry = _entry(tree.community, when=WRITTEN)
    note = services.work_entry_annotate(actor=tree.township_officer, workentry=entry,
                                        text="已核实")
    assert note.written_by == tree.township_officer
    assert note.written_by_name == str(tree.township_officer) and note.written_at
    assert AuditLog.objects.filter(object_id=str(note.pk), action="create").exists()
    with pytest.raises(ValidationError):
        services.work_entry_annotate(actor=tree.township_officer, workentry=entry, text="  ")


# ---- the pages -----------------------------------------------------------------------------

def test_a_village_officer_writes_a_record_with_a_photo(tree, client_for):
    client = client_for(tree.village_officer)
    page = client.get(reverse("ledgers:workentry_create"))
    assert page.status_code == 200 and 'name="unit"' not in page.content.decode()
    response = client.post(reverse("ledgers:workentry_create"), {
        "written_on": timezone.localdate().isoformat(), "subject": "走访", "content": "走访三户",
        "photo": upload_of(jpeg_bytes(), "走访.jpg")})
    entry = WorkEntry.objects.get()
    assert response.status_code == 302 and response.url == entry.get_absolute_url()
    assert entry.unit == tree.community and entry.created_by == tree.village_officer
    detail = client.get(entry.get_absolute_url()).content.decode()
    assert "走访三户" in detail and "走访.jpg" in detail


def test_a_bad_record_keeps_what_was_typed(tree, client_for):
    client = client_for(tree.village_officer)
    response = client.post(reverse("ledgers:workentry_create"), {
        "written_on": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
        "content": "明天的事"})
    assert response.status_code == 200 and "明天的事" in response.content.decode()
    assert not WorkEntry.objects.exists()


def test_a_locked_record_offers_a_note_and_refuses_a_post(tree, client_for):
    old = timezone.now() - dt.timedelta(days=7, seconds=1)
    entry = _entry(tree.community, actor=tree.village_officer, when=old)
    client = client_for(tree.village_officer)
    url = reverse("ledgers:workentry_edit", args=[entry.pk])
    page = client.get(url).content.decode()
    assert "7" in page and reverse("ledgers:workentry_note", args=[entry.pk]) in page
    response = client.post(url, {"written_on": "2026-03-02", "content": "偷偷改", "version": 1})
    assert response.status_code == 200
    assert "偷偷改" in response.content.decode()  # what was typed stays on the page
    assert WorkEntry.objects.get(pk=entry.pk).content == "走访了三户"
    response = client.post(reverse("ledgers:workentry_note", args=[entry.pk]),
                           {"text": "补充：还走访了一户"})
    assert response.status_code == 302
    detail = client.get(entry.get_absolute_url()).content.decode()
    assert "补充：还走访了一户" in detail and "走访了三户" in detail
    assert str(tree.village_officer) in detail


def test_a_fresh_record_is_edited_on_its_form(tree, client_for):
    entry = _entry(tree.community, actor=tree.village_officer, when=timezone.now())
    client = client_for(tree.village_officer)
    response = client.post(reverse("ledgers:workentry_edit", args=[entry.pk]), {
        "written_on": "2026-03-02", "subject": "走访", "content": "改好了", "version": 1})
    assert response.status_code == 302
    assert WorkEntry.objects.get(pk=entry.pk).content == "改好了"


def test_the_list_filters_and_exports_in_the_books_layout(tree, client_for):
    _entry(tree.community, content="东山根的记录")
    _entry(tree.village, content="高家庄的记录", written_on=dt.date(2025, 6, 1))
    _entry(tree.other_village, content="郭城驿的记录")
    client = client_for(tree.township_officer)
    page = client.get(reverse("ledgers:workentry_list")).content.decode()
    assert "东山根的记录" in page and "高家庄的记录" in page and "郭城驿的记录" not in page
    page = client.get(reverse("ledgers:workentry_list"), {"year": 2025}).content.decode()
    assert "高家庄的记录" in page and "东山根的记录" not in page
    page = client.get(reverse("ledgers:workentry_list"), {"q": "东山根"}).content.decode()
    assert "东山根的记录" in page and "高家庄的记录" not in page
    response = client.get(reverse("ledgers:workentry_export"),
                          {"unit": tree.community.pk, "year": 2026})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "东山根社区残协工作记录册（2026年）"
    assert rows[1][:4] == ("单位", "日期", "主题", "工作内容")
    assert [r[3] for r in rows[2:]] == ["东山根的记录"]


def test_the_import_writes_records_and_names_bad_rows(tree):
    rows = [["", "2026-03-01", "走访", "走访五户"],
            ["高家庄村", "2026-03-02", "", "高家庄的记录"],
            ["", "", "", "没有日期"],
            ["红堡子村", "2026-03-02", "", "别人的村"]]
    job = upload(tree.township_officer, xlsx(rows, header=["单位", "日期", "主题", "工作内容"]),
                 kind="workbook", mode="good")
    assert job.created == 2 and job.bad_rows == 2, job.errors
    assert {e.unit for e in WorkEntry.objects.all()} == {tree.township, tree.village}
    assert {(row, label) for row, label, _value, _reason in job.errors} == {
        (4, "日期"), (5, "单位")}


def test_the_blank_template_is_the_books_columns(tree, client_for):
    response = client_for(tree.village_officer).get(
        reverse("imports:import_template", args=["workbook"]))
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(
        max_row=2, values_only=True))
    assert rows[0][0] == "工作记录册" and rows[1][:4] == ("单位", "日期", "主题", "工作内容")


def _grow(tree, n):
    for i in range(n):
        entry = _entry(tree.community, content=f"记录{i}")
        services.work_entry_annotate(actor=SYSTEM, workentry=entry, text=f"批注{i}")


@pytest.mark.parametrize("name", ["ledgers:workentry_list", "ledgers:workentry_export"])
def test_the_list_and_export_queries_do_not_grow(tree, client_for,
                                                 django_assert_max_num_queries, name):
    client = client_for(tree.county_admin)
    _grow(tree, 2)
    with django_assert_max_num_queries(30) as small:
        assert client.get(reverse(name)).status_code == 200
    _grow(tree, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(name)).status_code == 200


def test_the_detail_queries_do_not_grow_with_notes(tree, client_for,
                                                   django_assert_max_num_queries):
    client = client_for(tree.county_admin)
    entry = _entry(tree.community)
    services.work_entry_annotate(actor=SYSTEM, workentry=entry, text="一")
    with django_assert_max_num_queries(30) as small:
        assert client.get(entry.get_absolute_url()).status_code == 200
    for i in range(8):
        services.work_entry_annotate(actor=SYSTEM, workentry=entry, text=f"批注{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(entry.get_absolute_url()).status_code == 200
    assert WorkEntryNote.objects.filter(entry=entry).count() == 9
