"""Report assembly, the one mapper from the engine's typed results to the report's names: an engine
`ScanResult` (frozen dataclasses) → the seed's FullReportDto (snake_case here, camelCase on the wire) plus
the `accuracy`, `scenarios`, `paybackRange` and `assumptions` blocks, the hourly series and the small
monthly/yearly chart arrays. Its blocks for a home with panels (`existing_household`), a measured
production (`measured`) and the measured years (`year_spread`) read the same typed result. Pure
functions: no database.

Units follow the seed: `overview.kpi.selfSufficiency` is a fraction (0.68); the `selfConsumption`,
`solar.directConsumption/toGrid` and `sustainability` shares are percentages (68); money in EUR; energy in
kWh; `losses` a fraction (0.14); `parameters.discountRate` a percentage.
"""

from __future__ import annotations

import math
from dataclasses import fields, is_dataclass
from typing import Any

import numpy as np

from apps.common.casing import to_camel
from apps.engine.types import Assumptions, BillFit, PvArrayResult, ScanResult, StudioReconstruction
from apps.scans import capacity_peak, existing_household
from apps.scans import measured as measured_production
from apps.scans.series import HOURLY_SERIES
from apps.scans.year_spread import year_spread

COMPASS = ("north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west")


def _r(value: float | None, digits: int = 2) -> float | None:
    """Round for JSON; None and non-finite values (e.g. a payback that never happens) become None."""
    if value is None:
        return None
    value = float(value)
    if not math.isfinite(value):
        return None
    return round(value, digits)


def _pct(fraction: float | None, digits: int = 1) -> float | None:
    return None if fraction is None else _r(100.0 * fraction, digits)


def _share(part: float, whole: float) -> float:
    return part / whole if whole > 0 else 0.0


