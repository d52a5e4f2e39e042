"""Volunteer activities (志愿者助残活动登记), the roster and the hours certificates: hours per
activity checked, volunteers and people from the user's scope only, hours per year, a
certificate numbered per issuing unit and year that prints again the same, and a volunteer
who moves keeping their hours and certificates."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.actors import SYSTEM
from ledgers import activities_selectors as selectors
from ledgers import activities_services as services
from ledgers.models import Volunteer, VolunteerActivity, VolunteerCertificate, VolunteerService
from ledgers.registry import ledger
from people.tests.factories import make_person
from people.tests.test_imports import upload, xlsx

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _volunteer(unit, name="王晓燕", **fields):
    return services.volunteer_create(actor=SYSTEM, unit=unit, name=name, **fields)


def _activity(unit, hours: dict, *, days=0, title="入户打扫", people=()):
    return services.volunteer_activity_create(
        actor=SYSTEM, unit=unit, held_on=TODAY - dt.timedelta(days=days), title=title,
        services=hours, people=people)


# ---- the roster -----------------------------------------------------------------------------

def test_the_roster_form_defaults_to_the_users_unit_and_the_list_filters(tree, client_for):
    client = client_for(tree.village_officer)
    html = client.get(reverse("ledgers:volunteer_create")).content.decode()
    assert "东山根社区居民委员会（620422100001）" in html
    response = client.post(reverse("ledgers:volunteer_create"), {
        "unit": tree.community.pk, "unit_text": "620422100001", "name": "李建国",
        "phone": "13909431002", "skills": "手语", "active": "on"})
    assert response.status_code == 302
    volunteer = Volunteer.objects.get()
    assert volunteer.unit == tree.community and volunteer.active
    gone = _volunteer(tree.community, name="老志愿", active=False)
    url = reverse("ledgers:volunteer_list")
    listed = client.get(url).content.decode()
    assert "李建国" in listed and "老志愿" not in listed
    assert "老志愿" in client.get(url, {"status": "left"}).content.decode()
    assert "手语" in client.get(url, {"q": "手语"}).content.decode()
    assert gone.pk  # kept, never deleted


def test_a_volunteer_with_services_cannot_be_deleted(tree):
    volunteer = _volunteer(tree.community)
    _activity(tree.community, {volunteer: 2})
    with pytest.raises(ProtectedError):
        volunteer.delete()


# ---- volunteer activities -------------------------------------------------------------------

def test_the_activity_form_records_hours_and_people(tree, client_for):
    a, b = _volunteer(tree.community, "甲"), _volunteer(tree.community, "乙")
    _volunteer(tree.other_village, "外镇志愿")
    person = make_person(unit=tree.community, name="马有福")
    client = client_for(tree.village_officer)
    url = reverse("ledgers:volunteer_activity_create")
    html = client.get(url).content.decode()
    assert f'name="hours_{a.pk}"' in html and "外镇志愿" not in html
    assert f'value="{TODAY:%Y-%m-%d}"' in html
    response = client.post(url, {
        "unit": tree.community.pk, "unit_text": "620422100001", "held_on": TODAY.isoformat(),
        "title": "助残日志愿服务", f"hours_{a.pk}": "3", f"hours_{b.pk}": "30",
        "people": [person.pk]})
    assert response.status_code == 200  # 30 hours refused, the input kept
    page = response.content.decode()
    assert "最多计 24 小时" in page and "助残日志愿服务" in page
    assert not VolunteerActivity.objects.exists()
    response = client.post(url, {
        "unit": tree.community.pk, "unit_text": "620422100001", "held_on": TODAY.isoformat(),
        "title": "助残日志愿服务", f"hours_{a.pk}": "3", f"hours_{b.pk}": "",
        "people": [person.pk]})
    assert response.status_code == 302
    activity = VolunteerActivity.objects.get()
    assert dict(activity.services.values_list("volunteer__name", "hours")) == {
        "甲": Decimal("3.0")}
    assert list(activity.people.all()) == [person]
    detail = client.get(activity.get_absolute_url()).content.decode()
    assert "甲" in detail and "马有福" in detail


def test_an_edit_changes_the_hours(tree, client_for):
    a, b = _volunteer(tree.community, "甲"), _volunteer(tree.community, "乙")
    activity = _activity(tree.community, {a: 2})
    client = client_for(tree.village_officer)
    url = reverse("ledgers:volunteer_activity_edit", args=[activity.pk])
    assert 'value="2.0"' in client.get(url).content.decode()
    response = client.post(url, {"held_on": activity.held_on.isoformat(), "title": "入户打扫",
                                 f"hours_{a.pk}": "", f"hours_{b.pk}": "1.5", "version": "1"})
    assert response.status_code == 302
    assert dict(activity.services.values_list("volunteer__name", "hours")) == {
        "乙": Decimal("1.5")}


def test_volunteers_and_people_outside_the_scope_are_refused(tree):
    outsider = _volunteer(tree.other_village, "外镇志愿")
    with pytest.raises(PermissionDenied):
        services.volunteer_activity_create(actor=tree.village_officer, unit=tree.community,
                                           held_on=TODAY, title="x",
                                           services={outsider: 2})
    stranger = make_person(unit=tree.other_village, name="外镇人")
    with pytest.raises(PermissionDenied):
        services.volunteer_activity_create(actor=tree.village_officer, unit=tree.community,
                                           held_on=TODAY, title="x", people=[stranger])
    assert not VolunteerActivity.objects.exists()


def test_hours_are_counted_in_half_hours(tree):
    volunteer = _volunteer(tree.community)
    with pytest.raises(ValidationError) as refused:
        _activity(tree.community, {volunteer: Decimal("1.3")})
    assert "半小时" in refused.value.message_dict[f"hours_{volunteer.pk}"][0]


# ---- hours and certificates -----------------------------------------------------------------

def test_hours_per_year_whatever_unit_held_the_activity(tree, client_for):
    volunteer = _volunteer(tree.community, "王晓燕")
    _activity(tree.community, {volunteer: 2})
    _activity(tree.township, {volunteer: Decimal("3.5")}, title="镇里的活动")
    _activity(tree.community, {volunteer: 4}, days=400, title="去年的")
    years = selectors.volunteer_years(volunteer)
    this = next(y for y in years if y.year == TODAY.year)
    assert (this.activities, this.hours) == (2, Decimal("5.5"))
    client = client_for(tree.township_officer)
    page = client.get(reverse("ledgers:volunteer_hours"), {"year": TODAY.year}).content.decode()
    assert "王晓燕" in page and "5.5" in page
    detail = client.get(volunteer.get_absolute_url(), {"year": TODAY.year}).content.decode()
    assert "镇里的活动" in detail and "去年的" not in detail


def test_a_certificate_is_numbered_per_unit_and_year_and_prints_again(tree, client_for):
    volunteer = _volunteer(tree.community, "王晓燕")
    other = _volunteer(tree.community, "李建国")
    _activity(tree.community, {volunteer: 2, other: 3})
    client = client_for(tree.village_officer)
    url = reverse("ledgers:volunteer_certificate_issue", args=[volunteer.pk])
    form = client.get(url).content.decode()
    assert f'value="{TODAY.year}-01-01"' in form
    start, end = dt.date(TODAY.year, 1, 1).isoformat(), TODAY.isoformat()
    data = {"unit": tree.community.pk, "unit_text": "620422100001", "starts_on": start,
            "ends_on": end}
    assert client.post(url, data).status_code == 302
    first = VolunteerCertificate.objects.get()
    assert first.number == f"620422100001-{TODAY.year}-0001" and first.hours == Decimal("2")
    second = services.certificate_issue(actor=tree.village_officer, volunteer=other,
                                        unit=tree.community, starts_on=dt.date(TODAY.year, 1, 1),
                                        ends_on=TODAY)
    assert second.number.endswith("-0002")
    township = services.certificate_issue(actor=tree.township_officer, volunteer=other,
                                          unit=tree.township,
                                          starts_on=dt.date(TODAY.year, 1, 1), ends_on=TODAY)
    assert township.number == f"620422100-{TODAY.year}-0001"
    pdf = reverse("ledgers:volunteer_certificate_pdf", args=[first.pk])
    once, again = client.get(pdf), client.get(pdf)
    assert once["Content-Type"] == "application/pdf" and once.content[:5] == b"%PDF-"
    assert again.status_code == 200 and VolunteerCertificate.objects.count() == 3
    html = render_to_string("ledgers/print/certificate.html", {"certificate": first})
    assert "王晓燕" in html and first.number in html and "入户打扫" in html
    assert "style=" not in html and "东山根社区居民委员会" in html


def test_no_certificate_without_services(tree):
    volunteer = _volunteer(tree.community)
    with pytest.raises(ValidationError) as refused:
        services.certificate_issue(actor=SYSTEM, volunteer=volunteer, unit=tree.community,
                                   starts_on=dt.date(TODAY.year, 1, 1), ends_on=TODAY)
    assert "没有参加活动" in str(refused.value)
    assert not VolunteerCertificate.objects.exists()


def test_a_volunteer_moved_to_another_unit_keeps_hours_and_certificates(tree, client_for):
    volunteer = _volunteer(tree.community, "王晓燕")
    _activity(tree.community, {volunteer: 2})
    _activity(tree.community, {volunteer: 3}, title="第二次")
    certificate = services.certificate_issue(actor=SYSTEM, volunteer=volunteer,
                                             unit=tree.community,
                                             starts_on=dt.date(TODAY.year, 1, 1), ends_on=TODAY)
    moved = services.volunteer_update(actor=tree.county_admin, volunteer=volunteer,
                                      unit=tree.other_village)
    assert moved.unit == tree.other_village and moved.pk == volunteer.pk
    years = selectors.volunteer_years(moved)
    assert years[0].hours == Decimal("5") and years[0].activities == 2
    assert selectors.volunteer_certificates(moved) == [certificate]
    # The new township sees them, hours and certificate; the old village no longer does.
    client = client_for(tree.other_officer)
    page = client.get(moved.get_absolute_url()).content.decode()
    assert "王晓燕" in page and certificate.number in page and "第二次" in page
    assert client.get(reverse("ledgers:volunteer_certificate_pdf",
                              args=[certificate.pk])).status_code == 200
    assert client_for(tree.village_officer).get(moved.get_absolute_url()).status_code == 404
    # The activity stays the community's, with its services.
    assert VolunteerService.objects.filter(volunteer=moved).count() == 2


def test_a_village_officer_cannot_move_a_volunteer_out_of_their_area(tree):
    volunteer = _volunteer(tree.community)
    with pytest.raises(PermissionDenied):
        services.volunteer_update(actor=tree.village_officer, volunteer=volunteer,
                                  unit=tree.other_village)


# ---- lists, exports, import, book -----------------------------------------------------------

def _grow(tree, n):
    people = [make_person(unit=tree.community, name=f"服务{i}") for i in range(2)]
    for i in range(n):
        volunteers = [_volunteer(tree.community, f"志愿{i}-{j}") for j in range(2)]
        _activity(tree.community, {v: 2 for v in volunteers}, title=f"活动{i}", people=people)


@pytest.mark.parametrize("name", ["ledgers:volunteer_activity_list",
                                  "ledgers:volunteer_activity_export",
                                  "ledgers:volunteer_list", "ledgers:volunteer_export",
                                  "ledgers:volunteer_hours"])
def test_list_query_counts_do_not_grow(tree, client_for, django_assert_max_num_queries, name):
    client = client_for(tree.county_admin)
    _grow(tree, 2)
    with django_assert_max_num_queries(30) as small:
        assert client.get(reverse(name)).status_code == 200
    _grow(tree, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse(name))
    assert response.status_code == 200


def test_the_export_is_the_paper_book(tree, client_for):
    a, b = _volunteer(tree.community, "甲"), _volunteer(tree.community, "乙")
    _activity(tree.community, {a: 2, b: Decimal("1.5")}, title="入户打扫",
              people=[make_person(unit=tree.community, name="马有福")])
    response = client_for(tree.village_officer).get(
        reverse("ledgers:volunteer_activity_export"))
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active
                .iter_rows(values_only=True))
    assert rows[0][0] == "东山根社区居民委员会志愿者助残活动登记表"
    assert rows[1][:5] == ("序号", "日期", "活动名称", "地点", "参加志愿者及服务时长")
    assert rows[2][4] == "乙（1.5小时）、甲（2.0小时）" and rows[2][6] == 3.5
    assert rows[2][7] == "马有福"


def test_the_roster_imports_once(tree):
    header = ["姓名", "联系电话", "工作单位", "特长", "登记单位"]
    rows = [["王晓燕", 13909431001, "卫生院", "康复护理", "620422100001"],
            ["", "139", "", "", "620422100001"],
            ["李建国", "", "中学", "手语", "红堡子村"]]
    job = upload(tree.township_officer, xlsx(rows, header=header), kind="volunteers",
                 mode="valid")
    problems = {(n, c): r for n, c, _t, r in job.errors}
    assert "姓名" in {c for n, c in problems if n == 3}
    assert "红堡子村" in problems[(4, "登记单位")]
    volunteer = Volunteer.objects.get()
    assert (volunteer.name, volunteer.phone, volunteer.unit) == (
        "王晓燕", "13909431001", tree.community)
    upload(tree.township_officer, xlsx(rows[:1], header=header), kind="volunteers")
    assert Volunteer.objects.count() == 1  # the same volunteer is not added twice


def test_the_volunteer_chapter(tree, django_assert_max_num_queries):
    for i in range(3):
        _activity(tree.community, {_volunteer(tree.community, f"志愿{i}"): 2},
                  title=f"活动{i}", people=[make_person(unit=tree.community, name=f"人{i}")])
    book = ledger("volunteer")
    entries = book.chapter_rows(book.year_entries([tree.community.pk], TODAY.year))
    with django_assert_max_num_queries(3):
        html = render_to_string(book.chapter, {"entries": entries, "unit": tree.community,
                                               "year": TODAY.year})
    assert "志愿0（2.0小时）" in html and "人2" in html and html.count("<tr>") == 4
    assert "style=" not in html and book.lacks(tree.community, TODAY.year, 3) == []


def test_volunteer_activities_import_as_the_export_writes_them(tree):
    a = _volunteer(tree.community, "王晓燕")
    _volunteer(tree.community, "李建国")
    person = make_person(unit=tree.community, name="马有福")
    header = ["日期", "活动名称", "地点", "参加志愿者及服务时长", "服务对象身份证号", "登记单位"]
    rows = [["2024-05-19", "助残日志愿服务", "广场", "王晓燕（3小时）、李建国2.5",
             person.id_number, "620422100001"],
            ["2024-05-20", "没在册的", "", "赵六（2小时）", "", "620422100001"],
            ["2024-05-21", "太长的", "", "王晓燕（30小时）", "", "620422100001"],
            ["2024-05-22", "写错的", "", "王晓燕三小时", "", "620422100001"]]
    job = upload(tree.township_officer, xlsx(rows, header=header),
                 kind="volunteer_activities", mode="valid")
    problems = {(n, c): r for n, c, _t, r in job.errors}
    assert "赵六" in problems[(3, "参加志愿者及服务时长")] and "花名册" in problems[
        (3, "参加志愿者及服务时长")]
    assert "24" in problems[(4, "参加志愿者及服务时长")]
    assert "王晓燕三小时" in problems[(5, "参加志愿者及服务时长")]
    activity = VolunteerActivity.objects.get()
    assert dict(activity.services.values_list("volunteer__name", "hours")) == {
        "王晓燕": Decimal("3"), "李建国": Decimal("2.5")}
    assert list(activity.people.all()) == [person] and activity.unit == tree.community
    assert selectors.volunteer_years(a)[0].hours == Decimal("3")
