"""core's tables: the one-time form tokens used (core.guards.OnceGuard) and the exports that
run in the background (core.exportjobs). Scope, cells, tables and workbooks belong to no
domain and have no tables."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .scope import ScopedManager


class FormSubmission(models.Model):
    """A form token consumed by its first valid submission, and where that led. Rows are
    only needed while someone may still resubmit the page; they can be deleted after a day."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True,
                             blank=True, related_name="+")
    result_url = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return self.token


class ExportJob(models.Model):
    """A list export too large for a request (more rows than CANLIAN_EXPORT_JOB_ROWS): the
    list (its export URL's name and query string, so the worker asks the same view for the
    same rows), who asked, and the workbook once written. Only the user who asked sees it;
    the file lives in the private media folder and is removed after CANLIAN_EXPORT_KEEP_HOURS.
    """

    scope_field = "unit"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Removed")

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                   related_name="+", verbose_name=_("asked by"))
    created_at = models.DateTimeField(auto_now_add=True)
    name = models.CharField(_("list"), max_length=100)
    url_name = models.CharField(max_length=100)
    query = models.TextField(blank=True)
    filters = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    done_rows = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    message = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("core:export_detail", args=[self.pk])

    @property
    def percent(self) -> int:
        return int(100 * self.done_rows / self.total_rows) if self.total_rows else 0


class Snapshot(models.Model):
    """A year's figures of one report for one unit, frozen (冻结数据): what the report
    showed as of ``as_of``, kept as the report needs it to render again exactly — the rows
    with their numbers and the units' names as they were. A later edit of the register, a
    reform or a confirmation never changes it: a frozen set is never edited, and freezing
    the same report, unit and year again is refused (core.snapshots). ``kind`` names the
    report ("reports.summary", "standards.attainment"); only its app reads the payload."""

    scope_field = "unit"

    kind = models.CharField(_("report"), max_length=50)
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    as_of = models.DateField(_("as of"))
    payload = models.JSONField(default=dict)
    frozen_at = models.DateTimeField(_("frozen at"))
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+",
                                  verbose_name=_("frozen by"))
    frozen_by_name = models.CharField(_("frozen by"), max_length=150)
    note = models.TextField(_("note"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("frozen figures")
        verbose_name_plural = _("frozen figures")
        ordering = ["-year", "kind", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "unit", "year"],
                                    name="snapshot_one_per_kind_unit_year"),
        ]

    def __str__(self):
        return f"{self.kind} {self.unit_id} {self.year}"
