"""Property tests of the people import (core.importer + people.imports.PersonImport), driven
end to end through the import jobs (job_create → job_configure → job_start → job_run).

Hypothesis writes small ledgers (1–15 people) as .xlsx or as CSV (UTF-8, UTF-8 with BOM,
GB18030), with the columns in any order, blank rows, trailing empty columns and ragged CSV
lines. Each row is either clean — a real person, spelled in any of the ways the import
accepts — or carries one or more corruptions. The properties:

1. the importer never fails on a row: the job always ends "done";
2. every corrupted row is reported, no clean row is;
3. "valid rows only" imports exactly the clean rows, with the values they spell;
4. an all-or-nothing import that meets a bad row leaves the database as it was;
5. a dry run leaves the database as it was, and predicts the real run.

Every example runs inside a savepoint that is rolled back, and starts by checking that the
previous example left nothing behind.
"""

import csv
import datetime as dt
import io
import os
from contextlib import contextmanager
from dataclasses import dataclass, field

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from audit.models import AuditLog
from imports import services as imports
from imports.models import ImportJob
from people.models import JobSeeker, Need, Person, PersonEvent, Visit

from .factories import check_char, make_id, make_person

PROPERTY = settings(
    # CI runs 25 examples a property; IMPORT_PROPERTY_EXAMPLES=1000 searches harder locally.
    max_examples=int(os.environ.get("IMPORT_PROPERTY_EXAMPLES", 25)),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)
EXCEL_EPOCH = dt.date(1899, 12, 30)

# ---- the ledger's columns ----------------------------------------------------------------

COLUMNS = ("name", "gender", "id", "birth", "cert", "category", "grade", "issued", "unit")
HEADER = {"name": "姓名", "gender": "性别", "id": "身份证号", "birth": "出生日期",
          "cert": "残疾证号", "category": "残疾类别", "grade": "残疾等级", "issued": "发证日期",
          "unit": "所属村（社区）"}
FIELDS = {"name": "name", "gender": "gender", "id": "id_number", "birth": "birth_date",
          "cert": "certificate_number", "category": "category", "grade": "grade",
          "issued": "certificate_issued_on", "unit": "unit"}
# The column an error names is the header the blank template carries: the same words.
LABEL = HEADER
FORMATS = ("xlsx", "csv:utf-8", "csv:utf-8-sig", "csv:gb18030")

NAME_CHARS = ("马王李张刘陈杨赵黄周吴徐孙胡朱高林何郭罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
              "苏卢蒋蔡贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾"
              "侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文有福秀兰英明华国庆芳玉珍桂")
CATEGORY_4 = ["肢体", "4", "肢体残疾", "肢残", " 肢体 "]
GRADE_2 = ["二级", "2", "贰级", "II", "ii", "二", "2级", "Ⅱ"]
UNITS = {  # unit code -> the ways a ledger names it
    "620422100001": ["东山根社区居民委员会", "东山根社区", "东山根社区居委会", "620422100001",
                     " 东山根社区 ", "东山根 社区"],
    "620422100200": ["高家庄村民委员会", "高家庄", "高家庄村委会", "620422100200"],
}
IN_SCOPE = {"village": ["620422100001"], "township": ["620422100001", "620422100200"]}
OUTSIDE = {"village": ["红堡子村民委员会", "红堡子", "620422101200", "高家庄村民委员会",
                       "620422100200"],
           "township": ["红堡子村民委员会", "红堡子", "620422101200", "红堡子村委会"]}
UNKNOWN_UNITS = ["不存在村", "幸福村", "新庄村民委员会", "东山根", "620422100999", "620422999999",
                 "会师镇"]
NOT_CATEGORIES = ["肢体障碍", "残疾", "0", "8", "心理", "肢", "四级", "视", "10"]
GRADE_5 = ["5", "五级", "伍级", "5级", "V"]
NOT_DATES = ["2011-13-45", "昨天", "2011-02-30", "明年三月", "13/45/2011", "2011年13月5日"]
SPACES = [" ", "\u3000"]

ID_CORRUPTIONS = ("wrong_check", "scientific", "too_short", "letters", "impossible_birth")
CORRUPTIONS = ID_CORRUPTIONS + (
    "cert_category", "cert_grade", "bad_category", "grade_5", "bad_date", "unknown_unit",
    "outside_unit", "blank_name", "long_name", "duplicate",
)
# Corruptions that decide whose ID the row carries; a row has at most one of them.
IDENTITY = ("duplicate", "already_registered", "registered_elsewhere")
# A duplicate may copy the ID of an earlier row that is bad for another reason: it is
# reported all the same (test_a_duplicate_of_an_earlier_bad_row_is_reported).
DUPLICATES_OF_BAD_ROWS = True


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


