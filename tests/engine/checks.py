"""Checks shared by the engine tests (not tests themselves)."""

import numpy as np

FLOWS = (
    "solar_used_onsite",
    "solar_stored",
    "solar_exported",
    "solar_wasted",
    "grid_used_onsite",
    "grid_stored",
    "battery_used_onsite",
)
"""The hourly flows of a dispatched year that are never negative [kWh per hour]."""


def assert_conservation(result) -> None:
    """Every hour of a result's series balances (load and PV), flows are non-negative, and the battery's
    level follows its charge and discharge within its bounds."""
    s = result.series
    # Design §4: load = PV used on site + battery used on site + grid used on site, and
    # PV = used on site + stored + exported + wasted, every hour.
    assert np.allclose(
        s.consumption, s.solar_used_onsite + s.battery_used_onsite + s.grid_used_onsite, atol=1e-9
    )
    assert np.allclose(
        s.solar_production,
        s.solar_used_onsite + s.solar_stored + s.solar_exported + s.solar_wasted,
        atol=1e-9,
    )
    for name in FLOWS:
        assert getattr(s, name).min() >= -1e-9, name
        assert getattr(s, name).shape == (8760,)
    if result.battery is not None:
        b = result.battery
        level = s.battery_level
        eta = np.sqrt(b.roundtrip_efficiency_pct / 100)
        # Battery: level[t] = level[t-1] + eta·stored - discharged/eta (cyclic year).
        expected = np.roll(level, 1) + eta * (s.solar_stored + s.grid_stored) - s.battery_used_onsite / eta
        assert np.allclose(level, expected, atol=1e-6)
        assert level.min() >= b.capacity_kwh * b.min_charge_level_pct / 100 - 1e-6
        assert level.max() <= b.capacity_kwh + 1e-6
