"""The ledgers (七表一录一记 and the rest of doc3's books) a unit keeps: assistance and
volunteer activities, letters and visits, the work record book, the annual plan, meetings,
and the files attached to any of them.

Every ledger's entry belongs to one unit (its scope, core/scope.py) and a date; entries are
written by ledgers/services.py (audited, optimistic locking by ``version``) and read by
ledgers/selectors.py. The register's own ledgers (personal registration, needs, job seekers,
the visit log) stay in people; the ledger book (ledgers/registry.py) names them all."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.scope import ScopedManager

from .activities_choices import AssistanceKind


class LedgerEntry(models.Model):
    """What every ledger's entry has: its unit, its date, who wrote it, its version."""

    scope_field = "unit"

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("unit"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   editable=False, verbose_name=_("written by"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        abstract = True


def attachment_path(instance, filename: str) -> str:
    """Where a file is kept: under MEDIA_ROOT (never served by the web server, only by
    ledgers.views.attachment_file), in a folder per month, under a random name."""
    return f"ledgers/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


class Attachment(models.Model):
    """A photo or a PDF attached to a ledger's entry (its owner). The type was read from the
    content, images were re-encoded without their metadata (ledgers/rules.py); the file is
    served to users who may see the owner, and every look is audited."""

    scope_field = "unit"

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit"))
    owner_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    owner_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("owner_type", "owner_id")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=40)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"))

    objects = ScopedManager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["owner_type_id", "owner_id", "id"]
        indexes = [models.Index(fields=["owner_type", "owner_id"],
                                name="attachment_owner_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("ledgers:attachment_file", args=[self.pk])

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


# ---- assistance and volunteer activities (issue 14, activities) ----------------------------

class AssistanceActivity(LedgerEntry):
    """扶残助残活动登记: an activity of a unit for disabled people — who organised it with
    whom, where, how many took part, the registered people it helped (picked from the
    register, within the keeper's scope), the money and goods given, and whether it is the
    unit's influential activity of the year (doc3 asks at least one a year)."""

    held_on = models.DateField(_("date"))
    title = models.CharField(_("activity"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20,
                            choices=AssistanceKind.choices)
    organiser = models.CharField(_("organised by"), max_length=200, blank=True)
    partners = models.CharField(_("partner departments"), max_length=200, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    people = models.ManyToManyField("people.Person", blank=True, related_name="+",
                                    verbose_name=_("people helped"))
    money = models.DecimalField(_("money given (yuan)"), max_digits=12, decimal_places=2,
                                null=True, blank=True)
    goods = models.CharField(_("goods given"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    influential = models.BooleanField(_("the unit's influential activity of the year"),
                                      default=False)

    class Meta:
        verbose_name = _("assistance activity")
        verbose_name_plural = _("assistance activities")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["unit", "held_on"], name="assistance_unit_date_idx"),
                   models.Index(fields=["held_on"], name="assistance_date_idx")]
        constraints = [models.CheckConstraint(
            condition=models.Q(money__isnull=True) | models.Q(money__gte=0),
            name="assistance_money_not_negative")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("ledgers:assistance_detail", args=[self.pk])


class Volunteer(models.Model):
    """A volunteer on a unit's roster (志愿者花名册). Never deleted: one who no longer serves
    is made inactive.

    A volunteer's record survives a reform of their unit: the volunteer, their services
    (VolunteerService) and their certificates (VolunteerCertificate) are keyed by the
    volunteer's own id, never by a unit; their hours are counted from their services
    whatever unit held the activity; moving the volunteer to another unit (a reform, or a
    move) changes ``unit`` alone, and every delete that would lose a service or a
    certificate is refused (PROTECT). The services and certificates are seen by whoever
    sees the volunteer (their scope is ``volunteer__unit``)."""

    scope_field = "unit"

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit"))
    name = models.CharField(_("full name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    active = models.BooleanField(_("serving"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["unit_id", "name", "id"]
        indexes = [models.Index(fields=["unit", "name"], name="volunteer_unit_name_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("ledgers:volunteer_detail", args=[self.pk])


class VolunteerActivity(LedgerEntry):
    """志愿者助残活动登记: a volunteer activity of a unit — what was done, where, the
    registered people served, and the volunteers who came with their hours
    (VolunteerService)."""

    held_on = models.DateField(_("date"))
    title = models.CharField(_("activity"), max_length=120)
    place = models.CharField(_("place"), max_length=200, blank=True)
    content = models.TextField(_("content"), blank=True)
    people = models.ManyToManyField("people.Person", blank=True, related_name="+",
                                    verbose_name=_("people served"))
    volunteers = models.ManyToManyField(Volunteer, through="VolunteerService",
                                        related_name="activities",
                                        verbose_name=_("volunteers"))

    class Meta:
        verbose_name = _("volunteer activity")
        verbose_name_plural = _("volunteer activities")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["unit", "held_on"], name="volact_unit_date_idx"),
                   models.Index(fields=["held_on"], name="volact_date_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("ledgers:volunteer_activity_detail", args=[self.pk])


class VolunteerService(models.Model):
    """A volunteer came to an activity and served ``hours`` (once per activity)."""

    scope_field = "volunteer__unit"

    activity = models.ForeignKey(VolunteerActivity, on_delete=models.PROTECT,
                                 related_name="services", verbose_name=_("activity"))
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="services",
                                  verbose_name=_("volunteer"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("volunteer service")
        verbose_name_plural = _("volunteer services")
        ordering = ["activity_id", "volunteer_id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "volunteer"],
                                    name="volunteer_service_once"),
            models.CheckConstraint(condition=models.Q(hours__gt=0),
                                   name="volunteer_service_hours_positive"),
        ]
        indexes = [models.Index(fields=["volunteer", "activity"],
                                name="volservice_volunteer_idx")]

    def __str__(self):
        return f"{self.volunteer_id}@{self.activity_id}: {self.hours}"


class VolunteerCertificate(models.Model):
    """A volunteer service hours certificate (志愿服务时长证明) as issued: its number
    (sequential per issuing unit and year), the period, the hours and the activities
    counted, kept as they were printed, so the same certificate prints again."""

    scope_field = "volunteer__unit"

    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT,
                                  related_name="certificates", verbose_name=_("volunteer"))
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("issuing unit"))
    year = models.PositiveSmallIntegerField(_("year of issue"))
    sequence = models.PositiveIntegerField(_("sequence"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=1)
    activities = models.JSONField(_("activities"), default=list)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("hours certificate")
        verbose_name_plural = _("hours certificates")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "sequence"],
                                    name="volunteer_certificate_number_unique"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="volunteer_certificate_period"),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("ledgers:volunteer_certificate_pdf", args=[self.pk])

    @property
    def number(self) -> str:
        """The certificate's number: the issuing unit's code, the year, the sequence."""
        return f"{self.unit.code or self.unit_id}-{self.year}-{self.sequence:04d}"
