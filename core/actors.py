"""Who acts: a user, or the system.

Every service takes an ``actor``. A person is a ``User``; commands, the demo and background
work that act for no one person pass ``SYSTEM``, which may do everything and sees every
unit, and is named "system" in the audit log. ``None`` is no one: it sees nothing
(``visible_to(None)`` is empty) and may do nothing (``require`` refuses it), so forgetting to
pass an actor can never mean "everything".

``require(actor, permission, obj)`` is the one guard of the services: the actor holds the
permission and, when an object is named, may see it (its model's ``visible_to``).
"""

from django.core.exceptions import PermissionDenied


class SystemActor:
    """The system itself, acting for no user (see the module's docstring)."""

    is_system = True
    is_authenticated = True
    is_active = True
    is_superuser = True
    is_anonymous = False
    pk = None
    id = None
    unit = None
    unit_id = None
    role = ""

    def has_perm(self, perm, obj=None) -> bool:
        return True

    def has_perms(self, perms, obj=None) -> bool:
        return True

    def get_all_permissions(self, obj=None) -> set:
        return set()

    def get_username(self) -> str:
        return "system"

    def __str__(self) -> str:
        return "system"

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = SystemActor()


def is_system(actor) -> bool:
    return getattr(actor, "is_system", False)


def user_of(actor):
    """The user to store as who did something (None for the system)."""
    return None if actor is None or is_system(actor) else actor


def require(actor, permission: str | None, obj=None) -> None:
    """Refuse (PermissionDenied) unless ``actor`` holds ``permission`` (None: any) and may
    see ``obj`` (a row of a scoped model, or a unit), when one is given."""
    if actor is None or not getattr(actor, "is_authenticated", False) \
            or not getattr(actor, "is_active", False):
        raise PermissionDenied
    if is_system(actor):
        return
    if permission is not None and not actor.has_perm(permission):
        raise PermissionDenied
    if obj is not None and not type(obj)._default_manager.visible_to(actor).filter(
            pk=obj.pk).exists():
        raise PermissionDenied
