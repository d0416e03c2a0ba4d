"""Studio API shapes (snake_case here; the renderer/parser make them the seed's camelCase)."""

from __future__ import annotations

import numpy as np
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.common.api.fields import UTC_DATETIME_MAPPING, PercentField
from apps.common.api.strict import StrictTypesMixin
from apps.engine.timebase import HOURS
from apps.studio.layers import EV, LAYER_PRESETS, SOLAR
from apps.studio.layers.common import unpack
from apps.studio.models import StudioLayer, StudioProfile

# --- Inputs ---------------------------------------------------------------------------------------------


@extend_schema_field({"type": "array", "items": {"type": "number", "minimum": 0}, "maxItems": HOURS})
class HourlyArrayField(serializers.Field):
    """8760 finite numbers ≥ 0 [kWh per hour] → numpy array (validated in one vectorised pass)."""

    default_error_messages = {
        "invalid": "Expected a list of {hours} numbers.",
        "length": "Expected {hours} hourly values [kWh per hour, 1 January 00:00 first], got {count}.{hint}",
        "negative": "Hourly values must be finite numbers ≥ 0.",
    }

    def to_internal_value(self, data):
        if not isinstance(data, list | tuple):
            self.fail("invalid", hours=HOURS)
        if len(data) == 0 and self.allow_empty:
            return None
        if len(data) != HOURS:
            self.fail("length", hours=HOURS, count=len(data), hint=f" {self.hint}" if self.hint else "")
        if any(isinstance(v, bool) or not isinstance(v, int | float) for v in data):
            self.fail("invalid", hours=HOURS)  # strict JSON numbers: no booleans, no numeric strings
        try:
            array = np.asarray(data, dtype=float)
        except (TypeError, ValueError):
            self.fail("invalid", hours=HOURS)
        if array.ndim != 1 or not np.all(np.isfinite(array)) or np.any(array < 0):
            self.fail("negative")
        return array

    def to_representation(self, value):
        return None if value is None else np.round(np.asarray(value, dtype=float), 4).tolist()

    def __init__(self, *args, allow_empty: bool = False, hint: str = "", **kwargs):
        self.allow_empty = allow_empty
        self.hint = hint
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "array", "items": {"type": "number"}, "nullable": True})
class RecomputedSeriesField(serializers.Field):
    """A series the server recomputes (result, exportResult, productionResult): any list of numbers is
    accepted, whatever its length, and ignored."""

    def to_internal_value(self, data):
        if not isinstance(data, list) or any(
            isinstance(v, bool) or not isinstance(v, int | float) for v in data
        ):
            raise serializers.ValidationError(
                "Expected a list of numbers (ignored: the server recomputes it)."
            )
        return None


@extend_schema_field(
    {
        "type": "array",
        "minItems": 7,
        "maxItems": 7,
        "items": {"type": "array", "minItems": 12, "maxItems": 12, "items": {"type": "boolean"}},
    }
)
class ScheduleField(serializers.Field):
    """7×12 booleans: days Monday..Sunday × months January..December."""

    def to_internal_value(self, data):
        ok = (
            isinstance(data, list)
            and len(data) == 7
            and all(
                isinstance(row, list) and len(row) == 12 and all(isinstance(v, bool) for v in row)
                for row in data
            )
        )
        if not ok:
            raise serializers.ValidationError(
                "schedule must be 7 lists (Monday..Sunday) of 12 booleans (January..December)."
            )
        return data

    def to_representation(self, value):
        return value


class CreateProfileSerializer(StrictTypesMixin, serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    lat = serializers.FloatField(min_value=-90, max_value=90, required=False)
    lon = serializers.FloatField(min_value=-180, max_value=180, required=False)


class RenameSerializer(StrictTypesMixin, serializers.Serializer):
    name = serializers.CharField(max_length=200)


class DuplicateSerializer(StrictTypesMixin, serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)


class BaseTemplateSerializer(StrictTypesMixin, serializers.Serializer):
    template_id = serializers.CharField(max_length=40)
    annual_kwh = serializers.FloatField(min_value=1, max_value=1_000_000, required=False, allow_null=True)


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class RoofSurfaceSerializer(serializers.Serializer):
    id = serializers.CharField(max_length=60, required=False, allow_blank=True)
    panel_count = serializers.IntegerField(min_value=0, max_value=10_000, required=False)
    panel_power_watts = serializers.FloatField(min_value=0, max_value=1_000, required=False)
    system_capacity_kw = serializers.FloatField(min_value=0, max_value=10_000, required=False)
    tilt = serializers.FloatField(min_value=0, max_value=90, required=False)
    azimuth = serializers.FloatField(min_value=0, max_value=360, required=False)
    losses = PercentField(max_value=99, required=False)
    annual_production_kwh = serializers.FloatField(required=False, help_text="computed; ignored on input")

    def validate(self, attrs):
        attrs.pop("annual_production_kwh", None)
        return attrs


class SolarConfigSerializer(RoofSurfaceSerializer):
    roof_surfaces = RoofSurfaceSerializer(many=True, required=False, max_length=20)


class EvConfigSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=1, max_value=10, required=False)
    battery_kwh = serializers.FloatField(min_value=1, max_value=250, required=False)
    daily_consumption_kwh = serializers.FloatField(min_value=0, max_value=250, required=False)
    arrival_hour = serializers.IntegerField(min_value=0, max_value=23, required=False)
    departure_hour = serializers.IntegerField(min_value=0, max_value=23, required=False)
    charger_power_kw = serializers.FloatField(min_value=0.5, max_value=350, required=False)


