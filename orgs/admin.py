from django.contrib import admin

from .models import OrgProfile, OrgUnit


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "level", "kind", "path")
    search_fields = ("name", "code")
    readonly_fields = ("path",)
    raw_id_fields = ("parent",)


@admin.register(OrgProfile)
class OrgProfileAdmin(admin.ModelAdmin):
    list_display = ("unit", "independence", "has_plaque")
    raw_id_fields = ("unit",)
