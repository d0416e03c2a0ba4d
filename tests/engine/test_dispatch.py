"""Self-consumption battery dispatch: hourly conservation, bounds, cyclic year and worked examples."""

from __future__ import annotations

import time

import numpy as np
import pytest

from apps.engine.dispatch import (
    BatterySpec,
    DispatchResult,
    dispatch_self_consumption,
    self_consumption,
    self_sufficiency,
)
from apps.engine.load import household_profile
from apps.engine.pv import kwh_per_kwp
from apps.engine.timebase import HOURS
from apps.engine.weather import OfflineWeather
from tests.engine.checks import FLOWS

ATOL = 1e-9  # kWh: "exact" up to float rounding


@pytest.fixture(scope="module")
def home():
    weather = OfflineWeather().get(52.09, 5.12)
    return household_profile(3500.0), 4.0 * kwh_per_kwp(weather, 35, 180, 14)


def assert_balanced(result: DispatchResult, battery: BatterySpec | None) -> None:
    # Design §4: load = PV used on site + battery used on site + grid used on site, every hour;
    # PV = used on site + stored + exported + curtailed, every hour.
    np.testing.assert_allclose(
        result.solar_used_onsite + result.battery_used_onsite + result.grid_used_onsite,
        result.load,
        atol=ATOL,
    )
    np.testing.assert_allclose(
        result.solar_used_onsite + result.solar_stored + result.solar_exported + result.solar_wasted,
        result.pv,
        atol=ATOL,
    )
    np.testing.assert_allclose(result.grid_import, result.grid_used_onsite + result.grid_stored, atol=ATOL)
    np.testing.assert_array_equal(result.grid_export, result.solar_exported)
    for name in FLOWS:
        assert getattr(result, name).min() >= -ATOL, name
    assert not np.any((result.solar_stored > ATOL) & (result.battery_used_onsite > ATOL))
    if battery is None:
        return
    eta = battery.one_way_efficiency
    level = result.battery_level_kwh
    # Bounds: minimum charge level .. capacity; power limits on both directions.
    assert level.min() >= battery.min_level_kwh - ATOL and level.max() <= battery.capacity_kwh + ATOL
    assert result.solar_stored.max() <= battery.power_kw + ATOL
    assert result.battery_used_onsite.max() <= battery.power_kw + ATOL
    # State of charge recursion with the level before hour 0 equal to the level after hour 8759 (cyclic).
    previous = np.roll(level, 1)
    np.testing.assert_allclose(
        level, previous + eta * result.solar_stored - result.battery_used_onsite / eta, atol=1e-7
    )
    np.testing.assert_allclose(result.battery_level_pct, 100.0 * level / battery.capacity_kwh)


def test_without_battery_import_is_the_net_deficit(home):
    load, pv = home
    result = dispatch_self_consumption(load, pv)
    assert_balanced(result, None)
    np.testing.assert_allclose(result.grid_import, np.maximum(load - pv, 0.0), atol=ATOL)
    np.testing.assert_allclose(result.grid_export, np.maximum(pv - load, 0.0), atol=ATOL)
    assert result.battery_level_kwh.max() == 0.0


@pytest.mark.parametrize(
    "battery",
    [
        BatterySpec(capacity_kwh=5.0, power_kw=2.5, min_charge_level_pct=20.0, roundtrip_efficiency_pct=90.0),
        BatterySpec(
            capacity_kwh=10.0, power_kw=5.0, min_charge_level_pct=10.0, roundtrip_efficiency_pct=92.0
        ),
        BatterySpec(capacity_kwh=0.5, power_kw=0.2, min_charge_level_pct=0.0, roundtrip_efficiency_pct=80.0),
    ],
)
def test_conservation_bounds_and_cyclic_year(home, battery):
    load, pv = home
    result = dispatch_self_consumption(load, pv, battery)
    assert_balanced(result, battery)
    no_battery = dispatch_self_consumption(load, pv)
    assert result.self_sufficiency > no_battery.self_sufficiency
    # Battery losses close the yearly energy balance: stored - discharged = (1/eta - eta)… ≥ 0.
    assert result.battery_losses_kwh >= 0.0
    rte = battery.roundtrip_efficiency_pct / 100.0
    assert result.battery_used_onsite.sum() == pytest.approx(rte * result.solar_stored.sum(), rel=1e-9)


def test_random_profiles_balance_with_export_limit():
    rng = np.random.default_rng(7)
    load = rng.gamma(2.0, 0.25, HOURS)
    pv = np.clip(rng.normal(0.6, 1.2, HOURS), 0.0, None)
    battery = BatterySpec(
        capacity_kwh=3.0, power_kw=1.0, min_charge_level_pct=15.0, roundtrip_efficiency_pct=88.0
    )
    result = dispatch_self_consumption(load, pv, battery, export_limit_kw=0.8)
    assert_balanced(result, battery)
    assert result.solar_exported.max() <= 0.8 + ATOL
    assert result.solar_wasted.sum() > 0.0
    # Curtailment only happens when the battery could not take the surplus.
    curtailed = result.solar_wasted > ATOL
    assert np.all(result.solar_exported[curtailed] == pytest.approx(0.8))


