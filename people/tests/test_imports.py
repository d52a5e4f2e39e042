import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.models import Action, AuditLog
from core.actors import SYSTEM
from imports import services as imports
from imports.models import ImportJob
from people import selectors
from people.models import CountChange, Need, Person, PersonEvent, Visit

from .factories import make_id, make_person

HEADER = ["姓名", "性别", "身份证号", "残疾证号", "残疾类别", "残疾等级", "联系电话", "住址",
          "所属村（社区）"]


def xlsx(rows, header=HEADER, before=()) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for line in before:
        ws.append(line)
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(actor, data, name="登记表.xlsx", kind="people", **options):
    job = imports.job_create(actor=actor, kind=kind, upload=SimpleUploadedFile(name, data))
    if options:
        job = imports.job_configure(
            actor=actor, job=job, sheet=job.sheet, header_row=job.header_row,
            mapping=job.mapping, mode=options.get("mode", "all"),
            update_existing=options.get("update_existing", False),
            dry_run=options.get("dry_run", False))
    imports.job_start(actor=actor, job=job)
    return imports.job_run(job.pk)


def good_row(name="马有福", birth=dt.date(1961, 3, 5), unit="东山根社区", **kw):
    number = make_id(birth=birth)
    return [name, "男", number, f"{number}42", "肢体", "二级", 13909435678, "3组", unit]


def test_a_clean_file_goes_in(tree):
    rows = [good_row(name=f"甲{i}", birth=dt.date(1960, 1, 1) + dt.timedelta(days=i))
            for i in range(30)]
    job = upload(tree.village_officer, xlsx(rows))
    assert job.status == ImportJob.Status.DONE and job.applied
    assert (job.created, job.bad_rows, job.total_rows) == (30, 0, 30)
    person = Person.objects.get(name="甲0")
    assert person.unit == tree.community and person.category == 4 and person.grade == 2
    assert person.phone == "13909435678" and person.import_job_id == job.pk
    assert person.search_key and person.registered_by == tree.village_officer
    assert AuditLog.objects.filter(action=Action.IMPORT, object_id=str(job.pk)).exists()


def test_messy_cells_are_read_or_reported(tree):
    base = make_id(birth=dt.date(1970, 1, 2))
    rows = [
        ["全角", "男", "".join(chr(ord(c) + 0xFEE0) for c in base), "", "", "", "", "",
         "东山根社区居民委员会"],
        ["科学计数", "男", 6.20422197001e17, "", "", "", "", "", "东山根社区"],
        ["贰级", "男", make_id(birth=dt.date(1971, 1, 2)), None, "肢体残疾", "贰级", "", "",
         "620422100001"],
        ["罗马", "女", make_id(birth=dt.date(1972, 1, 2), male=False), None, "4", "II", "", "",
         "东山根社区"],
        ["没这村", "男", make_id(birth=dt.date(1973, 1, 2)), "", "", "", "", "", "不存在村"],
        ["别人的村", "男", make_id(birth=dt.date(1974, 1, 2)), "", "", "", "", "",
         "红堡子村民委员会"],
        ["重复", "男", base, "", "", "", "", "", "东山根社区"],
    ]
    rows[2][3] = rows[2][2] + "42"
    rows[3][3] = rows[3][2] + "42"
    job = upload(tree.village_officer, xlsx(rows), mode="valid")
    problems = {(row, column): reason for row, column, _v, reason in job.errors}
    assert (3, "身份证号") in problems and "Excel" in problems[(3, "身份证号")]
    assert (6, "所属村（社区）") in problems
    assert (7, "所属村（社区）") in problems  # outside the officer's area: not found
    assert (8, "身份证号") in problems and "2" in problems[(8, "身份证号")]
    assert job.created == 3 and job.bad_rows == 4
    assert Person.objects.get(name="全角").id_number == base
    assert (Person.objects.get(name="贰级").grade, Person.objects.get(name="罗马").grade) == (2, 2)


def test_all_or_nothing_writes_nothing_and_returns_the_bad_rows(tree):
    rows = [good_row(name="好人"), ["坏人", "男", "123", "", "", "", "", "", "东山根社区"]]
    job = upload(tree.village_officer, xlsx(rows))
    assert not job.applied and job.bad_rows == 1 and job.created == 1
    assert not Person.objects.exists()
    book = openpyxl.load_workbook(io.BytesIO(job.rejected_file.read()))
    sheet = book.active
    values = list(sheet.values)
    assert len(values[0]) == len(HEADER) + 2 and values[0][: len(HEADER)] == tuple(HEADER)
    assert values[1][0] == "坏人" and values[1][-2] == 3 and "身份证号" in values[1][-1]


