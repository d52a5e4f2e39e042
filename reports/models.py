from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.scope import ScopedManager


class WorkReportTemplate(models.Model):
    """The headings and fixed prose of a unit's yearly work report (汇报材料), with
    placeholders for the figures (reports/workreport_rules.py). A unit's report uses the
    template of the unit itself or of the nearest unit above it that has one, else the
    built-in one (reports/workreport_default.py): a county's administrators write one for
    their whole county."""

    scope_field = "unit"

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit"))
    title = models.CharField(_("title"), max_length=200)
    subtitle = models.CharField(_("subtitle"), max_length=200, blank=True)
    signature = models.CharField(_("signed by"), max_length=100, blank=True)
    body = models.TextField(_("text"))
    updated_at = models.DateTimeField(_("saved at"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("saved by"))
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("work report template")
        verbose_name_plural = _("work report templates")
        constraints = [models.UniqueConstraint(fields=["unit"],
                                               name="workreporttemplate_one_per_unit")]
        permissions = [("generate_workreport", "Can generate the yearly work report")]

    def __str__(self):
        return f"{self.unit.name} {self._meta.verbose_name}"

    def get_absolute_url(self):
        return reverse("reports:work_report_template", args=[self.unit_id])