def _daily(values_by_hour: dict[int, float]) -> np.ndarray:
    day = np.zeros(24)
    for hour, value in values_by_hour.items():
        day[hour] = value
    return np.tile(day, 365)


def test_worked_example_battery_fills_and_covers_the_evening():
    # Every day: 3 kWh PV at noon, 2 kWh load at 20:00. Battery 10 kWh / 5 kW, round trip 81 % (eta 0.9).
    # Cyclic steady state is a full battery at noon: the evening draws 2 / 0.9 = 2.222 kWh from it,
    # refilled by 2.222 / 0.9 = 2.469 kWh of PV; 3 - 2.469 = 0.531 kWh is exported. No grid import.
    load = _daily({20: 2.0})
    pv = _daily({12: 3.0})
    battery = BatterySpec(10.0, 5.0, 0.0, 81.0)
    result = dispatch_self_consumption(load, pv, battery)
    assert_balanced(result, battery)
    assert result.grid_import.sum() == pytest.approx(0.0, abs=1e-9)
    assert result.self_sufficiency == pytest.approx(1.0)
    assert result.solar_stored[12::24] == pytest.approx(np.full(365, 2.0 / 0.81))
    assert result.solar_exported.sum() == pytest.approx(365 * (3.0 - 2.0 / 0.81))
    assert result.battery_level_kwh[12::24] == pytest.approx(np.full(365, 10.0))


def test_worked_example_power_limited_battery():
    # Same day, but 1 kW power: 1 kWh AC charged (0.9 kWh stored) and that 0.9 kWh gives 0.81 kWh in the
    # evening; the battery is empty again every night. Self-sufficiency = 0.81 / 2 = 40.5 %.
    load = _daily({20: 2.0})
    pv = _daily({12: 3.0})
    battery = BatterySpec(10.0, 1.0, 0.0, 81.0)
    result = dispatch_self_consumption(load, pv, battery)
    assert_balanced(result, battery)
    assert result.self_sufficiency == pytest.approx(0.405)
    assert result.self_consumption == pytest.approx(1.0 / 3.0)
    assert result.cycles_per_year == pytest.approx(365 * 0.81 / 10.0)


def test_cyclic_even_when_the_battery_never_reaches_a_bound():
    # A huge battery that gains a little every day: the start level is moved so the year closes.
    load = _daily({20: 1.0})
    pv = _daily({12: 1.2})
    battery = BatterySpec(1000.0, 5.0, 0.0, 100.0)
    result = dispatch_self_consumption(load, pv, battery)
    assert_balanced(result, battery)
    assert result.grid_import.sum() == pytest.approx(0.0, abs=1e-9)
    assert result.passes <= 5


def test_ratios_helpers():
    # Definitions: self-sufficiency = 1 - grid used / load; self-consumption = 1 - (export + curtailed) / PV.
    assert self_sufficiency(np.array([2.0, 2.0]), np.array([1.0, 0.0])) == pytest.approx(0.75)
    assert self_sufficiency(0.0, 0.0) == 0.0
    assert self_consumption(np.array([4.0]), np.array([1.0]), np.array([1.0])) == pytest.approx(0.5)
    assert self_consumption(0.0, 0.0) == 0.0


def test_input_validation():
    with pytest.raises(ValueError):
        dispatch_self_consumption(np.zeros(10), np.zeros(10))
    bad = np.zeros(HOURS)
    bad[5] = -1.0
    with pytest.raises(ValueError):
        dispatch_self_consumption(bad, np.zeros(HOURS))
    with pytest.raises(ValueError):
        BatterySpec(5.0, 2.0, min_charge_level_pct=120.0)


def test_dispatch_is_fast(home):
    load, pv = home
    battery = BatterySpec(8.0, 4.0, 10.0, 90.0)
    start = time.perf_counter()
    result = dispatch_self_consumption(load, pv, battery)
    assert time.perf_counter() - start < 0.25  # ~5 ms per pass, usually two passes
    assert result.passes <= 3


def test_self_sufficiency_counts_grid_charged_battery_energy_as_grid():
    """Hand calculation: load 10 kWh, grid straight to load 4 kWh, battery delivers 3 kWh and was charged
    2 kWh from PV and 2 kWh from the grid, so half its output (1.5 kWh) is grid energy:
    self-sufficiency = 1 - (4 + 1.5) / 10 = 0.45 (not 0.6, which would call grid energy own generation)."""
    from apps.engine.dispatch import self_sufficiency

    value = self_sufficiency(
        10.0, 4.0, battery_used_onsite_kwh=3.0, solar_stored_kwh=2.0, grid_stored_kwh=2.0
    )
    assert value == pytest.approx(0.45)
    assert self_sufficiency(10.0, 4.0, battery_used_onsite_kwh=3.0, solar_stored_kwh=4.0) == pytest.approx(
        0.6
    )
