"""A scan's ``Assumptions``: every rate, price and factor its result depends on, with where the day-ahead
prices and the weather come from (for the report and for reproducing the result)."""

from __future__ import annotations

import numpy as np

from apps.engine import defaults as d
from apps.engine.finance import CostParams
from apps.engine.reference_data import price_source, price_years, weather_years
from apps.engine.tariffs import energy_tax, reference_day_ahead
from apps.engine.types import Assumptions, ScanInputs, TariffInput
from apps.engine.weather import Weather


def _day_ahead_source(tariff: TariffInput, price_year: int | None) -> str | None:
    """Where a dynamic contract's day-ahead prices come from, for the report's assumptions."""
    if tariff.type != "dynamic":
        return None
    if tariff.day_ahead_eur_per_kwh is not None:
        return tariff.price_source or "supplied"
    return price_source(tariff.country, price_year)


def weather_source(weather: Weather) -> str:
    """Where a scan's weather comes from, for the report's assumptions."""
    if weather.source == "offline":
        return f"KNMI De Bilt (station 260) hourly measurements {weather.year}, carried to the location"
    return "PVGIS typical meteorological year (JRC) at the location"


def scan_assumptions(
    inputs: ScanInputs, params: CostParams, yearly, weather: Weather, price_year: int | None
) -> Assumptions:
    """Every rate, price and factor the result depends on (for the report and reproduction)."""
    first = yearly[0]
    tariff = inputs.tariff
    return Assumptions(
        engine_version=d.ENGINE_VERSION,
        first_operating_year=inputs.first_operating_year,
        analysis_years=params.years,
        discount_rate=params.discount_rate,
        price_escalation=params.price_escalation,
        om_escalation=params.om_escalation,
        pv_degradation_per_year=params.pv_degradation,
        pv_om_eur_per_kw_year=params.pv_om_eur_per_kw_year,
        battery_om_fraction_per_year=params.battery_om_fraction,
        battery_life_years=params.battery_life_years,
        battery_capacity_fade_per_year=params.battery_fade_per_year,
        battery_replacement_cost_fraction=params.battery_replacement_fraction,
        battery_cost_eur_per_kw=d.BATTERY_COST_EUR_PER_KW,
        pv_fixed_cost_eur=params.pv_fixed_eur,
        battery_fixed_cost_eur=params.battery_fixed_eur,
        battery_max_c_rate=d.BATTERY_MAX_C_RATE,
        battery_standby_w=inputs.battery.standby_w if inputs.battery is not None else None,
        tariff_type=tariff.type,
        country=tariff.country,
        taxes_included=tariff.taxes_included,
        energy_tax_eur_per_kwh=energy_tax(tariff.country, inputs.first_operating_year),
        energy_tax_eur_per_kwh_by_year={str(y): v for y, v in d.NL_ENERGY_TAX_EUR_PER_KWH_BY_YEAR.items()}
        if tariff.country == "NL"
        else None,
        vat=d.NL_VAT if tariff.country == "NL" else d.BE_VAT,
        import_price_year_one_mean_eur_per_kwh=float(first.import_price.mean()),
        export_price_year_one_mean_eur_per_kwh=float(first.export_price.mean()),
        bare_supply_price_eur_per_kwh=first.bare_supply_price,
        feed_in_cost_eur_per_kwh=first.feed_in_cost,
        feed_in_cost_is_default=tariff.feed_in_cost_eur_per_kwh is None,
        fixed_monthly_eur=first.fixed_monthly,
        net_metering_years=tuple(
            inputs.first_operating_year + i for i, t in enumerate(yearly) if t.net_metering
        ),
        net_metering_last_year_by_law=d.NL_NET_METERING_LAST_YEAR,
        feed_in_floor_fraction=d.NL_FEED_IN_FLOOR_FRACTION,
        feed_in_floor_years=tuple(d.NL_FEED_IN_FLOOR_YEARS),
        capacity_tariff_eur_per_kw_year_incl_vat=first.demand_rate,
        capacity_tariff_floor_kw=first.demand_floor_kw if first.demand_rate else None,
        dynamic_supplier_markup_eur_per_kwh=(
            tariff.supplier_markup_eur_per_kwh
            if tariff.supplier_markup_eur_per_kwh is not None
            else d.DYNAMIC_SUPPLIER_MARKUP_EUR_PER_KWH
        ),
        dynamic_feed_in_fee_eur_per_kwh=(
            tariff.feed_in_fee_eur_per_kwh
            if tariff.feed_in_fee_eur_per_kwh is not None
            else d.DYNAMIC_FEED_IN_FEE_EUR_PER_KWH
        ),
        day_ahead_source=_day_ahead_source(tariff, price_year),
        day_ahead_price_year=price_year,
        day_ahead_mean_eur_per_kwh=(
            float(np.mean(tariff.day_ahead_eur_per_kwh))
            if tariff.day_ahead_eur_per_kwh is not None
            else float(reference_day_ahead(tariff.country, price_year).mean())
            if price_year is not None
            else None
        ),
        built_in_price_years=tuple(price_years(tariff.country)),
        weather_source=weather_source(weather),
        weather_year=weather.year,
        weather_spread_years=tuple(weather_years()),
        # The comparison's fixed-price column: the scan's own fixed contract, else the stated default.
        comparison_fixed_price_source="scan" if tariff.type == "flat" else "default",
        comparison_fixed_price_eur_per_kwh=tariff.flat_eur_per_kwh
        if tariff.type == "flat"
        else d.DEFAULT_FIXED_PRICE_EUR_PER_KWH,
        comparison_fixed_feed_in_eur_per_kwh=tariff.feed_in_eur_per_kwh
        if tariff.type == "flat"
        else d.DEFAULT_FIXED_FEED_IN_EUR_PER_KWH,
        pv_lifetime_years=d.PV_LIFETIME_YEARS,
        payback_range_escalation_low_high=tuple(d.PRICE_ESCALATION_LOW_HIGH),
        payback_range_battery_fade_low_high=tuple(d.BATTERY_CAPACITY_FADE_LOW_HIGH),
        grid_carbon_intensity_kg_per_kwh=d.GRID_CARBON_INTENSITY_KG_PER_KWH,
        tree_kg_co2_per_year=d.TREE_KG_CO2_PER_YEAR,
        car_kg_co2_per_km=d.CAR_KG_CO2_PER_KM,
        flight_kg_co2=d.FLIGHT_KG_CO2,
        self_sufficiency_tolerance=d.SELF_SUFFICIENCY_TOLERANCE,
        battery_capacity_step_kwh=d.BATTERY_CAPACITY_STEP_KWH,
    )
