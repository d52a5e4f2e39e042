"""The import benchmark: how the people import compares with the database's fastest path and
with django-import-export, on a generated ledger of N people with a share of realistic errors.

    manage.py bench_import [--rows N] [--errors 0.02] [--skip-import-export] [--keep]

Every figure is measured in a fresh child process (this command started again with
``--child``), so each peak memory (ru_maxrss) is that figure's own and no cache is warm:

* parse: calamine reads the file (core.tabular.open_table, every row);
* raw insert: the valid rows, built as tuples before the clock starts, written by
  core.fastinsert.insert_rows (COPY on PostgreSQL, executemany on SQLite) in one transaction;
  the clock includes sealing each ID number (AES-GCM and two keyed BLAKE2b hashes, with the
  ``cryptography`` package and ``hashlib`` directly), since the table holds no number
  unsealed — the figure is printed beside it;
* importer: the whole job (job_create, job_configure(mode="valid"), job_start, job_run);
* django-import-export: a ModelResource for Person with the same columns, importing a
  tablib Dataset loaded from the same .xlsx.

The database is a fresh SQLite file in a temporary folder, or, when DATABASE_URL names a
PostgreSQL server, a database ``canlian_bench`` created on that server and dropped at the
end (--keep keeps it and the temporary folder, with the generated files).
"""

import base64
import datetime as dt
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.actors import SYSTEM

# BENCH_DATABASE in the environment names another (two benchmarks on one server at once).
BENCH_DATABASE = os.environ.get("BENCH_DATABASE", "canlian_bench")
RESULT_MARK = "BENCH-RESULT "
SEED = 620422
REGION = "620422"  # 会宁县
UNKNOWN_VILLAGE = "620422999999"
ACTOR = "bench_county"
HEADER = ["姓名", "性别", "身份证号", "残疾证号", "残疾类别", "残疾等级", "发证日期",
          "联系电话", "住址", "所属村（社区）"]
CATEGORY_WORDS = {1: "视力", 2: "听力", 3: "言语", 4: "肢体", 5: "智力", 6: "精神", 7: "多重"}
GRADE_WORDS = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}
ERROR_KINDS = ("check digit", "scientific notation", "certificate vs category",
               "unknown village", "blank name", "duplicate ID")
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
            "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹"
            "薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = ("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂玉萍红娥玲芬燕彩春菊花梅琴云"
         "莲真环雪荣爱妹香月莺媛瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷"
         "福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚")
FIRST_BIRTH = dt.date(1940, 1, 1)
BIRTH_DAYS = 29_200  # eighty years of birth dates; coprime with the stride below
BIRTH_STRIDE = 7919
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


# ---- the generated ledger ---------------------------------------------------------------------

def check_char(first17: str) -> str:
    """GB 11643's check character for the first 17 digits of a resident ID."""
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def error_plan(n: int, share: float) -> dict[int, str]:
    """{row index: error kind} for round(n × share) rows (never the first row, so a
    duplicate always has an earlier valid row to copy)."""
    count = min(max(n - 1, 0), round(n * share))
    rng = random.Random(SEED + 1)
    positions = rng.sample(range(1, n), count) if count else []
    return {pos: ERROR_KINDS[k % len(ERROR_KINDS)] for k, pos in enumerate(positions)}


