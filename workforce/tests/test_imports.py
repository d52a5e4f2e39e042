"""The roster (专职委员花名册) through the import engine: new workers and their posts, a
worker holding two posts, a worker already recorded getting a new post, and every bad row
named by row and column with the cell's reason in Chinese."""

import datetime as dt

from people.tests.factories import make_id, make_person
from people.tests.test_imports import upload, xlsx
from workforce.models import Appointment, Worker
from workforce.tests.factories import make_worker

HEADER = ["姓名", "身份证号", "联系电话", "文化程度", "残疾人或亲属", "亲属身份证号",
          "与残疾人关系", "任职单位", "岗位", "任职方式", "聘任日期", "聘期届满", "聘任文号"]


def row(name, number, unit="620422100001", post="专职委员", connection="否", relative="",
        relation="", start="2024-03-01", term="2027-02-28"):
    return [name, number, 13912345678, "高中", connection, relative, relation, unit, post,
            "专职", start, term, "会残联发〔2024〕3号"]


def test_a_roster_goes_in_with_the_register_links(tree):
    disabled = make_person(unit=tree.community, name="残疾专委")
    relative = make_person(unit=tree.village, name="残疾老人")
    chair = make_id(seq=41)
    rows = [
        row("残疾专委", disabled.id_number, connection="残疾人"),
        row("亲属专委", make_id(seq=42), unit="高家庄村", connection="残疾人亲属",
            relative=relative.id_number, relation="子女"),
        row("主席甲", chair, post="残协主席", start="2023-01-01", term=""),
        row("主席甲", chair, unit="620422100200", post="阳光家园辅导员"),  # a second post
    ]
    job = upload(tree.township_officer, xlsx(rows, header=HEADER), kind="workers")
    assert job.applied and job.bad_rows == 0, job.errors
    assert Worker.objects.count() == 3
    officer = Worker.objects.get(name="残疾专委")
    assert officer.person == disabled and officer.connection == "disabled"
    assert Worker.objects.get(name="亲属专委").person == relative
    assert Appointment.objects.filter(worker__id_hash=Worker.objects.get(name="主席甲").id_hash)\
        .count() == 2
    first = Appointment.objects.get(worker=officer)
    assert (first.starts_on, first.term_ends_on, first.document_number) == (
        dt.date(2024, 3, 1), dt.date(2027, 2, 28), "会残联发〔2024〕3号")


def test_bad_rows_are_named_by_row_column_and_reason(tree):
    rows = [
        row("好人", make_id(seq=43)),
        row("坏号", "62042219800301"),
        row("没登记的残疾人", make_id(seq=44), connection="残疾人"),
        row("村外", make_id(seq=45), unit="红堡子村"),  # another township's village
        row("网格", make_id(seq=46), post="专职委员", unit="620422100001001"),
        row("怪岗位", make_id(seq=47), post="村长"),
        row("日期反了", make_id(seq=48), start="2024-03-01", term="2023-01-01"),
        row("亲属缺号", make_id(seq=49), connection="残疾人亲属", relation="子女"),
    ]
    job = upload(tree.township_officer, xlsx(rows, header=HEADER), kind="workers",
                 mode="valid")
    problems = {(number, column): reason for number, column, _text, reason in job.errors}
    assert ("身份证号" in problems[(3, "身份证号")]) or problems[(3, "身份证号")]
    assert "登记" in problems[(4, "残疾人或亲属")]
    assert (5, "任职单位") in problems and (6, "任职单位") in problems
    assert "岗位" in problems[(7, "岗位")] or "村长" in problems[(7, "岗位")]
    assert (8, "聘期届满") in problems
    assert (9, "亲属身份证号") in problems
    assert job.created == 1 and Worker.objects.get().name == "好人"


def test_a_worker_already_recorded_gets_the_new_post_and_details_only_in_update_mode(tree):
    number = make_id(seq=50)
    make_worker(unit=tree.community, name="老专委", id_number=number, phone="1")
    job = upload(tree.township_officer, xlsx([row("老专委改名", number)], header=HEADER),
                 kind="workers", mode="valid")
    assert job.applied and job.bad_rows == 0
    worker = Worker.objects.get()
    assert worker.name == "老专委" and Appointment.objects.filter(worker=worker).count() == 1
    upload(tree.township_officer, xlsx([row("老专委改名", number)], header=HEADER),
           kind="workers", mode="valid", update_existing=True)
    worker.refresh_from_db()
    assert worker.name == "老专委改名" and worker.phone == "13912345678"
    assert Appointment.objects.filter(worker=worker).count() == 1  # the post once


def test_a_worker_of_another_area_is_refused(tree):
    number = make_id(seq=51)
    make_worker(unit=tree.other_village, id_number=number)
    job = upload(tree.township_officer, xlsx([row("别处的", number)], header=HEADER),
                 kind="workers", mode="valid")
    assert job.bad_rows == 1 and "其他单位" in job.errors[0][3]


def test_the_blank_template_and_an_export_come_back_in(tree, client_for):
    import io

    import openpyxl
    from django.urls import reverse

    from workforce.imports import ROSTER_COLUMNS
    from workforce.tests.factories import make_officer

    client = client_for(tree.county_admin)
    blank = client.get(reverse("imports:import_template", kwargs={"kind": "workers"}))
    header = list(openpyxl.load_workbook(io.BytesIO(blank.content)).active.iter_rows(
        values_only=True))[1]
    assert list(header) == [c.label for c in ROSTER_COLUMNS]
    make_officer(unit=tree.community, name="往返专委", certificate_number="ZW-7")
    exported = client.get(reverse("workforce:worker_export")).content
    Appointment.objects.all().delete()
    Worker.objects.all().delete()
    job = upload(tree.county_admin, exported, name="花名册.xlsx", kind="workers")
    assert job.applied and job.bad_rows == 0, job.errors
    worker = Worker.objects.get()
    assert (worker.name, worker.certificate_number) == ("往返专委", "ZW-7")
    assert Appointment.objects.get().post.unit == tree.community