def _is_placeholder(config) -> bool:
    """All numbers 0 (the seed's generic example sends such a solarConfig with every layer)."""
    if isinstance(config, dict):
        return all(_is_placeholder(value) for key, value in config.items() if key != "id")
    if isinstance(config, list):
        return all(_is_placeholder(item) for item in config)
    return not isinstance(config, int | float) or config == 0


def drop_placeholder_configs(attrs: dict, kind: str | None) -> dict:
    """A config for another kind of layer that carries no value (all zeros) is dropped, not refused."""
    for key, owner in (("solar_config", SOLAR), ("ev_config", EV)):
        if kind is not None and kind != owner and key in attrs and _is_placeholder(attrs[key]):
            del attrs[key]
    return attrs


class LayerFieldsSerializer(StrictTypesMixin, serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    enabled = serializers.BooleanField(required=False)
    schedule = ScheduleField(required=False)
    hourly_kw = serializers.ListField(
        child=serializers.FloatField(min_value=0, max_value=1_000),
        min_length=24,
        max_length=24,
        required=False,
    )
    max_kw = serializers.FloatField(min_value=0, max_value=1_000, required=False)
    solar_config = SolarConfigSerializer(required=False)
    ev_config = EvConfigSerializer(required=False)

    def validate(self, attrs):
        return drop_placeholder_configs(attrs, self.context.get("layer_kind"))


class LayerAddSerializer(LayerFieldsSerializer):
    preset_id = serializers.CharField(max_length=20)

    def validate(self, attrs):
        preset = LAYER_PRESETS.get(attrs.get("preset_id"))
        return drop_placeholder_configs(attrs, preset["type"] if preset else None)


class LayerConfigStateSerializer(LayerFieldsSerializer):
    icon = serializers.CharField(max_length=40, required=False)
    color = serializers.CharField(max_length=40, required=False)


class BaseProfileStateSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=StudioProfile.BaseType.values, required=False)
    template_id = serializers.CharField(max_length=40, required=False, allow_blank=True, allow_null=True)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(max_length=500, required=False, allow_blank=True, allow_null=True)
    annual_kwh = serializers.FloatField(min_value=0, required=False, allow_null=True)
    data = HourlyArrayField(
        required=False,
        allow_null=True,
        hint="Send the whole year, or omit data and give a known templateId to use that template.",
    )
    export_data = HourlyArrayField(
        required=False, allow_null=True, allow_empty=True, hint="Send the whole year, [] or omit it."
    )
    original_data = HourlyArrayField(
        required=False, allow_null=True, allow_empty=True, hint="Send the whole year, [] or omit it."
    )


class LayerStateSerializer(serializers.Serializer):
    id = serializers.CharField(max_length=60, required=False, allow_blank=True)
    type = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    enabled = serializers.BooleanField(required=False, default=True)
    config = LayerConfigStateSerializer(required=False, allow_null=True)
    data = HourlyArrayField(
        required=False,
        allow_null=True,
        allow_empty=True,
        hint="Send the whole year, or omit data to have the layer simulated from its config.",
    )


class StudioStateSerializer(serializers.Serializer):
    base_profile = BaseProfileStateSerializer(required=False, allow_null=True)
    layers = LayerStateSerializer(many=True, required=False, max_length=20)
    # accepted for compatibility with the editor; the server recomputes them (see services)
    result = RecomputedSeriesField(required=False, allow_null=True)
    export_result = RecomputedSeriesField(required=False, allow_null=True)
    production_result = RecomputedSeriesField(required=False, allow_null=True)


class SaveStateSerializer(StrictTypesMixin, serializers.Serializer):
    studio_state = StudioStateSerializer()
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)


class ChartQuerySerializer(serializers.Serializer):
    view = serializers.ChoiceField(choices=["week", "month", "year", "production", "export"])
    index = serializers.IntegerField(required=False, min_value=0)
    sub_view = serializers.ChoiceField(choices=["week", "month", "year"], required=False)


# --- Outputs --------------------------------------------------------------------------------------------