# ---- one row -----------------------------------------------------------------------------

@dataclass
class Line:
    number: int
    cells: dict = field(default_factory=dict)  # column -> value as written
    blank: bool = False
    corruptions: tuple = ()
    labels: set = field(default_factory=set)  # the columns a single corruption must name
    id_number: str = ""  # the person's ID, as it should be stored (clean rows)
    expected: dict = field(default_factory=dict)  # what a clean new row must store
    update: bool = False  # a clean row that updates someone already registered

    @property
    def clean(self) -> bool:
        return not self.blank and not self.corruptions


@dataclass
class Scenario:
    fmt: str
    actor: str  # "village" (东山根社区's officer) or "township" (会师镇's)
    order: tuple
    trailing: int
    lines: list
    update_existing: bool = False
    existing_here: list = field(default_factory=list)  # IDs registered in 东山根社区
    existing_elsewhere: list = field(default_factory=list)  # IDs registered in 红堡子村

    @property
    def rows(self) -> list[Line]:
        return [line for line in self.lines if not line.blank]


def draw_identity(draw, used: set) -> str:
    """A valid, unused 620422 ID; about a quarter end in X."""
    birth = draw(st.dates(dt.date(1925, 1, 1), dt.date(2015, 12, 31)))
    seq = draw(st.integers(0, 999))
    want_x = draw(st.integers(0, 3)) == 3
    for step in range(2000):
        first17 = f"620422{birth:%Y%m%d}{(seq + step) % 1000:03d}"
        if first17 in used or (want_x and step < 1000 and check_char(first17) != "X"):
            continue
        used.add(first17)
        return first17 + check_char(first17)
    raise AssertionError("no free ID for that birth date")  # 1000 people born the same day


def present(draw, number: str):
    """An ID or certificate number as people type it: full-width characters, spaces,
    a lowercase x — all of which the import must read."""
    chars = list(number)
    if draw(st.booleans()):
        for i in draw(st.sets(st.integers(0, len(chars) - 1), max_size=len(chars))):
            chars[i] = full_width(chars[i])
    if "X" in number and draw(st.booleans()):
        i = number.index("X")
        chars[i] = draw(st.sampled_from(["x", "ｘ", "Ｘ"]))
    if draw(st.integers(0, 2)) == 2:
        for i in sorted(draw(st.sets(st.integers(0, len(chars)), max_size=4)), reverse=True):
            chars.insert(i, draw(st.sampled_from(SPACES)))
    return "".join(chars)


def spell_date(draw, day: dt.date, fmt: str):
    """A date in one of the spellings the import accepts (as text, or typed into Excel)."""
    serial = (day - EXCEL_EPOCH).days
    spellings = [day.isoformat(), f"{day.year}-{day.month}-{day.day}",
                 f"{day.year}/{day.month}/{day.day}", f"{day.year}.{day.month}.{day.day}",
                 f"{day.year}年{day.month}月{day.day}日", f"{day.year}年{day.month}月{day.day}",
                 f"{day:%Y%m%d}", str(serial)]
    if fmt == "xlsx":
        spellings += [day, dt.datetime(day.year, day.month, day.day), serial, float(serial)]
        if day.year >= 2000:  # an 8-digit number before 2000: see test_a_birth_date_typed_…
            spellings.append(int(f"{day:%Y%m%d}"))
    return draw(st.sampled_from(spellings))


def choose(draw, options: list, fmt: str, numbers: list = ()):
    """One of ``options``, or in a workbook one of ``numbers`` (typed as a number)."""
    return draw(st.sampled_from(list(options) + (list(numbers) if fmt == "xlsx" else [])))


