"""Typed inputs and outputs of the engine: frozen dataclasses mirroring the seed's POST /v1/scans body
(inputs) and everything the FullReportDto needs (``ScanResult``).

Units: energy [kWh], power [kW], money [EUR], angles [degrees, azimuth 180 = south], percentages as in the
seed (``minimumChargeLevel`` 20 means 20 %), fractions as fractions (``renewableElectricityMinFraction``).
Hourly arrays have 8760 values (non-leap year, local standard time UTC+1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Literal

import numpy as np

from apps.engine import defaults as d

Goal = Literal["cost-savings", "self-sufficiency", "renewable-minimum"]
TariffType = Literal["flat", "dynamic"]
Country = Literal["NL", "BE"]
Status = Literal["optimal", "infeasible"]


# --- Inputs ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Location:
    """lat, lon [degrees]."""

    lat: float
    lon: float


@dataclass(frozen=True)
class KnownConsumption:
    """``inputMethod: known``: yearly consumption [kWh/yr] (net meter reading) and, with existing PV, the
    yearly export [kWh/yr] used to reconstruct the gross load."""

    yearly_kwh: float
    yearly_export_kwh: float | None = None
    load_profile: str = "standard"


@dataclass(frozen=True, eq=False)
class StudioConsumption:
    """``inputMethod: studio``: the studio profile's hourly gross consumption [kWh, 8760].

    With a solar layer (the existing installation): ``hourly_existing_pv_kwh`` its production, and for a
    meter base the measured grid flows ``hourly_import_kwh``/``hourly_export_kwh`` (after load layers), so
    the baseline's bill is the measured one (``apps.engine.reconstruction``)."""

    hourly_kwh: np.ndarray
    hourly_export_kwh: np.ndarray | None = None
    hourly_import_kwh: np.ndarray | None = None
    hourly_existing_pv_kwh: np.ndarray | None = None
    # The reference-weather days the existing production was re-ranked to (reconstruction.day_order);
    # new panels are simulated on the same days.
    day_order: tuple[int, ...] | None = None


@dataclass(frozen=True)
class ExistingPvArray:
    """An installed PV array: panels [count] x watts [Wp], tilt [deg], orientation (azimuth) [deg],
    system losses [%]."""

    name: str
    panel_count: int
    panel_power_watts: float
    tilt_angle: float
    orientation_angle: float
    system_losses: float = d.DEFAULT_SYSTEM_LOSSES_PCT

    @property
    def kwp(self) -> float:
        """Installed capacity [kWp]."""
        return self.panel_count * self.panel_power_watts / 1000.0


@dataclass(frozen=True)
class NewPvArray:
    """A candidate PV array: panel count range [count], watts [Wp], tilt/orientation [deg], installed
    cost [EUR/kWp], system losses [%]."""

    name: str
    min_panel_count: int
    max_panel_count: int
    panel_power_watts: float
    tilt_angle: float
    orientation_angle: float
    cost_per_kwp: float = d.DEFAULT_PV_COST_EUR_PER_KWP
    system_losses: float = d.DEFAULT_SYSTEM_LOSSES_PCT


