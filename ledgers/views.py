"""The ledgers' pages: declared views on the selectors and services (core/views.py)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from audit.models import Action
from audit.services import audit_record

from . import selectors, services
from .registry import ledgers


def _owner_permission(attachment, action: str) -> str:
    model = attachment.owner_type
    return f"{model.app_label}.{action}_{model.model}"


@login_required
def index(request):
    """The ledgers a unit keeps, each with a link to its list."""
    return render(request, "ledgers/index.html", {"ledgers": ledgers()})


@login_required
def attachment_file(request, pk):
    """A file attached to an entry: to users who may see the entry (404 out of scope, 403
    without the right to see that ledger); every look is an audit entry."""
    attachment = selectors.attachment_for(user=request.user, pk=pk)
    if not request.user.has_perm(_owner_permission(attachment, "view")):
        raise PermissionDenied
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    audit_record(actor=request.user, action=Action.VIEW, obj=attachment,
                 detail={"owner_type": attachment.owner_type.model,
                         "owner_id": attachment.owner_id})
    response = FileResponse(handle, content_type=attachment.content_type,
                            filename=attachment.name, as_attachment=False)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def attachment_delete(request, pk):
    """Remove a file from an entry (who may change the entry may remove its files)."""
    attachment = selectors.attachment_for(user=request.user, pk=pk)
    if not request.user.has_perm(_owner_permission(attachment, "change")):
        raise PermissionDenied
    owner = attachment.owner
    services.detach(actor=request.user, attachment=attachment)
    target = owner.get_absolute_url() if hasattr(owner, "get_absolute_url") else "ledgers:index"
    return redirect(target)