def test_dry_run_changes_nothing(tree):
    job = upload(tree.village_officer, xlsx([good_row()]), dry_run=True)
    assert job.created == 1 and not job.applied and not Person.objects.exists()


def test_existing_people_are_updated_only_in_update_mode(tree):
    person = make_person(unit=tree.community, name="老名字")
    row = ["新名字", "", person.id_number, person.certificate_number, "", "", "13900001111", "",
           "东山根社区"]
    job = upload(tree.village_officer, xlsx([row]))
    assert job.bad_rows == 1 and job.errors[0][1] == "身份证号"
    assert "东山根社区居民委员会" in job.errors[0][3]
    assert Person.objects.get(pk=person.pk).name == "老名字"
    job = upload(tree.village_officer, xlsx([row]), update_existing=True)
    assert job.updated == 1 and job.created == 0
    person.refresh_from_db()
    assert person.name == "新名字" and person.phone == "13900001111"
    assert AuditLog.objects.filter(action=Action.UPDATE, object_id=str(person.pk),
                                   content_type__model="person").exists()


def test_someone_registered_elsewhere_is_refused_naming_the_unit(tree):
    other = make_person(unit=tree.other_village, name="外人")
    row = ["外人", "", other.id_number, "", "", "", "", "", "东山根社区"]
    job = upload(tree.village_officer, xlsx([row]), update_existing=True)
    assert job.bad_rows == 1 and "红堡子村民委员会" in job.errors[0][3]
    assert Person.objects.get(pk=other.pk).unit == tree.other_village


def test_a_register_too_large_to_read_is_asked_batch_by_batch_with_the_same_answers(
        tree, monkeypatch):
    """Beyond READ_WHOLE_REGISTER people, each batch looks up its own ID numbers: the same
    rows are refused, updated and created as when the register is read whole."""
    from people import imports as people_imports

    monkeypatch.setattr(people_imports, "READ_WHOLE_REGISTER", 1)
    here = make_person(unit=tree.community, name="老名字")
    other = make_person(unit=tree.other_village, name="外人")
    assert people_imports.registered_ids() is None
    rows = [["新名字", "", here.id_number, here.certificate_number, "", "", "13900001111", "",
             "东山根社区"],
            ["外人", "", other.id_number, "", "", "", "", "", "东山根社区"],
            good_row(name="新人")]
    job = upload(tree.village_officer, xlsx(rows), mode="valid")
    assert (job.created, job.updated, job.bad_rows) == (1, 0, 2)
    assert [e[0] for e in job.errors] == [2, 3] and "红堡子村民委员会" in job.errors[1][3]
    job = upload(tree.village_officer, xlsx(rows[:2]), mode="valid", update_existing=True)
    assert (job.created, job.updated, job.bad_rows) == (0, 1, 1)
    assert Person.objects.get(pk=here.pk).name == "新名字"
    assert Person.objects.get(pk=other.pk).unit == tree.other_village


def test_a_certificate_of_someone_registered_is_refused_with_the_reason(tree):
    """A certificate number begins with its holder's ID number: a row giving someone else's
    certificate is refused for that (the ID number alone is asked of the register)."""
    holder = make_person(unit=tree.community, name="持证人")
    number = make_id(birth=dt.date(1980, 2, 2))
    job = upload(tree.village_officer, xlsx([
        ["别人", "男", number, holder.certificate_number, "肢体", "二级", "", "", "东山根社区"]]))
    assert job.bad_rows == 1 and not job.applied
    assert [(column, reason[:10]) for _row, column, _value, reason in job.errors] == [
        ("残疾证号", "残疾证号的前18位（")]
    assert Person.objects.get().pk == holder.pk


