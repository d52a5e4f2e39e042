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


# --- API tokens (issue 15) ------------------------------------------------------------------
def token_list(*, user) -> QuerySet:
    """The user's own API tokens, newest first (nobody sees another's)."""
    from .models import ApiToken

    if user is None or not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def token_get(*, user, pk):
    """One of the user's own tokens; anyone else's, existing or not, is a 404."""
    from django.http import Http404

    try:
        return token_list(user=user).get(pk=pk)
    except (ValueError, TypeError, token_list(user=user).model.DoesNotExist) as exc:
        raise Http404 from exc
