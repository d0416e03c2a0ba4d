"""CO2 of grid electricity avoided by own PV and battery, and everyday equivalents.

Savings are counted on grid import only: ``saved = (baseline import - import) × intensity``, with the
baseline the household as it is today (BAU). Export can optionally be credited as displacing grid
production (``credit_export``; off by default, as the report shows it separately and the avoided
emissions of exported energy belong to the grid's own accounting).
"""

from __future__ import annotations

import numpy as np

from apps.engine import defaults as d
from apps.engine.timebase import HOURS, monthly_sum
from apps.engine.types import Co2Equivalents, Co2Summary


def _series(name: str, values: np.ndarray | float) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim == 0:
        raise ValueError(f"{name} must be an hourly series of {HOURS} values")
    if array.shape != (HOURS,) or not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must have {HOURS} finite hourly values, got shape {array.shape}")
    return array


def co2_kg(
    energy_kwh: np.ndarray | float, intensity_kg_per_kwh: float = d.GRID_CARBON_INTENSITY_KG_PER_KWH
) -> float:
    """CO2 of grid electricity [kg] = Σ energy [kWh] × intensity [kg CO2/kWh]."""
    return float(np.sum(energy_kwh)) * float(intensity_kg_per_kwh)


def co2_saved_over_period(yearly_kg: float, years: int, degradation_per_year: float = 0.0) -> float:
    """CO2 saved over ``years`` [kg] when the yearly saving [kg/yr] shrinks by ``degradation_per_year``
    [-/yr] (e.g. PV degradation 0.005) from the second year on."""
    if years < 0:
        raise ValueError("years must be ≥ 0")
    factors = (1.0 - degradation_per_year) ** np.arange(int(years))
    return float(yearly_kg * factors.sum())


def co2_equivalents(yearly_saved_kg: float) -> Co2Equivalents:
    """Trees, car kilometres and return flights matching a yearly saving [kg CO2/yr] (factors in
    ``defaults.py``: TREE_KG_CO2_PER_YEAR, CAR_KG_CO2_PER_KM, FLIGHT_KG_CO2)."""
    kg = float(yearly_saved_kg)
    return Co2Equivalents(
        trees=kg / d.TREE_KG_CO2_PER_YEAR,
        car_km=kg / d.CAR_KG_CO2_PER_KM,
        flights=kg / d.FLIGHT_KG_CO2,
    )


def monthly_co2_savings(
    grid_import_kwh: np.ndarray,
    baseline_grid_import_kwh: np.ndarray,
    *,
    grid_export_kwh: np.ndarray | None = None,
    credit_export: bool = False,
    intensity_kg_per_kwh: float = d.GRID_CARBON_INTENSITY_KG_PER_KWH,
) -> np.ndarray:
    """CO2 saved per month [kg CO2], Jan..Dec: (baseline import - import [+ export]) × intensity."""
    saved = _series("baseline grid import", baseline_grid_import_kwh) - _series(
        "grid import", grid_import_kwh
    )
    if credit_export and grid_export_kwh is not None:
        saved = saved + _series("grid export", grid_export_kwh)
    return monthly_sum(saved) * float(intensity_kg_per_kwh)


def co2_summary(
    grid_import_kwh: np.ndarray,
    baseline_grid_import_kwh: np.ndarray,
    *,
    grid_export_kwh: np.ndarray | None = None,
    years: int = 25,
    degradation_per_year: float = 0.0,
    credit_export: bool = False,
    intensity_kg_per_kwh: float = d.GRID_CARBON_INTENSITY_KG_PER_KWH,
) -> Co2Summary:
    """All CO2 figures of a scenario (hourly import/export [kWh]) against its baseline import [kWh].

    years: analysis period [yr]; degradation_per_year: yearly shrink of the saving [-/yr];
    credit_export: also count exported PV as displacing grid electricity.
    """
    intensity = float(intensity_kg_per_kwh)
    imported = _series("grid import", grid_import_kwh)
    baseline = _series("baseline grid import", baseline_grid_import_kwh)
    exported = _series("grid export", grid_export_kwh) if grid_export_kwh is not None else np.zeros(HOURS)
    avoided_by_export = co2_kg(exported, intensity)
    monthly = monthly_co2_savings(
        imported,
        baseline,
        grid_export_kwh=exported,
        credit_export=credit_export,
        intensity_kg_per_kwh=intensity,
    )
    yearly = float(monthly.sum())
    return Co2Summary(
        grid_carbon_intensity=intensity,
        co2_from_grid_import_kg=co2_kg(imported, intensity),
        co2_from_grid_import_baseline_kg=co2_kg(baseline, intensity),
        co2_avoided_by_export_kg=avoided_by_export if credit_export else 0.0,
        co2_saved_kg=yearly,
        co2_saved_total_kg=co2_saved_over_period(yearly, years, degradation_per_year),
        monthly_saved_kg=monthly,
        equivalents=co2_equivalents(yearly),
    )
