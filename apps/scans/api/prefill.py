"""GET /v1/dossiers/{id}/scan-prefill: what a new scan of the dossier starts from, read from its linked
devices (apps.scans.prefill), so an integrator fills its own scan form exactly as the portal does."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.scans.prefill import scan_prefill


class PrefillBatterySerializer(serializers.Serializer):
    min_capacity_kwh = serializers.FloatField(help_text="[kWh] the linked battery's stated capacity")
    capacity_kwh = serializers.FloatField(help_text="[kWh] the same: the range is fixed to the device")
    min_power_rating_kw = serializers.FloatField(required=False, help_text="[kW] its stated power, if any")
    power_rating_kw = serializers.FloatField(required=False, help_text="[kW] the same, if stated")


class PrefillDeviceSerializer(serializers.Serializer):
    asset_id = serializers.CharField()
    name = serializers.CharField()


class PrefillEvConfigSerializer(serializers.Serializer):
    battery_kwh = serializers.FloatField(required=False, help_text="[kWh] the car's stated battery capacity")
    charger_power_kw = serializers.FloatField(
        required=False, help_text="[kW] a linked charger's stated power"
    )


class PrefillEvLayerSerializer(PrefillDeviceSerializer):
    config = PrefillEvConfigSerializer(
        help_text="The studio EV layer's config; empty when nothing is stated."
    )


class ScanPrefillSerializer(serializers.Serializer):
    electric_battery = PrefillBatterySerializer(
        allow_null=True,
        help_text="Partial `electricBattery` inputs for POST /v1/scans from the dossier's linked home battery "
        "(null without one that states a capacity).",
    )
    battery_device = PrefillDeviceSerializer(allow_null=True, help_text="The linked battery used, or null.")
    ev_layers = PrefillEvLayerSerializer(
        many=True, help_text="Per linked car of the dossier: the studio electric-car layer it gives."
    )


class ScanPrefillView(APIView):
    @extend_schema(
        operation_id="dossier_scan_prefill",
        responses={200: ScanPrefillSerializer},
        description="What a new scan of this dossier starts from, read from its linked devices: the same "
        "prefill the portal's new-scan form and studio use. 404 for another organization's dossier.",
    )
    def get(self, request, pk):
        return Response(scan_prefill(organization=request.organization, dossier_id=pk))


urlpatterns = [
    path("dossiers/<str:pk>/scan-prefill", ScanPrefillView.as_view(), name="dossier-scan-prefill"),
]