def draw_line(draw, sc: Scenario, number: int, used: set, free_here: list, free_elsewhere: list,
              force_corrupt: bool = False) -> Line:
    originals = [r for r in sc.rows if r.clean or (
        DUPLICATES_OF_BAD_ROWS and not set(r.corruptions) & set(ID_CORRUPTIONS))]
    options = list(CORRUPTIONS)
    if not originals:
        options.remove("duplicate")
    if free_here and not sc.update_existing:
        options.append("already_registered")
    if free_elsewhere:
        options.append("registered_elsewhere")
    corrupt = force_corrupt or draw(st.booleans())
    corruptions = draw(st.lists(st.sampled_from(options), min_size=1, max_size=3,
                                unique=True)) if corrupt else []
    identity = [c for c in corruptions if c in IDENTITY]
    corruptions = [c for c in corruptions if c not in IDENTITY] + identity[:1]
    line = Line(number, corruptions=tuple(corruptions))

    # Whose row it is.
    if "duplicate" in corruptions:
        line.id_number = draw(st.sampled_from([r.id_number for r in originals]))
    elif "already_registered" in corruptions:
        line.id_number = free_here.pop(draw(st.integers(0, len(free_here) - 1)))
    elif "registered_elsewhere" in corruptions:
        line.id_number = free_elsewhere.pop(draw(st.integers(0, len(free_elsewhere) - 1)))
    elif free_here and sc.update_existing and draw(st.booleans()):
        line.id_number = free_here.pop(draw(st.integers(0, len(free_here) - 1)))
        line.update = True
    else:
        line.id_number = draw_identity(draw, used)
    number_ = line.id_number
    birth = dt.date(int(number_[6:10]), int(number_[10:12]), int(number_[12:14]))
    male = int(number_[16]) % 2 == 1
    fmt = sc.fmt

    # A clean row, spelled in one of the accepted ways.
    name = draw(st.text(NAME_CHARS, min_size=1, max_size=10))
    cells = {
        "name": draw(st.sampled_from([name, f" {name} ", f"{name}\u3000"])),
        "id": present(draw, number_),
        "gender": draw(st.sampled_from([None, "男" if male else "女", "1" if male else "2"])),
        "birth": spell_date(draw, birth, fmt) if draw(st.booleans()) else None,
        "cert": None, "category": None, "grade": None, "issued": None,
    }
    has_cert = draw(st.booleans()) or "cert_category" in corruptions \
        or "cert_grade" in corruptions
    issued, cert_digits = None, "42"
    if has_cert:
        if draw(st.booleans()):
            cells["category"] = choose(draw, CATEGORY_4, fmt, [4, 4.0])
        if draw(st.booleans()):
            cells["grade"] = choose(draw, GRADE_2, fmt, [2, 2.0])
        if draw(st.booleans()):
            issued = draw(st.dates(dt.date(2000, 1, 1), dt.date(2025, 12, 31)))
            cells["issued"] = spell_date(draw, issued, fmt)
    unit_code = draw(st.sampled_from(IN_SCOPE[sc.actor]))
    cells["unit"] = choose(draw, UNITS[unit_code], fmt, [int(unit_code)])

    # The corruptions.
    labels: set = set()
    if set(corruptions) & set(ID_CORRUPTIONS):
        labels.add(LABEL["id"])
        cells["id"] = corrupt_id(draw, number_, corruptions, fmt)
    if set(corruptions) & set(IDENTITY):
        labels.add(LABEL["id"])
    if "cert_category" in corruptions:
        digit = draw(st.sampled_from("012356789"))
        cert_digits = digit + cert_digits[1]
        if digit in "1234567" and cells["category"] is None:  # only a disagreement then
            cells["category"] = choose(draw, CATEGORY_4, fmt, [4])
        labels.add(LABEL["category"])
    if "cert_grade" in corruptions:
        digit = draw(st.sampled_from("013456789"))
        cert_digits = cert_digits[0] + digit
        if digit in "1234" and cells["grade"] is None:
            cells["grade"] = choose(draw, GRADE_2, fmt, [2])
        labels.add(LABEL["grade"])
    if has_cert:
        cells["cert"] = present(draw, number_ + cert_digits)
    if "bad_category" in corruptions:
        cells["category"] = draw(st.sampled_from(NOT_CATEGORIES))
        labels.add(LABEL["category"])
    if "grade_5" in corruptions:
        cells["grade"] = choose(draw, GRADE_5, fmt, [5])
        labels.add(LABEL["grade"])
    if "bad_date" in corruptions:
        column = draw(st.sampled_from(["issued", "birth"]))
        cells[column] = draw(st.sampled_from(NOT_DATES))
        labels.add(LABEL[column])
    if "unknown_unit" in corruptions:
        cells["unit"] = draw(st.sampled_from(UNKNOWN_UNITS))
        labels.add(LABEL["unit"])
    if "outside_unit" in corruptions:
        cells["unit"] = draw(st.sampled_from(OUTSIDE[sc.actor]))
        labels.add(LABEL["unit"])
    if "blank_name" in corruptions:
        cells["name"] = draw(st.sampled_from(["", "  ", "\u3000", None]))
        labels.add(LABEL["name"])
    if "long_name" in corruptions:
        cells["name"] = draw(st.text(NAME_CHARS, min_size=51, max_size=70))
        labels.add(LABEL["name"])
    line.cells, line.labels = cells, labels
    if line.clean and not line.update:
        line.expected = {
            "name": name, "unit__code": unit_code, "birth_date": birth,
            "gender": "M" if male else "F", "certificate_number": number_ + "42" if has_cert
            else None, "category": 4 if has_cert else None, "grade": 2 if has_cert else None,
            "certificate_issued_on": issued,
        }
    return line


