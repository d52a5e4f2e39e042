"""Letters and visits: registration (deadline, registered person, sealed ID, repeat links),
each step recorded and audited, a stale step refused, the overdue flagged to the level
above, who may see petitions, the masked list, the audit of every look, the export in the
paper ledger's layout, the import, the categories, the book's chapter, query counts."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditLog
from core.actors import SYSTEM
from ledgers import petitions_selectors as selectors
from ledgers import petitions_services as services
from ledgers.models import Attachment, Petition, PetitionCategory, PetitionEvent
from ledgers.registry import ledger
from ledgers.tests.files import jpeg_bytes, upload_of
from ledgers.tests.petitions import categories, make_petition, walk
from people.tests.factories import make_id, make_person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


# ---- registration ------------------------------------------------------------------------------

def test_registration_computes_the_deadline_and_records_the_first_event(tree):
    petition = make_petition(unit=tree.community, days_ago=10)
    assert petition.status == "registered"
    assert petition.deadline == petition.received_on + dt.timedelta(days=60)
    event = PetitionEvent.objects.get(petition=petition)
    assert (event.from_status, event.to_status) == ("", "registered")
    entry = AuditLog.objects.get(action=Action.CREATE, object_id=str(petition.pk),
                                 content_type__model="petition")
    # The audit log says which personal fields were given, never their values.
    assert entry.changes["petitioner_name"] == ["•••", "•••"]
    assert "马来访" not in str(entry.changes) and "13909435678" not in str(entry.changes)


def test_a_category_of_its_own_sets_its_own_days(tree):
    quick = services.category_create(actor=SYSTEM, unit=tree.county, name="辅具适配",
                                     parent=categories()["康复"], deadline_days=15)
    petition = make_petition(unit=tree.community, category=quick, days_ago=0)
    assert petition.deadline == TODAY() + dt.timedelta(days=15)


def test_the_id_number_finds_a_registered_person_in_scope(tree):
    person = make_person(unit=tree.community, name="马有福", phone="13800000000")
    petition = make_petition(unit=tree.community, name="", phone="",
                             id_number=person.id_number)
    assert petition.person == person
    assert (petition.petitioner_name, petition.petitioner_phone) == ("马有福", "13800000000")
    assert petition.id_cipher is None  # the register holds the number


def test_an_unregistered_petitioner_s_id_number_is_sealed(tree):
    number = make_id(seq=77)
    petition = make_petition(unit=tree.community, id_number=number)
    assert petition.person is None
    stored = Petition.objects.filter(pk=petition.pk).values_list("id_cipher", flat=True)[0]
    assert number not in stored and stored
    assert Petition.objects.get(pk=petition.pk).id_number == number


def test_a_person_out_of_scope_is_not_found_by_the_id_number(tree):
    other = make_person(unit=tree.other_village, name="郭某")
    petition = make_petition(unit=tree.community, actor=tree.village_officer,
                             id_number=other.id_number)
    assert petition.person is None


def test_a_bad_registration_is_refused_by_field(tree):
    with pytest.raises(ValidationError) as refused:
        services.petition_register(actor=SYSTEM, unit=tree.community,
                                   category=categories()["康复"],
                                   received_on=TODAY() + dt.timedelta(days=2), content=" ",
                                   petitioner_name="", id_number="123")
    assert {"received_on", "content", "id_number"} <= set(refused.value.error_dict)


def test_registering_outside_the_scope_is_refused(tree):
    with pytest.raises(PermissionDenied):
        make_petition(unit=tree.other_village, actor=tree.village_officer)


def test_a_repeat_by_the_same_person_is_linked_both_ways(tree):
    person = make_person(unit=tree.community, name="马有福")
    first = make_petition(unit=tree.community, days_ago=40, person=person)
    second = make_petition(unit=tree.village, category="就业", days_ago=5, person=person)
    assert (second.earlier, second.repeat_of) == (first, "person")
    assert selectors.petition_later(user=tree.township_officer, petition=first) == [second]


def test_a_repeat_by_name_and_phone_or_id_number_when_not_registered(tree):
    first = make_petition(unit=tree.community, days_ago=40, name="李四", phone="13900000001")
    by_phone = make_petition(unit=tree.community, category="就业", days_ago=5, name="李四",
                             phone="13900000001")
    assert by_phone.earlier == first and by_phone.repeat_of == "person"
    number = make_id(seq=78)
    a = make_petition(unit=tree.village, category="教育", days_ago=30, name="王五",
                      phone="", id_number=number)
    b = make_petition(unit=tree.village, category="就业", days_ago=2, name="王五 ",
                      phone="", id_number=number)
    assert b.earlier == a


def test_a_repeat_on_the_same_subject_within_a_year(tree):
    old = make_petition(unit=tree.community, days_ago=600, name="甲", phone="13900000002")
    near = make_petition(unit=tree.community, days_ago=200, name="乙", phone="13900000003")
    again = make_petition(unit=tree.community, days_ago=1, name="丙", phone="13900000004")
    assert near.earlier is None  # the first one is more than a year before it
    assert (again.earlier, again.repeat_of) == (near, "subject")
    elsewhere = make_petition(unit=tree.village, days_ago=1, name="丁", phone="13900000005")
    assert elsewhere.earlier is None and old.earlier is None


# ---- the steps ---------------------------------------------------------------------------------

def test_the_whole_way_is_recorded_step_by_step(tree):
    petition = make_petition(unit=tree.community)
    petition = walk(petition, "accept", "start", "reply", "reopen", "start", "reply", "close",
                    actor=tree.village_officer)
    assert petition.status == "closed" and petition.satisfaction == "satisfied"
    steps = list(PetitionEvent.objects.filter(petition=petition)
                 .values_list("from_status", "to_status"))
    assert steps == [("", "registered"), ("registered", "accepted"), ("accepted", "handling"),
                     ("handling", "replied"), ("replied", "reopened"), ("reopened", "handling"),
                     ("handling", "replied"), ("replied", "closed")]
    assert all(e.actor == tree.village_officer for e in petition.events.all()[1:])
    updates = AuditLog.objects.filter(action=Action.UPDATE, object_id=str(petition.pk))
    assert updates.count() == 7
    assert petition.version == 8


def test_a_reopened_petition_gets_a_new_deadline(tree):
    petition = walk(make_petition(unit=tree.community, days_ago=100), "accept", "start",
                    "reply")
    petition = walk(petition, "reopen")
    assert petition.deadline == TODAY() + dt.timedelta(days=60)


def test_a_step_out_of_order_or_without_what_it_needs_is_refused(tree):
    petition = make_petition(unit=tree.community)
    with pytest.raises(ValidationError) as refused:
        services.petition_reply(actor=SYSTEM, petition=petition, reply="x",
                                replied_on=TODAY())
    assert "__all__" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        services.petition_refuse(actor=SYSTEM, petition=petition, reason="")
    assert "reason" in refused.value.error_dict
    refused_ok = services.petition_refuse(actor=SYSTEM, petition=petition, reason="不属受理范围")
    assert refused_ok.status == "not_accepted" and refused_ok.not_accepted_reason


def test_a_stale_step_is_refused(tree):
    petition = make_petition(unit=tree.community)
    services.petition_accept(actor=SYSTEM, petition=petition, handler_name="甲",
                             expected_version=1)
    with pytest.raises(ValidationError) as refused:
        services.petition_refuse(actor=SYSTEM, petition=petition, reason="晚了",
                                 expected_version=1)
    assert getattr(refused.value, "code", None) == "stale" or "别人" in str(refused.value) \
        or "Someone" in str(refused.value)
    assert Petition.objects.get(pk=petition.pk).status == "accepted"


def test_the_handler_is_a_user_of_the_petition_s_unit(tree):
    petition = make_petition(unit=tree.community)
    with pytest.raises(ValidationError):
        services.petition_accept(actor=SYSTEM, petition=petition, handler=tree.county_admin)
    accepted = services.petition_accept(actor=SYSTEM, petition=petition,
                                        handler=tree.village_officer)
    assert accepted.handler == tree.village_officer


def test_the_deadline_follows_the_category_only_before_acceptance(tree):
    petition = make_petition(unit=tree.community, days_ago=5)
    quick = services.category_create(actor=SYSTEM, unit=tree.county, name="快办",
                                     deadline_days=10)
    petition = services.petition_update(actor=SYSTEM, petition=petition, category=quick)
    assert petition.deadline == petition.received_on + dt.timedelta(days=10)
    petition = walk(petition, "accept")
    petition = services.petition_update(actor=SYSTEM, petition=petition,
                                        category=categories()["康复"])
    assert petition.deadline == petition.received_on + dt.timedelta(days=10)


# ---- overdue -----------------------------------------------------------------------------------

def _overdue_world(tree):
    late_village = walk(make_petition(unit=tree.community, days_ago=90), "accept")
    late_township = make_petition(unit=tree.township, days_ago=70, name="乡来访",
                                  phone="13900000009")
    replied_late = walk(make_petition(unit=tree.village, days_ago=80, name="答复了",
                                      phone="13900000010"), "accept", "start", "reply")
    on_time = make_petition(unit=tree.village, days_ago=5, name="未超期", phone="13900000011")
    return late_village, late_township, replied_late, on_time


def test_the_overdue_are_flagged_to_the_level_above(tree):
    late_village, late_township, _replied, _on_time = _overdue_world(tree)
    assert list(selectors.overdue_flagged(user=tree.township_officer)) == [late_village]
    assert list(selectors.overdue_flagged(user=tree.county_admin)) == [late_township]
    assert list(selectors.overdue_flagged(user=tree.village_officer)) == []
    assert selectors.home_figures(user=tree.township_officer)["overdue_below"] == 1
    assert selectors.home_figures(user=tree.village_officer)["overdue_own"] == 1
    leader = selectors.home_figures(user=tree.leader)
    assert leader["overdue_below"] == 1 and not leader["may_view"]
    assert selectors.home_figures(user=tree.auditor) is None


def test_the_overdue_filter_and_the_home_page(tree, client_for):
    _overdue_world(tree)
    client = client_for(tree.township_officer)
    response = client.get(reverse("ledgers:petition_list") + "?overdue=on")
    assert response.context["table"].paginator.count == 2
    home = client.get("/")
    assert "petitions overdue in the units beneath" in home.content.decode() \
        or "超期" in home.content.decode()
    assert reverse("ledgers:petition_overdue") in home.content.decode()
    page = client.get(reverse("ledgers:petition_overdue"))
    assert page.status_code == 200 and page.context["table"].paginator.count == 1
    leader_home = client_for(tree.leader).get("/").content.decode()
    assert reverse("ledgers:petition_overdue") not in leader_home


# ---- who sees what -----------------------------------------------------------------------------

def test_leaders_and_auditors_do_not_read_petitions(tree, client_for):
    petition = make_petition(unit=tree.community)
    for user in (tree.leader, tree.auditor):
        client = client_for(user)
        assert client.get(reverse("ledgers:petition_list")).status_code == 403
        assert client.get(petition.get_absolute_url()).status_code == 403


def test_the_list_masks_and_hides_the_content_and_is_audited_once(tree, client_for):
    for i in range(3):
        make_petition(unit=tree.community, name=f"马有福{i}", phone=f"1390943567{i}",
                      content=f"机密内容{i}")
    client = client_for(tree.village_officer)
    before = AuditLog.objects.filter(action=Action.VIEW).count()
    response = client.get(reverse("ledgers:petition_list") + "?status=registered")
    html = response.content.decode()
    assert "马***" in html and "139****5670" in html
    assert "马有福0" not in html and "13909435670" not in html and "机密内容" not in html
    looks = AuditLog.objects.filter(action=Action.VIEW).order_by("-id")
    assert looks.count() == before + 1
    assert looks[0].detail["filters"] == {"status": "registered"}


def test_the_detail_page_shows_it_all_and_each_look_is_audited(tree, client_for):
    petition = walk(make_petition(unit=tree.community, content="申请康复训练名额"), "accept")
    client = client_for(tree.township_officer)
    for _ in range(2):
        response = client.get(petition.get_absolute_url())
        assert response.status_code == 200
    html = response.content.decode()
    assert "申请康复训练名额" in html and "13909435678" in html
    assert reverse("ledgers:petition_start", args=[petition.pk]) in html
    assert AuditLog.objects.filter(action=Action.VIEW, object_id=str(petition.pk),
                                   content_type__model="petition").count() == 2


# ---- pages -------------------------------------------------------------------------------------

def _form(**overrides):
    data = {"received_how": "visit", "received_on": TODAY().isoformat(),
            "petitioner_name": "马有福", "petitioner_phone": "13909435678",
            "category": categories()["康复"].pk, "content": "申请康复训练",
            "id_number": "", "petitioner_address": "", "handler_name": "", "notes": "",
            "unit_0": "", "unit_1": "", "form_token": "tok-1"}
    data.update(overrides)
    return data


def test_the_entry_form_registers_with_a_photo_once(tree, client_for):
    client = client_for(tree.village_officer)
    page = client.get(reverse("ledgers:petition_create"))
    assert page.status_code == 200
    data = _form(**{"files-photo": upload_of(jpeg_bytes(), "信.jpg")})
    response = client.post(reverse("ledgers:petition_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    petition = Petition.objects.get()
    assert petition.unit == tree.community and response["Location"] == \
        petition.get_absolute_url()
    assert Attachment.objects.filter(owner_id=petition.pk).count() == 1
    again = client.post(reverse("ledgers:petition_create"), _form())
    assert again.status_code == 302 and Petition.objects.count() == 1


def test_a_refused_entry_keeps_what_was_typed(tree, client_for):
    client = client_for(tree.village_officer)
    response = client.post(reverse("ledgers:petition_create"),
                           _form(received_on=(TODAY() + dt.timedelta(days=3)).isoformat(),
                                 content="写了很长的内容"))
    assert response.status_code == 200
    assert "写了很长的内容" in response.content.decode()
    assert "received_on" in response.context["form"].errors
    assert not Petition.objects.exists()


def test_a_step_through_its_page_and_a_stale_one_refused(tree, client_for):
    petition = make_petition(unit=tree.community)
    client = client_for(tree.village_officer)
    url = reverse("ledgers:petition_accept", args=[petition.pk])
    response = client.post(url, {"accept-handler": "", "accept-handler_name": "王干事",
                                 "accept-note": "", "accept-version": "1",
                                 "accept-form_token": "a1"})
    assert response.status_code == 302
    assert Petition.objects.get(pk=petition.pk).status == "accepted"
    refuse = client.post(reverse("ledgers:petition_refuse", args=[petition.pk]),
                         {"refuse-reason": "不受理", "refuse-version": "1",
                          "refuse-form_token": "a2"})
    assert refuse.status_code == 200
    assert Petition.objects.get(pk=petition.pk).status == "accepted"


def test_the_category_pages_for_county_admins(tree, client_for):
    categories()
    client = client_for(tree.county_admin)
    assert client.get(reverse("ledgers:petition_category_list")).status_code == 200
    response = client.post(reverse("ledgers:petition_category_create"),
                           {"name": "辅具", "parent": categories()["康复"].pk,
                            "deadline_days": 20, "order": 5, "active": "on",
                            "form_token": "c1"})
    assert response.status_code == 302
    made = PetitionCategory.objects.get(name="辅具")
    assert made.unit == tree.county and made.parent.name == "康复"
    officer = client_for(tree.township_officer)
    assert officer.get(reverse("ledgers:petition_category_create")).status_code == 403
    with pytest.raises(ValidationError):
        services.category_update(actor=tree.county_admin, category=categories()["康复"],
                                 deadline_days=10)


# ---- export, import, book ------------------------------------------------------------------------

def test_the_export_is_the_paper_ledger(tree, client_for):
    walk(make_petition(unit=tree.community, days_ago=20, content="申请轮椅"), "accept", "start",
         "reply", "close")
    make_petition(unit=tree.village, days_ago=90, name="超期人", phone="13900000012")
    client = client_for(tree.township_officer)
    response = client.get(reverse("ledgers:petition_export"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("会师镇残疾人来信来访登记表")
    assert list(rows[1][:11]) == ["序号", "日期", "来访人", "联系电话", "方式", "反映问题", "类别",
                                  "办理情况", "答复日期", "是否满意", "备注"]
    body = {r[2]: r for r in rows[2:]}
    assert body["马来访"][5] == "申请轮椅" and body["马来访"][7] == "已答复"
    assert body["马来访"][9] == "满意"
    assert "已超期" in body["超期人"][10]
    assert AuditLog.objects.filter(action=Action.EXPORT).count() == 1
    assert client_for(tree.leader).get(reverse("ledgers:petition_export")).status_code == 403


def test_the_ledger_comes_in_through_the_import(tree):
    from people.tests.test_imports import upload, xlsx

    categories()
    header = ["日期", "来访人", "联系电话", "方式", "反映问题", "类别", "办理情况", "答复日期",
              "是否满意", "备注", "登记单位"]
    day = TODAY() - dt.timedelta(days=30)
    rows = [
        [day.isoformat(), "马有福", "13909435678", "来访", "申请康复", "康复", "已安排",
         (day + dt.timedelta(days=5)).isoformat(), "满意", "", "东山根社区"],
        [day.isoformat(), "李四", "", "电话", "申请就业", "就业", "", "", "", "", ""],
        [day.isoformat(), "", "", "飞鸽", "x", "康复", "", "", "", "", ""],
        [day.isoformat(), "王五", "", "来信", "x", "不存在的类", "", "", "", "", "红堡子村"],
    ]
    job = upload(tree.township_officer, xlsx(rows, header=header), kind="petitions",
                 mode="valid")
    problems = {(number, column) for number, column, _text, _reason in job.errors}
    assert {(4, "来访人"), (4, "方式"), (5, "类别"), (5, "登记单位")} <= problems
    closed = Petition.objects.get(petitioner_name="马有福")
    assert closed.status == "closed" and closed.unit == tree.community
    assert Petition.objects.get(petitioner_name="李四").unit == tree.township


def test_the_blank_template_has_the_ledger_s_columns(tree, client_for):
    response = client_for(tree.township_officer).get(
        reverse("imports:import_template", args=["petitions"]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    headers = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert {"日期", "来访人", "反映问题", "类别", "答复日期", "是否满意"} <= set(headers)


def test_the_book_chapter_and_its_shortfall(tree):
    year = TODAY().year - 1
    categories()
    number = make_id(seq=79)
    late = services.petition_register(
        actor=SYSTEM, unit=tree.community, category=categories()["康复"],
        received_on=dt.date(year, 9, 1), content="年底仍未答复", petitioner_name="年底人",
        petitioner_phone="13909435678", id_number=number)
    book = ledger("petitions")
    assert book.order == 60
    entries = book.chapter_rows(book.year_entries([tree.community.pk], year))
    html = render_to_string(book.chapter, {"entries": entries, "unit": tree.community,
                                           "year": year})
    assert "年底人" in html and number not in html and number[-4:] in html
    assert "13909435678" not in html
    assert book.lacks(tree.community, year, 1)
    walk(late, "accept", "start")
    Petition.objects.filter(pk=late.pk).update(replied_on=dt.date(year, 12, 1))
    assert book.lacks(tree.community, year, 1) == []


# ---- query counts ------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["ledgers:petition_list", "ledgers:petition_overdue"])
def test_the_lists_ask_a_fixed_number_of_queries(tree, client_for, django_assert_max_num_queries,
                                                 path):
    client = client_for(tree.township_officer)

    def count(n):
        for i in range(n):
            make_petition(unit=tree.community if i % 2 else tree.village, days_ago=80 + i,
                          name=f"人{i}", phone=f"139000{i:05d}")
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(path) + "?page=2&per_page=25").status_code == 200
        return len(queries)

    few = count(30)
    many = count(90)
    assert many == few
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for page in (1, 4, 99):  # whatever the page (99: past the end, the last one)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(path) + f"?page={page}&per_page=25").status_code == 200
        assert len(queries) == few, page
    with django_assert_max_num_queries(few):
        client.get(reverse(path) + "?overdue=on")


def test_the_detail_page_asks_a_fixed_number_of_queries(tree, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(tree.township_officer)
    make_petition(unit=tree.community, days_ago=30)  # each one below is linked to it

    def count(steps):
        petition = walk(make_petition(unit=tree.community, name=f"人{len(steps)}",
                                      phone=f"1390000{len(steps):04d}"), *steps)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(petition.get_absolute_url()).status_code == 200
        return len(queries)

    # The same status, a history three times as long.
    assert count(["accept", "start"]) == count(["accept", "start", "reply", "reopen", "start"])


def test_the_printed_book_carries_the_petitions_chapter(tree, client_for):
    from pypdf import PdfReader

    year = TODAY().year - 1
    services.petition_register(
        actor=SYSTEM, unit=tree.community, category=categories()["康复"],
        received_on=dt.date(year, 3, 1), content="申请轮椅适配", petitioner_name="书中人",
        petitioner_phone="13909435678")
    response = client_for(tree.township_officer).get(
        reverse("ledgers:book_pdf", args=[tree.township.pk]) + f"?year={year}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "书中人" in text and "申请轮椅适配" in text and "13909435678" not in text
    assert "超期" in text  # the year ended with it open past its deadline
    # A leader's book has no petitions in it (they may not read them).
    from ledgers.book import visible_ledgers

    assert "petitions" not in {ledger.key for ledger in visible_ledgers(tree.leader)}
