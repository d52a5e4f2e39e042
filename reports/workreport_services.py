"""Writes of the yearly work report: saving a unit's template (checked by the rules,
optimistic lock, audited), and taking the report as a file (audited like every export of
the register's figures)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import audit_record, diff_fields
from core.actors import require, user_of
from core.versions import check_version
from orgs.models import OrgUnit

from . import workreport_rules as rules
from .models import WorkReportTemplate
from .services import Export
from .workreport_documents import DOCX, work_report_docx, work_report_pdf
from .workreport_selectors import work_report

EDITED = ("title", "subtitle", "signature", "body")
CHANGE = "reports.change_workreporttemplate"
GENERATE = "reports.generate_workreport"


@transaction.atomic
def workreport_template_save(*, actor, unit: OrgUnit, title: str, body: str,
                             subtitle: str = "", signature: str = "",
                             expected_version: int | None = None,
                             started_from: dict | None = None) -> WorkReportTemplate:
    """Save ``unit``'s own template (created on its first save): refused with the rules'
    messages by field when a placeholder is unknown or a heading skips a level, and when
    someone else saved it since the form was opened (``expected_version`` 0: the form
    was opened when the unit had none)."""
    require(actor, CHANGE, unit)
    values = {"title": title.strip(), "subtitle": subtitle.strip(),
              "signature": signature.strip(), "body": body.replace("\r\n", "\n").strip()}
    problems = rules.template_problems(**values)
    if problems:
        raise ValidationError(problems)
    OrgUnit.objects.select_for_update().filter(pk=unit.pk).first()  # one save at a time
    template = WorkReportTemplate.objects.select_for_update().filter(unit=unit).first()
    if template is None:
        if expected_version:  # it existed when the form was opened, and is gone: reopen
            raise ValidationError(_("The template was removed after you opened the form: "
                                    "open it again."))
        template = WorkReportTemplate(unit=unit, version=0)
    else:
        check_version(template, expected_version=expected_version, started_from=started_from)
    before = {name: getattr(template, name) for name in EDITED} if template.pk else {}
    for name, value in values.items():
        setattr(template, name, value)
    template.updated_by = user_of(actor)
    template.version += 1
    template.full_clean(exclude=["unit", "updated_by"], validate_unique=False)
    created = template.pk is None
    template.save()
    audit_record(actor=actor, action=Action.CREATE if created else Action.UPDATE,
                 obj=template, unit=unit,
                 changes=diff_fields(before, {name: getattr(template, name)
                                              for name in EDITED}))
    return template


FORMATS = {"docx": (DOCX, work_report_docx), "pdf": ("application/pdf", work_report_pdf)}


@transaction.atomic
def work_report_export(*, actor, unit: OrgUnit, year: int, fmt: str) -> Export:
    """The yearly work report of ``unit`` as a .docx or a PDF (``fmt``), with the audit
    entry saying who took which unit's figures of which year."""
    require(actor, GENERATE, unit)
    content_type, render = FORMATS[fmt]
    report = work_report(user=actor, unit=unit, year=year, today=timezone.localdate())
    export = Export(filename=f"{report.filename_stem}.{fmt}", content=render(report),
                    content_type=content_type)
    audit_record(actor=actor, action=Action.EXPORT, obj=unit, unit=unit,
                 object_repr=f"{unit.name}{year}年工作汇报",
                 detail={"report": "work_report", "format": fmt, "year": year,
                         "filename": export.filename,
                         "sources": [{"label": s.label, "frozen": s.status.frozen,
                                      "as_of": s.status.as_of.isoformat()}
                                     for s in report.sources]})
    return export