@dataclass(frozen=True, eq=False)
class TariffInput:
    """The electricity contract.

    type: "flat" (one import and one feed-in price) or "dynamic" (hourly day-ahead based).
    flat_eur_per_kwh, feed_in_eur_per_kwh: flat prices [EUR/kWh]; taxes_included False → energy tax and
    VAT are added to the import price from ``defaults``.
    day_ahead_eur_per_kwh: 8760 day-ahead prices [EUR/kWh excl. tax]; None → a built-in measured year:
    price_year [calendar year], None → the country's latest (``reference_data.price_years``); with supplied
    prices it only names their year, and price_source their origin (for the report).
    supplier_markup_eur_per_kwh, feed_in_fee_eur_per_kwh: dynamic contract terms [EUR/kWh]; None → defaults.
    net_metering: None → follow the law (Dutch salderingsregeling up to 2026 for NL); True/False forces it.
    feed_in_cost_eur_per_kwh: terugleverkosten [EUR/kWh exported]; None → the contract type's default
    (``DEFAULT_FEED_IN_COST_EUR_PER_KWH`` fixed, ``DEFAULT_FEED_IN_COST_DYNAMIC_EUR_PER_KWH`` dynamic);
    fixed_monthly_eur [EUR/month].
    capacity_tariff: apply the Belgian capacity tariff (monthly peak demand charge);
    capacity_tariff_eur_per_kw_year [EUR/kW/yr excl. VAT]; None → the Flemish average of the year
    (``BE_CAPACITY_TARIFF_EUR_PER_KW_YEAR_BY_YEAR``); capacity_peak_factor: billed quarter-hour peak over
    the hourly-mean peak [-]; None → ``BE_QUARTER_HOUR_PEAK_FACTOR``.
    country: "NL" or "BE" (taxes, VAT, floor rules).
    """

    type: TariffType = "flat"
    flat_eur_per_kwh: float = d.DEFAULT_FIXED_PRICE_EUR_PER_KWH
    feed_in_eur_per_kwh: float = d.DEFAULT_FIXED_FEED_IN_EUR_PER_KWH
    taxes_included: bool = True
    day_ahead_eur_per_kwh: np.ndarray | None = None
    price_year: int | None = None
    price_source: str | None = None
    supplier_markup_eur_per_kwh: float | None = None
    feed_in_fee_eur_per_kwh: float | None = None
    net_metering: bool | None = None
    feed_in_cost_eur_per_kwh: float | None = None
    fixed_monthly_eur: float = d.DEFAULT_FIXED_MONTHLY_EUR
    capacity_tariff: bool = False
    capacity_tariff_eur_per_kw_year: float | None = None
    capacity_peak_factor: float | None = None
    country: Country = "NL"


@dataclass(frozen=True)
class BatteryInput:
    """Battery range: capacity [kWh] and power [kW] between min and max (a battery of size zero is always
    also considered), minimum charge level [% of capacity], round-trip efficiency [%], cost [EUR/kWh],
    grid charging allowed, calendar life [years], fixed installation cost [EUR], own standby draw [W]."""

    capacity_kwh: float
    power_rating_kw: float
    min_capacity_kwh: float = 0.0
    min_power_rating_kw: float = 0.0
    minimum_charge_level: float = d.DEFAULT_BATTERY_MIN_CHARGE_PCT
    roundtrip_efficiency: float = d.DEFAULT_BATTERY_ROUNDTRIP_EFFICIENCY_PCT
    cost_per_kwh: float = d.DEFAULT_BATTERY_COST_EUR_PER_KWH
    grid_charging: bool = False
    life_years: int = d.DEFAULT_BATTERY_LIFE_YEARS
    brand_name: str | None = None
    model_name: str | None = None
    fixed_cost_eur: float = d.BATTERY_INSTALLATION_FIXED_EUR
    standby_w: float = d.BATTERY_STANDBY_W