def people(n: int, share: float, villages: list[str]):
    """Yield (valid, cells, values) for n people; ``values`` are what a correct import
    stores (resolved codes, dates) and are given for the valid rows only."""
    rng = random.Random(SEED)
    plan = error_plan(n, share)
    last_valid = None
    for i in range(n):
        birth = FIRST_BIRTH + dt.timedelta(days=(i * BIRTH_STRIDE) % BIRTH_DAYS)
        male = rng.random() < 0.55
        order = ((i // BIRTH_DAYS) * 2 + (1 if male else 0)) % 1000
        first17 = f"{REGION}{birth:%Y%m%d}{order:03d}"
        number = first17 + check_char(first17)
        category, grade = rng.randint(1, 7), rng.randint(1, 4)
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
        issued = dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(5478))
        phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
        address = f"{rng.randint(1, 12)}组{rng.randint(1, 80)}号"
        unit = rng.choice(villages)
        id_cell = number
        category_word = CATEGORY_WORDS[category]
        kind = plan.get(i)
        if kind == "check digit":
            wrong = next(c for c in "0123456789X" if c != number[17])
            number = id_cell = first17 + wrong
        elif kind == "scientific notation":
            id_cell = float(first17 + "0")  # what Excel shows as 6.20422197e17
        elif kind == "certificate vs category":
            category_word = CATEGORY_WORDS[category % 7 + 1]
        elif kind == "unknown village":
            unit = UNKNOWN_VILLAGE
        elif kind == "blank name":
            name = None
        elif kind == "duplicate ID":
            number = id_cell = last_valid
            male = int(number[16]) % 2 == 1
        certificate = f"{number}{category}{grade}"
        cells = [name, "男" if male else "女", id_cell, certificate, category_word,
                 GRADE_WORDS[grade], issued, phone, address, unit]
        if kind:
            yield False, cells, None
            continue
        last_valid = number
        yield True, cells, {
            "name": name, "gender": "M" if male else "F", "id_number": number,
            "birth_date": birth, "certificate_number": certificate, "category": category,
            "grade": grade, "certificate_issued_on": issued, "phone": phone,
            "address": address, "unit": unit,
        }


def write_files(workdir: Path, n: int, share: float, villages: list[str]) -> dict:
    """The ledger of n rows and the one of its first n/4 rows, with openpyxl's streaming
    writer; returns the counts."""
    from openpyxl import Workbook

    quarter = max(1, n // 4)
    books = []
    for rows in (n, quarter):
        book = Workbook(write_only=True)
        sheet = book.create_sheet("残疾人基本状况个人登记表")
        sheet.append(HEADER)
        books.append((book, sheet, rows))
    valid = valid_quarter = 0
    for i, (ok, cells, _values) in enumerate(people(n, share, villages)):
        books[0][1].append(cells)
        valid += ok
        if i < quarter:
            books[1][1].append(cells)
            valid_quarter += ok
    for book, _sheet, rows in books:
        book.save(ledger_path(workdir, rows))
    return {"valid": valid, "quarter": quarter, "valid_quarter": valid_quarter}


def ledger_path(workdir: Path, rows: int) -> Path:
    return workdir / f"people-{rows}.xlsx"


# ---- measuring in a child process ---------------------------------------------------------------

def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and of the children it has waited for (the
    importer's reading process): unlike wall-clock time, hardly changed by other work on
    the machine, so the figure to compare two versions by on a shared machine."""
    own, children = (resource.getrusage(resource.RUSAGE_SELF),
                     resource.getrusage(resource.RUSAGE_CHILDREN))
    return (own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
            + _server_cpu_seconds())


def _server_cpu_seconds() -> float:
    """The CPU time of this process's PostgreSQL server process (its backend), when the
    server runs on this machine and lets /proc be read: on PostgreSQL most of an insert's
    work (parsing COPY, checking constraints, the indexes) is the server's. 0 on SQLite
    (it runs in this process, already counted) or when it cannot be read."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def _delete_people() -> None:
    """Empty the register (and the history and kept counts an import writes) for the next
    measurement. On PostgreSQL the tables are truncated: rows deleted would stay in the
    table and its indexes until a vacuum, and each measurement after the first would find
    them there."""
    from django.db import connection, transaction

    from people.models import CountChange, Person, PersonEvent, UnitCount

    tables = [connection.ops.quote_name(m._meta.db_table)
              for m in (CountChange, UnitCount, PersonEvent, Person)]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - the model's own table name


def child_setup(options) -> dict:
    """Migrate, load 会宁县's divisions and a county administrator."""
    import csv

    from django.core.management import call_command
    from django.db import connection

    from accounts.roles import Role
    from accounts.services import user_create
    from orgs.demo import COUNTY_CODE, DIVISIONS_FILE
    from orgs.divisions import divisions_import
    from orgs.models import Level, OrgUnit

    call_command("migrate", verbosity=0, interactive=False)
    with DIVISIONS_FILE.open(encoding="utf-8") as source:
        table = [(number, cells) for number, cells in enumerate(csv.reader(source), start=1)
                 if number == 1 or cells[0] in ("62", "6204") or cells[0].startswith(REGION)]
    result = divisions_import(actor=SYSTEM, table=iter(table), source="bench")
    if result.errors:
        raise CommandError(f"the divisions did not import: {result.errors[:3]}")
    county = OrgUnit.objects.active().get(code=COUNTY_CODE)
    user_create(actor=SYSTEM, username=ACTOR, password=os.urandom(12).hex(), unit=county,
                role=Role.ADMIN, full_name="县残联管理员")
    villages = sorted(OrgUnit.objects.active().filter(level=Level.VILLAGE,
                                             code__startswith=REGION)
                      .values_list("code", flat=True))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = "PostgreSQL " + cursor.fetchone()[0].split()[0]
    else:
        import sqlite3

        version = f"SQLite {sqlite3.sqlite_version}"
    return {"villages": villages, "version": version}


def child_parse(options) -> dict:
    from core.tabular import open_table

    path = ledger_path(Path(options["workdir"]), options["rows"])
    start, cpu = time.perf_counter(), cpu_seconds()
    _height, rows = open_table(path.read_bytes(), path.name)
    count = sum(1 for _row in rows)
    return {"seconds": time.perf_counter() - start, "cpu": cpu_seconds() - cpu, "rows": count}


def _person_record(values: dict, unit_ids: dict, actor_id: int, today, now) -> dict:
    from people.pinyin import search_key

    return {
        **values, "unit": unit_ids[values["unit"]], "grid": None,
        "search_key": search_key(values["name"]), "ethnicity": "汉族", "hukou": "rural",
        "status": "active", "registered_on": today, "registered_by": actor_id,
        "import_job": None, "updated_at": now,
    }


def child_raw(options) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import User
    from imports.engine.fastinsert import insert_columns, insert_rows
    from orgs.models import OrgUnit
    from people.models import Person

    unit_ids = dict(OrgUnit.objects.active().values_list("code", "id"))
    actor_id = User.objects.get(username=ACTOR).pk
    fields = insert_columns(Person)
    today, now = timezone.localdate(), timezone.now()

    def value(record, field):
        if field.name in record:
            return record[field.name]
        if field.null:
            return None
        return field.get_default() if field.has_default() else ""

    records = [_person_record(values, unit_ids, actor_id, today, now)
               for ok, _cells, values in people(options["rows"], options["errors"],
                                                sorted(unit_ids)) if ok]
    start, cpu = time.perf_counter(), cpu_seconds()
    _seal_plainly(records)
    sealed, sealed_cpu = time.perf_counter() - start, cpu_seconds() - cpu
    tuples = [tuple(value(record, f) for f in fields) for record in records]
    start2, cpu2 = time.perf_counter(), cpu_seconds()
    with transaction.atomic():
        written = insert_rows(Person, fields, tuples)
    seconds = time.perf_counter() - start2 + sealed
    cpu = cpu_seconds() - cpu2 + sealed_cpu
    stored = Person.objects.count()
    _delete_people()
    method = "COPY" if connection.vendor == "postgresql" else "executemany"
    return {"seconds": seconds, "cpu": cpu, "rows": written, "stored": stored,
            "method": method, "seal_seconds": sealed}


def _seal_plainly(records: list[dict]) -> None:
    """The ID columns of each record, sealed with the plain libraries (no canlian code):
    what any program storing these rows encrypted would have to do."""
    import base64
    import hashlib

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from django.conf import settings

    key_id, _sep, key = settings.CANLIAN_FIELD_KEYS.split(",")[0].partition(":")
    cipher = AESGCM(base64.b64decode(key))
    lookup_key = base64.b64decode(settings.CANLIAN_LOOKUP_KEY)
    column = b"person.id_number"
    whole = hashlib.blake2b(column + b"\0", key=lookup_key, digest_size=16)
    tail = hashlib.blake2b(b"person.id_number.tail\0", key=lookup_key, digest_size=16)
    for record in records:
        number = record["id_number"].encode()
        nonce = os.urandom(12)
        record["id_cipher"] = key_id + "$" + base64.urlsafe_b64encode(
            nonce + cipher.encrypt(nonce, number, column)).decode()
        hasher = whole.copy()
        hasher.update(number)
        record["id_hash"] = hasher.hexdigest()
        hasher = tail.copy()
        hasher.update(number[-4:])
        record["id_tail"] = hasher.hexdigest()[:16]
        record["has_certificate"] = bool(record.get("certificate_number"))


def child_importer(options) -> dict:
    from django.core.files import File

    from accounts.models import User
    from imports import services as imports
    from imports.models import ImportJob
    from people.models import Person

    actor = User.objects.select_related("unit").get(username=ACTOR)
    path = ledger_path(Path(options["workdir"]), options["rows"])
    if path.stat().st_size > imports.MAX_UPLOAD:
        imports.MAX_UPLOAD = path.stat().st_size  # the benchmark's own file, not an upload
    profiler = None
    if options["profile"]:
        import cProfile

        profiler = cProfile.Profile()
        if os.environ.get("BENCH_PROFILE_INLINE") == "1":
            # The reading process's work in this one, so that the profile holds it too.
            import importlib

            importlib.import_module("imports.engine.run").ahead = lambda produce: produce()
    start, cpu = time.perf_counter(), cpu_seconds()
    if profiler:
        profiler.enable()
    with path.open("rb") as handle:
        job = imports.job_create(actor=actor, kind="people",
                                 upload=File(handle, name="残疾人登记表.xlsx"))
    job = imports.job_configure(actor=actor, job=job, sheet=job.sheet,
                                header_row=job.header_row, mapping=job.mapping, mode="valid",
                                update_existing=False, dry_run=False)
    imports.job_start(actor=actor, job=job)
    job = imports.job_run(job.pk)
    if profiler:
        profiler.disable()
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    stored = Person.objects.filter(import_job=job).count()
    reader = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result = {"seconds": seconds, "cpu": cpu, "created": job.created, "stored": stored,
              "reader_mb": reader, "bad_rows": job.bad_rows, "total": job.total_rows,
              "status": job.status, "message": job.message}
    if profiler:
        import io
        import pstats

        for order in ("tottime", "cumulative"):
            text = io.StringIO()
            pstats.Stats(profiler, stream=text).sort_stats(order).print_stats(30)
            result[f"profile_{order}"] = text.getvalue()
    _delete_people()
    ImportJob.objects.filter(pk=job.pk).delete()
    return result


def import_export_resource(actor):
    """A django-import-export ModelResource for Person with the ledger's columns, checking
    what the importer checks (so that it writes the same rows), each bad row rejected on its
    own (a row that raised would roll the whole import back). It is given the library's
    fastest way that still does so: the villages read once (as the importer does), create
    only (force_init_instance: no lookup per row), no diffs (skip_diff), the fields checked
    by the model (clean_model_instances), the ID and certificate numbers kept unique by the
    database's constraints (a savepoint per row; an IntegrityError becomes a validation
    error) rather than by a query per constraint and row. (use_bulk would be faster still,
    but one duplicate in a batch fails the batch, and so the whole import.)"""
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction
    from django.utils import timezone
    from import_export import fields, resources, widgets
    from stdnum.cn import ric

    from core import cells
    from orgs.models import Level, OrgUnit
    from people import imports as ledger
    from people.choices import Hukou
    from people.identity import certificate_problems, validate_id
    from people.models import Person
    from people.pinyin import search_key

    class ReaderWidget(widgets.Widget):
        """The ledger's own reading of a cell (肢体 → 4, 二级 → 2, 男 → M)."""

        def __init__(self, reader):
            super().__init__()
            self.reader = reader

        def clean(self, value, row=None, **kwargs):
            try:
                return self.reader(value)
            except cells.CellError as exc:
                raise ValueError(str(exc)) from exc

    class IdWidget(widgets.CharWidget):
        def clean(self, value, row=None, **kwargs):
            if isinstance(value, (int, float)):
                raise ValueError("Excel has turned this number into scientific notation.")
            try:
                return validate_id(value)
            except ValidationError as exc:
                raise ValueError(exc.messages[0]) from exc

    class VillageWidget(widgets.ForeignKeyWidget):
        """The unit by its code, the villages read once (as the importer does) instead of a
        query per row."""

        units = None

        def get_queryset(self, value, row, *args, **kwargs):
            return OrgUnit.objects.active().filter(level=Level.VILLAGE)

        def clean(self, value, row=None, **kwargs):
            if cells.is_blank(value):
                return None
            if self.units is None:
                self.units = {getattr(u, self.field): u
                              for u in self.get_queryset(value, row)}
            try:
                return self.units[cells.text(value)]
            except KeyError as exc:
                raise ValueError(f"No village has the code {value}.") from exc

    class PersonResource(resources.ModelResource):
        name = fields.Field(attribute="name", column_name="姓名", widget=widgets.CharWidget())
        gender = fields.Field(attribute="gender", column_name="性别",
                              widget=ReaderWidget(ledger.read_gender))
        id_number = fields.Field(attribute="id_number", column_name="身份证号",
                                 widget=IdWidget())
        certificate_number = fields.Field(attribute="certificate_number",
                                          column_name="残疾证号", widget=widgets.CharWidget())
        category = fields.Field(attribute="category", column_name="残疾类别",
                                widget=ReaderWidget(ledger.read_category))
        grade = fields.Field(attribute="grade", column_name="残疾等级",
                             widget=ReaderWidget(ledger.read_grade))
        certificate_issued_on = fields.Field(attribute="certificate_issued_on",
                                             column_name="发证日期", widget=widgets.DateWidget())
        phone = fields.Field(attribute="phone", column_name="联系电话",
                             widget=widgets.CharWidget())
        address = fields.Field(attribute="address", column_name="住址",
                               widget=widgets.CharWidget())
        unit = fields.Field(attribute="unit", column_name="所属村（社区）",
                            widget=VillageWidget(OrgUnit, field="code"))
        # Filled in by before_import_row.
        birth_date = fields.Field(attribute="birth_date", column_name="_birth_date",
                                  widget=widgets.Widget())
        hukou = fields.Field(attribute="hukou", column_name="_hukou", widget=widgets.Widget())
        registered_on = fields.Field(attribute="registered_on", column_name="_registered_on",
                                     widget=widgets.Widget())
        search_key = fields.Field(attribute="search_key", column_name="_search_key",
                                  widget=widgets.Widget())

        class Meta:
            model = Person
            fields = ("name", "gender", "id_number", "certificate_number", "category", "grade",
                      "certificate_issued_on", "phone", "address", "unit", "birth_date",
                      "hukou", "registered_on", "search_key")
            import_id_fields = ("id_number",)
            force_init_instance = True
            skip_diff = True
            clean_model_instances = True

        def before_import(self, dataset, **kwargs):
            self.kinds = dict(OrgUnit.objects.active().filter(level=Level.VILLAGE)
                              .values_list("code", "kind"))
            self.today = timezone.localdate()

        def before_import_row(self, row, **kwargs):
            number = row.get("身份证号")
            birth = None
            if isinstance(number, str) and len(number) == 18 and number[:17].isdigit():
                try:
                    birth = ric.get_birth_date(number)
                except ValueError:
                    birth = None
            row["_birth_date"] = birth
            kind = self.kinds.get(str(row.get("所属村（社区）") or ""))
            row["_hukou"] = Hukou.URBAN if kind == "community" else Hukou.RURAL
            row["_registered_on"] = self.today
            row["_search_key"] = search_key(str(row.get("姓名") or ""))

        def import_instance(self, instance, row, **kwargs):
            errors = {}
            try:
                super().import_instance(instance, row, **kwargs)
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
            if instance.certificate_number and "id_number" not in errors:
                problems = certificate_problems(
                    instance.certificate_number, id_number=instance.id_number,
                    category=instance.category, grade=instance.grade)
                for name, message in problems.items():
                    errors.setdefault(name, []).append(ValidationError(message))
            if errors:
                raise ValidationError(errors)

        def validate_instance(self, instance, import_validation_errors=None,
                              validate_unique=True):
            errors = dict(import_validation_errors or {})
            try:
                # The unit was found by the widget; uniqueness is the database's (below).
                instance.full_clean(exclude=[*errors, "unit"], validate_unique=False,
                                    validate_constraints=False)
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
            if errors:
                raise ValidationError(errors)

        def before_save_instance(self, instance, row, **kwargs):
            instance.registered_by = actor

        def do_instance_save(self, instance, is_create):
            try:
                with transaction.atomic():
                    instance.save(force_insert=is_create)
            except IntegrityError as exc:
                raise ValidationError({"id_number": "Already registered."}) from exc

    return PersonResource()


def child_import_export(options) -> dict:
    import tablib

    from accounts.models import User
    from people.models import Person

    actor = User.objects.select_related("unit").get(username=ACTOR)
    path = ledger_path(Path(options["workdir"]), options["rows"])
    start = time.perf_counter()
    with path.open("rb") as handle:
        dataset = tablib.Dataset().load(handle, format="xlsx")
    loaded = time.perf_counter()
    result = import_export_resource(actor).import_data(dataset, dry_run=False,
                                                       use_transactions=True)
    seconds = time.perf_counter() - start
    stored = Person.objects.count()
    totals = {k: v for k, v in result.totals.items() if v}
    _delete_people()
    return {"seconds": seconds, "load_seconds": loaded - start, "stored": stored,
            "totals": totals, "has_errors": result.has_errors(),
            "first_error": (str(result.row_errors()[0][1][0].error)
                            if result.has_errors() and result.row_errors() else "")}


CHILDREN = {
    "setup": child_setup,
    "parse": child_parse,
    "raw": child_raw,
    "importer": child_importer,
    "import-export": child_import_export,
}


# ---- the command ------------------------------------------------------------------------------

class Command(BaseCommand):
    help = ("Benchmark the people import against calamine's parse plus the database's fastest "
            "insert, and against django-import-export, on a generated ledger.")

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000,
                            help="People in the generated ledger (default 100000).")
        parser.add_argument("--errors", type=float, default=0.02,
                            help="Share of rows with a realistic error (default 0.02).")
        parser.add_argument("--repeat", type=int, default=3,
                            help="Runs of each timed figure; the fastest counts (default 3).")
        parser.add_argument("--skip-import-export", action="store_true",
                            help="Do not measure django-import-export (slow on large files).")
        parser.add_argument("--keep", action="store_true",
                            help="Keep the temporary folder (files, SQLite database) and the "
                                 "PostgreSQL database canlian_bench.")
        parser.add_argument("--profile", action="store_true",
                            help="Also run the importer once more under cProfile and print "
                                 "its hotspots (its time is not used in the figures). The "
                                 "rows are read in a second process, not profiled; with "
                                 "BENCH_PROFILE_INLINE=1 they are read in the profiled one.")
        # Internal: a measurement in a child process.
        parser.add_argument("--child", choices=sorted(CHILDREN), help="(internal)")
        parser.add_argument("--workdir", help="(internal)")

    def handle(self, *args, **options):
        if options["child"]:
            return self.run_child(options)
        if options["rows"] < 4:
            raise CommandError("--rows must be at least 4.")
        if options["repeat"] < 1:
            raise CommandError("--repeat must be at least 1.")
        if not 0 <= options["errors"] < 1:
            raise CommandError("--errors is a share between 0 and 1, such as 0.02.")
        workdir = Path(tempfile.mkdtemp(prefix="canlian-bench-"))
        database = _Database(workdir)
        try:
            self.bench(options, workdir, database)
        finally:
            if options["keep"]:
                self.line(f"kept: {workdir}" + (f" and database {BENCH_DATABASE}"
                                                 if database.vendor == "postgresql" else ""))
            else:
                database.drop()
                shutil.rmtree(workdir, ignore_errors=True)

    # -- the parent

    def line(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def bench(self, options, workdir: Path, database: "_Database") -> None:
        n, share = options["rows"], options["errors"]
        load_before = os.getloadavg()[0]
        database.create()
        env = database.child_env(workdir)
        setup = self.child("setup", env, workdir, options)
        self.line(f"database: {database.vendor} ({setup['version']}, {database.where})")

        start = time.perf_counter()
        counts = write_files(workdir, n, share, setup["villages"])
        generated = time.perf_counter() - start
        size = ledger_path(workdir, n).stat().st_size / 1024 / 1024
        self.line(f"file: {n} rows ({n - counts['valid']} with errors, {counts['valid']} valid), "
                  f"{size:.1f} MB .xlsx, generated in {generated:.1f} s "
                  f"(not part of the ratios)")

        repeat = options["repeat"]
        best = f"best of {repeat}" if repeat > 1 else "one run"
        parse = self.best("parse", env, workdir, options)
        self.line(f"parse (calamine): {parse['seconds']:.2f} s ({best})")

        raw = self.best("raw", env, workdir, options)
        self.line(f"raw insert ({raw['method']}): {raw['seconds']:.2f} s, {raw['rows']} rows "
                  f"({best}; of which sealing the ID numbers {raw['seal_seconds']:.2f} s)")

        imp = self.best("importer", env, workdir, options)
        ratio = imp["seconds"] / (parse["seconds"] + raw["seconds"])
        self.line(f"importer: {imp['seconds']:.2f} s, {imp['created']} rows, ratio to "
                  f"parse+insert {ratio:.2f}x (target <= 1.5x; {best}: "
                  f"{', '.join(f'{t:.2f}' for t in imp['all_seconds'])} s)"
                  + self._check(imp["stored"], counts["valid"], imp))

        cpu_ratio = imp["least_cpu"] / (parse["least_cpu"] + raw["least_cpu"])
        server = " with the PostgreSQL server's process" if imp["server_counted"] else ""
        self.line(f"CPU time (least of {repeat}): parse {parse['least_cpu']:.2f} s, raw insert "
                  f"{raw['least_cpu']:.2f} s, importer {imp['least_cpu']:.2f} s (its two "
                  f"processes together{server}), ratio {cpu_ratio:.2f}x (the work done, "
                  f"whatever else runs on the machine; the importer's two processes run side "
                  f"by side, so its wall-clock time can be less than its CPU time)")

        quarter = self.child("importer", env, workdir, {**options, "rows": counts["quarter"]})
        self.line(f"importer at {counts['quarter']} rows: {quarter['seconds']:.2f} s, "
                  f"{quarter['created']} rows"
                  + self._check(quarter["stored"], counts["valid_quarter"], quarter))

        memory = [f"parse {parse['peak_mb']:.0f} MB", f"raw insert {raw['peak_mb']:.0f} MB",
                  f"importer {imp['peak_mb']:.0f} MB + its reading process "
                  f"{imp['reader_mb']:.0f} MB"]
        if options["skip_import_export"]:
            self.line("django-import-export: skipped (--skip-import-export)")
        else:
            other = self.child("import-export", env, workdir, options)
            times = other["seconds"] / imp["seconds"]
            self.line(f"django-import-export: {other['seconds']:.1f} s "
                      f"(tablib load {other['load_seconds']:.1f} s), {other['stored']} rows, "
                      f"ratio {times:.1f}x slower (target >= 5x)"
                      + self._check(other["stored"], counts["valid"], other))
            memory.append(f"django-import-export {other['peak_mb']:.0f} MB")
        self.line(f"peak memory: {', '.join(memory)} "
                  f"(a child after django.setup alone: {imp['base_mb']:.0f} MB)")
        self.line(f"peak memory importer: {imp['peak_mb']:.0f} MB + reader "
                  f"{imp['reader_mb']:.0f} MB at {n} rows, {quarter['peak_mb']:.0f} MB + "
                  f"{quarter['reader_mb']:.0f} MB at {counts['quarter']} rows "
                  f"(each process's own peak resident size; pages the reader shares with the "
                  f"importer it was forked from count in both)")

        self.line(f"load average: {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at "
                  f"the end, on {os.cpu_count()} cores (timings are wall-clock: other work on "
                  f"the machine slows them)")

        if options["profile"]:
            profiled = self.child("importer", env, workdir, options, profile=True)
            self.line(f"profile of the importer ({profiled['seconds']:.2f} s under cProfile):")
            self.line(profiled["profile_tottime"])
            self.line(profiled["profile_cumulative"])

    def best(self, stage: str, env: dict, workdir: Path, options) -> dict:
        """The fastest of --repeat runs (the machine's other work only ever slows a run)."""
        runs = [self.child(stage, env, workdir, options) for _ in range(options["repeat"])]
        fastest = min(runs, key=lambda r: r["seconds"])
        return {**fastest, "all_seconds": [r["seconds"] for r in runs],
                "least_cpu": min(r["cpu"] for r in runs),
                "peak_mb": max(r["peak_mb"] for r in runs),
                "reader_mb": max(r.get("reader_mb", 0) for r in runs)}

    @staticmethod
    def _check(stored: int, expected: int, result: dict) -> str:
        if stored == expected:
            return ""
        detail = result.get("message") or result.get("first_error") or result.get("totals")
        return f" — WRONG: {stored} rows stored, {expected} expected ({detail})"

    def child(self, stage: str, env: dict, workdir: Path, options, profile=False) -> dict:
        command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "bench_import",
                   "--child", stage, "--workdir", str(workdir), "--rows", str(options["rows"]),
                   "--errors", repr(options["errors"])]
        if profile:
            command.append("--profile")
        done = subprocess.run(command, env=env, capture_output=True, text=True,  # noqa: S603
                              check=False, cwd=settings.BASE_DIR)
        for line in done.stdout.splitlines():
            if line.startswith(RESULT_MARK):
                return json.loads(line[len(RESULT_MARK):])
        raise CommandError(f"the {stage} measurement failed (exit {done.returncode}):\n"
                           f"{done.stdout[-3000:]}\n{done.stderr[-6000:]}")

    # -- a child

    def run_child(self, options) -> None:
        base = peak_mb()
        result = CHILDREN[options["child"]](options)
        result.update(peak_mb=peak_mb(), base_mb=base, server_counted=_server_cpu_seconds() > 0)
        self.stdout.write(RESULT_MARK + json.dumps(result, default=str))


class _Database:
    """Where the children's database lives: a SQLite file in the temporary folder, or the
    database canlian_bench on the PostgreSQL server DATABASE_URL names."""

    def __init__(self, workdir: Path, name: str = BENCH_DATABASE):
        import dj_database_url

        self.name = name

        url = os.environ.get("DATABASE_URL", "")
        engine = dj_database_url.parse(url)["ENGINE"] if url else "django.db.backends.sqlite3"
        if engine.endswith("postgresql"):
            self.vendor = "postgresql"
            parts = urlsplit(url)
            self.server = dj_database_url.parse(url)
            self.url = urlunsplit(parts._replace(path=f"/{name}"))
            self.where = (f"database {name} on {self.server['HOST'] or 'localhost'}:"
                          f"{self.server['PORT'] or 5432}")
        elif engine.endswith("sqlite3"):
            self.vendor = "sqlite"
            self.url = f"sqlite:///{workdir / 'bench.sqlite3'}"
            self.where = f"a fresh file {workdir / 'bench.sqlite3'}"
        else:
            raise CommandError("The benchmark runs on SQLite or PostgreSQL.")
        self.created = False

    def _admin(self, sql):
        import psycopg
        from psycopg import sql as pg_sql

        server = self.server
        with psycopg.connect(dbname=server["NAME"], user=server["USER"] or None,
                             password=server["PASSWORD"] or None,
                             host=server["HOST"] or None, port=server["PORT"] or None,
                             autocommit=True) as conn:
            conn.execute(pg_sql.SQL(sql).format(pg_sql.Identifier(self.name)))

    def create(self) -> None:
        if self.vendor == "postgresql":
            self._admin("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            self._admin("CREATE DATABASE {}")
            self.created = True

    def drop(self) -> None:
        if self.created:
            self._admin("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            self.created = False

    def child_env(self, workdir: Path) -> dict:
        env = dict(os.environ)
        env.update({
            "DATABASE_URL": self.url,
            "MEDIA_ROOT": str(workdir / "media"),
            "CACHE_DIR": str(workdir / "cache"),
            "TASKS_IMMEDIATE": "0",  # job_start only queues; the child runs the job itself
            "DEBUG": "0",  # as in production: no query log
            "DJANGO_SETTINGS_MODULE": "canlian.settings",
        })
        env.setdefault("SECRET_KEY", "bench-only-" + os.urandom(32).hex())  # 75 characters
        # Keys of this run alone for the ID numbers it seals (a throwaway database).
        if not (env.get("CANLIAN_FIELD_KEYS") and env.get("CANLIAN_LOOKUP_KEY")):
            env["CANLIAN_FIELD_KEYS"] = "b:" + base64.b64encode(os.urandom(32)).decode()
            env["CANLIAN_LOOKUP_KEY"] = base64.b64encode(os.urandom(32)).decode()
        return env
