from rest_framework import serializers

from apps.common.api.fields import UtcDateTimeField
from apps.common.api.strict import StrictTypesMixin
from apps.engine import defaults as d
from apps.monitoring.models import InstalledDesign, MonthlyPerformance, PerformanceAlert


class InstalledArraySerializer(StrictTypesMixin, serializers.Serializer):
    panel_count = serializers.IntegerField(min_value=1, max_value=1000)
    panel_power_watts = serializers.FloatField(min_value=50, max_value=1000, help_text="[Wp] per panel")
    tilt_deg = serializers.FloatField(min_value=0, max_value=90, help_text="[°] from horizontal")
    azimuth_deg = serializers.FloatField(min_value=0, max_value=360, help_text="[°], 180 = south")
    losses_pct = serializers.FloatField(
        min_value=0, max_value=99, default=d.DEFAULT_SYSTEM_LOSSES_PCT, help_text="System losses [%]"
    )


class InstalledBatterySerializer(StrictTypesMixin, serializers.Serializer):
    capacity_kwh = serializers.FloatField(min_value=0.1, max_value=1000)
    power_kw = serializers.FloatField(min_value=0.1, max_value=1000)


class InstalledDesignWriteSerializer(StrictTypesMixin, serializers.Serializer):
    install_date = serializers.DateField()
    arrays = InstalledArraySerializer(many=True, allow_empty=False)
    battery = InstalledBatterySerializer(required=False, allow_null=True, default=None)


class InstalledDesignFromSourceSerializer(StrictTypesMixin, serializers.Serializer):
    """Exactly one of ``proposalId`` (accepted) and ``scanId`` (completed), both of this dossier."""

    install_date = serializers.DateField()
    proposal_id = serializers.CharField(max_length=25, required=False)
    scan_id = serializers.CharField(max_length=25, required=False)

    def validate(self, attrs):
        if ("proposal_id" in attrs) == ("scan_id" in attrs):
            raise serializers.ValidationError({"proposalId": ["Give either proposalId or scanId."]})
        return attrs


class InstalledDesignSerializer(serializers.ModelSerializer):
    arrays = InstalledArraySerializer(many=True)
    battery = InstalledBatterySerializer(allow_null=True)
    kwp = serializers.FloatField(help_text="Total DC nameplate [kWp]")
    updated_at = UtcDateTimeField()

    class Meta:
        model = InstalledDesign
        fields = [
            "dossier_id",
            "install_date",
            "arrays",
            "battery",
            "kwp",
            "source",
            "source_id",
            "updated_at",
        ]


class PerformanceMonthSerializer(serializers.ModelSerializer):
    month = serializers.DateField(format="%Y-%m", help_text="YYYY-MM")

    class Meta:
        model = MonthlyPerformance
        fields = [
            "month",
            "operating_year",
            "expected_low_kwh",
            "expected_kwh",
            "expected_high_kwh",
            "expected_this_weather_kwh",
            "actual_kwh",
            "coverage",
            "covered_share",
            "ratio",
            "status",
        ]


class PerformanceAlertSerializer(serializers.ModelSerializer):
    since_month = serializers.DateField(format="%Y-%m")
    raised_at = UtcDateTimeField()
    cleared_at = UtcDateTimeField(allow_null=True)

    class Meta:
        model = PerformanceAlert
        fields = ["id", "status", "rule", "since_month", "shortfall_pct", "raised_at", "cleared_at"]


class PerformanceTotalsSerializer(serializers.Serializer):
    actual_kwh = serializers.FloatField()
    expected_kwh = serializers.FloatField()
    ratio = serializers.FloatField(allow_null=True)


class PerformanceSerializer(serializers.Serializer):
    dossier_id = serializers.CharField()
    installed_design = InstalledDesignSerializer()
    months = PerformanceMonthSerializer(many=True)
    since_installation = PerformanceTotalsSerializer()
    alert = PerformanceAlertSerializer(allow_null=True)
