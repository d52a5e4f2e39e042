from django.contrib.auth.backends import ModelBackend

from .roles import role_permissions


class RoleBackend(ModelBackend):
    """Django's model backend, plus the permissions of the user's role."""

    def get_group_permissions(self, user_obj, obj=None):
        perms = set(super().get_group_permissions(user_obj, obj))
        if user_obj.is_active and not user_obj.is_anonymous and obj is None:
            perms |= role_permissions(user_obj.role)
        return perms

    def get_user(self, user_id):
        from .models import User

        try:
            user = User._default_manager.select_related("unit").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
