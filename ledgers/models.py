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


# ---- the work record book, meetings and the annual plan (issue 14, records) -----------------

class WorkEntry(LedgerEntry):
    """An entry of the work record book (工作记录册, the 一录 of 七表一录一记): what the unit
    did on a day. It can be changed for 7 days after it was written (rules.entry_editable);
    after that it is only annotated (WorkEntryNote), and both are kept."""

    written_on = models.DateField(_("date"))
    subject = models.CharField(_("subject"), max_length=120, blank=True)
    content = models.TextField(_("content"))

    class Meta:
        verbose_name = _("work record")
        verbose_name_plural = _("work records")
        ordering = ["-written_on", "-id"]
        indexes = [models.Index(fields=["unit", "written_on"], name="workentry_unit_date_idx"),
                   models.Index(fields=["written_on"], name="workentry_date_idx")]

    def __str__(self):
        return f"{self.written_on:%Y-%m-%d} {self.subject or self.content[:20]}"

    def get_absolute_url(self):
        return reverse("ledgers:workentry_detail", args=[self.pk])

    def attachments_locked(self, now) -> str | None:
        """Why its files can no longer be removed (the 7 days are over), or None."""
        from .rules import entry_editable

        if entry_editable(self.created_at, now):
            return None
        return _("This record was written more than 7 days ago: its files are kept as "
                 "they are.")