def corrupt_id(draw, number: str, corruptions, fmt: str):
    text = number
    if "impossible_birth" in corruptions:
        year = int(text[6:10])
        month, day = draw(st.sampled_from([
            (0, 10), (13, 1), (19, 9), (6, 0), (6, 31), (1, 32), (4, 39), (2, 30), (2, 31),
            (2, 29) if year % 4 else (2, 30),
        ]))
        first17 = f"{text[:6]}{year:04d}{month:02d}{day:02d}{text[14:17]}"
        text = first17 + check_char(first17)
    if "letters" in corruptions:
        i = draw(st.integers(0, 16))
        text = text[:i] + draw(st.sampled_from("ABOIlOoxXZ") | st.just("Ｏ")) + text[i + 1:]
    if "wrong_check" in corruptions:
        text = text[:17] + draw(st.sampled_from([c for c in "0123456789X" if c != text[17]]))
    if "too_short" in corruptions:
        keep = draw(st.integers(1, 17))
        text = text[:keep] if draw(st.booleans()) else text[-keep:]
    if "scientific" in corruptions:
        digits = number[:17] + "1"
        if fmt == "xlsx":
            return draw(st.sampled_from([float(digits), f"{float(digits):.5E}"]))
        return draw(st.sampled_from([f"{float(digits):.5E}", f"{float(digits):.11e}",
                                     f"{float(digits):.5E}".replace("E+", "E")]))
    return present(draw, text)


BLANKS = {"xlsx": [[], [None], ["", None, " "]], "csv": [[], ["", "", ""], [" ", ""]]}


@st.composite
def scenarios(draw, *, existing: bool = False, need_corrupt: bool = False) -> Scenario:
    sc = Scenario(fmt=draw(st.sampled_from(FORMATS)),
                  actor=draw(st.sampled_from(["village", "township"])),
                  order=tuple(draw(st.permutations(COLUMNS))),
                  trailing=draw(st.integers(0, 3)), lines=[])
    used: set = set()
    if existing:
        sc.update_existing = draw(st.booleans())
        sc.existing_here = [draw_identity(draw, used) for _ in range(draw(st.integers(0, 2)))]
        sc.existing_elsewhere = [draw_identity(draw, used)
                                 for _ in range(draw(st.integers(0, 1)))]
    free_here, free_elsewhere = list(sc.existing_here), list(sc.existing_elsewhere)
    kind = "xlsx" if sc.fmt == "xlsx" else "csv"
    number = 1  # the header
    for _ in range(draw(st.integers(1, 14 if need_corrupt else 15))):
        while draw(st.integers(0, 5)) == 5:
            number += 1
            sc.lines.append(Line(number, blank=True,
                                 cells={"raw": draw(st.sampled_from(BLANKS[kind]))}))
        number += 1
        sc.lines.append(draw_line(draw, sc, number, used, free_here, free_elsewhere))
    if need_corrupt and all(line.clean for line in sc.rows):
        number += 1
        sc.lines.append(draw_line(draw, sc, number, used, free_here, free_elsewhere,
                                  force_corrupt=True))
    if draw(st.booleans()):
        for _ in range(draw(st.integers(1, 2))):
            number += 1
            sc.lines.append(Line(number, blank=True,
                                 cells={"raw": draw(st.sampled_from(BLANKS[kind]))}))
    # Trailing empty columns on some rows; a CSV line may also stop at its last filled cell.
    for line in sc.lines:
        if not line.blank:
            line.cells["trailing"] = draw(st.lists(st.sampled_from(
                ["", " ", None] if kind == "xlsx" else ["", " "]),
                min_size=0, max_size=sc.trailing))
            line.cells["ragged"] = kind == "csv" and draw(st.booleans())
    return sc


