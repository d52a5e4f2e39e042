"""Reads of the import jobs (the API's; the pages read the same way): a job in the user's
scope (else 404) whose ledger the user may import (else 403)."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from core.scope import get_visible_or_404

from .models import ImportJob
from .registry import spec_for, specs


def importable_kinds(user) -> list[str]:
    return [kind for kind, spec in specs().items() if user.has_perm(spec.permission)]


def job_list(*, user, limit: int = 30) -> QuerySet:
    """The latest jobs of the user's subtree, of the ledgers they may import; without a
    job's errors or mapping (they can be large)."""
    return (ImportJob.objects.visible_to(user).filter(kind__in=importable_kinds(user))
            .select_related("created_by").defer("errors", "mapping")[:limit])


def job_get(*, user, pk) -> ImportJob:
    job = get_visible_or_404(ImportJob.objects.select_related("created_by"), user, pk=pk)
    if not user.has_perm(spec_for(job.kind).permission):
        raise PermissionDenied
    return job
