"""The closed lists of the assistance and volunteer activities (扶残助残活动, 志愿者助残活动)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssistanceKind(models.TextChoices):
    VISIT = "visit", _("Visits and condolences")
    DAY = "day", _("National Day of Helping the Disabled")
    REHABILITATION = "rehabilitation", _("Rehabilitation services")
    EMPLOYMENT = "employment", _("Employment support")
    CULTURE = "culture", _("Culture and sports")
    LEGAL = "legal", _("Legal aid")
    OTHER = "other", _("Other")