class WorkEntryNote(models.Model):
    """A note added to a work record (批注): who, when, what. Never changed afterwards."""

    scope_field = "entry__unit"

    entry = models.ForeignKey(WorkEntry, on_delete=models.PROTECT, related_name="notes",
                              verbose_name=_("work record"))
    text = models.TextField(_("note"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("written by"))
    written_by_name = models.CharField(_("written by"), max_length=60, blank=True)
    written_at = models.DateTimeField(_("written at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("note on a work record")
        verbose_name_plural = _("notes on work records")
        ordering = ["entry_id", "written_at", "id"]

    def __str__(self):
        return self.text[:40]


class MeetingKind(models.TextChoices):
    WORK = "work", _("Work meeting")
    STUDY = "study", _("Study session")
    PARTY_MEMBERS = "party_members", _("Party branch general meeting")
    PARTY_COMMITTEE = "party_committee", _("Party branch committee meeting")
    PARTY_GROUP = "party_group", _("Party group meeting")
    PARTY_LECTURE = "party_lecture", _("Party lecture")
    OTHER = "other", _("Other meeting")


# 三会一课: the party branch's three meetings and its lecture (doc2).
PARTY_KINDS = frozenset({MeetingKind.PARTY_MEMBERS, MeetingKind.PARTY_COMMITTEE,
                         MeetingKind.PARTY_GROUP, MeetingKind.PARTY_LECTURE})


class Meeting(LedgerEntry):
    """A meeting or a session of organisational life (会议记录): the work meetings and study
    sessions of a DPF or an association, and its party branch's 三会一课."""

    held_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices,
                            default=MeetingKind.WORK)
    title = models.CharField(_("subject"), max_length=120, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    host = models.CharField(_("host"), max_length=60, blank=True)
    recorder = models.CharField(_("recorder"), max_length=60, blank=True)
    attendee_names = models.TextField(_("who came"), blank=True)
    attendees = models.ManyToManyField("workforce.Worker", blank=True, related_name="+",
                                       verbose_name=_("workers who came"))
    expected_count = models.PositiveSmallIntegerField(_("expected"), null=True, blank=True)
    present_count = models.PositiveSmallIntegerField(_("present"), null=True, blank=True)
    absent = models.CharField(_("absent, and why"), max_length=200, blank=True)
    minutes = models.TextField(_("minutes"))
    decisions = models.TextField(_("decisions"), blank=True)
    committee = models.ForeignKey("orgs.WorkCommittee", on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="+",
                                  verbose_name=_("meeting of the work committee"))

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["unit", "held_on"], name="meeting_unit_date_idx"),
                   models.Index(fields=["held_on"], name="meeting_date_idx")]
        constraints = [models.CheckConstraint(
            condition=models.Q(present_count__isnull=True) | models.Q(
                expected_count__isnull=True) | models.Q(
                present_count__lte=models.F("expected_count")),
            name="meeting_present_within_expected")]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.title or self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("ledgers:meeting_detail", args=[self.pk])


class AnnualPlan(LedgerEntry):
    """A unit's annual work plan (年度工作计划), made at the start of the year (doc3): its
    items are the planned activities (at least one influential), the practical things for
    disabled people (实事, one or two) and the rest; each item is fulfilled by ledger
    entries (PlanFulfilment)."""

    year = models.PositiveSmallIntegerField(_("year"))
    summary = models.TextField(_("aims"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")
        ordering = ["-year", "unit__path", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"],
                                               name="annualplan_one_per_unit_year")]
        indexes = [models.Index(fields=["year"], name="annualplan_year_idx")]

    def __str__(self):
        return f"{self.year}"

    def get_absolute_url(self):
        return reverse("ledgers:annualplan_detail", args=[self.pk])


class PlanItemKind(models.TextChoices):
    ACTIVITY = "activity", _("Activity")
    PRACTICAL = "practical", _("Practical thing for disabled people")
    OTHER = "other", _("Other work")


class PlanItem(models.Model):
    """One item of an annual plan: what, its target, by when."""

    scope_field = "plan__unit"

    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="items",
                             verbose_name=_("annual plan"))
    kind = models.CharField(_("kind"), max_length=12, choices=PlanItemKind.choices,
                            default=PlanItemKind.ACTIVITY)
    influential = models.BooleanField(_("influential activity"), default=False)
    title = models.CharField(_("item"), max_length=120)
    target = models.CharField(_("target"), max_length=200, blank=True)
    target_number = models.DecimalField(_("target number"), max_digits=10, decimal_places=1,
                                        null=True, blank=True)
    due_on = models.DateField(_("due by"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["plan_id", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("ledgers:annualplan_detail", args=[self.plan_id]) + f"#item-{self.pk}"


class PlanFulfilment(models.Model):
    """A ledger's entry that fulfils a plan item (an activity held, a thing done): any entry
    of a ledger declared in ledgers/registry.py whose model has a ``unit``, of the plan's
    unit and year."""

    scope_field = "item__plan__unit"

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="fulfilments",
                             verbose_name=_("plan item"))
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    entry = GenericForeignKey("content_type", "object_id")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("fulfilment of a plan item")
        verbose_name_plural = _("fulfilments of plan items")
        ordering = ["item_id", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "content_type", "object_id"],
                                               name="planfulfilment_once")]
        indexes = [models.Index(fields=["content_type", "object_id"],
                                name="planfulfilment_entry_idx")]

    def __str__(self):
        return f"{self.item} ← {self.content_type_id}:{self.object_id}"


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
    association = models.ForeignKey("orgs.SpecialAssociation", on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("activity of the special association"))

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


# ---- letters and visits 来信来访 (issue 14) ----------------------------------------------------

from core import crypto  # noqa: E402

from .petitions_choices import (  # noqa: E402
    OPEN,
    PetitionStatus,
    ReceivedHow,
    RepeatOf,
    Satisfaction,
)

# A petitioner's ID number is never stored as itself (core/crypto.py), as in the register;
# its own column name, so a value sealed for it opens nowhere else.
PETITION_ID_COLUMN = "petition.id_number"


class PetitionCategory(models.Model):
    """A subject a petition is about (康复, 教育, 就业…), in a tree; each with the days a unit
    has to reply (60 by default). ``unit``: the region that added it (its own subtree
    chooses it); empty: the defaults, everywhere (a data migration makes them)."""

    scope_field = "unit"

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("region"))
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="children", verbose_name=_("under"))
    name = models.CharField(_("name"), max_length=40)
    deadline_days = models.PositiveSmallIntegerField(_("days to reply"), default=60)
    active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("petition category")
        verbose_name_plural = _("petition categories")
        ordering = ["order", "name", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(deadline_days__gte=1),
                                   name="petitioncategory_days_positive"),
        ]

    def __str__(self):
        return self.name