def test_the_table_refuses_a_certificate_without_an_id_number_or_a_half_sealed_one(tree):
    """The certificate number is the ID number and two digits: the table holds a
    certificate only beside an ID number, and an ID number only whole (sealed, its hash and
    its tail's), whatever writes to it."""
    holder = make_person(unit=tree.community, name="持证人")
    assert holder.has_certificate
    for columns in ({"id_cipher": None, "id_hash": None, "id_tail": None}, {"id_hash": None},
                    {"id_tail": None}, {"id_cipher": None}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Person.objects.filter(pk=holder.pk).update(**columns)
    assert Person.objects.get(pk=holder.pk).id_number == holder.id_number


def test_header_found_below_a_title_and_over_merged_cells(tree):
    number = make_id(birth=dt.date(1955, 5, 5))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["会师镇残疾人基本状况个人登记表"])
    ws.merge_cells("A1:F1")
    ws.append(["姓名", "身份证号", "残疾人证", None, None, "所属村（社区）", None, None])
    ws.merge_cells("C2:E2")
    ws.append([None, None, "证号", "类别", "等级", None])
    ws.append([None])
    ws.append(["老李", number, f"{number}11", "视力", "一级", "东山根社区", None, None])
    buffer = io.BytesIO()
    wb.save(buffer)
    job = upload(tree.village_officer, buffer.getvalue())
    assert job.header_row == 3, job.mapping
    assert set(job.mapping.values()) >= {"certificate_number", "category", "grade"}
    assert job.applied and job.created == 1
    assert Person.objects.get(name="老李").category == 1


def test_gb18030_csv_with_dates_in_every_spelling(tree):
    spellings = ["2011-3-5", "2011/3/5", "2011.3.5", "2011年3月5日", "20110305", "40607"]
    lines = ["姓名,身份证号,残疾证号,发证日期,所属村（社区）"]
    for i, spelled in enumerate(spellings):
        number = make_id(birth=dt.date(1980, 1, 1) + dt.timedelta(days=i))
        lines.append(f"人{i},{number},{number}42,{spelled},东山根社区")
    job = upload(tree.village_officer, "\n".join(lines).encode("gb18030"), name="表.csv")
    assert job.errors == [] and job.created == 6
    assert set(Person.objects.values_list("certificate_issued_on", flat=True)) == {
        dt.date(2011, 3, 5)}


def test_ambiguous_unit_names_list_the_candidates(tree):
    from orgs import services as org_services

    org_services.unit_create(actor=SYSTEM, parent=tree.other_township, level=5,
                             code="620422101001", name="东山根社区居民委员会")
    job = upload(tree.county_admin, xlsx([good_row(unit="东山根社区")]), mode="valid")
    reason = job.errors[0][3]
    assert "620422100001" in reason and "620422101001" in reason


def test_needs_visits_and_job_seekers_use_the_same_engine(tree):
    person = make_person(unit=tree.community)
    outsider = make_person(unit=tree.other_village, name="外人")
    needs = xlsx([[person.id_number, "康复", "需要康复训练", "2026-01-05", "待办", "张专委"],
                  [outsider.id_number, "救助", "", "2026-01-05", "", ""]],
                 header=["身份证号", "需求类型", "需求内容", "登记日期", "状态", "责任人"])
    job = upload(tree.village_officer, needs, kind="needs", mode="valid")
    assert job.created == 1 and job.bad_rows == 1
    assert Need.objects.get(person=person).type == "rehabilitation"
    visits = xlsx([[person.id_number, "2026-02-01", "张专委", "入户", "身体好转", "2026-05-01"]],
                  header=["身份证号", "走访日期", "走访人", "走访方式", "走访情况",
                          "下次走访日期"])
    job = upload(tree.village_officer, visits, kind="visits")
    assert job.applied and Visit.objects.get(person=person).next_due == dt.date(2026, 5, 1)
    jobs = xlsx([[person.id_number, "保洁", "部分", "已就业", "会宁福利厂", ""]],
                header=["身份证号", "求职意向", "劳动能力", "状态", "就业单位", "就业日期"])
    job = upload(tree.village_officer, jobs, kind="jobseekers")
    assert job.bad_rows == 1 and not job.applied  # placed without a date


def test_a_file_without_known_headers_is_refused(tree):
    with pytest.raises(Exception) as exc:
        imports.job_create(actor=tree.village_officer, kind="people",
                           upload=SimpleUploadedFile("x.csv", b"a,b,c\n1,2,3\n"))
    assert "file" in exc.value.message_dict


def test_leader_cannot_import(tree):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        imports.job_create(actor=tree.leader, kind="people",
                           upload=SimpleUploadedFile("x.xlsx", xlsx([good_row()])))


def test_a_job_that_dies_leaves_nothing_and_can_start_again(tree, monkeypatch):
    from people.imports import PersonImport

    rows = [good_row(name=f"丙{i}", birth=dt.date(1950, 1, 1) + dt.timedelta(days=i))
            for i in range(2500)]  # three batches
    data = xlsx(rows)
    calls = {"n": 0}
    real_write = PersonImport.write

    def dying_write(self, batch, ctx):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("the worker was killed")
        return real_write(self, batch, ctx)

    monkeypatch.setattr(PersonImport, "write", dying_write)
    job = upload(tree.village_officer, data, mode="valid")
    assert job.status == ImportJob.Status.FAILED and job.message
    assert not Person.objects.exists()  # the first batch was rolled back too
    monkeypatch.setattr(PersonImport, "write", real_write)
    imports.job_start(actor=tree.village_officer, job=job)
    job = imports.job_run(job.pk)
    assert job.status == ImportJob.Status.DONE and job.created == 2500
    assert Person.objects.count() == 2500


