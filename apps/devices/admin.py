from django.contrib import admin, messages

from apps.common.errors import AppError
from apps.devices import services
from apps.devices.models import Asset, DeviceLink, Reading, WebhookDelivery


class AssetInline(admin.TabularInline):
    model = Asset
    extra = 0
    fields = ("kind", "name", "vendor_id", "capacity_kw", "capacity_kwh", "synced_through", "measured_kwh")
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(DeviceLink)
class DeviceLinkAdmin(admin.ModelAdmin):
    list_display = ("id", "provider", "status", "sync_status", "dossier", "organization", "last_sync_at")
    list_filter = ("provider", "status", "sync_status")
    search_fields = ("id", "vendor_user_id", "dossier__customer_name")
    list_select_related = ("organization", "dossier")
    raw_id_fields = ("organization", "dossier", "studio_profile")
    # Secrets (token_encrypted, oauth_state_encrypted) are not editable fields: never shown.
    readonly_fields = (
        "sync_started_at",
        "last_sync_at",
        "linked_at",
        "error_code",
        "error_message",
        "error_at",
        "measured_production_kwh",
        "measured_consumption_kwh",
        "measured_grid_import_kwh",
        "measured_grid_export_kwh",
        "measured_period_start",
        "measured_period_end",
        "has_token",
    )
    inlines = [AssetInline]
    actions = ["sync_now", "revoke"]

    @admin.display(boolean=True, description="Token stored")
    def has_token(self, obj: DeviceLink) -> bool:
        return obj.has_token

    @admin.action(description="Sync now")
    def sync_now(self, request, queryset):
        for link in queryset:
            services.link_request_sync(link=link)
        self.message_user(request, f"{queryset.count()} sync(s) queued.")

    @admin.action(description="Revoke (unlink at the vendor, drop tokens)")
    def revoke(self, request, queryset):
        for link in queryset:
            try:
                services.link_revoke(link=link)
            except AppError as exc:
                self.message_user(request, f"{link.pk}: {exc.detail}", level=messages.ERROR)


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "link", "capacity_kw", "capacity_kwh", "synced_through")
    list_filter = ("kind",)
    search_fields = ("name", "vendor_id", "link__id")
    list_select_related = ("link",)
    raw_id_fields = ("organization", "link")


@admin.register(Reading)
class ReadingAdmin(admin.ModelAdmin):
    list_display = ("hour", "kind", "kwh", "asset", "link")
    list_filter = ("kind",)
    search_fields = ("link__id",)
    list_select_related = ("asset", "link")
    raw_id_fields = ("link", "asset")
    show_full_result_count = False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("received_at", "provider", "event", "link")
    list_filter = ("provider",)
    list_select_related = ("link",)
    raw_id_fields = ("link",)
    show_full_result_count = False
