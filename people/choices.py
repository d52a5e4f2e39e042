"""The closed lists of the register, with the codes of the national standards where they
have them (GB/T 26341-2010 for categories and grades)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Category(models.IntegerChoices):
    VISUAL = 1, _("Visual")
    HEARING = 2, _("Hearing")
    SPEECH = 3, _("Speech")
    PHYSICAL = 4, _("Physical")
    INTELLECTUAL = 5, _("Intellectual")
    MENTAL = 6, _("Mental")
    MULTIPLE = 7, _("Multiple")


class Grade(models.IntegerChoices):
    ONE = 1, _("Grade 1")
    TWO = 2, _("Grade 2")
    THREE = 3, _("Grade 3")
    FOUR = 4, _("Grade 4")


class Hukou(models.TextChoices):
    URBAN = "urban", _("Urban household")
    RURAL = "rural", _("Rural household")


class Education(models.TextChoices):
    NONE = "none", _("No schooling")
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary")
    SENIOR = "senior", _("Senior secondary")
    VOCATIONAL = "vocational", _("Secondary vocational")
    COLLEGE = "college", _("Junior college")
    UNIVERSITY = "university", _("University or above")
    SPECIAL = "special", _("Special education school")


class Marital(models.TextChoices):
    SINGLE = "single", _("Never married")
    MARRIED = "married", _("Married")
    DIVORCED = "divorced", _("Divorced")
    WIDOWED = "widowed", _("Widowed")


class Living(models.TextChoices):
    ALONE = "alone", _("Lives alone")
    SPOUSE = "spouse", _("With spouse")
    CHILDREN = "children", _("With children")
    PARENTS = "parents", _("With parents")
    RELATIVES = "relatives", _("With other relatives")
    INSTITUTION = "institution", _("In an institution")


class Employment(models.TextChoices):
    EMPLOYED = "employed", _("Employed")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    FARMING = "farming", _("Farming")
    UNEMPLOYED = "unemployed", _("Unemployed, able to work")
    UNABLE = "unable", _("Unable to work")
    STUDENT = "student", _("In school")
    RETIRED = "retired", _("Retired")
    CHILD = "child", _("Child under working age")


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    MOVED_OUT = "moved_out", _("Moved out")
    DECEASED = "deceased", _("Deceased")
    CANCELLED = "cancelled", _("Certificate cancelled")


ETHNICITIES = [
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
    "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
    "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族",
    "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族",
    "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族",
    "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族",
    "基诺族",
]
ETHNICITY_CHOICES = [(name, name) for name in ETHNICITIES]


class NeedType(models.TextChoices):
    REHABILITATION = "rehabilitation", _("Rehabilitation")
    DEVICES = "devices", _("Assistive devices")
    EDUCATION = "education", _("Education")
    EMPLOYMENT = "employment", _("Employment")
    RIGHTS = "rights", _("Rights protection")
    CARE = "care", _("Care services")
    ACCESSIBILITY = "accessibility", _("Home accessibility")
    RELIEF = "relief", _("Relief")
    OTHER = "other", _("Other")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    MET = "met", _("Met")
    UNMET = "unmet", _("Cannot be met")


class VisitMode(models.TextChoices):
    HOME = "home", _("Home visit")
    OFFICE = "office", _("Came to the office")
    PHONE = "phone", _("Phone")
    UNREACHABLE = "unreachable", _("Could not be reached")


class WorkAbility(models.TextChoices):
    FULL = "full", _("Can work fully")
    PARTIAL = "partial", _("Can work partly")
    SHELTERED = "sheltered", _("Sheltered or supported work only")


class JobStatus(models.TextChoices):
    SEEKING = "seeking", _("Seeking")
    PLACED = "placed", _("Placed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MoveKind(models.TextChoices):
    HUKOU = "hukou", _("Household registration moved")
    CORRECTION = "correction", _("Correction of the unit")


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    DONE = "done", _("Done")
    DECLINED = "declined", _("Declined")


AGE_BANDS = [
    # (code, label, min age inclusive, max age inclusive or None)
    ("0-6", _("0–6"), 0, 6),
    ("7-17", _("7–17"), 7, 17),
    ("18-59", _("18–59"), 18, 59),
    ("60+", _("60 and over"), 60, None),
]
