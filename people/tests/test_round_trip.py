"""Out and back in: the people export is a ledger the importer reads. Export the register,
empty it, import the file as the same officer, export again: the same rows."""

import datetime as dt
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports import services as imports
from imports.models import ImportJob
from people import selectors, services
from people.models import JobSeeker, Need, Person, PersonEvent, Transfer, Visit

from .factories import make_id, make_person


def _person(*, unit, actor, name, birth, male=True, category=None, grade=None, **fields):
    id_number = make_id(birth=birth, male=male)
    if category:
        fields.update(certificate_number=f"{id_number}{category}{grade}", category=category,
                      grade=grade, certificate_issued_on=dt.date(2015, 3, 5))
    return services.person_register(actor=actor, unit=unit, name=name, id_number=id_number,
                                    **{"hukou": "rural", **fields})


def _register(tree, officer):
    """People of every kind: with and without certificates, ID numbers, grids and
    subsidies, and choices whose Chinese words only the labels carry."""
    _person(
        unit=tree.community, actor=officer, name="马有福", birth=dt.date(1961, 3, 5),
        category=4, grade=2, grid=tree.grid, ethnicity="回族", hukou="rural",
        phone="13909435678", address="东山根社区3组12号", education="junior",
        marital_status="married", employment="farming", guardian_name="马秀兰",
        guardian_relation="配偶", guardian_phone="13909431111", dibao=True,
        care_subsidy=True, certificate_valid_until=dt.date(2031, 3, 4),
        registered_on=dt.date(2020, 1, 2), notes="轮椅使用者",
    )
    _person(
        unit=tree.village, actor=officer, name="李秀英", birth=dt.date(1948, 11, 30),
        male=False, hukou="urban", education="none",
        marital_status="widowed", employment="unable", tekun=True, living_subsidy=True,
        registered_on=dt.date(2021, 6, 7),
    )
    _person(
        unit=tree.community, actor=officer, name="王小明", birth=dt.date(2016, 8, 1),
        category=5, grade=1, education="special", employment="child",
        guardian_name="王建军", guardian_relation="父子", registered_on=dt.date(2022, 2, 3),
    )
    _person(
        unit=tree.village, actor=officer, name="赵建国", birth=dt.date(1975, 1, 9),
        category=1, grade=3, hukou="urban", education="vocational", marital_status="divorced",
        employment="self_employed", registered_on=dt.date(2019, 12, 31),
    )
    _person(
        unit=tree.village, actor=officer, name="周芳", birth=dt.date(1990, 4, 22), male=False,
        category=6, grade=4, education="university", marital_status="single",
        employment="unemployed", ethnicity="土族", registered_on=dt.date(2023, 5, 6),
    )
    services.person_register(
        actor=officer, unit=tree.community, name="无证号", id_number=None, hukou="rural",
        birth_date=dt.date(1950, 2, 3), gender="F", registered_on=dt.date(2018, 8, 8),
    )
    gone = _person(unit=tree.village, actor=officer, name="刘去世", birth=dt.date(1940, 6, 1),
                   category=4, grade=1, registered_on=dt.date(2017, 3, 3))
    services.person_set_status(actor=officer, person=gone, status="deceased",
                               on=dt.date(2024, 10, 1))


def _export(client) -> list[tuple]:
    response = client.get(reverse("people:person_export"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return rows[1:], response.content  # the header and the data, not the dated title line


def _empty_the_register():
    for model in (PersonEvent, Need, Visit, JobSeeker, Transfer):
        model.objects.all().delete()
    Person.objects.all().delete()


def _import(officer, content: bytes) -> ImportJob:
    job = imports.job_create(actor=officer, kind="people",
                             upload=SimpleUploadedFile("残疾人名单.xlsx", content))
    imports.job_start(actor=officer, job=job)
    return imports.job_run(job.pk)


def _round_trip(tree, client_for):
    officer = tree.township_officer
    _register(tree, officer)
    make_person(unit=tree.other_village, name="外镇人")  # outside the officer's area
    client = client_for(officer)
    before, content = _export(client)
    assert len(before) == 1 + 7 and "外镇人" not in {row[0] for row in before}

    _empty_the_register()
    assert not Person.objects.exists()
    job = _import(officer, content)
    assert job.errors == []
    assert job.status == ImportJob.Status.DONE and job.applied
    assert (job.created, job.bad_rows) == (7, 0)
    return before, _export(client)[0]


def _without(rows, header):
    index = rows[0].index(header)
    return [row[:index] + row[index + 1:] for row in rows]


def test_an_export_imports_back_to_the_same_rows(tree, client_for):
    before, after = _round_trip(tree, client_for)
    # 民族 is left to the test below until the importer keeps it.
    assert _without(after, "民族") == _without(before, "民族")
    # And what came back is the register itself, not just the same words.
    child = Person.objects.get(name="王小明")
    assert (child.education, child.employment, child.category, child.grade) == \
        ("special", "child", 5, 1)
    assert child.grid is None and Person.objects.get(name="马有福").grid == tree.grid
    assert Person.objects.get(name="李秀英").hukou == "urban"
    assert Person.objects.get(name="无证号").id_number is None
    # The status comes back, and each person's history begins as the register page begins
    # it, with the status change after.
    gone = Person.objects.get(name="刘去世")
    assert (gone.status, gone.status_date) == ("deceased", dt.date(2024, 10, 1))
    history = selectors.person_file(user=tree.township_officer, pk=gone.pk).events
    assert [(e.kind, e.on) for e in history] == [
        ("registered", dt.date(2017, 3, 3)), ("deceased", dt.date(2024, 10, 1))]
    assert all(e.by == tree.township_officer and e.unit == gone.unit for e in history)
    assert list(PersonEvent.objects.values_list("person", "kind")) == [(gone.pk, "deceased")]


def test_the_ethnicity_comes_back_too(tree, client_for):
    before, after = _round_trip(tree, client_for)
    assert [row[before[0].index("民族")] for row in before[1:]].count("汉族") < 7  # 回族, 土族
    assert after == before


def test_the_round_trip_keeps_an_id_that_excel_would_mangle(tree, client_for):
    """An ID ending in X and one with leading zeros in the sequence stay text throughout."""
    officer = tree.township_officer
    number = next(n for n in (make_id(seq=s) for s in range(1, 200)) if n.endswith("X"))
    make_person(unit=tree.community, actor=officer, name="带X", id_number=number)
    client = client_for(officer)
    before, content = _export(client)
    assert before[1][1] == number
    _empty_the_register()
    job = _import(officer, content)
    assert job.errors == [] and job.created == 1
    assert Person.objects.get().id_number == number
    assert _export(client)[0] == before
