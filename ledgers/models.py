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
