"""What a reform does with the users (orgs/successors.py): the users of a unit that ends
are moved to its successor — they go on seeing the same work, now the successor's — or
disabled, as the operation says (``users``: "move" or "disable"); never left belonging to
a unit that no longer exists. The preview lists each one and what becomes of them."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from orgs import successors

from .models import ApiToken, User


def hand_over_users(handover: successors.Handover) -> None:
    if not handover.whole:
        return
    users = User.objects.filter(unit_id__in=handover.source_ids)
    disable = handover.options.get("users") == "disable"
    for user in users.order_by("username"):
        if disable:
            handover.notes.append(_("User %(user)s is disabled.") % {"user": user.username})
        else:
            handover.notes.append(_("User %(user)s now works for %(unit)s.")
                                  % {"user": user.username, "unit": handover.target.name})
    if disable:
        ApiToken.objects.filter(user__in=users, revoked_at__isnull=True).update(
            revoked_at=timezone.now())
        handover.counted("accounts.user_disabled", users.update(is_active=False))
    else:
        handover.counted("accounts.user", users.update(unit_id=handover.target.pk))


successors.register(
    successors.Holding("accounts.user", _lazy("users"), User, hand_over=hand_over_users),
)
