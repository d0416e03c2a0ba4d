from django.contrib import admin

from apps.scans.models import IdempotencyRecord, Scan, ScanUsage


@admin.register(Scan)
class ScanAdmin(admin.ModelAdmin):
    list_display = ("id", "organization", "dossier", "status", "goal", "is_adjustment", "created_at")
    list_filter = ("status", "goal", "counts_toward_quota")
    search_fields = ("id", "organization__name", "dossier__customer_name")
    list_select_related = ("organization", "dossier")
    date_hierarchy = "created_at"
    show_full_result_count = False
    readonly_fields = (
        "id",
        "organization",
        "dossier",
        "copied_from",
        "status",
        "error_message",
        "inputs",
        "engine_version",
        "attempts",
        "report",
        "self_sufficiency",
        "return_period",
        "co2_saved_kg",
        "share_token",
        "created_at",
        "started_at",
        "finished_at",
    )
    exclude = ("goal",)

    @admin.display(boolean=True)
    def is_adjustment(self, scan) -> bool:
        return scan.copied_from_id is not None

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.defer("report", "inputs") if request.resolver_match.url_name.endswith("changelist") else qs

    def has_add_permission(self, request) -> bool:
        return False  # scans are created through the API or the portal (validation, quota, job)


@admin.register(ScanUsage)
class ScanUsageAdmin(admin.ModelAdmin):
    list_display = ("organization", "month", "count")
    list_select_related = ("organization",)
    search_fields = ("organization__name",)


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(admin.ModelAdmin):
    list_display = ("key", "organization", "scan", "created_at")
    list_select_related = ("organization",)
    search_fields = ("key",)
