from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.scope import ScopedManager, ScopedQuerySet

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


class Action(models.TextChoices):
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    MOVE = "move", _("Move")
    DELETE = "delete", _("Delete")
    VIEW = "view", _("View")
    EXPORT = "export", _("Export")
    IMPORT = "import", _("Import")
    LOGIN = "login", _("Log in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT = "logout", _("Log out")


class AuditLog(models.Model):
    """Who did what to which object, when, and from which address. Rows are only added."""

    scope_field = "unit"

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("user"),
    )
    actor_name = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices, db_index=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("object type")
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("unit"),
        help_text=_("The unit the object belongs to; decides who may read the entry."),
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"