# ---- writing the file and running the import -------------------------------------------------

def cells_of(sc: Scenario, line: Line) -> list:
    if line.blank:
        return list(line.cells["raw"])
    values = [line.cells.get(c) for c in sc.order] + list(line.cells.get("trailing", []))
    if line.cells.get("ragged"):
        while values and (values[-1] is None or str(values[-1]).strip() == ""):
            values.pop()
    return values


def render(sc: Scenario) -> tuple[str, bytes]:
    header = [HEADER[c] for c in sc.order] + [""] * sc.trailing
    if sc.fmt == "xlsx":
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(header)
        for line in sc.lines:
            sheet.append(cells_of(sc, line))
        buffer = io.BytesIO()
        book.save(buffer)
        return "登记表.xlsx", buffer.getvalue()
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    for line in sc.lines:
        writer.writerow(["" if v is None else v for v in cells_of(sc, line)])
    return "登记表.csv", text.getvalue().encode(sc.fmt.split(":")[1])


def actor_of(tree, sc: Scenario):
    return {"village": tree.village_officer, "township": tree.township_officer}[sc.actor]


def run_import(actor, filename: str, data: bytes, *, mode: str, update_existing=False,
               dry_run=False, order=None) -> ImportJob:
    job = imports.job_create(actor=actor, kind="people",
                             upload=SimpleUploadedFile(filename, data))
    if order is not None:
        # The header is found in row 1 and every column is recognised, whatever the order.
        assert job.header_row == 1, job.mapping
        assert {int(k): v for k, v in job.mapping.items()} == {
            i: FIELDS[c] for i, c in enumerate(order)}
    job = imports.job_configure(actor=actor, job=job, sheet=job.sheet,
                                header_row=job.header_row, mapping=job.mapping, mode=mode,
                                update_existing=update_existing, dry_run=dry_run)
    imports.job_start(actor=actor, job=job)
    return imports.job_run(job.pk)


def import_scenario(tree, sc: Scenario, *, mode: str, dry_run=False) -> ImportJob:
    filename, data = render(sc)
    return run_import(actor_of(tree, sc), filename, data, mode=mode,
                      update_existing=sc.update_existing, dry_run=dry_run, order=sc.order)


def register_existing(tree, sc: Scenario) -> None:
    for i, number in enumerate(sc.existing_here):
        make_person(unit=tree.community, name=f"已登记{i}", id_number=number)
    for i, number in enumerate(sc.existing_elsewhere):
        make_person(unit=tree.other_village, name=f"外村{i}", id_number=number)


def snapshot() -> dict:
    return {
        "people": list(Person.objects.order_by("pk").values()),
        "events": list(PersonEvent.objects.order_by("pk").values_list("pk", flat=True)),
        "audit": list(AuditLog.objects.order_by("pk").values_list("pk", flat=True)),
        "needs": Need.objects.count(), "visits": Visit.objects.count(),
        "jobseekers": JobSeeker.objects.count(),
    }


@contextmanager
def fresh_example(tree):
    """A savepoint rolled back after the example; first, proof that the last one left
    nothing behind."""
    baseline = getattr(tree, "audit_baseline", None)
    if baseline is None:
        baseline = tree.audit_baseline = AuditLog.objects.count()
    assert not Person.objects.exists()
    assert not PersonEvent.objects.exists()
    assert not ImportJob.objects.exists()
    assert AuditLog.objects.count() == baseline
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def reported_rows(job: ImportJob) -> dict[int, set]:
    rows: dict[int, set] = {}
    for number, label, _value, reason in job.errors:
        assert reason, job.errors
        rows.setdefault(number, set()).add(label)
    return rows


# ---- 1. the importer never fails on a row ------------------------------------------------------