@dataclass(frozen=True)
class ScanInputs:
    """Everything one scan needs. ``consumption`` is known or studio; ``first_operating_year`` is the
    calendar year of analysis year 1 (the year after the scan, so a 2026 scan starts in 2027)."""

    location: Location
    consumption: KnownConsumption | StudioConsumption
    existing_pv: tuple[ExistingPvArray, ...] = ()
    new_pv: tuple[NewPvArray, ...] = ()
    tariff: TariffInput = field(default_factory=TariffInput)
    battery: BatteryInput | None = None
    goal: Goal = "cost-savings"
    renewable_electricity_min_fraction: float | None = None
    analysis_years: int = d.DEFAULT_ANALYSIS_YEARS
    include_pv_maintenance_costs: bool = False
    include_battery_maintenance_costs: bool = False
    discount_rate: float = d.DEFAULT_DISCOUNT_RATE
    price_escalation: float = d.DEFAULT_PRICE_ESCALATION
    first_operating_year: int = d.DEFAULT_FIRST_OPERATING_YEAR
    # Measured yearly production of the existing PV [kWh/yr] (e.g. a linked inverter); when given, the
    # existing arrays' simulated hourly production is scaled by one factor to match it (within bounds).
    existing_pv_measured_yearly_kwh: float | None = None
    # Fixed cost of a new PV installation [EUR], charged once when any new panel is installed.
    pv_fixed_cost_eur: float = d.PV_INSTALLATION_FIXED_EUR

    def __post_init__(self) -> None:
        lo, hi = d.ANALYSIS_YEARS_RANGE
        if not lo <= self.analysis_years <= hi:
            raise ValueError(f"analysis_years must be within {lo}-{hi}, got {self.analysis_years}")
        if self.goal == "renewable-minimum" and self.renewable_electricity_min_fraction is None:
            raise ValueError("renewable-minimum needs renewable_electricity_min_fraction")
        fraction = self.renewable_electricity_min_fraction
        if fraction is not None and not 0.0 <= fraction <= 1.0:
            raise ValueError("renewable_electricity_min_fraction must be within 0..1")
        for array in self.new_pv:
            if not 0 <= array.min_panel_count <= array.max_panel_count:
                raise ValueError(f"new PV array {array.name!r}: need 0 <= min <= max panel count")
        measured = self.existing_pv_measured_yearly_kwh
        if measured is not None and not measured > 0:
            raise ValueError("existing_pv_measured_yearly_kwh must be > 0")
        if self.battery is not None:
            b = self.battery
            if not (
                0 <= b.min_capacity_kwh <= b.capacity_kwh and 0 <= b.min_power_rating_kw <= b.power_rating_kw
            ):
                raise ValueError("battery: need 0 <= min <= max for capacity and power")
            if not 0 < b.roundtrip_efficiency <= 100 or not 0 <= b.minimum_charge_level < 100:
                raise ValueError(
                    "battery: efficiency must be in (0, 100] and minimum charge level in [0, 100)"
                )


# --- Outputs --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PvArrayResult:
    """One PV array in the result: size [panels, kWp], yearly output [kWh/yr], specific yield
    [kWh/kWp/yr], capacity factor [%], CO2 avoided per year [kg/yr]."""

    name: str
    type: Literal["existing", "new"]
    panel_count: int
    panel_power_watts: float
    installed_kwp: float
    tilt_deg: float
    azimuth_deg: float
    losses_pct: float
    lifetime_years: int
    yearly_output_kwh: float
    specific_yield_kwh_per_kwp: float
    capacity_factor_pct: float
    co2_saved_kg: float
    investment_eur: float


@dataclass(frozen=True)
class BatteryResult:
    """The chosen battery: capacity [kWh], power [kW], efficiency/min charge [%], cost [EUR], equivalent
    full cycles [1/yr], state of health at the end of the analysis [%], replacements, annual savings
    over the PV-only design [EUR/yr, year 1], its own standby consumption [kWh/yr] and the round trip
    including it (energy out / (energy in + own use)) over the year [%]."""

    capacity_kwh: float
    power_kw: float
    roundtrip_efficiency_pct: float
    min_charge_level_pct: float
    purchase_cost_eur: float
    replacement_cost_eur: float
    replacement_years: tuple[int, ...]
    cycles_per_year: float
    state_of_health_end_pct: float
    annual_savings_eur: float
    grid_charging_enabled: bool
    was_requested: bool
    is_feasible: bool
    return_period_years: float | None
    brand_name: str | None = None
    model_name: str | None = None
    standby_kwh_per_year: float = 0.0
    effective_roundtrip_efficiency_pct: float | None = None


@dataclass(frozen=True)
class BillBreakdown:
    """One year's electricity bill [EUR/yr]: import energy, feed-in revenue (positive), feed-in costs,
    net-metering credit, capacity (demand) charge, fixed costs, total (= what the household pays), and the
    monthly energy/demand/fixed parts [EUR/month, 12 values]."""

    import_cost: float
    feed_in_revenue: float
    feed_in_cost: float
    net_metering_credit: float
    demand_cost: float
    fixed_cost: float
    total: float
    monthly_energy: tuple[float, ...]
    monthly_demand: tuple[float, ...]
    monthly_fixed: tuple[float, ...]