class StudioProfileListSerializer(serializers.ModelSerializer):
    serializer_field_mapping = UTC_DATETIME_MAPPING
    base_profile_type = serializers.SerializerMethodField()
    base_profile_name = serializers.SerializerMethodField()

    class Meta:
        model = StudioProfile
        fields = [
            "id",
            "name",
            "base_profile_type",
            "base_profile_name",
            "total_kwh",
            "peak_kw",
            "total_export_kwh",
            "peak_export_kw",
            "layer_count",
            "has_solar_layer",
            "year",
            "updated_at",
        ]

    def get_base_profile_type(self, obj) -> str | None:
        return obj.base_profile_type or None

    def get_base_profile_name(self, obj) -> str | None:
        return obj.base_profile_name or None


class StudioProfileSerializer(StudioProfileListSerializer):
    user_id = serializers.SerializerMethodField()
    organization_id = serializers.CharField(read_only=True)

    class Meta(StudioProfileListSerializer.Meta):
        fields = [
            *StudioProfileListSerializer.Meta.fields,
            "lat",
            "lon",
            "user_id",
            "organization_id",
            "created_at",
        ]

    def get_user_id(self, obj) -> str | None:
        return None if obj.user_id is None else str(obj.user_id)


def _rounded(blob) -> list[float] | None:
    values = unpack(blob)
    return None if values is None else np.round(values, 4).tolist()


class StudioLayerSerializer(serializers.ModelSerializer):
    serializer_field_mapping = UTC_DATETIME_MAPPING
    type = serializers.CharField(source="kind")
    schedule = serializers.SerializerMethodField()
    hourly_kw = serializers.SerializerMethodField()
    max_kw = serializers.SerializerMethodField()
    solar_config = serializers.SerializerMethodField()
    ev_config = serializers.SerializerMethodField()
    ev_stats = serializers.SerializerMethodField()
    data = serializers.SerializerMethodField()

    class Meta:
        model = StudioLayer
        fields = [
            "id",
            "name",
            "type",
            "preset_id",
            "enabled",
            "icon",
            "color",
            "schedule",
            "hourly_kw",
            "max_kw",
            "solar_config",
            "ev_config",
            "ev_stats",
            "annual_kwh",
            "data",
        ]

    def get_schedule(self, obj) -> list[list[bool]]:
        return obj.config.get("schedule")

    def get_hourly_kw(self, obj) -> list[float]:
        return obj.config.get("hourly_kw")

    def get_max_kw(self, obj) -> float:
        return obj.config.get("max_kw") or 0

    def get_solar_config(self, obj) -> dict | None:
        return obj.config.get("solar_config")

    def get_ev_config(self, obj) -> dict | None:
        return obj.config.get("ev_config")

    def get_ev_stats(self, obj) -> dict | None:
        return obj.config.get("ev_stats")

    def get_data(self, obj) -> list[float] | None:
        return _rounded(obj.data)


class StudioProfileFullSerializer(StudioProfileSerializer):
    baseline = serializers.SerializerMethodField()
    layers = serializers.SerializerMethodField()
    result = serializers.SerializerMethodField()
    export_result = serializers.SerializerMethodField()
    production_result = serializers.SerializerMethodField()
    gross_result = serializers.SerializerMethodField()
    reconstruction = serializers.JSONField(read_only=True)

    class Meta(StudioProfileSerializer.Meta):
        fields = [
            *StudioProfileSerializer.Meta.fields,
            "baseline",
            "layers",
            "result",
            "export_result",
            "production_result",
            "gross_result",
            "reconstruction",
        ]

    def get_baseline(self, obj) -> dict | None:
        if not obj.base_profile_type:
            return None
        data = unpack(obj.base_data)
        export = unpack(obj.base_export)
        meta = obj.base_meta or {}
        return {
            "source_type": obj.base_profile_type,
            "name": obj.base_profile_name,
            "template_id": obj.base_template_id or None,
            "description": meta.get("description"),
            "annual_kwh": round(float(data.sum()), 3),
            "annual_export_kwh": round(float(export.sum()), 3) if export is not None else 0,
            "upload": meta.get("report"),
            "data": np.round(data, 4).tolist(),
            "export_data": None if export is None else np.round(export, 4).tolist(),
        }

    def get_layers(self, obj) -> list[dict]:
        return StudioLayerSerializer(obj.layers.all(), many=True).data

    def get_result(self, obj) -> list[float] | None:
        return _rounded(obj.result)

    def get_export_result(self, obj) -> list[float] | None:
        return _rounded(obj.export_result)

    def get_production_result(self, obj) -> list[float] | None:
        return _rounded(obj.production_result)

    def get_gross_result(self, obj) -> list[float] | None:
        """Gross consumption [kWh/h]: measured import + own use of the existing production."""
        return _rounded(obj.gross_result)
