"""The ledgers' reads: every one starts from ``visible_to`` (core/scope.py)."""

from django.contrib.contenttypes.models import ContentType

from core.scope import get_visible_or_404

from .models import Attachment


def attachments_of(owner):
    """The files attached to ``owner`` (already read within the user's scope)."""
    return Attachment.objects.filter(owner_type=ContentType.objects.get_for_model(owner),
                                     owner_id=owner.pk).order_by("id")


def attachment_for(*, user, pk):
    return get_visible_or_404(Attachment.objects.select_related("owner_type"), user, pk=pk)
