"""The register's lists as workbooks: the people, needs and job seekers a list shows, one row
each, in the words of the paper ledgers.

Headers are Chinese whatever the user's language, and so are choices (read in zh-hans).
ID and certificate numbers are written in full, as text: an export is audited, and a number
Excel turned into 6.20422E+17 would be lost. The people export uses the importer's own
headers and words, so a file taken out can be brought back in (see test_round_trip).
Each function takes the list's queryset and streams it; the view records the export.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import override

from core.exports import XlsxColumn
from orgs.models import OrgUnit

from .filters import need_overdue_cutoff
from .imports import PERSON_COLUMNS
from .models import JobSeeker, Need, Person

CHUNK = 2000
YES, NO = "是", "否"


def _blank(value):
    """Empty cells for empty values, so a blank stays blank in Excel."""
    return None if value in (None, "") else value


def _yes(value: bool) -> str:
    return YES if value else NO


def choice_words(model, *names: str) -> dict[str, dict]:
    """{field: {stored value: its Chinese word}} for the choice fields ``names`` of
    ``model``, read once per export. (``get_FOO_display`` per cell rebuilt the field's
    choices and hashed each translated label again, for every cell: it was most of an
    export's time.) A value without a word is shown as it is stored, as Django shows it."""
    with override("zh-hans"):
        return {name: {value: str(label)
                       for value, label in model._meta.get_field(name).flatchoices}
                for name in names}


def _stream(qs, build) -> Iterator[list]:
    """``build(row)`` for each row of ``qs``, fetched in chunks with one query."""
    for obj in qs.iterator(chunk_size=CHUNK):
        yield [_blank(value) for value in build(obj)]


def _township(unit):
    return unit.parent.name if unit.parent_id else None


# ---- people ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Lookups:
    """What a row's cells look up, read once per export: the choices' words, and the names
    of the villages and grids (with each village's township)."""

    words: dict
    units: dict  # {unit id: (name, its parent's name)}


def unit_names(people) -> dict[int, tuple]:
    """{unit id: (name, parent's name)} for the villages and grids of ``people``, in one
    query (a join per row gave every row three more model instances to build: half of an
    export's time)."""
    wanted = Q(pk__in=people.values("unit_id")) | Q(pk__in=people.values("grid_id"))
    return {pk: (name, parent) for pk, name, parent in
            OrgUnit.objects.filter(wanted).values_list("id", "name", "parent__name")}


def _word(field: str, **blank):
    """A choice field's Chinese word (``empty``: what an unset value gives instead)."""
    def cell(person, lookups):
        value = getattr(person, field)
        if not value and blank:
            return blank["empty"]
        return lookups.words[field].get(value, value)
    return cell


def _unit(person, lookups):
    return lookups.units[person.unit_id][0]


def _township_of(person, lookups):
    return lookups.units[person.unit_id][1]


def _grid(person, lookups):
    return lookups.units[person.grid_id][0] if person.grid_id else None


# (width, kind, value) for each column of the importer's ledger, by the importer's field name.
_PERSON_CELLS = {
    "name": (10, "text", lambda p, w: p.name),
    "id_number": (21, "id", lambda p, w: p.id_number),
    "gender": (6, "text", _word("gender")),
    "birth_date": (12, "date", lambda p, w: p.birth_date),
    "ethnicity": (8, "text", lambda p, w: p.ethnicity),
    "certificate_number": (23, "id", lambda p, w: p.certificate_number),
    "category": (8, "text", _word("category", empty=None)),
    "grade": (8, "text", _word("grade", empty=None)),
    "certificate_issued_on": (12, "date", lambda p, w: p.certificate_issued_on),
    "certificate_valid_until": (12, "date", lambda p, w: p.certificate_valid_until),
    "unit": (22, "text", _unit),
    "township_hint": (14, "text", _township_of),
    "grid": (10, "text", _grid),
    "hukou": (10, "text", _word("hukou")),
    "phone": (14, "text", lambda p, w: p.phone),
    "address": (24, "text", lambda p, w: p.address),
    "education": (10, "text", _word("education")),
    "marital_status": (10, "text", _word("marital_status")),
    "employment": (12, "text", _word("employment")),
    "guardian_name": (12, "text", lambda p, w: p.guardian_name),
    "guardian_relation": (10, "text", lambda p, w: p.guardian_relation),
    "guardian_phone": (14, "text", lambda p, w: p.guardian_phone),
    "dibao": (8, "text", lambda p, w: _yes(p.dibao)),
    "tekun": (8, "text", lambda p, w: _yes(p.tekun)),
    "living_subsidy": (10, "text", lambda p, w: _yes(p.living_subsidy)),
    "care_subsidy": (10, "text", lambda p, w: _yes(p.care_subsidy)),
    "registered_on": (12, "date", lambda p, w: p.registered_on),
    "status": (10, "text", _word("status")),
    "status_date": (12, "date", lambda p, w: p.status_date),
    "notes": (24, "text", lambda p, w: p.notes),
}


PERSON_CHOICES = ("gender", "category", "grade", "hukou", "education", "marital_status",
                  "employment", "status")


def person_columns() -> list[XlsxColumn]:
    """The personal registration ledger's columns, headed as the importer reads them."""
    return [XlsxColumn(c.label, *_PERSON_CELLS[c.field][:2]) for c in PERSON_COLUMNS]


def person_rows(people) -> Iterator[list]:
    """One row per person of ``people`` (a person_list queryset), in its order."""
    cells = [_PERSON_CELLS[c.field][2] for c in PERSON_COLUMNS]
    lookups = _Lookups(words=choice_words(Person, *PERSON_CHOICES), units=unit_names(people))
    return _stream(people.select_related(None),
                   lambda person: [cell(person, lookups) for cell in cells])


# ---- needs --------------------------------------------------------------------------------------

NEED_COLUMNS = [
    XlsxColumn("姓名", 10), XlsxColumn("身份证号", 21, "id"),
    XlsxColumn("所属村（社区）", 22), XlsxColumn("所属乡镇（街道）", 14),
    XlsxColumn("需求类型", 12), XlsxColumn("需求内容", 30), XlsxColumn("登记日期", 12, "date"),
    XlsxColumn("状态", 10), XlsxColumn("是否超期", 8), XlsxColumn("责任人", 10),
    XlsxColumn("办结日期", 12, "date"), XlsxColumn("办理结果", 30),
    XlsxColumn("无法解决原因", 20), XlsxColumn("登记人", 10),
]


def need_rows(needs) -> Iterator[list]:
    """One row per need of ``needs`` (a need_list queryset); 是 in 是否超期 for an open need
    older than the overdue cutoff, as the list marks it."""
    cutoff = need_overdue_cutoff()
    words = choice_words(Need, "type", "status")
    types, statuses = words["type"], words["status"]

    def build(need):
        person = need.person
        return (
            person.name, person.id_number, person.unit.name, _township(person.unit),
            types.get(need.type, need.type), need.detail, need.registered_on,
            statuses.get(need.status, need.status),
            _yes(need.is_open and need.registered_on < cutoff),
            need.responsible, need.closed_on, need.outcome, need.unmet_reason,
            str(need.registered_by) if need.registered_by_id else None,
        )

    return _stream(needs.select_related("person__unit__parent", "registered_by"), build)


# ---- job seekers --------------------------------------------------------------------------------

JOBSEEKER_COLUMNS = [
    XlsxColumn("姓名", 10), XlsxColumn("身份证号", 21, "id"),
    XlsxColumn("所属村（社区）", 22), XlsxColumn("所属乡镇（街道）", 14),
    XlsxColumn("登记日期", 12, "date"), XlsxColumn("求职意向", 20), XlsxColumn("技能特长", 20),
    XlsxColumn("培训需求", 20), XlsxColumn("劳动能力", 14), XlsxColumn("状态", 8),
    XlsxColumn("就业单位", 20), XlsxColumn("就业日期", 12, "date"),
]


def jobseeker_rows(jobs) -> Iterator[list]:
    """One row per registration of ``jobs`` (a jobseeker_list queryset)."""
    words = choice_words(JobSeeker, "ability", "status")
    abilities, statuses = words["ability"], words["status"]

    def build(job):
        person = job.person
        return (
            person.name, person.id_number, person.unit.name, _township(person.unit),
            job.registered_on, job.work_wished, job.skills, job.training_wanted,
            abilities.get(job.ability, job.ability), statuses.get(job.status, job.status),
            job.employer, job.placed_on,
        )

    return _stream(jobs.select_related("person__unit__parent"), build)
