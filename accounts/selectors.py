from django.db.models import QuerySet

from audit.models import AuditLog
from core.scope import get_visible_or_404

from .filters import AuditFilterSet, UserFilterSet
from .models import User


def user_list(*, user, filters=None) -> QuerySet:
    """The users of the user's subtree, by unit then login name, filtered by ``filters`` (a
    UserFilterSet, or query data for one)."""
    qs = User.objects.visible_to(user).select_related("unit")
    return UserFilterSet.apply(qs, filters, user=user).order_by("unit__path", "username")


def user_get(*, user, pk) -> User:
    return get_visible_or_404(User.objects.select_related("unit"), user, pk=pk)


def audit_list(*, user, filters=None) -> QuerySet:
    """The audit entries of the user's subtree, newest first, filtered by ``filters`` (an
    AuditFilterSet, or query data for one)."""
    qs = AuditLog.objects.visible_to(user).select_related("unit", "content_type")
    return AuditFilterSet.apply(qs, filters, user=user).order_by("-at", "-id")