class Petition(LedgerEntry):
    """A letter or a visit (来信来访登记): who came, how, about what; who handles it, where it
    stands (ledgers/rules.py PETITION_TRANSITIONS), its deadline, the reply and what the
    petitioner said of it. The petitioner is a registered person (``person``) or not (their
    name, phone, address and ID number as given). A repeat petition names the earlier one
    it was linked to at registration (``earlier``, and why: ``repeat_of``)."""

    received_how = models.CharField(_("received how"), max_length=10,
                                    choices=ReceivedHow.choices, default=ReceivedHow.VISIT)
    received_on = models.DateField(_("received on"))
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+",
                               verbose_name=_("registered person"))
    petitioner_name = models.CharField(_("petitioner"), max_length=50)
    petitioner_phone = models.CharField(_("phone"), max_length=40, blank=True)
    petitioner_address = models.CharField(_("address"), max_length=200, blank=True)
    id_cipher = models.CharField(max_length=80, null=True, blank=True, editable=False)
    id_hash = models.CharField(max_length=crypto.HASH_LENGTH, null=True, blank=True,
                               editable=False)
    category = models.ForeignKey(PetitionCategory, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("subject category"))
    content = models.TextField(_("what the petitioner raises"))
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="+",
                                verbose_name=_("handled by"))
    handler_name = models.CharField(_("handled by (name)"), max_length=50, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=PetitionStatus.choices,
                              default=PetitionStatus.REGISTERED)
    deadline = models.DateField(_("reply due by"))
    not_accepted_reason = models.TextField(_("why not accepted"), blank=True)
    reply = models.TextField(_("reply"), blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=14,
                                    choices=Satisfaction.choices, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    earlier = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="later", editable=False,
                                verbose_name=_("earlier petition"))
    repeat_of = models.CharField(_("repeat of"), max_length=8, choices=RepeatOf.choices,
                                 blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("letters and visits")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "received_on"], name="petition_unit_received_idx"),
            models.Index(fields=["received_on", "id"], name="petition_received_idx"),
            # The overdue: open petitions by their deadline, with their unit.
            models.Index(fields=["deadline", "unit"], name="petition_open_deadline_idx",
                         condition=models.Q(status__in=sorted(OPEN))),
            models.Index(fields=["person"], name="petition_person_idx"),
            models.Index(fields=["id_hash"], name="petition_id_hash_idx"),
            models.Index(fields=["category", "unit", "received_on"],
                         name="petition_subject_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(id_cipher__isnull=True, id_hash__isnull=True)
                | models.Q(id_cipher__isnull=False, id_hash__isnull=False),
                name="petition_id_sealed_whole"),
            models.CheckConstraint(condition=models.Q(deadline__gte=models.F("received_on")),
                                   name="petition_deadline_after_received"),
        ]
        permissions = [
            ("export_petition", "Can export letters and visits"),
            ("count_petition", "Can see the counts of letters and visits"),
        ]

    def __str__(self):
        from django.utils.translation import gettext

        return gettext("Petition no. %(n)s") % {"n": self.pk}

    def get_absolute_url(self):
        return reverse("ledgers:petition_detail", args=[self.pk])

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self.__dict__.pop("_id_opened", None)

    @property
    def id_number(self) -> str | None:
        """The ID number given for the petitioner, decrypted (once per value held)."""
        cipher = self.id_cipher
        opened = self.__dict__.get("_id_opened")
        if opened is None or opened[0] != cipher:
            opened = (cipher, crypto.unseal(cipher, column=PETITION_ID_COLUMN))
            self.__dict__["_id_opened"] = opened
        return opened[1]

    @id_number.setter
    def id_number(self, number: str | None) -> None:
        number = number or None
        self.id_cipher = crypto.seal(number, column=PETITION_ID_COLUMN) if number else None
        self.id_hash = petition_id_lookup(number) if number else None
        self.__dict__["_id_opened"] = (self.id_cipher, number)

    @property
    def masked_id(self) -> str:
        from core.text import mask_digits

        return mask_digits(self.id_number)

    @property
    def masked_phone(self) -> str:
        from .rules import mask_phone

        return mask_phone(self.petitioner_phone)

    @property
    def handler_label(self) -> str:
        if self.handler_id is not None and self.handler is not None:
            return self.handler.get_full_name() or self.handler.get_username()
        return self.handler_name


def petition_id_lookup(number: str | None) -> str | None:
    """The lookup hash of a (normalised) ID number as petitions keep it."""
    return crypto.lookup(number, column=PETITION_ID_COLUMN) if number else None