def test_someone_registered_while_the_import_runs_stops_it_cleanly(tree, monkeypatch):
    """The register is read when the import begins; a person registered by someone else
    after that is refused by the table's constraint: nothing is written, and the job says
    why and can be started again, which then reports the row."""
    from people.imports import PersonImport

    rows = [good_row(name=f"丁{i}", birth=dt.date(1955, 1, 1) + dt.timedelta(days=i))
            for i in range(3)]
    real_begin = PersonImport.begin

    def begin_then_someone_registers(self, ctx):
        state = real_begin(self, ctx)
        make_person(unit=tree.community, name="抢先", id_number=rows[1][2])
        return state

    monkeypatch.setattr(PersonImport, "begin", begin_then_someone_registers)
    job = upload(tree.village_officer, xlsx(rows), mode="valid")
    assert job.status == ImportJob.Status.FAILED and "重新" in job.message
    # Nothing of the file was written; the person registered meanwhile stays registered.
    assert list(Person.objects.values_list("name", flat=True)) == ["抢先"]
    monkeypatch.setattr(PersonImport, "begin", real_begin)
    imports.job_start(actor=tree.village_officer, job=job)
    job = imports.job_run(job.pk)
    assert (job.status, job.created, job.bad_rows) == (ImportJob.Status.DONE, 2, 1)
    assert job.errors[0][:2] == [3, "身份证号"]


def test_new_people_are_written_without_a_query_per_batch(tree):
    rows = [good_row(name=f"戊{i}", birth=dt.date(1945, 1, 1) + dt.timedelta(days=i))
            for i in range(2500)]  # three batches
    data = xlsx(rows)
    job = imports.job_create(actor=tree.village_officer, kind="people",
                             upload=SimpleUploadedFile("登记表.xlsx", data))
    imports.job_start(actor=tree.village_officer, job=job)
    with CaptureQueriesContext(connection) as queries:
        job = imports.job_run(job.pk)
    assert job.created == 2500
    reads = [q["sql"] for q in queries.captured_queries
             if 'FROM "people_person"' in q["sql"] and "INSERT" not in q["sql"]]
    # Once each, whatever the number of batches: whether the register is small enough to
    # read whole, its ID numbers before the first batch (in index order, no sort), and
    # after the last one the people written who need a history event (the status column).
    # The kept counts' history is written from the rows just written, in the database (two
    # INSERT … SELECT a batch, by a range of keys: nothing read into Python), and the counts
    # are added by one statement over the people written.
    assert len(reads) == 3, reads
    assert "OFFSET" in reads[0]
    assert '"id_hash"' in reads[1] and "ORDER BY" not in reads[1]
    assert '"import_job_id"' in reads[2]
    history = [q["sql"] for q in queries.captured_queries
               if q["sql"].startswith('INSERT INTO "people_countchange"')]
    assert len(history) == 2 * 3 and all("BETWEEN" in sql for sql in history), history
    upserts = [q["sql"] for q in queries.captured_queries
               if q["sql"].startswith('INSERT INTO "people_unitcount"')]
    assert len(upserts) == 1 and "BETWEEN" in upserts[0]
    assert CountChange.objects.filter(n=1).count() == 2500


def test_choice_words_are_read_whatever_the_active_language(tree):
    from django.utils import translation

    from people import imports as people_imports
    from people.choices import Education, Hukou, Marital

    for choices, word, expected in ((Hukou.choices, "城镇户籍", "urban"),
                                    (Education.choices, "本科及以上", "university"),
                                    (Marital.choices, "已婚有配偶", "married")):
        with translation.override("en"):
            fresh = people_imports._choice_reader(choices, {}, "x")  # first used in English
            assert fresh(word) == expected


def test_a_village_is_found_by_its_everyday_name(tree):
    number = make_id(birth=dt.date(1962, 2, 2))
    job = upload(tree.township_officer, xlsx([["高某", "男", number, "", "", "", "", "",
                                                "高家庄村"]]))
    assert job.applied and Person.objects.get(name="高某").unit == tree.village


STATUS_HEADER = [*HEADER, "人员状态", "死亡日期"]