@dataclass(frozen=True)
class FinanceResult:
    """Cashflows over the analysis period [EUR] (index 0 = investment year, 1..N = operating years),
    NPV [EUR], simple payback (returnPeriod) [years, interpolated; None if never], break-even year (first
    year the cumulative cashflow is >= 0, as in the cashflow chart) and discounted break-even year (first
    year the discounted cumulative cashflow is >= 0) [year index; None if never], average annual
    return [% of investment/yr] and the lifecycle (discounted) totals [EUR]."""

    years: int
    yearly_cashflows: tuple[float, ...]
    cumulative_cashflows: tuple[float, ...]
    yearly_bills: tuple[float, ...]
    baseline_yearly_bills: tuple[float, ...]
    yearly_feed_in_revenue: tuple[float, ...]
    npv: float
    payback_years: float | None
    break_even_year: int | None
    discounted_break_even_year: int | None
    avg_annual_return_pct: float
    investment_eur: float
    pv_investment_eur: float
    battery_investment_eur: float
    replacement_cost_npv: float
    pv_om_npv: float
    battery_om_npv: float
    lifecycle_energy_bill: float
    lifecycle_feed_in_revenue: float
    lifecycle_total_cost: float
    baseline_lifecycle_cost: float
    year_one_bill: float
    year_one_feed_in_revenue: float
    year_one_maintenance: float
    year_one_savings: float
    baseline_year_one_bill: float
    battery_state_of_health_end: float
    battery_replacement_years: tuple[int, ...]


@dataclass(frozen=True)
class ScenarioResult:
    """A contract x battery combination for the chosen PV: year-one bill [EUR/yr], savings vs BAU on the
    same contract [EUR/yr], payback [years or None], NPV [EUR], investment [EUR] (0: nothing bought, so
    no payback applies)."""

    tariff_type: TariffType
    with_battery: bool
    yearly_cost_eur: float
    yearly_savings_eur: float
    payback_years: float | None
    npv_eur: float
    investment_eur: float = 0.0


@dataclass(frozen=True)
class PaybackCase:
    """One case of the payback range: price escalation [-/yr, 0.02 = 2 %/yr] and battery capacity fade
    [-/yr]."""

    price_escalation: float
    battery_fade_per_year: float


@dataclass(frozen=True)
class PaybackAssumptions:
    """The cases behind the payback range: low (optimistic), base (the scan's own), high (pessimistic)."""

    low: PaybackCase
    base: PaybackCase
    high: PaybackCase


@dataclass(frozen=True)
class PaybackRange:
    """Payback [years or None] under low/base/high assumptions, with the assumptions used."""

    low: float | None
    base: float | None
    high: float | None
    assumptions: PaybackAssumptions


@dataclass(frozen=True)
class Co2Equivalents:
    """Yearly CO2 savings expressed as trees [trees growing a year], car km [km/yr], flights [flights/yr]."""

    trees: float
    car_km: float
    flights: float


@dataclass(frozen=True, eq=False)
class Co2Summary:
    """CO2 figures of a scenario against its baseline.

    grid_carbon_intensity [kg CO2/kWh]; co2_from_grid_import_kg, co2_from_grid_import_baseline_kg,
    co2_avoided_by_export_kg, co2_saved_kg [kg CO2/yr]; co2_saved_total_kg [kg CO2 over the period];
    monthly_saved_kg [kg CO2 per month, 12 values]; equivalents of the yearly savings.
    """

    grid_carbon_intensity: float
    co2_from_grid_import_kg: float
    co2_from_grid_import_baseline_kg: float
    co2_avoided_by_export_kg: float
    co2_saved_kg: float
    co2_saved_total_kg: float
    monthly_saved_kg: np.ndarray
    equivalents: Co2Equivalents


@dataclass(frozen=True)
class ExistingPvCalibration:
    """The existing arrays scaled to a measured yearly production: measured_kwh and simulated_kwh [kWh/yr],
    raw_factor (measured / simulated; None when nothing was simulated) and factor (applied, within
    ``EXISTING_PV_SCALE_RANGE``) [-], warning (None, or why the factor was clipped or not applied)."""

    measured_kwh: float
    simulated_kwh: float
    raw_factor: float | None
    factor: float
    warning: str | None