CSV_TEXT = st.characters(exclude_categories=("Cs",))  # NUL and digits float() rejects too
XLSX_TEXT = CSV_TEXT.filter(lambda c: c >= " " or c in "\t\n\r")
JUNK = {
    "xlsx": st.one_of(
        st.none(), st.text(XLSX_TEXT, max_size=25),
        st.integers(-(10**20), 10**20), st.floats(allow_nan=False, allow_infinity=False),
        st.dates(dt.date(1900, 3, 1), dt.date(9999, 12, 31)),
        st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(9999, 12, 31)),
        st.booleans(), st.times(),
        st.sampled_from(["=1+1", "#N/A", "-", "—", "无", "/", "1e400", "0x1F", "NaN"]),
    ),
    "csv": st.one_of(
        st.text(CSV_TEXT, max_size=25),
        st.floats().map(repr), st.integers(-(10**25), 10**25).map(str),
        st.sampled_from(["#N/A", "-", "—", "无", "/", "1e400", "inf", "NaN", "0x1F", "١٢٣"]),
    ),
}


@st.composite
def junk_scenarios(draw) -> Scenario:
    """A ledger of people some of whose cells are replaced by anything at all."""
    sc = draw(scenarios(existing=True))
    junk = JUNK["xlsx" if sc.fmt == "xlsx" else "csv"]
    for line in sc.rows:
        for column in draw(st.sets(st.sampled_from(COLUMNS), max_size=len(COLUMNS))):
            line.cells[column] = draw(junk)
    return sc


@PROPERTY
@given(sc=junk_scenarios(), mode=st.sampled_from(["all", "valid"]), dry_run=st.booleans())
def test_the_importer_never_fails_on_a_row(tree, sc, mode, dry_run):
    with fresh_example(tree):
        register_existing(tree, sc)
        filename, data = render(sc)
        job = run_import(actor_of(tree, sc), filename, data, mode=mode,
                         update_existing=sc.update_existing, dry_run=dry_run)
        assert job.status == ImportJob.Status.DONE, job.message
        assert job.bad_rows <= job.total_rows <= len(sc.rows)
        assert job.error_count == len(job.errors) >= job.bad_rows
        assert job.applied == (not dry_run and not (mode == "all" and job.bad_rows))


# ---- 2. every corrupted row is reported, no clean row is ------------------------------------

def record_events(sc: Scenario) -> None:
    """What the examples covered (pytest --hypothesis-show-statistics)."""
    event(sc.fmt)
    event(f"actor: {sc.actor}")
    for line in sc.rows:
        for corruption in line.corruptions:
            event(corruption)
        if line.clean:
            event("clean update" if line.update else "clean new")
            if line.id_number.endswith("X"):
                event("clean, ID ends in X")
            if not str(line.cells["id"]).isascii():
                event("clean, ID with full-width characters or ideographic spaces")
    if any(line.blank for line in sc.lines):
        event("blank lines")


@PROPERTY
@given(sc=scenarios(existing=True), mode=st.sampled_from(["all", "valid"]), dry_run=st.booleans())
def test_every_corrupted_row_is_reported_and_no_clean_row_is(tree, sc, mode, dry_run):
    with fresh_example(tree):
        register_existing(tree, sc)
        job = import_scenario(tree, sc, mode=mode, dry_run=dry_run)
        assert job.status == ImportJob.Status.DONE, job.message
        reported = reported_rows(job)
        record_events(sc)
        corrupted = {line.number for line in sc.rows if not line.clean}
        clean = {line.number for line in sc.rows if line.clean}
        assert corrupted - set(reported) == set(), "corrupted rows not reported"
        assert clean & set(reported) == set(), f"clean rows reported: {job.errors}"
        assert set(reported) <= corrupted | clean, "a blank line or the header reported"
        assert (job.total_rows, job.bad_rows) == (len(sc.rows), len(corrupted))
        for line in sc.rows:
            if len(line.corruptions) == 1:  # one mistake: named in its own column
                assert reported[line.number] == line.labels, (line.corruptions, job.errors)


# ---- 3. "valid rows only" imports exactly the clean rows --------------------------------------

@PROPERTY
@given(sc=scenarios())
def test_valid_rows_only_imports_exactly_the_clean_rows(tree, sc):
    with fresh_example(tree):
        job = import_scenario(tree, sc, mode="valid")
        assert job.status == ImportJob.Status.DONE, job.message
        clean = [line for line in sc.rows if line.clean]
        assert job.applied and job.created == len(clean)
        people = {p.id_number: {
            "name": p.name, "unit__code": p.unit.code, "birth_date": p.birth_date,
            "gender": p.gender, "certificate_number": p.certificate_number,
            "category": p.category, "grade": p.grade,
            "certificate_issued_on": p.certificate_issued_on, "import_job": p.import_job_id,
            "registered_by": p.registered_by_id} for p in Person.objects.select_related("unit")}
        assert set(people) == {line.id_number for line in clean}
        for line in clean:
            person = people[line.id_number]
            assert person["import_job"] == job.pk
            assert person["registered_by"] == actor_of(tree, sc).pk
            stored = {k: person[k] for k in line.expected}
            assert stored == line.expected, line


