"""What a reform does with the reports' tables (orgs/successors.py): a unit's work report
template stays with the unit as its history; the successor's report takes the template of
the unit above it (or the built-in one) until its administrators write one."""

from django.utils.translation import gettext_lazy as _

from orgs import successors

from .models import WorkReportTemplate

successors.register(
    successors.Holding("reports.workreport_template", _("work report templates"),
                       WorkReportTemplate, policy=successors.STAY),
)
