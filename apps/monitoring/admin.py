from django.contrib import admin

from apps.monitoring.models import InstalledDesign, PerformanceAlert


@admin.register(InstalledDesign)
class InstalledDesignAdmin(admin.ModelAdmin):
    list_display = ("dossier", "install_date", "source", "updated_at")
    list_select_related = ("dossier",)
    raw_id_fields = ("dossier", "organization")


@admin.register(PerformanceAlert)
class PerformanceAlertAdmin(admin.ModelAdmin):
    list_display = ("dossier", "status", "rule", "since_month", "shortfall_pct", "raised_at")
    list_filter = ("status",)
    list_select_related = ("dossier",)
    raw_id_fields = ("dossier", "organization")
