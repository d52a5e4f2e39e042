"""The closed lists of the workforce: the posts of the network, how a post is held, why an
appointment ends."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from orgs.models import Level


class PostKind(models.TextChoices):
    """A post's kind; its name depends on the level of the unit (see ``post_title``)."""

    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice chair")
    LIAISON = "liaison", _("Liaison officer")
    COUNSELLOR = "counsellor", _("Sunshine-home counsellor")
    STAFF = "staff", _("Staff member")


# The name of each kind of post at the DPF of a county or township and at the association
# of a village or community (理事长 / 残协主席, 专职委员 of a township / of a village).
_TITLES = {
    (PostKind.CHAIR, "dpf"): _("DPF chair"),
    (PostKind.CHAIR, "association"): _("Association chair"),
    (PostKind.VICE_CHAIR, "dpf"): _("DPF vice chair"),
    (PostKind.VICE_CHAIR, "association"): _("Association vice chair"),
    (PostKind.LIAISON, "dpf"): _("Liaison officer of a township"),
    (PostKind.LIAISON, "association"): _("Liaison officer of a village or community"),
    (PostKind.COUNSELLOR, "dpf"): _("Sunshine-home counsellor"),
    (PostKind.COUNSELLOR, "association"): _("Sunshine-home counsellor"),
    (PostKind.STAFF, "dpf"): _("DPF staff member"),
    (PostKind.STAFF, "association"): _("Association staff member"),
}


def post_title(kind: str, level: int | None) -> str:
    """The name of a post of ``kind`` at a unit of ``level``."""
    side = "association" if level == Level.VILLAGE else "dpf"
    title = _TITLES.get((kind, side))
    return str(title) if title is not None else str(PostKind(kind).label)


# The levels whose organisation has posts: the DPFs (city, county, township) and the
# associations (village and community). Grids have none: a worker answers for them.
POST_LEVELS = (Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)


class Holding(models.TextChoices):
    """How a post is held: by someone in it full time, or concurrently by the holder of
    another office (doc4, doc5: the township chair is often the head of the social-affairs
    centre or the civil-affairs assistant; doc1: the association chair is the head or deputy
    head of the village or residents' committee)."""

    FULL_TIME = "full_time", _("Full time")
    SOCIAL_AFFAIRS_HEAD = "social_affairs", _("Concurrently: head of the social-affairs centre")
    CIVIL_AFFAIRS = "civil_affairs", _("Concurrently: civil-affairs assistant")
    COMMITTEE_HEAD = "committee_head", _("Concurrently: head of the village or residents' "
                                         "committee")
    COMMITTEE_DEPUTY = "committee_deputy", _("Concurrently: deputy head of the village or "
                                             "residents' committee")
    CONCURRENT = "concurrent", _("Concurrently: another office")


class EndReason(models.TextChoices):
    TERM_OVER = "term_over", _("Term over")
    NOT_RENEWED = "not_renewed", _("Not renewed after appraisal")
    RESIGNED = "resigned", _("Resigned")
    MOVED = "moved", _("Moved to other work")
    DIED = "died", _("Died")
    REFORM = "reform", _("Reform of the network")
    OTHER = "other", _("Other")


class Establishment(models.TextChoices):
    """Whether a post counts against the organisation's approved quota (编制)."""

    NONE = "", _("Not on the quota")
    ADMINISTRATIVE = "administrative", _("Administrative post (quota)")
    INSTITUTIONAL = "institutional", _("Institutional post (quota)")


class Connection(models.TextChoices):
    """A worker's tie to disability (doc3: every liaison officer is a disabled person or the
    relative of one)."""

    DISABLED = "disabled", _("A disabled person")
    RELATIVE = "relative", _("A relative of a disabled person")
    NONE = "none", _("Neither")


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("Spouse")
    PARENT = "parent", _("Parent")
    CHILD = "child", _("Child")
    SIBLING = "sibling", _("Brother or sister")
    GRANDPARENT = "grandparent", _("Grandparent or grandchild")
    OTHER = "other", _("Other relative")


class PoliticalStatus(models.TextChoices):
    PARTY = "party", _("Party member")
    PROBATIONARY = "probationary", _("Probationary party member")
    LEAGUE = "league", _("Youth league member")
    DEMOCRATIC = "democratic", _("Member of a democratic party")
    MASSES = "masses", _("Ordinary citizen")


class Basis(models.TextChoices):
    """What a staffing norm's threshold counts."""

    PEOPLE = "people", _("Registered disabled people")
    CERTIFICATES = "certificates", _("Certificate holders")


# ---- training, appraisal and awards ----------------------------------------------------------

class TrainingLevel(models.TextChoices):
    """Who organises a training session: the city's, the county's or the township's DPF."""

    CITY = "city", _("City")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")


# The level of the unit that organises a session of each training level.
TRAINING_UNIT_LEVEL = {TrainingLevel.CITY: Level.CITY, TrainingLevel.COUNTY: Level.COUNTY,
                       TrainingLevel.TOWNSHIP: Level.TOWNSHIP}


class Grade(models.TextChoices):
    """The grade of a yearly appraisal (doc4: 考评不称职的不予续聘, 优秀的给予奖励)."""

    EXCELLENT = "excellent", _("Excellent")
    COMPETENT = "competent", _("Competent")
    BASIC = "basic", _("Basically competent")
    INCOMPETENT = "incompetent", _("Incompetent")


class Decision(models.TextChoices):
    """What an appraisal decides about the officer's appointment."""

    RENEW = "renew", _("Renew")
    NOT_RENEW = "not_renew", _("Do not renew")
    COMMEND = "commend", _("Commend")


class NominationDecision(models.TextChoices):
    PENDING = "", _("Not decided yet")
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")


# ---- subsidies and payroll -------------------------------------------------------------------

class SubsidyKind(models.TextChoices):
    """What a subsidy policy pays (doc4, doc5)."""

    PUBLIC_WELFARE = "public_welfare", _("Public-welfare post subsidy")
    LOST_WORK = "lost_work", _("Lost-work subsidy")
    ALLOWANCE_PLUS = "allowance_plus", _("Minimum living allowance plus subsidy")


class Funding(models.TextChoices):
    COUNTY_BUDGET = "county_budget", _("County budget")
    EMPLOYMENT_FUND = "employment_fund", _("Disability employment security fund")
    TOWNSHIP = "township", _("Township funds")


class PayCycle(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    HALF_YEARLY = "half_yearly", _("Every half year")


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("Preview")
    CONFIRMED = "confirmed", _("Confirmed")


class LineKind(models.TextChoices):
    COMPUTED = "computed", _("Computed")
    ADJUSTMENT = "adjustment", _("Adjustment")
