from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import audit_record, audit_ref
from core.actors import is_system, require
from orgs.models import OrgUnit

from .models import User
from .roles import ROLE_LEVELS, Role, role_permissions


def _strictly_below(unit: OrgUnit, top: OrgUnit | None) -> bool:
    """``unit`` lies beneath ``top`` (not at it): paths of fixed-width segments nest."""
    return top is not None and unit.pk != top.pk and unit.path.startswith(top.path)


def _check_grant(*, actor, unit: OrgUnit, role: str) -> None:
    """``actor`` may give ``role`` at ``unit`` only inside their subtree and only with
    permissions they hold themselves (the system, for commands and the demo, may all)."""
    require(actor, "accounts.add_user", unit)
    if not actor.is_superuser and not role_permissions(role) <= actor.get_all_permissions():
        raise ValidationError({"role": _("You cannot grant a role with more rights than yours.")})


@transaction.atomic
def user_create(*, actor, username: str, password: str, unit: OrgUnit, role: str,
                full_name: str = "", phone: str = "") -> User:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    _check_grant(actor=actor, unit=unit, role=role)
    if (not actor.is_superuser and role == Role.ADMIN
            and not _strictly_below(unit, actor.unit)):
        raise ValidationError({"role": _(
            "You can create administrators only for the units below yours; at your own unit, "
            "only the other roles.")})
    if unit.level not in ROLE_LEVELS[role]:
        raise ValidationError(
            {"unit": _("A %(role)s cannot belong to a unit at the level %(level)s.")
             % {"role": Role(role).label, "level": unit.get_level_display()}}
        )
    user = User(username=username.strip(), unit=unit, role=role, full_name=full_name.strip(),
                phone=phone.strip())
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(actor=actor, action=Action.CREATE, obj=user,
                 changes={"role": [None, role], "unit": [None, audit_ref(unit)]})
    return user


@transaction.atomic
def user_set_active(*, actor, user: User, active: bool) -> User:
    """Deactivate or reactivate ``user``. An administrator is changed only from above: by
    an administrator of a unit higher up, never by one of the same unit."""
    if not is_system(actor) and actor.pk == user.pk:
        raise ValidationError(_("You cannot deactivate yourself."))
    _check_grant(actor=actor, unit=user.unit, role=user.role)
    if (not actor.is_superuser and user.role == Role.ADMIN
            and not _strictly_below(user.unit, actor.unit)):
        raise ValidationError(_(
            "%(user)s is an administrator at the same level as you: only an administrator "
            "of a higher unit can deactivate or reactivate them.") % {"user": user})
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(actor=actor, action=Action.UPDATE, obj=user,
                     changes={"is_active": [str(not active), str(active)]})
    return user
