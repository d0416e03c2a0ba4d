"""CO2 savings and equivalents: the factors in defaults.py applied to hourly import/export."""

from __future__ import annotations

import numpy as np
import pytest

from apps.engine import co2
from apps.engine import defaults as d
from apps.engine.timebase import HOURS, month_index


def test_default_intensity_is_the_published_dutch_figure():
    # CE Delft for CO2emissiefactoren.nl (2021 mix): 300 g/kWh production + 74 g/kWh chain = 374 g/kWh.
    assert d.GRID_CARBON_INTENSITY_KG_PER_KWH == pytest.approx(0.300 + 0.074)
    assert co2.co2_kg(1000.0) == pytest.approx(374.0)


def test_summary_against_hand_computation():
    baseline = np.full(HOURS, 0.4)  # 3504 kWh/yr
    imported = np.full(HOURS, 0.25)  # 2190 kWh/yr
    exported = np.full(HOURS, 0.1)
    summary = co2.co2_summary(
        imported, baseline, grid_export_kwh=exported, years=25, intensity_kg_per_kwh=0.4
    )
    # (3504 - 2190) kWh × 0.4 kg/kWh = 525.6 kg/yr; over 25 years without degradation 13 140 kg.
    assert summary.co2_saved_kg == pytest.approx(525.6)
    assert summary.co2_saved_total_kg == pytest.approx(25 * 525.6)
    assert summary.co2_from_grid_import_kg == pytest.approx(2190 * 0.4)
    assert summary.co2_from_grid_import_baseline_kg == pytest.approx(3504 * 0.4)
    assert summary.co2_avoided_by_export_kg == 0.0  # not credited by default
    # Monthly values add up to the year and follow the number of hours per month.
    assert summary.monthly_saved_kg.sum() == pytest.approx(summary.co2_saved_kg)
    hours = np.bincount(month_index(), minlength=12)
    np.testing.assert_allclose(summary.monthly_saved_kg, hours * 0.15 * 0.4)


def test_export_credit_is_optional():
    baseline = np.full(HOURS, 0.4)
    imported = np.full(HOURS, 0.25)
    exported = np.full(HOURS, 0.1)
    credited = co2.co2_summary(imported, baseline, grid_export_kwh=exported, credit_export=True)
    plain = co2.co2_summary(imported, baseline, grid_export_kwh=exported)
    assert credited.co2_avoided_by_export_kg == pytest.approx(876.0 * d.GRID_CARBON_INTENSITY_KG_PER_KWH)
    assert credited.co2_saved_kg - plain.co2_saved_kg == pytest.approx(credited.co2_avoided_by_export_kg)


def test_period_with_degradation():
    # Geometric series: Σ_{y=0}^{n-1} (1 - r)^y · yearly = yearly · (1 - (1 - r)^n) / r.
    total = co2.co2_saved_over_period(1000.0, 25, 0.005)
    assert total == pytest.approx(1000.0 * (1 - 0.995**25) / 0.005)
    assert co2.co2_saved_over_period(1000.0, 0) == 0.0
    with pytest.raises(ValueError):
        co2.co2_saved_over_period(1000.0, -1)


def test_equivalents_use_the_named_factors():
    eq = co2.co2_equivalents(330.0)
    # The seed report's example: 330 kg/yr ↔ 15 trees at 22 kg CO2/tree/yr.
    assert eq.trees == pytest.approx(15.0)
    assert eq.car_km == pytest.approx(330.0 / d.CAR_KG_CO2_PER_KM)
    assert eq.flights == pytest.approx(330.0 / d.FLIGHT_KG_CO2)
    # Car factor = 2.74 kg CO2/litre E95 (CO2emissiefactoren.nl) / 15 km per litre.
    assert d.CAR_KG_CO2_PER_KM == pytest.approx(2.74 / 15.0, abs=5e-4)


def test_series_validation():
    with pytest.raises(ValueError):
        co2.co2_summary(np.zeros(10), np.zeros(10))
    with pytest.raises(ValueError):
        co2.monthly_co2_savings(np.zeros(HOURS), 5.0)