def test_a_ledgers_status_column_is_imported_with_the_history_it_implies(tree):
    today = dt.date.today()
    rows = [
        [*good_row(name="在册人", birth=dt.date(1960, 1, 1)), "在册", None],
        [*good_row(name="故人", birth=dt.date(1960, 1, 2)), "已故", "2024-10-01"],
        [*good_row(name="迁走", birth=dt.date(1960, 1, 3)), "迁出", None],
        [*good_row(name="空状态", birth=dt.date(1960, 1, 4)), None, None],
    ]
    job = upload(tree.village_officer, xlsx(rows, header=STATUS_HEADER))
    assert job.errors == [] and job.created == 4
    people = {p.name: p for p in Person.objects.all()}
    assert (people["故人"].status, people["故人"].status_date) == ("deceased",
                                                                 dt.date(2024, 10, 1))
    assert (people["迁走"].status, people["迁走"].status_date) == ("moved_out", None)
    assert people["在册人"].status == people["空状态"].status == "active"
    # The ledger has no registration date: a person who died was registered no later than
    # the death it records (so the history reads in order, and the edit form agrees).
    assert people["故人"].registered_on == dt.date(2024, 10, 1)
    assert _history(people["故人"]) == [("registered", dt.date(2024, 10, 1)),
                                       ("deceased", dt.date(2024, 10, 1))]
    # Moved out on a day the ledger does not give: the history dates it from registration.
    assert _history(people["迁走"]) == [("registered", today), ("moved_out", today)]
    assert _history(people["空状态"]) == [("registered", today)]
    # One event is stored for each status that is not active; the registration is the row's.
    assert PersonEvent.objects.count() == 2
    entries = [e for p in people.values() for e in _history(p, full=True)]
    assert len(entries) == 6 and all(
        e.by == tree.village_officer and e.note == f"导入 {job.pk}" for e in entries)


def _history(person, full=False):
    events = list(person.events.select_related("unit", "by"))
    entries = selectors.status_history(Person.objects.get(pk=person.pk), events)
    return entries if full else [(e.kind, e.on) for e in entries]


def test_a_status_date_needs_a_status_and_may_not_be_in_the_future(tree):
    rows = [
        [*good_row(name="甲", birth=dt.date(1960, 1, 1)), "在册", "2024-10-01"],
        [*good_row(name="乙", birth=dt.date(1960, 1, 2)), "死亡", "2999-01-01"],
        [*good_row(name="丙", birth=dt.date(1960, 1, 3)), "失踪", None],
        [*good_row(name="丁", birth=dt.date(1960, 1, 4)), "死亡", "2019-05-05", "2020-01-01"],
    ]
    job = upload(tree.village_officer, xlsx(rows, header=[*STATUS_HEADER, "登记日期"]))
    assert job.bad_rows == 4 and not Person.objects.exists()
    assert not PersonEvent.objects.exists()
    reasons = {row: (column, reason) for row, column, _value, reason in job.errors}
    assert reasons[2][0] == reasons[3][0] == "状态变更日期" and "晚于今天" in reasons[3][1]
    assert reasons[4][0] == "人员状态" and "失踪" in reasons[4][1]
    assert reasons[5][0] == "状态变更日期" and "登记日期" in reasons[5][1]


def test_update_mode_changes_a_status_with_its_history_and_a_blank_status_changes_nothing(
        tree):
    person = make_person(unit=tree.community, actor=tree.village_officer, name="老人")
    row = ["老人", "", person.id_number, person.certificate_number, "", "", "", "", "东山根社区"]
    job = upload(tree.village_officer, xlsx([[*row, None, None]], header=STATUS_HEADER),
                 update_existing=True)
    assert job.errors == [] and Person.objects.get(pk=person.pk).status == "active"
    job = upload(tree.village_officer, xlsx([[*row, "死亡", "2025-02-03"]],
                                            header=STATUS_HEADER), update_existing=True)
    assert job.errors == [] and job.updated == 1
    person.refresh_from_db()
    assert (person.status, person.status_date) == ("deceased", dt.date(2025, 2, 3))
    assert _history(person) == [("deceased", dt.date(2025, 2, 3)),
                                ("registered", dt.date.today())]
    entry = AuditLog.objects.filter(action=Action.UPDATE, object_id=str(person.pk)).latest("id")
    assert entry.changes["status"] == ["active", "deceased"]
    # A file without the column does not bring the person back.
    job = upload(tree.village_officer, xlsx([row]), update_existing=True)
    assert job.errors == [] and Person.objects.get(pk=person.pk).status == "deceased"
