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
                                 related_name="+", verbose_name=_("subject"))
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
