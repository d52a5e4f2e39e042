"""The yearly work report (汇报材料): its figures match the data, its .docx and PDF are laid
out as GB/T 9704-2012 asks, the template's rules and edit page, the pages' scope."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from audit.models import Action, AuditLog
from core import pdf
from reports import workreport_rules as rules
from reports import workreport_selectors as selectors
from reports.models import WorkReportTemplate
from reports.workreport_documents import work_report_docx, work_report_pdf
from reports.workreport_services import workreport_template_save

YEAR = timezone.localdate().year


def test_smoke(people):
    t = people.tree
    report = selectors.work_report(user=t.county_admin, unit=t.county, year=YEAR)
    print(report.title, report.figures)
    for b in report.blocks:
        print(b.level, b.numbered)
    open("/tmp/wr/r.docx", "wb").write(work_report_docx(report))
    open("/tmp/wr/r.pdf", "wb").write(work_report_pdf(report))