def roof_direction(azimuth_deg: float) -> str:
    """Compass direction of a roof face from its azimuth [deg, 0 = north, 180 = south]."""
    return COMPASS[int(((azimuth_deg % 360) + 22.5) // 45) % 8]


def _plain(value: Any) -> Any:
    """numpy values, tuples and non-finite floats → JSON-safe Python."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return _plain(value.item())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _camel_fields(value: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """An engine dataclass → {camelCase field name: JSON-safe value}, nested dataclasses likewise, in field
    order (the report's blocks that echo the engine's own names: assumptions, payback-range cases)."""
    return {
        to_camel(f.name): _camel_fields(v) if is_dataclass(v) else _plain(v)
        for f in fields(value)
        if f.name not in skip
        for v in (getattr(value, f.name),)
    }


def engine_assumptions(assumptions: Assumptions) -> dict[str, Any]:
    """The engine's assumptions under the report's names: every field camelCased, then how a home's gross
    load was reconstructed (``grossLoadMethod`` and its figures) and the meter's within-hour flows."""
    out = _camel_fields(assumptions, skip=("gross_load", "meter_within_hour_import_export_kwh"))
    gross = assumptions.gross_load
    if isinstance(gross, BillFit):
        out.update({"grossLoadMethod": gross.method, **_camel_fields(gross)})
    elif isinstance(gross, StudioReconstruction):
        out.update(
            {
                "existingPvSource": "studio profile",
                "grossLoadMethod": gross.method,
                **_camel_fields(gross, skip=("meter_import_kwh", "meter_export_kwh")),
            }
        )
        if gross.meter_import_kwh is not None:
            out.update({"meterImportKwh": gross.meter_import_kwh, "meterExportKwh": gross.meter_export_kwh})
    if assumptions.meter_within_hour_import_export_kwh is not None:
        out["meterWithinHourImportExportKwh"] = assumptions.meter_within_hour_import_export_kwh
    return out


def _co2(result: ScanResult) -> dict[str, Any]:
    """The engine's CO2 figures under the short names the report blocks below use."""
    co2 = result.co2
    return {
        "intensity": co2.grid_carbon_intensity,
        "import_kg": co2.co2_from_grid_import_kg,
        "avoided_by_export_kg": co2.co2_avoided_by_export_kg,
        "saved_kg": co2.co2_saved_kg,
        "saved_total_kg": co2.co2_saved_total_kg,
        "trees": co2.equivalents.trees,
        "car_km": co2.equivalents.car_km,
        "flights": co2.equivalents.flights,
    }


def _pv_system(array: PvArrayResult) -> dict:
    return {
        "name": array.name,
        "type": array.type,
        "roof_direction": roof_direction(array.azimuth_deg),
        "installed_capacity_kwp": _r(array.installed_kwp, 3),
        "panel_count": array.panel_count,
        "panel_power_rated_watts": _r(array.panel_power_watts, 1),
        "tilt_deg": _r(array.tilt_deg, 1),
        "azimuth_deg": _r(array.azimuth_deg, 1),
        "losses": _r(array.losses_pct / 100.0, 4),
        "lifetime_years": array.lifetime_years,
        "yearly_output_kwh": _r(array.yearly_output_kwh, 1),
        "capacity_factor": _r(array.capacity_factor_pct, 2),
        "specific_yield_kwh_per_kwp": _r(array.specific_yield_kwh_per_kwp, 1),
        "co2_saved_kg": _r(array.co2_saved_kg, 1),
        "investment": _r(array.investment_eur, 2),
    }


def _battery(result: ScanResult) -> dict | None:
    battery = result.battery
    if battery is None:
        if not result.battery_requested:
            return None
        return {
            "specs": None,
            "performance": None,
            "costs": None,
            "is_feasible": False,
            "was_requested": True,
        }
    return {
        "specs": {
            "power_kw": _r(battery.power_kw, 2),
            "capacity_kwh": _r(battery.capacity_kwh, 2),
            "roundtrip_efficiency": _r(battery.roundtrip_efficiency_pct, 1),
            "min_charge_level": _r(battery.min_charge_level_pct, 1),
            "brand_name": battery.brand_name,
            "model_name": battery.model_name,
        },
        "performance": {
            "annual_savings": _r(battery.annual_savings_eur),
            "cycles_per_year": _r(battery.cycles_per_year, 1),
            "state_of_health": _r(battery.state_of_health_end_pct, 1),
            "standby_kwh_per_year": _r(battery.standby_kwh_per_year, 1),
            "effective_roundtrip_efficiency": _r(battery.effective_roundtrip_efficiency_pct, 1),
            "grid_charging_enabled": battery.grid_charging_enabled,
        },
        "costs": {
            "purchase_cost": _r(battery.purchase_cost_eur),
            "replacement_cost": _r(battery.replacement_cost_eur),
            "replacement_years": list(battery.replacement_years),
            "system_return_period": _r(battery.return_period_years, 1),
        },
        "is_feasible": battery.is_feasible,
        "was_requested": battery.was_requested,
    }


def accuracy(inputs: dict, result: ScanResult) -> dict:
    """How far to trust the figures, from what was measured versus assumed (see the seed's Accuracy page):
    measured hourly consumption beats a scaled standard profile; measured export helps reconstruct the
    gross load of a home with PV; TMY weather (PVGIS) beats the offline weather model."""
    factors = []
    score = 0
    if inputs["input_method"] == "studio":
        score += 2
        factors.append({"factor": "consumption", "level": "measured", "detail": "hourly studio profile"})
    else:
        factors.append(
            {"factor": "consumption", "level": "estimated", "detail": "standard profile scaled to yearlyKwh"}
        )
        if inputs.get("existing_pv") and inputs.get("yearly_export_kwh") is not None:
            score += 1
            factors.append(
                {
                    "factor": "grossLoad",
                    "level": "reconstructed",
                    "detail": "yearly export used for gross load",
                }
            )
        elif inputs.get("existing_pv"):
            factors.append(
                {
                    "factor": "grossLoad",
                    "level": "estimated",
                    "detail": "no yearlyExportKwh given for existing PV",
                }
            )
    measured = measured_production.accuracy_factor(inputs, result)  # a linked inverter's production
    if measured is not None:
        factors.append(measured)
        score += measured["level"] == "measured"
    weather = result.weather_source or "unknown"
    if weather == "pvgis":
        score += 1
    detail = (
        f"weather measured at KNMI De Bilt in {result.weather_year}, carried to this location"
        if weather == "offline" and result.weather_year is not None
        else f"weather source: {weather}"
    )
    factors.append({"factor": "weather", "level": weather, "detail": detail})
    rating = "high" if score >= 3 else "medium" if score >= 1 else "indicative"
    return {"rating": rating, "score": score, "max_score": 3 if measured is None else 4, "factors": factors}


def build_report(*, inputs: dict, result: ScanResult) -> dict:
    """The stored report: FullReportDto without the per-read keys (id, createdAt, isShared, shareToken)."""
    if result.status != "optimal" or result.finance is None or result.bill is None:
        raise ValueError("build_report needs an optimal result")
    finance = result.finance
    co2 = _co2(result)
    usage = result.yearly_usage_kwh
    pv_out = result.total_pv_output_kwh
    savings_lifecycle = finance.baseline_lifecycle_cost - finance.lifecycle_total_cost
    ss, ss_bau = result.self_sufficiency, result.self_sufficiency_bau
    battery = _battery(result)
    battery_capacity = result.battery.capacity_kwh if result.battery is not None else 0.0

    report = {
        "status": result.status,
        "latitude": inputs["location"]["lat"],
        "longitude": inputs["location"]["lon"],
        "goal": result.goal,
        "tariff_type": result.tariff_type,
        "has_error": False,
        "overview": {
            "kpi": {
                "yearly_usage_kwh": _r(usage, 1),
                "self_sufficiency": _r(ss, 4),
                "self_sufficiency_baseline": _r(ss_bau, 4),
                "self_sufficiency_improvement": _r(ss - ss_bau, 4),
                "yearly_savings": _r(finance.year_one_savings),
                "return_period": _r(finance.payback_years, 1),
            },
            "self_consumption": {
                "self_consumption": _pct(result.self_consumption),
                "self_sufficiency": _pct(ss),
                "yearly_grid_purchase_kwh": _r(result.grid_import_kwh, 1),
                "yearly_feed_in_kwh": _r(result.grid_export_kwh, 1),
            },
            "energy_flow": {
                "yearly_usage_kwh": _r(usage, 1),
                "solar_yearly_output_kwh": _r(pv_out, 1),
                "yearly_grid_purchase_kwh": _r(result.grid_import_kwh, 1),
                "yearly_feed_in_kwh": _r(result.grid_export_kwh, 1),
                "directly_used_solar_kwh": _r(result.solar_used_onsite_kwh, 1),
                "battery_capacity_kwh": _r(battery_capacity, 2),
            },
            "financial_summary": {
                "first_year_electricity_cost": _r(finance.year_one_bill),
                "first_year_savings": _r(finance.year_one_savings),
                "total_ownership_cost": _r(finance.lifecycle_total_cost),
                "total_project_savings": _r(savings_lifecycle),
            },
            "lifecycle_cost_breakdown": {
                "energy_bill": _r(finance.lifecycle_energy_bill),
                "solar_investment": _r(finance.pv_investment_eur),
                "battery_investment": _r(finance.battery_investment_eur),
                "replacement_cost": _r(finance.replacement_cost_npv),
                "solar_maintenance_cost": _r(finance.pv_om_npv),
                "battery_maintenance_cost": _r(finance.battery_om_npv),
                "feed_in_revenue": _r(-finance.lifecycle_feed_in_revenue),
                "total_cost": _r(finance.lifecycle_total_cost),
            },
        },
        "solar": {
            "existing_systems": [_pv_system(a) for a in result.existing_pv],
            "new_systems": [_pv_system(a) for a in result.new_pv],
            "total_capacity_kwp": _r(result.total_pv_kwp, 3),
            "total_yearly_output_kwh": _r(pv_out, 1),
            "peak_output_kw": _r(result.peak_pv_output_kw, 2),
            "direct_consumption": _pct(result.self_consumption),
            "to_grid": _pct(_share(result.grid_export_kwh, pv_out)),
            "has_solar_panels_currently": bool(
                inputs.get("existing_pv") or isinstance(result.assumptions.gross_load, StudioReconstruction)
            ),
            "wants_new_solar_panels": bool(inputs.get("new_pv")),
            **_measured_vs_simulated(inputs, result),
            **existing_household.report_block(result),
        },
        "battery": battery,
        "electricity_grid": {
            "annual_energy_supplied_kwh": _r(result.grid_import_kwh, 1),
            "annual_energy_supplied_kwh_bau": _r(result.grid_import_kwh_bau, 1),
            "peak_grid_demand_kw": _r(result.peak_grid_demand_kw, 2),
            "peak_grid_demand_kw_bau": _r(result.peak_grid_demand_kw_bau, 2),
        },
        "financial": {
            "is_positive_outcome": finance.npv > 0,
            "net_present_value": _r(finance.npv),
            "investment": {
                "solar_purchase_cost": _r(finance.pv_investment_eur),
                "battery_purchase_cost": _r(finance.battery_investment_eur),
                "replacement_cost_net_present_value": _r(finance.replacement_cost_npv),
                "solar_maintenance_cost": _r(finance.pv_om_npv),
                "battery_maintenance_cost": _r(finance.battery_om_npv),
                "total_investment": _r(finance.investment_eur),
                # No subsidies are modelled (the Dutch ISDE does not cover home PV/batteries): equal.
                "total_investment_after_incentives": _r(finance.investment_eur),
            },
            "year_one": {
                "energy_bill": _r(finance.year_one_bill),
                "feed_in_revenue": _r(finance.year_one_feed_in_revenue),
                "maintenance_costs": _r(finance.year_one_maintenance),
                "savings_vs_baseline": _r(finance.year_one_savings),
            },
            "lifecycle": {
                "energy_bill": _r(finance.lifecycle_energy_bill),
                "feed_in_revenue": _r(finance.lifecycle_feed_in_revenue),
                "total_cost": _r(finance.lifecycle_total_cost),
                "savings_vs_baseline": _r(savings_lifecycle),
            },
            "parameters": {
                "evaluation_period": finance.years,
                "discount_rate": _pct(result.assumptions.discount_rate, 2),
                "baseline_first_year_cost": _r(finance.baseline_year_one_bill),
                "baseline_total_cost": _r(finance.baseline_lifecycle_cost),
            },
            "cost_comparison": {
                "first_year_baseline": _r(finance.baseline_year_one_bill),
                "first_year_optimized": _r(finance.year_one_bill),
                "projected_baseline": _r(finance.baseline_lifecycle_cost),
                "projected_optimized": _r(finance.lifecycle_total_cost),
            },
            "cashflow_summary": {
                "break_even_year": finance.break_even_year,
                "end_balance": _r(finance.cumulative_cashflows[-1]) if finance.cumulative_cashflows else None,
                "avg_annual_return": _r(finance.avg_annual_return_pct, 2),
            },
        },
        "sustainability": {
            "energy_balance": {
                "total_consumption_kwh": _r(usage, 1),
                "solar_production_kwh": _r(pv_out, 1),
                "grid_purchase_kwh": _r(result.grid_import_kwh, 1),
                "grid_feed_in_kwh": _r(result.grid_export_kwh, 1),
            },
            "co2_emissions": {
                "grid_carbon_intensity": _r(co2["intensity"], 4),
                "co2_saved_total_kg": _r(co2["saved_total_kg"], 1),
                "co2_saved_yearly_kg": _r(co2["saved_kg"], 1),
                "co2_from_grid_import_kg": _r(co2["import_kg"], 1),
                "co2_avoided_by_export_kg": _r(co2["avoided_by_export_kg"], 1),
            },
            "self_sufficiency": {
                "renewable_share": _pct(ss),
                "self_consumption": _pct(result.self_consumption),
                "directly_used_renewable_kwh": _r(result.solar_used_onsite_kwh, 1),
                "net_grid_dependency_kwh": _r(result.grid_import_kwh - result.grid_export_kwh, 1),
            },
            "equivalents": {
                "trees_equivalent": _r(co2["trees"], 1),
                "car_km_avoided": _r(co2["car_km"], 0),
                "flights_avoided": _r(co2["flights"], 2),
                # Tonnes of CO2 saved over the whole analysis period.
                "projected_co2_savings": _r(co2["saved_total_kg"] / 1000.0, 2)
                if co2["saved_total_kg"] is not None
                else None,
            },
            "energy_mix": {
                "own_generation_kwh": _r(pv_out, 1),
                "grid_purchase_kwh": _r(result.grid_import_kwh, 1),
                "renewable_share": _pct(ss),
            },
        },
        "accuracy": accuracy(inputs, result),
        "scenarios": [
            {
                "tariff_type": s.tariff_type,
                "with_battery": s.with_battery,
                "yearly_cost": _r(s.yearly_cost_eur),
                "yearly_savings": _r(s.yearly_savings_eur),
                "return_period": _r(s.payback_years, 1),
                "net_present_value": _r(s.npv_eur),
                "investment": _r(s.investment_eur),
            }
            for s in result.scenarios
        ],
        "payback_range": None
        if result.payback_range is None
        else {
            "low": _r(result.payback_range.low, 1),
            "base": _r(result.payback_range.base, 1),
            "high": _r(result.payback_range.high, 1),
            "assumptions": _camel_fields(result.payback_range.assumptions),
        },
        "year_spread": year_spread(result),
        "assumptions": {
            **engine_assumptions(result.assumptions),
            "weather_source": result.weather_source,
            "sizing_method": result.sizing_method,
            **_measured_assumption(inputs, result),
            **existing_household.assumption(result),
            **capacity_peak.assumption(inputs),
        },
    }
    return report


def _measured_vs_simulated(inputs: dict, result: ScanResult) -> dict:
    block = measured_production.report_block(inputs, result)
    return {} if block is None else {"measured_vs_simulated": block}


def _measured_assumption(inputs: dict, result: ScanResult) -> dict:
    return measured_production.assumption(inputs, result)


def summary(report: dict) -> dict:
    """The list columns of a scan, taken from its report."""
    return {
        "self_sufficiency": report["overview"]["kpi"]["self_sufficiency"],
        "return_period": report["overview"]["kpi"]["return_period"],
        "co2_saved_kg": report["sustainability"]["co2_emissions"]["co2_saved_yearly_kg"],
    }


def hourly_series(result: ScanResult) -> dict[str, np.ndarray]:
    series = result.series
    if series is None:
        raise ValueError("the engine result has no hourly series")
    return {name: np.asarray(getattr(series, name), dtype=float) for name in HOURLY_SERIES}


def chart_arrays(result: ScanResult) -> dict:
    """Whole-year chart arrays (independent of the breakdown window)."""
    bill, finance = result.bill, result.finance
    return {
        "tariff_type": result.tariff_type,
        "monthly_energy_costs": [_r(v) for v in bill.monthly_energy],
        "monthly_demand_costs": [_r(v) for v in bill.monthly_demand],
        "monthly_fixed_costs": [_r(v) for v in bill.monthly_fixed],
        "yearly_electricity_cost": _r(bill.total),
        "yearly_cashflows": [_r(v) for v in finance.yearly_cashflows],
        "cumulative_cashflows": [_r(v) for v in finance.cumulative_cashflows],
        "monthly_co2_savings_kg": [_r(v, 1) for v in result.monthly_co2_savings_kg],
    }
