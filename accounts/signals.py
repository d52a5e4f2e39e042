from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.models import Action
from audit.services import audit_record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(actor=user, action=Action.LOGIN, obj=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action=Action.LOGOUT, obj=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    from .models import User

    username = str(credentials.get("username", ""))[:150]
    user = User.objects.select_related("unit").filter(username=username).first()
    audit_record(
        actor=None,
        action=Action.LOGIN_FAILED,
        obj=user,
        unit=user.unit if user else None,
        object_repr=username,
    )