@dataclass(frozen=True)
class BillFit:
    """Gross load of a home with existing PV reconstructed from its bill (``load.reconstruct_gross_load``):
    the bill's import and export [kWh/yr], the baseline's import and export that the fit reproduces
    [kWh/yr, rounded to 0.1], the factor on the existing PV's simulated yield [-, rounded to 4 digits] and
    its allowed range, and a warning when the bill could not be reproduced within it (else None)."""

    method: ClassVar[str] = "bill fit"

    bill_import_kwh: float
    bill_export_kwh: float
    baseline_import_kwh: float
    baseline_export_kwh: float
    existing_pv_bill_factor: float
    existing_pv_bill_factor_range: tuple[float, float]
    bill_reconstruction_warning: str | None


@dataclass(frozen=True)
class StudioReconstruction:
    """Gross load of a studio profile with a solar layer (``apps.engine.reconstruction``): the existing
    production used [kWh/yr, rounded to 0.1]; with a measured meter its import and export [kWh/yr, rounded
    to 0.1], else None."""

    method: ClassVar[str] = "studio reconstruction"

    existing_production_kwh: float
    meter_import_kwh: float | None = None
    meter_export_kwh: float | None = None


@dataclass(frozen=True)
class Assumptions:
    """Every rate, price and factor a result depends on (for the report and for reproducing it).

    Units: rates and fractions per year as fractions [-/yr] (discount_rate 0.05); money [EUR], prices
    [EUR/kWh], capacity tariff [EUR/kW/yr incl. VAT], powers [kW] and [W] (battery_standby_w), energy
    [kWh]; years are calendar years; CO2 factors [kg CO2/kWh], [kg CO2/yr per tree], [kg CO2/km],
    [kg CO2 per flight]. ``energy_tax_eur_per_kwh_by_year`` is keyed by the year as text (None outside NL);
    ``capacity_tariff_floor_kw`` None without a capacity tariff; the ``day_ahead_*`` fields None for a
    flat contract. ``gross_load``: how the gross consumption of a home with existing PV was
    reconstructed (None without one); ``meter_within_hour_import_export_kwh`` [kWh/yr, rounded to 0.1]:
    import and export within the same hour of a measured meter, netted by the hourly model (None without
    a measured meter).
    """

    engine_version: str
    first_operating_year: int
    analysis_years: int
    discount_rate: float
    price_escalation: float
    om_escalation: float
    pv_degradation_per_year: float
    pv_om_eur_per_kw_year: float
    battery_om_fraction_per_year: float
    battery_life_years: float
    battery_capacity_fade_per_year: float
    battery_replacement_cost_fraction: float
    battery_cost_eur_per_kw: float
    pv_fixed_cost_eur: float
    battery_fixed_cost_eur: float
    battery_max_c_rate: float
    battery_standby_w: float | None
    tariff_type: TariffType
    country: Country
    taxes_included: bool
    energy_tax_eur_per_kwh: float
    energy_tax_eur_per_kwh_by_year: dict[str, float] | None
    vat: float
    import_price_year_one_mean_eur_per_kwh: float
    export_price_year_one_mean_eur_per_kwh: float
    bare_supply_price_eur_per_kwh: float
    feed_in_cost_eur_per_kwh: float
    feed_in_cost_is_default: bool
    fixed_monthly_eur: float
    net_metering_years: tuple[int, ...]
    net_metering_last_year_by_law: int
    feed_in_floor_fraction: float
    feed_in_floor_years: tuple[int, ...]
    capacity_tariff_eur_per_kw_year_incl_vat: float
    capacity_tariff_floor_kw: float | None
    dynamic_supplier_markup_eur_per_kwh: float
    dynamic_feed_in_fee_eur_per_kwh: float
    day_ahead_source: str | None
    day_ahead_price_year: int | None
    day_ahead_mean_eur_per_kwh: float | None
    built_in_price_years: tuple[int, ...]
    weather_source: str
    weather_year: int | None
    weather_spread_years: tuple[int, ...]
    comparison_fixed_price_source: Literal["scan", "default"]
    comparison_fixed_price_eur_per_kwh: float
    comparison_fixed_feed_in_eur_per_kwh: float
    pv_lifetime_years: int
    payback_range_escalation_low_high: tuple[float, float]
    payback_range_battery_fade_low_high: tuple[float, float]
    grid_carbon_intensity_kg_per_kwh: float
    tree_kg_co2_per_year: float
    car_kg_co2_per_km: float
    flight_kg_co2: float
    self_sufficiency_tolerance: float
    battery_capacity_step_kwh: float
    gross_load: BillFit | StudioReconstruction | None = None
    meter_within_hour_import_export_kwh: float | None = None


