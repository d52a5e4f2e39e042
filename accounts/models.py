from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.scope import ScopedQuerySet

from .roles import Role, role_label


class UserManager(DjangoUserManager.from_queryset(ScopedQuerySet)):
    pass


class User(AbstractUser):
    """A person who logs in. Belongs to one unit (none only for a site superuser) and has a role."""

    scope_field = "unit"

    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="users",
        verbose_name=_("unit"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    full_name = models.CharField(_("full name"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # Set with a temporary password an administrator gave; until the user chooses their own,
    # every page but the change-password page and logging out leads there.
    must_change_password = models.BooleanField(_("must change password"), default=False)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_superuser=True) | models.Q(unit__isnull=False),
                name="user_unit_required_unless_superuser",
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    def get_absolute_url(self):
        return reverse("accounts:user_detail", args=[self.pk])

    @property
    def role_label(self) -> str:
        """The role as shown wherever a user is: an administrator's says their unit's level
        (县级管理员); load ``unit`` with the user (select_related) where many are shown."""
        return role_label(self.role, self.unit.level if self.unit_id else None)


# --- API tokens (issue 15: the REST API) ---------------------------------------------------
class ApiToken(models.Model):
    """A user's key to the REST API (api/): it acts with exactly its user's role and unit.
    Only the SHA-256 digest of the token is stored; the token itself is shown once, when it
    is made, and ``prefix`` (its first characters) names it on the user's page afterwards."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=60)
    prefix = models.CharField(_("begins with"), max_length=16, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, today) -> bool:
        """Not revoked, and not past its last valid day."""
        return self.revoked_at is None and (self.expires_on is None or today <= self.expires_on)