# ---- 4. a failed all-or-nothing import changes nothing ------------------------------------------

@PROPERTY
@given(sc=scenarios(existing=True, need_corrupt=True))
def test_a_failed_all_or_nothing_import_changes_nothing(tree, sc):
    with fresh_example(tree):
        register_existing(tree, sc)
        before, jobs = snapshot(), ImportJob.objects.count()
        job = import_scenario(tree, sc, mode="all")
        assert job.status == ImportJob.Status.DONE, job.message
        assert job.bad_rows >= 1 and not job.applied
        assert snapshot() == before
        assert ImportJob.objects.count() == jobs + 1  # the job itself, nothing else


# ---- 5. a dry run changes nothing, and says what the real run will do ---------------------------

@PROPERTY
@given(sc=scenarios(existing=True), mode=st.sampled_from(["all", "valid"]))
def test_a_dry_run_changes_nothing_and_predicts_the_real_run(tree, sc, mode):
    with fresh_example(tree):
        register_existing(tree, sc)
        before = snapshot()
        dry = import_scenario(tree, sc, mode=mode, dry_run=True)
        assert dry.status == ImportJob.Status.DONE, dry.message
        assert not dry.applied
        assert snapshot() == before
        real = import_scenario(tree, sc, mode=mode)
        assert real.status == ImportJob.Status.DONE, real.message
        assert (real.errors, real.bad_rows, real.total_rows) == \
            (dry.errors, dry.bad_rows, dry.total_rows)
        assert real.created == dry.created
        assert real.applied == (not (mode == "all" and real.bad_rows))


# ---- regressions: importer bugs these properties found (see the report) --------------------

def test_a_digit_float_cannot_read_in_a_date_cell_is_reported(tree):
    number = make_id(birth=dt.date(1961, 3, 5))
    data = (f"姓名,身份证号,残疾证号,发证日期,所属村（社区）\n"
            f"马有福,{number},{number}42,፩,东山根社区\n").encode()
    job = run_import(tree.village_officer, "表.csv", data, mode="valid")
    assert job.status == ImportJob.Status.DONE, job.message
    assert reported_rows(job) == {2: {"发证日期"}}


def test_a_birth_date_typed_as_an_8_digit_number_before_2000_is_read(tree):
    number = make_id(birth=dt.date(1961, 3, 5))
    book = openpyxl.Workbook()
    book.active.append(["姓名", "身份证号", "出生日期", "所属村（社区）"])
    book.active.append(["马有福", number, 19610305, "东山根社区"])
    buffer = io.BytesIO()
    book.save(buffer)
    job = run_import(tree.village_officer, "表.xlsx", buffer.getvalue(), mode="valid")
    assert job.errors == []
    assert Person.objects.get().birth_date == dt.date(1961, 3, 5)


@pytest.mark.parametrize("mode", ["all", "valid"])
def test_a_duplicate_of_an_earlier_bad_row_is_reported(tree, mode):
    number = make_id(birth=dt.date(1961, 3, 5))
    data = (f"姓名,身份证号,所属村（社区）\n"
            f" ,{number},东山根社区\n"  # row 2: no name
            f"马有福,{number},东山根社区\n").encode()  # row 3: the same person again
    job = run_import(tree.village_officer, "表.csv", data, mode=mode)
    assert reported_rows(job) == {2: {"姓名"}, 3: {"身份证号"}}


def test_a_nul_character_in_a_cell_is_dropped_on_every_database(tree):
    """Control characters mean nothing in a ledger (and PostgreSQL cannot store NUL): they
    are dropped before a cell is read, so the job finishes and the date is read."""
    number = make_id(birth=dt.date(1961, 3, 5))
    data = (f"姓名,身份证号,残疾证号,发证日期,所属村（社区）\n"
            f"马有福,{number},{number}42,2011\x00-3-5,东山根社区\n").encode()
    job = run_import(tree.village_officer, "表.csv", data, mode="valid")
    assert job.status == ImportJob.Status.DONE, job.message
    assert job.errors == []
    assert Person.objects.get().certificate_issued_on == dt.date(2011, 3, 5)
