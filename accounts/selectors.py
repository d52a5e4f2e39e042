import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from .models import AuditLog, User


def user_list(*, user) -> QuerySet:
    return User.objects.visible_to(user).select_related("unit").order_by("unit__path", "username")


def audit_list(*, user, actor: str = "", action: str = "", object_type=None,
               date_from: dt.date | None = None, date_to: dt.date | None = None) -> QuerySet:
    """The audit entries of the user's subtree, newest first, filtered."""
    qs = AuditLog.objects.visible_to(user).select_related("unit", "content_type")
    if actor:
        qs = qs.filter(actor_name__icontains=actor)
    if action:
        qs = qs.filter(action=action)
    if object_type is not None:
        qs = qs.filter(content_type=object_type)
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=tz))
    if date_to:
        qs = qs.filter(at__lt=dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min,
                                                  tzinfo=tz))
    return qs.order_by("-at", "-id")
