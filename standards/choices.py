"""The standards' choices."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StandardStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class ItemKind(models.TextChoices):
    COMPUTED = "computed", _("Computed from the data")
    CONFIRMED = "confirmed", _("Confirmed by a person")


# The levels a standard applies to: 三个百分之百 a county, 九有 a township DPF, 六有 a village
# or community association.
STANDARD_LEVELS = [(3, _("County / district")), (4, _("Township / street")),
                   (5, _("Village / community"))]


# ---- the 100-point assessment 百分制目标考核 ----------------------------------------------

class ScoringMethod(models.TextChoices):
    MANUAL = "manual", _("Scored by hand (0 to the maximum)")
    INDICATOR = "indicator", _("Computed from an indicator (maximum × the share)")
    PRO_RATA = "pro_rata", _("Pro rata to a target (capped)")
    DEDUCTION = "deduction", _("A fixed deduction per miss or late report")
    VETO = "veto", _("Veto: any case caps or zeroes the total")


class EvidenceKind(models.TextChoices):
    RECORDS = "records", _("Records reviewed")
    ON_SITE = "on_site", _("On site")
    HOUSEHOLD = "household", _("Household visit")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Scoring")
    CONFIRMED = "confirmed", _("Confirmed")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


# The levels a scheme assesses: the townships or the villages and communities of a county.
SCHEME_LEVELS = [(4, _("Township / street")), (5, _("Village / community"))]


# ---- demonstration sites 示范点 (issue 16) ---------------------------------------------------

class SiteKind(models.TextChoices):
    """What a county designates as a demonstration site (doc4: 2–4 townships, at least 2
    communities, 50 villages a year)."""

    TOWNSHIP = "township", _("Demonstration township")
    COMMUNITY = "community", _("Demonstration community")
    VILLAGE = "village", _("Demonstration village")
