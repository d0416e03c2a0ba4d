"""Existing PV calibrated to a measured yearly production (``ScanInputs.existing_pv_measured_yearly_kwh``).

Hand calculation for the unit test: two arrays producing a constant 0.1 and 0.05 kWh every hour simulate
0.1 x 8760 = 876 kWh and 0.05 x 8760 = 438 kWh, together 1314 kWh. A measured 1100 kWh gives the factor
1100 / 1314 = 0.837138...; the arrays then produce 733.33... and 366.66... kWh (still 2 : 1).
"""

from dataclasses import replace

import numpy as np
import pytest

from apps.engine.api import calibrate_existing_pv, run_scan
from devkit.engine.examples import seed_example_inputs


def test_one_factor_scales_every_existing_array_to_the_measured_total():
    series = [np.full(8760, 0.1), np.full(8760, 0.05)]
    scaled, info = calibrate_existing_pv(series, 1100.0)
    assert info.simulated_kwh == pytest.approx(1314.0)
    assert info.factor == pytest.approx(1100 / 1314) == pytest.approx(0.8371385)
    assert info.raw_factor == info.factor and info.warning is None
    assert scaled[0].sum() == pytest.approx(733.3333, abs=1e-3)
    assert scaled[1].sum() == pytest.approx(366.6667, abs=1e-3)
    assert scaled[0][0] == pytest.approx(0.1 * 1100 / 1314)  # every hour by the same factor


def test_factor_outside_the_sane_range_is_clipped_with_a_warning():
    series = [np.full(8760, 0.1)]  # 876 kWh simulated
    high, info = calibrate_existing_pv(series, 2000.0)  # 2000 / 876 = 2.283
    assert info.raw_factor == pytest.approx(2.2831, abs=1e-4)
    assert info.factor == 1.5 and "outside" in info.warning
    assert high[0].sum() == pytest.approx(1314.0)
    low, info = calibrate_existing_pv(series, 300.0)  # 0.342 → 0.5
    assert info.factor == 0.5 and low[0].sum() == pytest.approx(438.0)


def test_nothing_measured_changes_nothing():
    series = [np.full(8760, 0.1)]
    same, info = calibrate_existing_pv(series, None)
    assert info is None and same is series


def test_run_scan_reports_the_measured_existing_production():
    seed = seed_example_inputs()
    assert seed.existing_pv, "the seed example has existing PV"
    # Without the bill's export figure the existing yield is the simulated one (no fit to a bill).
    inputs = replace(seed, consumption=replace(seed.consumption, yearly_export_kwh=None))
    plain = run_scan(inputs)
    simulated = sum(a.yearly_output_kwh for a in plain.existing_pv)
    measured = round(simulated * 0.9, 1)
    calibrated = run_scan(replace(inputs, existing_pv_measured_yearly_kwh=measured))
    info = calibrated.existing_pv_calibration
    assert plain.existing_pv_calibration is None
    assert info.simulated_kwh == pytest.approx(simulated)
    assert info.factor == pytest.approx(measured / simulated)
    assert sum(a.yearly_output_kwh for a in calibrated.existing_pv) == pytest.approx(measured, rel=1e-9)
    # specific yield follows; installed size does not
    assert calibrated.existing_pv[0].installed_kwp == plain.existing_pv[0].installed_kwp
    assert calibrated.existing_pv[0].specific_yield_kwh_per_kwp == pytest.approx(
        plain.existing_pv[0].specific_yield_kwh_per_kwp * info.factor
    )


def test_measured_production_must_be_positive():
    with pytest.raises(ValueError):
        replace(seed_example_inputs(), existing_pv_measured_yearly_kwh=0.0)
