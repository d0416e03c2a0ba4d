"""POST /v1/scans validation (every rule of the seed's flow tables) and the response shapes.

Serializers see snake_case (the camelCase parser converts); errors name the camelCase field.
Cross-field rules collect all violations and raise them at once, so a client fixes everything in one go.
"""

from dataclasses import MISSING, fields

from rest_framework import serializers

from apps.common.errors import AppError
from apps.engine import defaults as engine_defaults
from apps.engine.types import BatteryInput, TariffInput
from apps.scans.selectors import dossier_for
from apps.scans.studio_link import studio_profile_check

LOAD_PROFILES = ("standard", "smooth")
GOALS = ("cost-savings", "self-sufficiency", "renewable-minimum")
HOURS = 8760


def _default(cls, name):
    for f in fields(cls):
        if f.name == name:
            if f.default is MISSING:
                raise LookupError(name)
            return f.default
    raise LookupError(name)


def _provided(attrs: dict, name: str) -> bool:
    return attrs.get(name) is not None


class LocationSerializer(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lon = serializers.FloatField(min_value=-180, max_value=180)


class _PvArraySerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    panel_power_watts = serializers.FloatField(min_value=0, max_value=2000)
    tilt_angle = serializers.FloatField(min_value=0, max_value=90)
    orientation_angle = serializers.FloatField(min_value=0, max_value=360)
    system_losses = serializers.FloatField(
        min_value=0, max_value=100, required=False, default=engine_defaults.DEFAULT_SYSTEM_LOSSES_PCT
    )

    def validate_panel_power_watts(self, value):
        if value <= 0:
            raise serializers.ValidationError("Must be greater than 0.")
        return value


class ExistingPvSerializer(_PvArraySerializer):
    panel_count = serializers.IntegerField(min_value=0, max_value=10_000)


class NewPvSerializer(_PvArraySerializer):
    min_panel_count = serializers.IntegerField(min_value=0, max_value=10_000, required=False, default=0)
    max_panel_count = serializers.IntegerField(min_value=0, max_value=10_000)
    cost_per_kwp = serializers.FloatField(
        min_value=0, required=False, default=engine_defaults.DEFAULT_PV_COST_EUR_PER_KWP
    )

    def validate(self, attrs):
        if attrs["min_panel_count"] > attrs["max_panel_count"]:
            raise serializers.ValidationError({"min_panel_count": ["Must not exceed maxPanelCount."]})
        return attrs


class TariffSerializer(serializers.Serializer):
    FLAT_ONLY = ("flat_eur_per_kwh", "feed_in_eur_per_kwh", "taxes_included")
    DYNAMIC_ONLY = ("day_ahead_eur_per_kwh", "supplier_markup_eur_per_kwh", "feed_in_fee_eur_per_kwh")

    type = serializers.ChoiceField(choices=["flat", "dynamic"], required=False, default="flat")
    # flat
    flat_eur_per_kwh = serializers.FloatField(min_value=0, max_value=5, required=False, allow_null=True)
    feed_in_eur_per_kwh = serializers.FloatField(min_value=-1, max_value=5, required=False, allow_null=True)
    taxes_included = serializers.BooleanField(required=False, allow_null=True)
    # dynamic
    day_ahead_eur_per_kwh = serializers.ListField(
        child=serializers.FloatField(min_value=-5, max_value=10), required=False, allow_null=True
    )
    supplier_markup_eur_per_kwh = serializers.FloatField(
        min_value=0, max_value=1, required=False, allow_null=True
    )
    feed_in_fee_eur_per_kwh = serializers.FloatField(
        min_value=0, max_value=1, required=False, allow_null=True
    )
    # both
    net_metering = serializers.BooleanField(required=False, allow_null=True, default=None)
    # Omitted or null: the contract type's default (engine defaults, shown in the assumptions).
    feed_in_cost_eur_per_kwh = serializers.FloatField(
        min_value=0, max_value=1, required=False, allow_null=True, default=None
    )
    fixed_monthly_eur = serializers.FloatField(
        min_value=0, max_value=1000, required=False, default=_default(TariffInput, "fixed_monthly_eur")
    )
    capacity_tariff = serializers.BooleanField(required=False, default=False)
    capacity_tariff_eur_per_kw_year = serializers.FloatField(
        min_value=0, max_value=1000, required=False, allow_null=True, default=None
    )
    country = serializers.ChoiceField(choices=["NL", "BE"], required=False, default="NL")

    def validate(self, attrs):
        errors = {}
        if attrs["type"] == "flat":
            for name in self.DYNAMIC_ONLY:
                if _provided(attrs, name):
                    errors[name] = ["Only allowed for tariff type 'dynamic'."]
            if not _provided(attrs, "flat_eur_per_kwh"):
                errors["flat_eur_per_kwh"] = ["Required for tariff type 'flat'."]
            attrs.setdefault("feed_in_eur_per_kwh", None)
            if attrs["feed_in_eur_per_kwh"] is None:
                attrs["feed_in_eur_per_kwh"] = _default(TariffInput, "feed_in_eur_per_kwh")
            if attrs.get("taxes_included") is None:
                attrs["taxes_included"] = _default(TariffInput, "taxes_included")
            for name in self.DYNAMIC_ONLY:
                attrs[name] = None
        else:
            for name in self.FLAT_ONLY:
                if _provided(attrs, name):
                    errors[name] = [
                        "Only allowed for tariff type 'flat' (dynamic prices follow the day-ahead market)."
                    ]
            prices = attrs.get("day_ahead_eur_per_kwh")
            if prices is not None and len(prices) != HOURS:
                errors["day_ahead_eur_per_kwh"] = [f"Needs {HOURS} hourly prices, got {len(prices)}."]
            if attrs.get("supplier_markup_eur_per_kwh") is None:
                attrs["supplier_markup_eur_per_kwh"] = engine_defaults.DYNAMIC_SUPPLIER_MARKUP_EUR_PER_KWH
            if attrs.get("feed_in_fee_eur_per_kwh") is None:
                attrs["feed_in_fee_eur_per_kwh"] = engine_defaults.DYNAMIC_FEED_IN_FEE_EUR_PER_KWH
            attrs.setdefault("day_ahead_eur_per_kwh", None)
            for name in self.FLAT_ONLY:
                attrs[name] = None
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


def default_tariff() -> dict:
    return TariffSerializer().run_validation(
        {"type": "flat", "flat_eur_per_kwh": _default(TariffInput, "flat_eur_per_kwh")}
    )


class BatterySerializer(serializers.Serializer):
    capacity_kwh = serializers.FloatField(min_value=0, max_value=1000)
    power_rating_kw = serializers.FloatField(min_value=0, max_value=1000)
    min_capacity_kwh = serializers.FloatField(min_value=0, max_value=1000, required=False, default=0.0)
    min_power_rating_kw = serializers.FloatField(min_value=0, max_value=1000, required=False, default=0.0)
    minimum_charge_level = serializers.FloatField(
        required=False, default=_default(BatteryInput, "minimum_charge_level")
    )
    roundtrip_efficiency = serializers.FloatField(
        required=False, default=_default(BatteryInput, "roundtrip_efficiency")
    )
    cost_per_kwh = serializers.FloatField(
        min_value=0, max_value=100_000, required=False, default=_default(BatteryInput, "cost_per_kwh")
    )
    grid_charging = serializers.BooleanField(required=False, default=False)
    life_years = serializers.IntegerField(
        min_value=1, max_value=40, required=False, default=_default(BatteryInput, "life_years")
    )
    brand_name = serializers.CharField(
        max_length=100, required=False, allow_null=True, allow_blank=True, default=None
    )
    model_name = serializers.CharField(
        max_length=100, required=False, allow_null=True, allow_blank=True, default=None
    )

    def validate(self, attrs):
        errors = {}
        if attrs["min_capacity_kwh"] > attrs["capacity_kwh"]:
            errors["min_capacity_kwh"] = ["Must not exceed capacityKwh."]
        if attrs["min_power_rating_kw"] > attrs["power_rating_kw"]:
            errors["min_power_rating_kw"] = ["Must not exceed powerRatingKw."]
        if not 0 < attrs["roundtrip_efficiency"] <= 100:
            errors["roundtrip_efficiency"] = ["Must be greater than 0 and at most 100 (%)."]
        if not 0 <= attrs["minimum_charge_level"] < 100:
            errors["minimum_charge_level"] = ["Must be at least 0 and less than 100 (%)."]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class ScanCreateSerializer(serializers.Serializer):
    """The POST body. `validated_data` is the resolved input (every default filled), minus the two
    references (`copied_from_id`, `dossier_id`) which the service turns into foreign keys."""

    location = LocationSerializer()
    input_method = serializers.ChoiceField(choices=["known", "studio"])
    yearly_kwh = serializers.FloatField(required=False, allow_null=True, max_value=1_000_000)
    yearly_export_kwh = serializers.FloatField(
        required=False, allow_null=True, min_value=0, max_value=1_000_000
    )
    load_profile = serializers.ChoiceField(choices=LOAD_PROFILES, required=False, allow_null=True)
    custom_profile_id = serializers.CharField(
        max_length=40, required=False, allow_null=True, allow_blank=False
    )
    existing_pv = ExistingPvSerializer(many=True, required=False, default=list, max_length=20)
    new_pv = NewPvSerializer(many=True, required=False, default=list, max_length=20)
    tariff = TariffSerializer(required=False, allow_null=True)
    electric_battery = BatterySerializer(required=False, allow_null=True, default=None)
    goal = serializers.ChoiceField(choices=GOALS, required=False, default="cost-savings")
    renewable_electricity_min_fraction = serializers.FloatField(
        min_value=0, max_value=1, required=False, allow_null=True, default=None
    )
    analysis_years = serializers.IntegerField(
        min_value=engine_defaults.ANALYSIS_YEARS_RANGE[0],
        max_value=engine_defaults.ANALYSIS_YEARS_RANGE[1],
        required=False,
        default=engine_defaults.DEFAULT_ANALYSIS_YEARS,
    )
    include_pv_maintenance_costs = serializers.BooleanField(required=False, default=False)
    include_battery_maintenance_costs = serializers.BooleanField(required=False, default=False)
    copied_from_id = serializers.CharField(max_length=40, required=False, allow_null=True)
    dossier_id = serializers.CharField(max_length=40, required=False, allow_null=True)

    def validate(self, attrs):
        errors: dict[str, list[str]] = {}

        def fail(name, message):
            errors.setdefault(name, []).append(message)

        if attrs["input_method"] == "known":
            if not _provided(attrs, "yearly_kwh"):
                fail("yearly_kwh", "Required when inputMethod is 'known'.")
            elif attrs["yearly_kwh"] <= 0:
                fail("yearly_kwh", "Must be greater than 0.")
            if _provided(attrs, "custom_profile_id"):
                fail(
                    "custom_profile_id",
                    "Not allowed when inputMethod is 'known' (use yearlyKwh and loadProfile).",
                )
            if _provided(attrs, "yearly_export_kwh"):
                if not attrs["existing_pv"]:
                    fail(
                        "yearly_export_kwh",
                        "Requires existingPv: there is no grid export without solar panels.",
                    )
                elif _provided(attrs, "yearly_kwh") and attrs["yearly_export_kwh"] > attrs["yearly_kwh"]:
                    fail("yearly_export_kwh", "Must not exceed yearlyKwh.")
            if not _provided(attrs, "load_profile"):
                attrs["load_profile"] = "standard"
        else:
            if not _provided(attrs, "custom_profile_id"):
                fail("custom_profile_id", "Required when inputMethod is 'studio'.")
            for name, camel in (
                ("yearly_kwh", "yearlyKwh"),
                ("yearly_export_kwh", "yearlyExportKwh"),
                ("load_profile", "loadProfile"),
            ):
                if _provided(attrs, name):
                    fail(
                        name,
                        f"Must be omitted when inputMethod is 'studio': the studio profile provides {camel}.",
                    )
            organization = self.context.get("organization")
            if not errors and organization is not None:
                try:
                    studio_profile_check(organization=organization, profile_id=attrs["custom_profile_id"])
                except AppError as exc:
                    fail("custom_profile_id", exc.detail)
        for name in ("yearly_kwh", "yearly_export_kwh", "load_profile", "custom_profile_id"):
            attrs.setdefault(name, None)

        if attrs["goal"] == "renewable-minimum" and not _provided(
            attrs, "renewable_electricity_min_fraction"
        ):
            fail(
                "renewable_electricity_min_fraction",
                "Required when goal is 'renewable-minimum' (a fraction 0–1).",
            )

        if attrs.get("tariff") is None:
            attrs["tariff"] = default_tariff()
        for index, array in enumerate(attrs["existing_pv"]):
            array["name"] = array.get("name") or f"existing_pv_{index + 1}"
        for index, array in enumerate(attrs["new_pv"]):
            array["name"] = array.get("name") or f"new_pv_{index + 1}"

        organization = self.context.get("organization")
        if _provided(attrs, "dossier_id") and organization is not None:
            if dossier_for(organization=organization, dossier_id=attrs["dossier_id"]) is None:
                fail("dossier_id", "No dossier with this id in your organization.")
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class ScanStatusSerializer(serializers.Serializer):
    """ScanDto: {id, status, errorMessage, createdAt}."""

    id = serializers.CharField()
    status = serializers.CharField(source="public_status")
    error_message = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_error_message(self, scan) -> str | None:
        return scan.error_message or None


class ScanListItemSerializer(serializers.Serializer):
    id = serializers.CharField()
    status = serializers.CharField(source="public_status")
    created_at = serializers.DateTimeField()
    goal = serializers.CharField()
    has_error = serializers.SerializerMethodField()
    error_message = serializers.SerializerMethodField()
    has_seen_report = serializers.BooleanField()
    self_sufficiency = serializers.FloatField(allow_null=True)
    return_period = serializers.FloatField(allow_null=True)
    co2_saved_kg = serializers.FloatField(allow_null=True)
    is_adjustment = serializers.BooleanField()
    adjustment_count = serializers.SerializerMethodField()
    copied_from_id = serializers.CharField(allow_null=True)
    dossier_id = serializers.CharField(allow_null=True)

    def get_has_error(self, scan) -> bool:
        return scan.status == "error"

    def get_error_message(self, scan) -> str | None:
        return scan.error_message or None

    def get_adjustment_count(self, scan) -> int:
        count = getattr(scan, "adjustment_count", None)
        return count if count is not None else scan.adjustments.count()


class ShareSerializer(serializers.Serializer):
    is_shared = serializers.BooleanField()
    share_token = serializers.CharField(allow_null=True)


class BreakdownQuerySerializer(serializers.Serializer):
    start_date = serializers.DateTimeField(required=False, input_formats=["iso-8601", "%Y-%m-%d"])
    interval = serializers.ChoiceField(
        choices=["day", "week", "month", "year"], required=False, default="day"
    )
    extended = serializers.BooleanField(required=False, default=False)
    fields = serializers.CharField(required=False, allow_blank=True, default="")
