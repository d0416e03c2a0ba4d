from rest_framework import serializers

from apps.common.api.strict import StrictTypesMixin
from apps.devices.models import Asset, DeviceLink, Provider, Reading


class AssetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Asset
        fields = [
            "id",
            "kind",
            "vendor_id",
            "name",
            "brand",
            "model",
            "capacity_kw",
            "capacity_kwh",
            "hem_system_id",
            "facts",
            "measured_kwh",
            "synced_through",
        ]
        read_only_fields = fields


class DeviceLinkSerializer(serializers.ModelSerializer):
    """A link as the API shows it. Tokens and OAuth state are never part of it."""

    dossier_id = serializers.CharField(read_only=True)
    studio_profile_id = serializers.CharField(read_only=True, allow_null=True)
    error = serializers.SerializerMethodField()
    measured = serializers.SerializerMethodField()
    assets = AssetSerializer(many=True, read_only=True)

    class Meta:
        model = DeviceLink
        fields = [
            "id",
            "dossier_id",
            "provider",
            "status",
            "scopes",
            "sync_status",
            "last_sync_at",
            "linked_at",
            "error",
            "measured",
            "studio_profile_id",
            "assets",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_error(self, link: DeviceLink) -> dict | None:
        if not link.error_code:
            return None
        return {"code": link.error_code, "message": link.error_message, "at": link.error_at}

    def get_measured(self, link: DeviceLink) -> dict:
        return {
            "production_kwh": link.measured_production_kwh,
            "consumption_kwh": link.measured_consumption_kwh,
            "grid_import_kwh": link.measured_grid_import_kwh,
            "grid_export_kwh": link.measured_grid_export_kwh,
            "period_start": link.measured_period_start,
            "period_end": link.measured_period_end,
        }


class DeviceLinkCreateSerializer(StrictTypesMixin, serializers.Serializer):
    dossier_id = serializers.CharField()
    provider = serializers.ChoiceField(choices=Provider.choices)
    scopes = serializers.ListField(child=serializers.CharField(max_length=60), required=False, max_length=30)
    pod = serializers.CharField(required=False, max_length=40)
    account_number = serializers.CharField(required=False, max_length=60)
    company_code = serializers.CharField(required=False, max_length=60)


class StudioProfileFromLinkSerializer(StrictTypesMixin, serializers.Serializer):
    profile_id = serializers.CharField(required=False, allow_null=True)


class ReadingsQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Reading.Kind.choices)
    resolution = serializers.ChoiceField(choices=["hour", "day", "month"], default="day", required=False)

    # "from"/"to" are Python keywords: declared through the fields mapping
    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateTimeField(required=False)
        fields["to"] = serializers.DateTimeField(required=False)
        return fields
