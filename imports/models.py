from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.scope import ScopedManager


class ImportJob(models.Model):
    """One upload of a ledger (people, needs, visits, job seekers…): the file, how its columns
    map to fields, and what became of it. Runs in the background (django-tasks)."""

    scope_field = "unit"

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    class Mode(models.TextChoices):
        ALL = "all", _("All or nothing")
        VALID = "valid", _("Valid rows only")

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(_("ledger"), max_length=20)
    filename = models.CharField(_("file"), max_length=200)
    file = models.FileField(upload_to="imports/%Y/%m/")
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    header_row = models.PositiveIntegerField(_("header row"), default=1)
    mapping = models.JSONField(_("columns"), default=dict, blank=True)
    mode = models.CharField(_("when rows are bad"), max_length=5, choices=Mode.choices,
                            default=Mode.ALL)
    update_existing = models.BooleanField(_("update rows already in the system"), default=False)
    dry_run = models.BooleanField(_("check only"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(default=0)
    done_rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    bad_rows = models.PositiveIntegerField(default=0)
    applied = models.BooleanField(default=False)
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    rejected_file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    message = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("imports:import_detail", args=[self.pk])

    @property
    def percent(self) -> int:
        return int(100 * self.done_rows / self.total_rows) if self.total_rows else 0
