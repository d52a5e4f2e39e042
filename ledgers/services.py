"""The ledgers' writes: keyword-only, audited, in one transaction each."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from audit.models import Action
from audit.services import audit_record
from core.actors import user_of

from . import rules
from .models import Attachment


# The largest file kept (settings.CANLIAN_ATTACHMENT_MAX_BYTES, 10 MB by default).
def attachment_limit() -> int:
    return int(getattr(settings, "CANLIAN_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def read_upload(upload, *, limit: int | None = None) -> rules.CleanFile:
    """An uploaded file, checked and cleaned (rules.clean_file), read within the limit: a
    file larger than the limit is refused without being read whole."""
    limit = attachment_limit() if limit is None else limit
    rules.check_size(upload.size, limit)
    upload.seek(0)
    return rules.clean_file(upload.read(limit + 1), limit=limit)


@transaction.atomic
def attach(*, actor, owner, files) -> list[Attachment]:
    """Keep ``files`` (CleanFile, name) pairs as attachments of ``owner`` (a ledger's entry,
    whose unit they take)."""
    now = timezone.now()
    owner_type = ContentType.objects.get_for_model(owner)
    made = []
    for clean, name in files:
        attachment = Attachment(unit_id=owner.unit_id, owner_type=owner_type,
                                owner_id=owner.pk, name=name[:200] or "file",
                                content_type=clean.content_type, extension=clean.extension,
                                size=len(clean.content), sha256=clean.sha256,
                                uploaded_by=user_of(actor), uploaded_at=now)
        attachment.file.save("upload", ContentFile(clean.content), save=False)
        attachment.save()
        made.append(attachment)
        audit_record(actor=actor, action=Action.CREATE, obj=attachment,
                     detail={"owner": str(owner), "size": attachment.size,
                             "type": attachment.content_type})
    return made


@transaction.atomic
def detach(*, actor, attachment: Attachment) -> None:
    """Remove an attachment (the file goes once the transaction commits)."""
    audit_record(actor=actor, action=Action.DELETE, obj=attachment,
                 detail={"owner_type": attachment.owner_type_id,
                         "owner_id": attachment.owner_id})
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