@dataclass(frozen=True)
class YearFigures:
    """The chosen design's key figures on one measured year (the design is not re-sized; only the flows
    and bills are re-evaluated): weather_year and price_year [calendar years; price_year None when the
    contract's prices do not come from a built-in year], ghi_kwh_m2 [kWh/m2/yr at the location],
    pv_output_kwh [kWh/yr], yearly_savings_eur [EUR/yr, year one], payback_years [years or None],
    self_sufficiency [-]."""

    weather_year: int
    price_year: int | None
    ghi_kwh_m2: float
    pv_output_kwh: float
    yearly_savings_eur: float
    payback_years: float | None
    self_sufficiency: float


@dataclass(frozen=True)
class BatteryYearValue:
    """What the battery adds on a dynamic contract in one measured price year [EUR/yr, year one]:
    savings of PV + battery and of PV alone against the household as it is, and their difference;
    weather_year is the weather used with it (the same calendar year where measured)."""

    price_year: int
    weather_year: int | None
    savings_pv_only_eur: float
    savings_with_battery_eur: float
    battery_value_eur: float


@dataclass(frozen=True, eq=False)
class HourlySeries:
    """The report's hourly series [kWh per hour, 8760 each]; battery_level is the state of charge at the
    end of each hour [kWh]; import/export prices [EUR/kWh, year 1]."""

    consumption: np.ndarray
    solar_production: np.ndarray
    solar_used_onsite: np.ndarray
    solar_exported: np.ndarray
    solar_stored: np.ndarray
    solar_wasted: np.ndarray
    grid_used_onsite: np.ndarray
    grid_stored: np.ndarray
    baseline_grid_consumption: np.ndarray
    battery_used_onsite: np.ndarray
    battery_level: np.ndarray
    import_price: np.ndarray
    export_price: np.ndarray


@dataclass(frozen=True, eq=False)
class ScanResult:
    """Everything the FullReportDto needs, typed (units on each dataclass; the report's camelCase names
    are the scans app's business, ``apps.scans.report``). When ``status == "infeasible"`` only status,
    reason, inputs echo and assumptions are meaningful; the rest is None."""

    status: Status
    reason: str | None
    engine_version: str
    weather_source: str | None
    goal: Goal
    tariff_type: TariffType
    yearly_usage_kwh: float = 0.0
    existing_pv: tuple[PvArrayResult, ...] = ()
    new_pv: tuple[PvArrayResult, ...] = ()
    battery: BatteryResult | None = None
    battery_requested: bool = False
    total_pv_kwp: float = 0.0
    total_pv_output_kwh: float = 0.0
    peak_pv_output_kw: float = 0.0
    grid_import_kwh: float = 0.0
    grid_import_kwh_bau: float = 0.0
    grid_export_kwh: float = 0.0
    grid_export_kwh_bau: float = 0.0
    peak_grid_demand_kw: float = 0.0
    peak_grid_demand_kw_bau: float = 0.0
    solar_used_onsite_kwh: float = 0.0
    self_sufficiency: float = 0.0
    self_sufficiency_bau: float = 0.0
    self_consumption: float = 0.0
    bill: BillBreakdown | None = None
    bill_bau: BillBreakdown | None = None
    finance: FinanceResult | None = None
    scenarios: tuple[ScenarioResult, ...] = ()
    payback_range: PaybackRange | None = None
    co2: Co2Summary | None = None
    series: HourlySeries | None = None
    monthly_co2_savings_kg: tuple[float, ...] = ()
    assumptions: Assumptions | None = None
    sizing_method: str = ""
    # When a measured yearly production was given: how the existing arrays were scaled to it.
    existing_pv_calibration: ExistingPvCalibration | None = None
    # Measured years: the scan's own weather and price year, the key figures on each measured weather
    # year, and the battery's value on a dynamic contract in each measured price year.
    weather_year: int | None = None
    price_year: int | None = None
    weather_year_figures: tuple[YearFigures, ...] = ()
    battery_value_by_price_year: tuple[BatteryYearValue, ...] = ()
