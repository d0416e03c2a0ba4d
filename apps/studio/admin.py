from django.contrib import admin

from apps.studio.models import StudioLayer, StudioProfile
from apps.studio.selectors import LIGHT_FIELDS


class StudioLayerInline(admin.TabularInline):
    model = StudioLayer
    extra = 0
    fields = ("position", "kind", "name", "enabled", "annual_kwh")
    readonly_fields = ("annual_kwh",)
    show_change_link = False


@admin.register(StudioProfile)
class StudioProfileAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "organization",
        "base_profile_type",
        "total_kwh",
        "total_export_kwh",
        "layer_count",
        "has_solar_layer",
        "updated_at",
    )
    list_filter = ("base_profile_type", "has_solar_layer")
    search_fields = ("name", "id", "organization__name")
    list_select_related = ("organization",)
    show_full_result_count = False
    exclude = StudioProfile.ARRAY_FIELDS
    readonly_fields = (
        "total_kwh",
        "peak_kw",
        "total_export_kwh",
        "peak_export_kw",
        "layer_count",
        "has_solar_layer",
        "base_meta",
    )
    inlines = [StudioLayerInline]
    raw_id_fields = ("organization", "user")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            return queryset.only(*LIGHT_FIELDS, "organization__name")
        return queryset.defer(*StudioProfile.ARRAY_FIELDS)
