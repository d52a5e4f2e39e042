"""One set of rules per entity: the same bad row gives the same message through the form (a
page), the import (a ledger row) and the service (what the API and the demo call), and a
person the import accepts opens and saves unchanged from their edit form."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from lxml import html

from audit.models import Action, AuditLog
from core.actors import SYSTEM
from imports import services as imports
from people import rules, services
from people.models import Need, Person

from .factories import make_id, make_person

BORN = dt.date(1980, 1, 1)
MALE_ID = make_id(birth=BORN, male=True, seq=41)
TOMORROW = timezone.localdate() + dt.timedelta(days=1)

# (case, field with the problem, the person's fields as typed). Dates as the form and a
# ledger both write them; category and grade as their codes, which both read.
PERSON_CASES = [
    ("birth date differs from the ID", "birth_date",
     {"id_number": MALE_ID, "birth_date": "1981-01-01"}),
    ("gender differs from the ID", "gender", {"id_number": MALE_ID, "gender": "F"}),
    ("check character wrong", "id_number", {"id_number": MALE_ID[:17] + (
        "0" if MALE_ID[17] != "0" else "1")}),
    ("no ID and no birth date", "birth_date", {"gender": "M"}),
    ("born tomorrow", "birth_date", {"gender": "M", "birth_date": TOMORROW.isoformat()}),
    ("certificate of someone else", "certificate_number",
     {"id_number": MALE_ID, "certificate_number": make_id(seq=42) + "42"}),
    ("certificate says another category", "category",
     {"id_number": MALE_ID, "certificate_number": MALE_ID + "42", "category": "1"}),
    ("valid until before issued", "certificate_valid_until",
     {"id_number": MALE_ID, "certificate_number": MALE_ID + "42",
      "certificate_issued_on": "2020-05-01", "certificate_valid_until": "2019-05-01"}),
    ("certificate dates without a certificate", "certificate_number",
     {"id_number": MALE_ID, "certificate_issued_on": "2020-05-01"}),
]
LEDGER_HEADERS = {
    "name": "姓名", "id_number": "身份证号", "gender": "性别", "birth_date": "出生日期",
    "certificate_number": "残疾证号", "category": "残疾类别", "grade": "残疾等级",
    "certificate_issued_on": "发证日期", "certificate_valid_until": "有效期至",
    "unit": "所属村（社区）", "hukou": "户籍",
}


def _date(value):
    return dt.date.fromisoformat(value) if isinstance(value, str) and "-" in value else value


def _through_service(tree, fields) -> dict:
    typed = {k: _date(v) for k, v in fields.items()}
    for name in ("category", "grade"):
        if name in typed:
            typed[name] = int(typed[name])
    with pytest.raises(ValidationError) as caught:
        services.person_register(actor=tree.village_officer, unit=tree.community, name="某",
                                 hukou="rural", **typed)
    return caught.value.message_dict


def _through_form(tree, client_for, fields) -> dict:
    data = {"unit": tree.community.pk, "name": "某", "hukou": "rural", "ethnicity": "汉族",
            **fields}
    response = client_for(tree.village_officer).post(reverse("people:person_create"), data)
    assert response.status_code == 200  # the form again, with what was typed
    return response.context["form"].errors


def _through_import(tree, fields, kind="people", headers=LEDGER_HEADERS,
                    base=None) -> dict[str, list[str]]:
    if base is None:
        base = {"name": "某", "unit": "东山根社区", "hukou": "农村"}
    row = {**base, **fields}
    names = list(row)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([headers[n] for n in names])
    sheet.append([row[n] for n in names])
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = imports.job_create(actor=tree.village_officer, kind=kind,
                             upload=SimpleUploadedFile("台账.xlsx", buffer.getvalue()))
    imports.job_start(actor=tree.village_officer, job=job)
    job = imports.job_run(job.pk)
    assert not job.applied and job.bad_rows == 1
    found: dict[str, list[str]] = {}
    for _row, label, _value, reason in job.errors:
        field = next(n for n, h in headers.items() if h == label)
        found.setdefault(field, []).append(reason)
    return found


@pytest.mark.parametrize(("case", "field", "fields"), PERSON_CASES,
                         ids=[c[0] for c in PERSON_CASES])
def test_a_bad_person_gets_the_same_message_everywhere(tree, client_for, case, field, fields):
    service = _through_service(tree, fields)[field]
    form = _through_form(tree, client_for, fields)[field]
    ledger = _through_import(tree, fields)[field]
    assert service == form == ledger, case
    # …and it is the rule's own message.
    values = {k: _date(v) for k, v in fields.items()}
    for name in ("category", "grade"):
        if name in values:
            values[name] = int(values[name])
    assert rules.person(values, today=timezone.localdate()).problems[field] == service[0]


NEED_HEADERS = {"id_number": "身份证号", "type": "需求类型", "status": "状态",
                "closed_on": "办结日期", "outcome": "办理结果", "registered_on": "登记日期",
                "unmet_reason": "无法解决原因"}
NEED_CASES = [
    ("met without what was done", "outcome",
     {"type": "devices", "status": "met", "closed_on": "2025-03-01"}),
    ("met without a date", "closed_on",
     {"type": "devices", "status": "met", "outcome": "已送达"}),
    ("cannot be met without a reason", "unmet_reason", {"type": "devices", "status": "unmet"}),
    ("closed before registered", "closed_on",
     {"type": "devices", "status": "met", "outcome": "已送达", "registered_on": "2025-03-01",
      "closed_on": "2025-02-01"}),
]


@pytest.mark.parametrize(("case", "field", "fields"), NEED_CASES, ids=[c[0] for c in NEED_CASES])
def test_a_bad_need_gets_the_same_message_everywhere(tree, client_for, case, field, fields):
    person = make_person(unit=tree.community)
    need = services.need_create(actor=SYSTEM, person=person, type="devices",
                                registered_on=dt.date(2025, 1, 5))
    typed = {k: _date(v) for k, v in fields.items()}
    typed.setdefault("registered_on", dt.date(2025, 1, 5))
    with pytest.raises(ValidationError) as caught:
        services.need_update(actor=tree.village_officer, need=need, **typed)
    service = caught.value.message_dict[field]
    data = {"registered_on": "2025-01-05", "detail": "", "responsible": "", "outcome": "",
            "unmet_reason": "", "closed_on": "", **fields}
    response = client_for(tree.village_officer).post(
        reverse("people:need_edit", args=[need.pk]), data)
    form = response.context["form"].errors[field]
    ledger = _through_import(tree, {"registered_on": "2025-01-05", **fields}, kind="needs",
                             headers=NEED_HEADERS, base={"id_number": person.id_number})
    ledger = ledger[field]
    assert service == form == ledger, case
    assert Need.objects.get(pk=need.pk).status == "open"  # nothing was saved


def test_the_rules_module_touches_no_database(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        rules.person({"id_number": MALE_ID, "certificate_number": MALE_ID + "42"},
                     today=timezone.localdate())
        rules.need({"status": "met"}, today=timezone.localdate())
        rules.visit({"visited_on": TOMORROW}, today=timezone.localdate())
        rules.jobseeker({"status": "placed"}, today=timezone.localdate())


def test_a_certificate_alone_gives_the_category_and_grade(tree):
    checked = rules.person({"id_number": MALE_ID, "certificate_number": MALE_ID + "73"},
                           today=timezone.localdate())
    assert checked.ok and (checked.derived["category"], checked.derived["grade"]) == (7, 3)
    person = services.person_register(actor=SYSTEM, unit=tree.community, name="某",
                                      hukou="rural", id_number=MALE_ID,
                                      certificate_number=MALE_ID + "73")
    assert (person.category, person.grade, person.certificate_issued_on) == (7, 3, None)


# ---- what the import accepts, the edit form saves unchanged ---------------------------------

def _form_data(page: str) -> dict:
    """What a browser would send back from the edit form, untouched."""
    form = html.fromstring(page).xpath("//main//form[@method='post']")[0]
    data = {}
    for element in form.xpath(".//input|.//select|.//textarea"):
        name = element.get("name")
        if not name:
            continue
        if element.tag == "select":
            chosen = element.xpath("./option[@selected]")
            data[name] = chosen[0].get("value") if chosen else ""
        elif element.tag == "textarea":
            data[name] = element.text_content().lstrip("\n")
        elif element.get("type") == "checkbox":
            if element.get("checked") is not None:
                data[name] = element.get("value", "on")
        elif element.get("type") not in ("submit", "button"):
            data[name] = element.get("value", "")
    return data


def test_every_person_the_import_accepts_saves_unchanged_from_the_edit_form(tree, client_for):
    """A ledger of the shapes real registers have: no certificate date, a certificate alone
    (category and grade read from it), no ID number (birth date and gender typed), a grid,
    the subsidies, a deceased person with the date."""
    first, second, third = (make_id(birth=dt.date(1950 + i, 2, 3), seq=60 + i) for i in range(3))
    header = ["姓名", "身份证号", "性别", "出生日期", "残疾证号", "残疾类别", "残疾等级",
              "发证日期", "有效期至", "所属村（社区）", "网格", "户籍", "享受低保", "人员状态",
              "状态变更日期", "备注"]
    rows = [
        ["甲", first, "", "", f"{first}42", "肢体", "二级", "", "", "东山根社区", "第1网格",
         "城镇", "是", "", "", "（备注）"],
        ["乙", second, "", "", f"{second}13", "", "", "2016-04-01", "2026-04-01", "高家庄村",
         "", "", "", "", "", ""],
        ["丙", "", "女", "1990-07-08", "", "", "", "", "", "高家庄村", "", "农村", "否", "",
         "", ""],
        ["丁", third, "男", "", "", "", "", "", "", "东山根社区", "", "", "", "已故",
         "2024-10-01", "多行\n备注"],
    ]
    workbook = openpyxl.Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = imports.job_create(actor=tree.township_officer, kind="people",
                             upload=SimpleUploadedFile("登记表.xlsx", buffer.getvalue()))
    imports.job_start(actor=tree.township_officer, job=job)
    job = imports.job_run(job.pk)
    assert job.applied and job.created == 4, job.errors
    client = client_for(tree.township_officer)
    for person in Person.objects.order_by("pk"):
        url = reverse("people:person_edit", args=[person.pk])
        data = _form_data(client.get(url).content.decode())
        response = client.post(url, data)
        errors = response.context["form"].errors if response.status_code == 200 else {}
        assert response.status_code == 302, (person.name, errors)
        assert not AuditLog.objects.filter(action=Action.UPDATE, object_id=str(person.pk),
                                           content_type__model="person").exists(), person.name
    assert Person.objects.get(name="甲").notes == "（备注）"


VISIT_HEADERS = {"id_number": "身份证号", "visited_on": "走访日期", "worker_name": "走访人",
                 "mode": "走访方式", "next_due": "下次走访日期"}
JOB_HEADERS = {"id_number": "身份证号", "work_wished": "求职意向", "ability": "劳动能力",
               "status": "状态", "employer": "就业单位", "placed_on": "就业日期",
               "registered_on": "登记日期"}
OTHER_CASES = [
    ("visit", "next visit not after this one", "next_due",
     {"visited_on": "2025-03-01", "worker_name": "刘专委", "mode": "home",
      "next_due": "2025-02-01"}),
    ("visit", "visited tomorrow", "visited_on",
     {"visited_on": TOMORROW.isoformat(), "worker_name": "刘专委", "mode": "home"}),
    ("jobseeker", "placed without an employer", "employer",
     {"work_wished": "保洁", "ability": "full", "status": "placed", "placed_on": "2025-03-01",
      "registered_on": "2025-01-05"}),
    ("jobseeker", "placed without a date", "placed_on",
     {"work_wished": "保洁", "ability": "full", "status": "placed", "employer": "福利厂",
      "registered_on": "2025-01-05"}),
]


@pytest.mark.parametrize(("kind", "case", "field", "fields"), OTHER_CASES,
                         ids=[c[1] for c in OTHER_CASES])
def test_a_bad_visit_or_job_seeking_gets_the_same_message_everywhere(tree, client_for, kind,
                                                                      case, field, fields):
    person = make_person(unit=tree.community)
    typed = {k: _date(v) for k, v in fields.items()}
    service_call, url_name, headers, ledger_kind = {
        "visit": (services.visit_record, "people:visit_create", VISIT_HEADERS, "visits"),
        "jobseeker": (services.jobseeker_register, "people:jobseeker_create", JOB_HEADERS,
                      "jobseekers"),
    }[kind]
    with pytest.raises(ValidationError) as caught:
        service_call(actor=tree.village_officer, person=person, **typed)
    service = caught.value.message_dict[field]
    data = {"findings": "", "skills": "", "training_wanted": "", "employer": "",
            "placed_on": "", "next_due": "", **fields}
    response = client_for(tree.village_officer).post(reverse(url_name, args=[person.pk]), data)
    assert response.status_code == 200
    form = response.context["form"].errors[field]
    ledger = _through_import(tree, fields, kind=ledger_kind, headers=headers,
                             base={"id_number": person.id_number})[field]
    assert service == form == ledger, case
