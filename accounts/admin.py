from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class CanlianUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + ((None, {"fields": ("unit", "role", "full_name", "phone")}),)
    list_display = ("username", "full_name", "unit", "role", "is_active")
    raw_id_fields = ("unit",)