class PetitionEvent(models.Model):
    """One step of a petition (registered, accepted, replied…): who, when, from which
    status to which, and the note given."""

    scope_field = "petition__unit"

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", verbose_name=_("by"))
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    at = models.DateTimeField(_("at"))
    from_status = models.CharField(_("from"), max_length=12, choices=PetitionStatus.choices,
                                   blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=PetitionStatus.choices)
    note = models.TextField(_("note"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("petition event")
        verbose_name_plural = _("petition events")
        ordering = ["petition_id", "at", "id"]

    def __str__(self):
        return f"{self.from_status or '-'} → {self.to_status}"


# ---- members of the special associations 专门协会 (issue 18) ----------------------------------

class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair of the association")
    VICE_CHAIR = "vice_chair", _("Vice chair of the association")
    MEMBER = "member", _("Member of the association")


class AssociationMember(models.Model):
    """A registered person (people.Person, of the association's unit's subtree) who is a
    member of a special association (orgs.SpecialAssociation), and their role in it. Kept
    here, not in orgs: orgs does not reach the register."""

    scope_field = "association__unit"

    association = models.ForeignKey("orgs.SpecialAssociation", on_delete=models.CASCADE,
                                    related_name="members",
                                    verbose_name=_("special association"))
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("person"))
    role = models.CharField(_("role"), max_length=12, choices=MemberRole.choices,
                            default=MemberRole.MEMBER)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("association member")
        verbose_name_plural = _("association members")
        ordering = ["association_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["association", "person"],
                                    name="associationmember_once"),
            models.UniqueConstraint(fields=["association"], condition=models.Q(role="chair"),
                                    name="associationmember_one_chair"),
        ]

    def __str__(self):
        return f"{self.association}: {self.person}"

# ---- funds 经费 (issue 18) ---------------------------------------------------------------------

from django.utils.translation import pgettext_lazy  # noqa: E402

from core.scope import ScopedQuerySet  # noqa: E402

from .funds_choices import FundFlow, FundKind  # noqa: E402


class FundEntryQuerySet(ScopedQuerySet):
    """A funds entry is seen from its unit's subtree, and a transfer down (费随事转) also
    from the subtree of the unit it went to: the township sees the county's transfer to it."""

    def scope_q(self, path: str) -> models.Q:
        from core.scope import subtree_filter

        units = _unit_model(self.model)._base_manager.filter(subtree_filter(path)) \
            .order_by().values("pk")
        return models.Q(unit_id__in=units) | models.Q(counterpart_id__in=units)


def _unit_model(model):
    return model._meta.get_field("unit").related_model


class FundEntry(LedgerEntry):
    """One line of a unit's funds ledger (经费台账): money of a ``kind`` (office funds, the
    employment security fund 残保金…) the unit received, spent, or transferred down to a
    unit beneath it with a task (费随事转, ``counterpart``). A transfer is one row: out of
    the paying unit (``unit``) and into the ``counterpart``, shown in both ledgers. An entry
    is never deleted: it is voided, with the reason, and then counts nowhere."""

    kind = models.CharField(_("kind of funds"), max_length=10, choices=FundKind.choices)
    flow = models.CharField(_("movement"), max_length=10, choices=FundFlow.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    occurred_on = models.DateField(_("date"))
    year = models.PositiveSmallIntegerField(_("year"))
    counterpart = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+",
                                    verbose_name=_("transferred to"))
    summary = models.CharField(pgettext_lazy("funds", "summary"), max_length=200)
    party = models.CharField(_("from or paid to"), max_length=100, blank=True)
    voucher = models.CharField(_("voucher no."), max_length=40, blank=True)
    note = models.TextField(_("notes"), blank=True)
    voided = models.BooleanField(_("voided"), default=False, editable=False)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True, editable=False)
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+", editable=False)
    void_reason = models.CharField(_("why voided"), max_length=200, blank=True,
                                   editable=False)

    objects = models.Manager.from_queryset(FundEntryQuerySet)()

    class Meta:
        verbose_name = _("funds entry")
        verbose_name_plural = _("funds entries")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["unit", "year"], name="fundentry_unit_year_idx"),
                   models.Index(fields=["counterpart", "year"],
                                name="fundentry_counterpart_idx"),
                   models.Index(fields=["year", "kind"], name="fundentry_year_kind_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0),
                                   name="fundentry_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(flow=FundFlow.TRANSFER, counterpart__isnull=False)
                | (~models.Q(flow=FundFlow.TRANSFER) & models.Q(counterpart__isnull=True)),
                name="fundentry_transfer_has_payee"),
        ]

    def __str__(self):
        return f"{self.occurred_on:%Y-%m-%d} {self.summary}"

    def get_absolute_url(self):
        return reverse("ledgers:fundentry_detail", args=[self.pk])

    @property
    def is_transfer(self) -> bool:
        return self.flow == FundFlow.TRANSFER
