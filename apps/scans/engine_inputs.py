"""Resolved scan inputs (the stored, validated snake_case dict) → the engine's `ScanInputs` dataclasses."""

import numpy as np

from apps.engine.defaults import (
    BATTERY_INSTALLATION_FIXED_EUR,
    BATTERY_STANDBY_W,
    DEFAULT_SYSTEM_LOSSES_PCT,
    PV_INSTALLATION_FIXED_EUR,
)
from apps.engine.reference_data import price_years
from apps.engine.types import (
    BatteryInput,
    ExistingPvArray,
    KnownConsumption,
    Location,
    NewPvArray,
    ScanInputs,
    StudioConsumption,
    TariffInput,
)
from apps.prices.models import PriceYear
from apps.prices.services import stored_day_ahead
from apps.scans import capacity_peak
from apps.scans.measured import measured_yearly_kwh
from apps.scans.studio_link import StudioLoad

# Engine parameters outside the API body; stored with each scan's inputs (see services.ENGINE_PARAMETERS).
ENGINE_PARAMETERS = ("discount_rate", "price_escalation", "first_operating_year")


def _tariff(raw: dict, peak_factor: float | None) -> TariffInput:
    common = {
        "type": raw["type"],
        "net_metering": raw.get("net_metering"),
        "feed_in_cost_eur_per_kwh": raw["feed_in_cost_eur_per_kwh"],
        "fixed_monthly_eur": raw["fixed_monthly_eur"],
        "capacity_tariff": raw["capacity_tariff"],
        "capacity_tariff_eur_per_kw_year": raw.get("capacity_tariff_eur_per_kw_year"),
        "capacity_peak_factor": peak_factor,
        "country": raw["country"],
    }
    if raw["type"] == "flat":
        return TariffInput(
            **common,
            flat_eur_per_kwh=raw["flat_eur_per_kwh"],
            feed_in_eur_per_kwh=raw["feed_in_eur_per_kwh"],
            taxes_included=raw["taxes_included"],
        )
    prices = raw.get("day_ahead_eur_per_kwh")
    year, source = raw.get("price_year"), None
    if prices is None and year is not None and year not in price_years(raw["country"]):
        stored = PriceYear.objects.filter(country=raw["country"], year=year).first()
        if stored is None:
            raise ValueError(f"tariff.price_year: no day-ahead prices for {raw['country']} {year}")
        prices, source = stored_day_ahead(raw["country"], year), stored.source
    return TariffInput(
        **common,
        day_ahead_eur_per_kwh=np.asarray(prices, dtype=float) if prices is not None else None,
        price_year=year,
        price_source=source,
        supplier_markup_eur_per_kwh=raw.get("supplier_markup_eur_per_kwh"),
        feed_in_fee_eur_per_kwh=raw.get("feed_in_fee_eur_per_kwh"),
    )


def _battery(raw: dict | None) -> BatteryInput | None:
    if raw is None:
        return None
    return BatteryInput(
        capacity_kwh=raw["capacity_kwh"],
        power_rating_kw=raw["power_rating_kw"],
        min_capacity_kwh=raw["min_capacity_kwh"],
        min_power_rating_kw=raw["min_power_rating_kw"],
        minimum_charge_level=raw["minimum_charge_level"],
        roundtrip_efficiency=raw["roundtrip_efficiency"],
        cost_per_kwh=raw["cost_per_kwh"],
        grid_charging=raw["grid_charging"],
        life_years=raw["life_years"],
        brand_name=raw.get("brand_name") or None,
        model_name=raw.get("model_name") or None,
        # Scans stored before the fixed cost existed get the named default.
        fixed_cost_eur=raw.get("fixed_cost_eur", BATTERY_INSTALLATION_FIXED_EUR),
        standby_w=raw.get("standby_w", BATTERY_STANDBY_W),
    )


def _studio_arrays(studio: StudioLoad | None) -> tuple[ExistingPvArray, ...]:
    """The studio solar layer's surfaces as existing arrays (for the report's per-array figures; the scan
    uses the profile's production itself). A surface given only as kWp is one panel of that many Wp."""
    if studio is None:
        return ()
    arrays = []
    for surface in studio.existing_arrays:
        count, watts = surface["panel_count"], surface["panel_power_watts"]
        if not (count > 0 and watts > 0):
            count, watts = 1, surface["kwp"] * 1000.0
        arrays.append(
            ExistingPvArray(
                name=surface["name"],
                panel_count=count,
                panel_power_watts=watts,
                tilt_angle=surface["tilt"],
                orientation_angle=surface["azimuth"],
                system_losses=DEFAULT_SYSTEM_LOSSES_PCT if surface["losses"] is None else surface["losses"],
            )
        )
    return tuple(arrays)


def build_engine_inputs(inputs: dict, *, studio: StudioLoad | None = None) -> ScanInputs:
    """`inputs` is `Scan.inputs`; `studio` the loaded profile when `input_method == "studio"`."""
    if inputs["input_method"] == "studio":
        if studio is None:
            raise ValueError("a studio scan needs its studio profile loaded")
        consumption = StudioConsumption(
            hourly_kwh=studio.hourly_kwh,
            hourly_export_kwh=studio.hourly_export_kwh,
            hourly_import_kwh=studio.hourly_import_kwh,
            hourly_existing_pv_kwh=studio.hourly_existing_pv_kwh,
            day_order=studio.day_order,
        )
    else:
        consumption = KnownConsumption(
            yearly_kwh=inputs["yearly_kwh"],
            yearly_export_kwh=inputs.get("yearly_export_kwh"),
            load_profile=inputs.get("load_profile") or "standard",
        )
    return ScanInputs(
        location=Location(lat=inputs["location"]["lat"], lon=inputs["location"]["lon"]),
        consumption=consumption,
        existing_pv=tuple(
            ExistingPvArray(
                name=a["name"],
                panel_count=a["panel_count"],
                panel_power_watts=a["panel_power_watts"],
                tilt_angle=a["tilt_angle"],
                orientation_angle=a["orientation_angle"],
                system_losses=a["system_losses"],
            )
            for a in inputs["existing_pv"]
        )
        or _studio_arrays(studio),
        new_pv=tuple(
            NewPvArray(
                name=a["name"],
                min_panel_count=a["min_panel_count"],
                max_panel_count=a["max_panel_count"],
                panel_power_watts=a["panel_power_watts"],
                tilt_angle=a["tilt_angle"],
                orientation_angle=a["orientation_angle"],
                cost_per_kwp=a["cost_per_kwp"],
                system_losses=a["system_losses"],
            )
            for a in inputs["new_pv"]
        ),
        tariff=_tariff(inputs["tariff"], capacity_peak.factor(inputs)),
        battery=_battery(inputs.get("electric_battery")),
        goal=inputs["goal"],
        renewable_electricity_min_fraction=inputs.get("renewable_electricity_min_fraction"),
        analysis_years=inputs["analysis_years"],
        include_pv_maintenance_costs=inputs["include_pv_maintenance_costs"],
        include_battery_maintenance_costs=inputs["include_battery_maintenance_costs"],
        pv_fixed_cost_eur=inputs.get("pv_fixed_cost_eur", PV_INSTALLATION_FIXED_EUR),
        existing_pv_measured_yearly_kwh=measured_yearly_kwh(inputs),  # a linked inverter's, if used
        **{name: inputs[name] for name in ENGINE_PARAMETERS if inputs.get(name) is not None},
    )
