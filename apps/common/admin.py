from django.contrib import admin

from apps.common.models import HealthPing


@admin.register(HealthPing)
class HealthPingAdmin(admin.ModelAdmin):
    list_display = ("token", "created_at")
    search_fields = ("token",)
