from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
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


def _check_manage(*, actor, user: User, same_level_message: str) -> None:
    """``actor`` may manage ``user`` (deactivate them, set their password): in their
    subtree, holding the rights ``user`` has; an administrator only from above, by an
    administrator of a unit higher up, never by one of the same unit."""
    _check_grant(actor=actor, unit=user.unit, role=user.role)
    if (not actor.is_superuser and user.role == Role.ADMIN
            and not _strictly_below(user.unit, actor.unit)):
        raise ValidationError(same_level_message % {"user": user})


@transaction.atomic
def user_set_active(*, actor, user: User, active: bool) -> User:
    """Deactivate or reactivate ``user``. An administrator is changed only from above: by
    an administrator of a unit higher up, never by one of the same unit."""
    if not is_system(actor) and actor.pk == user.pk:
        raise ValidationError(_("You cannot deactivate yourself."))
    _check_manage(actor=actor, user=user, same_level_message=_(
        "%(user)s is an administrator at the same level as you: only an administrator "
        "of a higher unit can deactivate or reactivate them."))
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(actor=actor, action=Action.UPDATE, obj=user,
                     changes={"is_active": [str(not active), str(active)]})
    return user


def _sessions_end(user: User, *, keep: str | None = None) -> int:
    """Delete ``user``'s sessions but the one keyed ``keep``; how many ended. Sessions are
    Django's database sessions (SESSION_ENGINE is the default), found by decoding the
    unexpired ones: a few per user, a few thousand in all, read once per password change,
    which is simpler than keeping a record of every login. Django already refuses a
    session whose password hash is stale; this ends them at once, and their data too."""
    ended = []
    sessions = Session.objects.filter(expire_date__gt=timezone.now()).exclude(session_key=keep)
    for session in sessions.iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            ended.append(session.session_key)
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


def _password_errors(password: str, user: User, field: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({field: exc.error_list}) from exc


@transaction.atomic
def password_change(*, actor, user: User, old_password: str, new_password: str,
                    keep_session: str | None = None) -> User:
    """``user`` changes their own password: the current one first, then a new one the
    password validators accept (and not the same again). Every other session of theirs
    ends (``keep_session``: the key of the one they are using); the request that called
    this keeps itself logged in with django's update_session_auth_hash."""
    require(actor, None)
    if is_system(actor) or actor.pk != user.pk:
        raise PermissionDenied
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.check_password(old_password):
        raise ValidationError({"old_password": _("Your current password is not right.")})
    if new_password == old_password:
        raise ValidationError(
            {"new_password1": _("The new password must differ from the current one.")})
    _password_errors(new_password, user, "new_password1")
    was_forced = user.must_change_password
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    ended = _sessions_end(user, keep=keep_session)
    audit_record(actor=actor, action=Action.UPDATE, obj=user,
                 changes={"must_change_password": [str(was_forced), "False"]}
                 if was_forced else {},
                 detail={"password": "changed by the user", "sessions_ended": ended})
    return user


@transaction.atomic
def password_set_temporary(*, actor, user: User, password: str) -> User:
    """An administrator gives ``user`` (in their scope, with no more rights than theirs) a
    temporary password, which ``user`` must change when they next log in; every session of
    ``user`` ends. Their own password a user changes themselves (password_change)."""
    if not is_system(actor) and actor.pk == user.pk:
        raise ValidationError(_("Change your own password on the change-password page."))
    require(actor, "accounts.change_user", user)
    _check_manage(actor=actor, user=user, same_level_message=_(
        "%(user)s is an administrator at the same level as you: only an administrator "
        "of a higher unit can set their password."))
    user = User.objects.select_for_update().get(pk=user.pk)
    _password_errors(password, user, "password1")
    was_forced = user.must_change_password
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    ended = _sessions_end(user)
    audit_record(actor=actor, action=Action.UPDATE, obj=user,
                 changes={"must_change_password": [str(was_forced), "True"]}
                 if not was_forced else {},
                 detail={"password": "temporary password set", "sessions_ended": ended})
    return user


# --- API tokens (issue 15) ------------------------------------------------------------------
TOKEN_PREFIX = "cl_"  # noqa: S105 - not a secret: every token begins so, to be recognised


def token_digest(token: str) -> str:
    """How a token is stored and looked up: its SHA-256, in hex."""
    import hashlib

    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def token_create(*, actor, name: str, expires_on=None):
    """Make an API token for the actor themselves: (the stored row, the token). The token is
    returned once, here, and never stored; it acts with the actor's role and unit."""
    import secrets

    from .models import ApiToken

    require(actor, None)
    if is_system(actor):
        raise PermissionDenied
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Give the token a name, e.g. the program that uses it.")]
    if expires_on is not None and expires_on < timezone.localdate():
        errors["expires_on"] = [_("The last valid day cannot be in the past.")]
    if errors:
        raise ValidationError(errors)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user=actor, name=name, prefix=token[:len(TOKEN_PREFIX) + 6],
                   digest=token_digest(token), expires_on=expires_on)
    row.full_clean(exclude=["digest", "prefix"])
    row.save()
    audit_record(actor=actor, action=Action.CREATE, obj=row,
                 detail={"expires_on": expires_on.isoformat() if expires_on else None})
    return row, token


@transaction.atomic
def token_revoke(*, actor, token):
    """Revoke one of the actor's own tokens: it answers nothing from now on."""
    from .models import ApiToken

    require(actor, None)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != getattr(actor, "pk", None):
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action=Action.DELETE, obj=token)
    return token


def token_user(token: str):
    """The active user a usable token belongs to, with the token's row: (user, row), or
    (None, None) for anything else (unknown, revoked, expired, its user deactivated). Marks
    when the token was last used (at most once a minute)."""
    import datetime as dt

    from .models import ApiToken

    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None, None
    row = (ApiToken.objects.select_related("user__unit")
           .filter(digest=token_digest(token)).first())
    if row is None or not row.is_usable(timezone.localdate()) or not row.user.is_active:
        return None, None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row.user, row
