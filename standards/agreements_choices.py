"""The choices of the responsibility agreements 目标责任书."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    CLOSED = "closed", _("Accepted and closed")


class Finding(models.TextChoices):
    MET = "met", _("Met")
    PARTLY = "partly", _("Partly met")
    NOT_MET = "not_met", _("Not met")


class TaskResult(models.TextChoices):
    """The year-end acceptance 检查验收 of one task."""

    MET = "met", _("Up to standard")
    BASIC = "basic", _("Basically up to standard")
    NOT_MET = "not_met", _("Not up to standard")


class Grade(models.TextChoices):
    """The agreement's overall result at the acceptance."""

    EXCELLENT = "excellent", _("Excellent")
    PASS = "pass", _("Passed")
    FAIL = "fail", _("Failed")
