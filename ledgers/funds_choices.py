"""The kinds of funds a unit keeps and the ways money moves (doc1: 办公经费, 残保金, 费随事转)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FundKind(models.TextChoices):
    OFFICE = "office", _("Office funds")
    SECURITY = "security", _("Employment security fund for disabled people")
    OTHER = "other", _("Other funds")


class FundFlow(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("funds", "Received")
    SPENT = "spent", _("Spent")
    TRANSFER = "transfer", _("Transferred down with a task")
