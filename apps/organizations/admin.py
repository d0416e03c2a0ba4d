from django import forms
from django.contrib import admin

from apps.organizations.models import ApiKey, Membership, Organization, WebhookDelivery, WebhookEndpoint
from apps.organizations.services import api_key_revoke
from apps.organizations.webhook_targets import validate_webhook_url
from apps.organizations.webhooks import webhook_replay


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "plan", "monthly_scan_quota", "branding_enabled", "created_at")
    list_filter = ("plan", "branding_enabled")
    search_fields = ("name", "slug", "id")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__email", "organization__name")
    list_select_related = ("user", "organization")
    autocomplete_fields = ("user", "organization")


@admin.action(description="Revoke selected API keys")
def revoke_keys(modeladmin, request, queryset):
    for api_key in queryset:
        api_key_revoke(api_key=api_key)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "organization", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "organization__name")
    list_select_related = ("organization",)
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at", "revoked_at")
    actions = [revoke_keys]

    def has_add_permission(self, request) -> bool:
        return False  # keys are issued by the portal or `createorg --api-key`, which show the raw key once


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(max_length=500, assume_scheme="https", validators=[validate_webhook_url])

    class Meta:
        model = WebhookEndpoint
        fields = ("organization", "url", "secret", "events", "active")


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ("url", "organization", "active", "created_at")
    list_filter = ("active",)
    search_fields = ("url", "organization__name")
    list_select_related = ("organization",)


@admin.action(description="Replay selected deliveries (same webhook-id)")
def replay_deliveries(modeladmin, request, queryset):
    for delivery in queryset:
        webhook_replay(delivery=delivery)
    modeladmin.message_user(request, f"{queryset.count()} deliveries queued again.")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("event_type", "endpoint", "status", "attempt_count", "last_status_code", "created_at")
    list_filter = ("status", "event_type")
    search_fields = ("id", "endpoint__url", "endpoint__organization__name")
    list_select_related = ("endpoint",)
    readonly_fields = (
        "endpoint",
        "event_type",
        "payload",
        "status",
        "attempt_count",
        "attempts",
        "last_status_code",
        "created_at",
        "delivered_at",
    )
    actions = [replay_deliveries]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False
