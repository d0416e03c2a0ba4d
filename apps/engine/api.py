"""The engine's single entry point: ``run_scan(inputs, weather_provider=None) -> ScanResult``.

The result is typed: frozen dataclasses of ``apps.engine.types`` with their units in their docstrings
(``ScanResult``, ``Assumptions``, ``Co2Summary``, ...), never dicts keyed by API field names; the scans
app maps them to the report's names (``apps.scans.report``).

weather → PV per array → load → sizing → BAU → finance → scenarios → CO2 → hourly series. Pure: the
same inputs (and weather) give the same result; nothing here touches Django, the network (unless the
given provider does) or the clock. A goal that cannot be met returns ``status="infeasible"`` with a
reason; bad inputs raise ``ValueError`` (the API layer validates them first).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from apps.engine import defaults as d
from apps.engine.assumptions import scan_assumptions
from apps.engine.battery import deliverable_power_kw, effective_roundtrip_pct, standby_kwh_per_hour
from apps.engine.battery_lp import forget_solutions
from apps.engine.co2 import co2_summary
from apps.engine.finance import CostParams
from apps.engine.load import load_profile, reconstruct_gross_load, validate_profile
from apps.engine.pv import kwh_per_kwp, pv_stats
from apps.engine.reconstruction import reorder_days
from apps.engine.reference_data import latest_price_year, weather_years
from apps.engine.scenarios import battery_finance, build_case, case_finance, contract_scenarios, payback_range
from apps.engine.sizing import Design, SizingProblem, size_system
from apps.engine.spread import MeasuredYears, battery_value_by_price_year, weather_year_figures
from apps.engine.tariffs import bill, levelise, tariffs_by_year
from apps.engine.types import (
    BatteryInput,
    BatteryResult,
    BillFit,
    ExistingPvCalibration,
    HourlySeries,
    KnownConsumption,
    PvArrayResult,
    ScanInputs,
    ScanResult,
    StudioConsumption,
    StudioReconstruction,
    TariffInput,
)
from apps.engine.weather import OfflineWeather, Weather, WeatherProvider


def _gross_load(
    inputs: ScanInputs, existing_pv: np.ndarray, calendar_year: int | None = None
) -> tuple[np.ndarray, np.ndarray, BillFit | StudioReconstruction | None]:
    """(hourly gross consumption, hourly existing PV production [kWh per hour], how it was reconstructed).

    ``calendar_year``: the year whose weekdays and public holidays (of the tariff's country) the household
    profile follows (the scan's weather year; None: the reference year).
    known: the household profile scaled to ``yearly_kwh``; with existing PV and a yearly export, the
    bill's import and export are reproduced by a household-shaped load and the existing PV's yield fitted
    to the bill (``load.reconstruct_gross_load``). With existing PV but no export figure, ``yearly_kwh``
    is taken as the gross consumption.
    studio: the profile's gross consumption as given; its solar layer (the existing installation) is the
    existing production (``apps.engine.reconstruction`` made them consistent with the measured meter).
    """
    c = inputs.consumption
    if isinstance(c, KnownConsumption):
        if inputs.existing_pv and c.yearly_export_kwh is not None:
            fit = reconstruct_gross_load(
                c.yearly_kwh,
                c.yearly_export_kwh,
                existing_pv,
                fit_pv=inputs.existing_pv_measured_yearly_kwh is None,
                year=calendar_year,
                country=inputs.tariff.country,
            )
            notes = BillFit(
                bill_import_kwh=c.yearly_kwh,
                bill_export_kwh=c.yearly_export_kwh,
                baseline_import_kwh=round(fit.import_kwh, 1),
                baseline_export_kwh=round(fit.export_kwh, 1),
                existing_pv_bill_factor=round(fit.pv_factor, 4),
                existing_pv_bill_factor_range=d.EXISTING_PV_SCALE_RANGE,
                bill_reconstruction_warning=fit.warning,
            )
            return fit.gross, existing_pv * fit.pv_factor, notes
        load = load_profile(c.yearly_kwh, c.load_profile, year=calendar_year, country=inputs.tariff.country)
        return load, existing_pv, None
    if isinstance(c, StudioConsumption):
        gross = validate_profile(c.hourly_kwh, "studio profile")
        if c.hourly_existing_pv_kwh is not None:
            production = validate_profile(c.hourly_existing_pv_kwh, "studio existing production")
            metered = c.hourly_import_kwh is not None and c.hourly_export_kwh is not None
            notes = StudioReconstruction(
                existing_production_kwh=round(float(production.sum()), 1),
                meter_import_kwh=round(float(np.sum(c.hourly_import_kwh)), 1) if metered else None,
                meter_export_kwh=round(float(np.sum(c.hourly_export_kwh)), 1) if metered else None,
            )
            return gross, production, notes
        if c.hourly_export_kwh is not None:
            raise ValueError("a studio profile with grid export needs its existing production (solar layer)")
        return gross, existing_pv, None
    raise ValueError("consumption must be KnownConsumption or StudioConsumption")


def _measured_flows(inputs: ScanInputs) -> tuple[np.ndarray, np.ndarray] | None:
    """A studio profile's measured (import, export) [kWh per hour], when it has them."""
    c = inputs.consumption
    if (
        isinstance(c, StudioConsumption)
        and c.hourly_import_kwh is not None
        and c.hourly_export_kwh is not None
    ):
        return validate_profile(c.hourly_import_kwh, "studio import"), validate_profile(
            c.hourly_export_kwh, "studio export"
        )
    return None


def _buyable_battery(battery: BatteryInput | None) -> BatteryInput | None:
    """The battery range the sizing may choose from: only capacities that can deliver the minimum power
    asked for at the highest realistic C-rate (``BATTERY_MAX_C_RATE``), so min capacity >= min power / C."""
    if battery is None or battery.min_power_rating_kw <= 0:
        return battery
    needed = battery.min_power_rating_kw / d.BATTERY_MAX_C_RATE
    return replace(battery, min_capacity_kwh=min(max(battery.min_capacity_kwh, needed), battery.capacity_kwh))


def _cost_params(inputs: ScanInputs) -> CostParams:
    b = inputs.battery
    return CostParams(
        years=inputs.analysis_years,
        discount_rate=inputs.discount_rate,
        price_escalation=inputs.price_escalation,
        pv_om_eur_per_kw_year=d.PV_OM_EUR_PER_KW_YEAR if inputs.include_pv_maintenance_costs else 0.0,
        battery_om_fraction=d.BATTERY_OM_FRACTION_PER_YEAR
        if inputs.include_battery_maintenance_costs
        else 0.0,
        battery_life_years=b.life_years if b is not None else d.DEFAULT_BATTERY_LIFE_YEARS,
        pv_fixed_eur=inputs.pv_fixed_cost_eur,
        battery_fixed_eur=b.fixed_cost_eur if b is not None else d.BATTERY_INSTALLATION_FIXED_EUR,
    )


def calibrate_existing_pv(
    series: list[np.ndarray], measured_kwh: float | None
) -> tuple[list[np.ndarray], ExistingPvCalibration | None]:
    """Scale the existing arrays' simulated hourly production [kWh per hour] by one factor so that their
    yearly total equals a measured yearly production [kWh/yr].

    factor = measured / simulated, clipped to ``EXISTING_PV_SCALE_RANGE`` (with a warning when clipped);
    the hourly shape of each array is kept. Returns the (scaled) series and what was done, or None when
    nothing was measured.
    """
    if measured_kwh is None:
        return series, None
    simulated = float(sum(s.sum() for s in series))
    if simulated <= 0:
        warning = "no existing PV production simulated: the measured production is not used"
        return series, ExistingPvCalibration(float(measured_kwh), simulated, None, 1.0, warning)
    lo, hi = d.EXISTING_PV_SCALE_RANGE
    raw = float(measured_kwh) / simulated
    factor = min(max(raw, lo), hi)
    warning = (
        None
        if factor == raw
        else f"measured/simulated = {raw:.2f} is outside {lo}-{hi}: clipped to {factor}; check the existing PV"
    )
    return [s * factor for s in series], ExistingPvCalibration(
        float(measured_kwh), simulated, raw, factor, warning
    )


def _rescaled(series: list[np.ndarray], simulated: np.ndarray, used: np.ndarray) -> list[np.ndarray]:
    """The existing arrays' series scaled by one factor so that they add up to the production the scan
    uses (fitted to a bill, or a studio solar layer's) — for the per-array figures of the report."""
    total = float(simulated.sum())
    if not series or total <= 0:
        return series
    factor = float(used.sum()) / total
    return [s * factor for s in series]


def scan_price_year(tariff: TariffInput) -> int | None:
    """The day-ahead year a contract is billed on: its ``price_year`` (built-in, or the label of supplied
    prices of a stored year) or the country's latest built-in one; None for a flat contract or supplied
    prices without a year."""
    if tariff.type != "dynamic":
        return None
    if tariff.day_ahead_eur_per_kwh is not None or tariff.price_year is not None:
        return tariff.price_year
    return latest_price_year(tariff.country)


def scan_weather_year(price_year: int | None) -> int:
    """The measured weather year of an offline scan: the price year's own where measured, so that sun and
    prices keep their hour-by-hour correlation, else ``DEFAULT_WEATHER_YEAR``."""
    return price_year if price_year in weather_years() else d.DEFAULT_WEATHER_YEAR


def _site_series(
    inputs: ScanInputs, weather: Weather, factor: float | None = None
) -> tuple[
    list[np.ndarray],
    ExistingPvCalibration | None,
    np.ndarray,
    np.ndarray,
    np.ndarray,
    BillFit | StudioReconstruction | None,
]:
    """PV and load of the household under one weather year: (existing PV per array, calibration, existing PV
    total, new-PV yield per array [kWh/kWp per hour], gross load [kWh per hour], reconstruction notes). ``factor``: apply this
    existing-PV calibration factor instead of deriving it (the other measured years reuse the scan's)."""
    existing_series = [
        kwh_per_kwp(weather, a.tilt_angle, a.orientation_angle, a.system_losses) * a.kwp
        for a in inputs.existing_pv
    ]
    if factor is None:
        existing_series, calibration = calibrate_existing_pv(
            existing_series, inputs.existing_pv_measured_yearly_kwh
        )
    else:
        existing_series, calibration = [s * factor for s in existing_series], None
    existing_pv = np.sum(existing_series, axis=0) if existing_series else np.zeros(8760)
    # The load's calendar is the weather year's (a typical PVGIS year has none: the reference year).
    load, gross_existing_pv, reconstruction_notes = _gross_load(inputs, existing_pv, weather.year)
    existing_series = _rescaled(existing_series, existing_pv, gross_existing_pv)
    existing_pv = gross_existing_pv
    new_yield = (
        np.array(
            [kwh_per_kwp(weather, a.tilt_angle, a.orientation_angle, a.system_losses) for a in inputs.new_pv]
        )
        if inputs.new_pv
        else np.zeros((0, 8760))
    )
    order = getattr(inputs.consumption, "day_order", None)  # a studio reconstruction's re-ranked days
    if order is not None and new_yield.shape[0]:
        new_yield = reorder_days(new_yield, np.asarray(order, dtype=int))
    return existing_series, calibration, existing_pv, new_yield, load, reconstruction_notes


def run_scan(inputs: ScanInputs, weather_provider: WeatherProvider | None = None) -> ScanResult:
    """Size, simulate and cost one household's PV + battery (see the module docstring)."""
    forget_solutions()
    price_year = scan_price_year(inputs.tariff)
    provider = weather_provider or OfflineWeather()
    if isinstance(provider, OfflineWeather) and provider.requested_year is None:
        provider = OfflineWeather(scan_weather_year(price_year))  # sun and prices of the same year
    weather = provider.get(inputs.location.lat, inputs.location.lon)
    params = _cost_params(inputs)

    # PV per array and gross load [kWh per hour].
    existing_series, calibration, existing_pv, new_yield, load, reconstruction_notes = _site_series(
        inputs, weather
    )

    lev = levelise(
        inputs.tariff,
        inputs.first_operating_year,
        params.years,
        params.discount_rate,
        params.price_escalation,
    )
    # Within-hour import and export of a measured meter (both in one hour) are netted by the hourly model;
    # they are added back on both sides of every bill, so the baseline bills the measured flows and the
    # savings are those of the model (conservative for a battery, which could shift part of them).
    measured = _measured_flows(inputs)
    within_hour = np.minimum(*measured) if measured is not None else np.zeros(load.shape[0])
    problem = SizingProblem(
        load=load,
        existing_pv=existing_pv,
        new_pv_yield=new_yield,
        panel_kwp=np.array([a.panel_power_watts / 1000.0 for a in inputs.new_pv]),
        min_panels=np.array([a.min_panel_count for a in inputs.new_pv], dtype=float),
        max_panels=np.array([a.max_panel_count for a in inputs.new_pv], dtype=float),
        pv_cost_per_kwp=np.array([a.cost_per_kwp for a in inputs.new_pv], dtype=float),
        battery=_buyable_battery(inputs.battery),
        tariff=lev,
        cost=params,
        goal=inputs.goal,
        min_fraction=inputs.renewable_electricity_min_fraction,
        within_hour_kwh=within_hour if measured is not None else None,
    )
    yearly = tariffs_by_year(inputs.tariff, inputs.first_operating_year, params.years)
    assumptions = replace(
        scan_assumptions(inputs, params, yearly, weather, price_year),
        gross_load=reconstruction_notes,
        meter_within_hour_import_export_kwh=round(float(within_hour.sum()), 1)
        if measured is not None
        else None,
    )
    outcome = size_system(problem)
    if outcome.status != "optimal" or outcome.best is None:
        return ScanResult(
            status="infeasible",
            reason=outcome.reason,
            engine_version=d.ENGINE_VERSION,
            weather_source=weather.source,
            goal=inputs.goal,
            tariff_type=inputs.tariff.type,
            yearly_usage_kwh=float(load.sum()),
            battery_requested=inputs.battery is not None,
            assumptions=assumptions,
            sizing_method=outcome.dispatch,
            existing_pv_calibration=calibration,
            weather_year=weather.year,
            price_year=price_year,
        )

    design = outcome.best.design
    case = build_case(problem, design, inputs.tariff, inputs.first_operating_year)
    fin = case_finance(case)
    flows, bau = case.full, case.bau
    year_one = yearly[0]
    design_bill = bill(flows.grid_import + within_hour, flows.grid_export + within_hour, year_one)
    bau_bill = bill(bau.grid_import + within_hour, bau.grid_export + within_hour, year_one)
    within_hour_kwh = float(within_hour.sum())

    # Scenarios: the "with battery" option is the chosen battery, or the smallest allowed one.
    battery_design = None
    if design.capacity_kwh > 0:
        battery_design = design
    elif problem.battery_allowed and inputs.battery is not None:
        cap = max(problem.battery.min_capacity_kwh, d.BATTERY_CAPACITY_STEP_KWH)
        battery_design = Design(design.panels, cap, inputs.battery.power_rating_kw)
    scenarios = contract_scenarios(
        problem, design, inputs.tariff, inputs.first_operating_year, battery_design, main_case=case
    )
    prange = payback_range(case)

    # The same design on every measured weather year, and the battery on every measured price year.
    factor = calibration.factor if calibration else None
    measured_years = MeasuredYears(
        problem, lambda w: _site_series(inputs, w, factor)[2:5], inputs.location.lat, inputs.location.lon
    )
    own = (weather.year, case) if weather.source == "offline" else None
    year_figures = weather_year_figures(
        measured_years, design, inputs.tariff, inputs.first_operating_year, price_year, own
    )
    battery_by_price_year = (
        battery_value_by_price_year(
            measured_years,
            problem,
            design,
            battery_design,
            inputs.tariff,
            inputs.first_operating_year,
            measured_weather=weather.source == "offline",
            default_weather_year=weather.year,
            own=(price_year, weather.year, case) if inputs.tariff.type == "dynamic" else None,
        )
        if battery_design is not None
        else ()
    )

    # CO2 and the arrays.
    co2 = co2_summary(
        flows.grid_import,
        bau.grid_import,
        grid_export_kwh=flows.grid_export,
        years=params.years,
        degradation_per_year=params.pv_degradation,
    )
    new_total = (
        float(sum(np.asarray(design.panels) * problem.panel_kwp @ new_yield)) if inputs.new_pv else 0.0
    )
    existing_total = float(existing_pv.sum())
    bau_saved = (float(load.sum()) - float(bau.grid_used_onsite.sum())) * co2.grid_carbon_intensity
    existing_results = []
    for a, series in zip(inputs.existing_pv, existing_series, strict=True):
        st = pv_stats(series, a.kwp)
        existing_results.append(
            PvArrayResult(
                name=a.name,
                type="existing",
                panel_count=a.panel_count,
                panel_power_watts=a.panel_power_watts,
                installed_kwp=a.kwp,
                tilt_deg=a.tilt_angle,
                azimuth_deg=a.orientation_angle,
                losses_pct=a.system_losses,
                lifetime_years=d.PV_LIFETIME_YEARS,
                yearly_output_kwh=st.yearly_kwh,
                specific_yield_kwh_per_kwp=st.specific_yield_kwh_per_kwp,
                capacity_factor_pct=st.capacity_factor_pct,
                co2_saved_kg=bau_saved * st.yearly_kwh / existing_total if existing_total > 0 else 0.0,
                investment_eur=0.0,
            )
        )
    new_results = []
    # The fixed PV installation cost is shared over the new arrays by kWp, so the arrays add up to the total.
    new_kwp = float(np.asarray(design.panels, dtype=float) @ problem.panel_kwp) if inputs.new_pv else 0.0
    for i, a in enumerate(inputs.new_pv):
        count = design.panels[i]
        kwp = count * a.panel_power_watts / 1000.0
        series = new_yield[i] * kwp
        st = pv_stats(series, kwp)
        new_results.append(
            PvArrayResult(
                name=a.name,
                type="new",
                panel_count=count,
                panel_power_watts=a.panel_power_watts,
                installed_kwp=kwp,
                tilt_deg=a.tilt_angle,
                azimuth_deg=a.orientation_angle,
                losses_pct=a.system_losses,
                lifetime_years=d.PV_LIFETIME_YEARS,
                yearly_output_kwh=st.yearly_kwh,
                specific_yield_kwh_per_kwp=st.specific_yield_kwh_per_kwp,
                capacity_factor_pct=st.capacity_factor_pct,
                co2_saved_kg=co2.co2_saved_kg * st.yearly_kwh / new_total if new_total > 0 else 0.0,
                investment_eur=kwp * a.cost_per_kwp
                + (params.pv_fixed_eur * kwp / new_kwp if new_kwp > 0 else 0.0),
            )
        )

    battery_result = None
    if design.capacity_kwh > 0 and inputs.battery is not None:
        b = inputs.battery
        bfin = battery_finance(case)
        usable = design.capacity_kwh * (1 - b.minimum_charge_level / 100.0)
        purchase = fin.battery_investment_eur
        battery_result = BatteryResult(
            capacity_kwh=design.capacity_kwh,
            power_kw=float(deliverable_power_kw(design.power_kw, design.capacity_kwh)),
            roundtrip_efficiency_pct=b.roundtrip_efficiency,
            min_charge_level_pct=b.minimum_charge_level,
            purchase_cost_eur=purchase,
            replacement_cost_eur=purchase
            * params.battery_replacement_fraction
            * len(fin.battery_replacement_years),
            replacement_years=fin.battery_replacement_years,
            cycles_per_year=float(flows.battery_used_onsite.sum()) / usable if usable > 0 else 0.0,
            state_of_health_end_pct=100.0 * fin.battery_state_of_health_end,
            annual_savings_eur=(bfin.year_one_savings if bfin else 0.0),
            grid_charging_enabled=b.grid_charging,
            was_requested=True,
            is_feasible=True,
            return_period_years=bfin.payback_years if bfin else None,
            brand_name=b.brand_name,
            model_name=b.model_name,
            standby_kwh_per_year=standby_kwh_per_hour(b) * float(load.shape[0]),
            effective_roundtrip_efficiency_pct=effective_roundtrip_pct(
                float(flows.battery_used_onsite.sum()),
                float(flows.solar_stored.sum() + flows.grid_stored.sum()),
                standby_kwh_per_hour(b) * float(load.shape[0]),
            ),
        )

    total_load = float(load.sum())
    pv_total = float(flows.pv.sum())
    used = float(flows.solar_used_onsite.sum() + flows.solar_stored.sum())
    series = HourlySeries(
        consumption=flows.load,
        solar_production=flows.pv,
        solar_used_onsite=flows.solar_used_onsite,
        solar_exported=flows.solar_exported,
        solar_stored=flows.solar_stored,
        solar_wasted=flows.solar_wasted,
        grid_used_onsite=flows.grid_used_onsite,
        grid_stored=flows.grid_stored,
        baseline_grid_consumption=bau.grid_import,
        battery_used_onsite=flows.battery_used_onsite,
        battery_level=flows.battery_level,
        import_price=year_one.import_price,
        export_price=year_one.export_price,
    )
    return ScanResult(
        status="optimal",
        reason=None,
        engine_version=d.ENGINE_VERSION,
        weather_source=weather.source,
        goal=inputs.goal,
        tariff_type=inputs.tariff.type,
        yearly_usage_kwh=total_load,
        existing_pv=tuple(existing_results),
        new_pv=tuple(new_results),
        battery=battery_result,
        battery_requested=inputs.battery is not None,
        total_pv_kwp=float(
            sum(a.kwp for a in inputs.existing_pv) + sum(r.installed_kwp for r in new_results)
        ),
        total_pv_output_kwh=pv_total,
        peak_pv_output_kw=float(flows.pv.max()),
        grid_import_kwh=float(flows.grid_import.sum()) + within_hour_kwh,
        grid_import_kwh_bau=float(bau.grid_import.sum()) + within_hour_kwh,
        grid_export_kwh=float(flows.grid_export.sum()) + within_hour_kwh,
        grid_export_kwh_bau=float(bau.grid_export.sum()) + within_hour_kwh,
        peak_grid_demand_kw=float(flows.grid_import.max()),
        peak_grid_demand_kw_bau=float(bau.grid_import.max()),
        solar_used_onsite_kwh=float(flows.solar_used_onsite.sum()),
        self_sufficiency=flows.self_sufficiency - within_hour_kwh / total_load if total_load > 0 else 0.0,
        self_sufficiency_bau=bau.self_sufficiency - within_hour_kwh / total_load if total_load > 0 else 0.0,
        self_consumption=used / pv_total if pv_total > 0 else 0.0,
        bill=design_bill,
        bill_bau=bau_bill,
        finance=fin,
        scenarios=scenarios,
        payback_range=prange,
        co2=co2,
        series=series,
        monthly_co2_savings_kg=tuple(float(x) for x in co2.monthly_saved_kg),
        assumptions=assumptions,
        sizing_method=outcome.dispatch,
        existing_pv_calibration=calibration,
        weather_year=weather.year,
        price_year=price_year,
        weather_year_figures=year_figures,
        battery_value_by_price_year=battery_by_price_year,
    )
