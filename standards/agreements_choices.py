"""The choices of the responsibility agreements 目标责任书."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    CLOSED = "closed", _("Accepted and closed")


class Finding(models.TextChoices):
    MET = "met", pgettext_lazy("inspection finding", "Met")
    PARTLY = "partly", pgettext_lazy("inspection finding", "Partly met")
    NOT_MET = "not_met", pgettext_lazy("inspection finding", "Not met")


class TaskResult(models.TextChoices):
    """The year-end acceptance 检查验收 of one task."""

    MET = "met", _("Up to standard")
    BASIC = "basic", _("Basically up to standard")
    NOT_MET = "not_met", _("Not up to standard")


class Grade(models.TextChoices):
    """The agreement's overall result at the acceptance."""

    EXCELLENT = "excellent", pgettext_lazy("acceptance grade", "Excellent")
    PASS = "pass", pgettext_lazy("acceptance grade", "Passed")
    FAIL = "fail", pgettext_lazy("acceptance grade", "Failed")
