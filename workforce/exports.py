"""The workers' list as a workbook: the county's roster of liaison officers and other
workers (专职委员花名册), one row per worker and current post, in the importer's own columns
(workforce/imports.py), so a roster taken out can be brought back in. ID numbers are written
in full, as text: the export is audited."""

from django.utils.translation import override

from core.exports import XlsxColumn

from .choices import Connection, Holding, PoliticalStatus, Relation, post_title
from .imports import ROSTER_COLUMNS

CHUNK = 1000


def worker_columns() -> list[XlsxColumn]:
    widths = {"name": 10, "id_number": 22, "unit": 22, "post": 16, "phone": 14,
              "document_number": 22}
    kinds = {"id_number": "id", "starts_on": "date", "term_ends_on": "date",
             "certificate_valid_until": "date", "phone": "id"}
    return [XlsxColumn(c.label, widths.get(c.field, 12), kinds.get(c.field, "text"))
            for c in ROSTER_COLUMNS]


def _words(choices) -> dict:
    with override("zh-hans"):
        return {value: str(label) for value, label in choices}


def worker_rows(queryset):
    """One row per worker and current post (a worker without a post: one row, post
    blank), in ROSTER_COLUMNS' order."""
    from people.choices import Education, Gender

    gender, education = _words(Gender.choices), _words(Education.choices)
    political, connection = _words(PoliticalStatus.choices), _words(Connection.choices)
    relation, holding = _words(Relation.choices), _words(Holding.choices)
    for worker in queryset.select_related("person").iterator(chunk_size=CHUNK):
        appointments = worker.current  # prefetched by selectors.worker_list
        base = {
            "name": worker.name, "id_number": worker.id_number,
            "gender": gender.get(worker.gender), "phone": worker.phone or None,
            "education": education.get(worker.education),
            "political_status": political.get(worker.political_status),
            "connection": connection.get(worker.connection),
            "relative_id_number": worker.person.id_number
            if worker.connection == Connection.RELATIVE and worker.person else None,
            "relation": relation.get(worker.relation),
            "certificate_number": worker.certificate_number or None,
            "certificate_valid_until": worker.certificate_valid_until,
        }
        for appointment in appointments or [None]:
            row = dict(base)
            if appointment is not None:
                with override("zh-hans"):
                    post_name = post_title(appointment.post.kind, appointment.post.unit.level)
                row.update(unit=appointment.post.unit.code or appointment.post.unit.name,
                           post=post_name, holding=holding.get(appointment.holding),
                           starts_on=appointment.starts_on,
                           term_ends_on=appointment.term_ends_on,
                           document_number=appointment.document_number or None)
            else:
                row["unit"] = worker.unit.code or worker.unit.name
            yield [row.get(c.field) for c in ROSTER_COLUMNS]


# ---- the training register -------------------------------------------------------------------

def training_columns() -> list[XlsxColumn]:
    return [XlsxColumn("培训名称", 30), XlsxColumn("主办单位", 20), XlsxColumn("级别", 8),
            XlsxColumn("开始日期", 12, "date"), XlsxColumn("结束日期", 12, "date"),
            XlsxColumn("学时", 8, "number"), XlsxColumn("授课人", 14),
            XlsxColumn("参训人数", 10, "number"), XlsxColumn("培训内容", 40)]


def training_rows(queryset):
    from .choices import TrainingLevel

    level = _words(TrainingLevel.choices)
    for session in queryset.iterator(chunk_size=CHUNK):
        yield [session.title, session.unit.name, level.get(session.level), session.starts_on,
               session.ends_on, session.hours, session.trainer or None, session.attendees,
               session.content or None]
