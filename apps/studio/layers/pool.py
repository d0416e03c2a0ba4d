"""Swimming-pool layer: filter pump plus pool heating during the swimming season.

The schedule sets the season (preset: May–September). Each on-hour draws
``hourly_kw[hour] × (PUMP_SHARE + (1 − PUMP_SHARE) × heat_need_day)`` where ``heat_need_day`` in [0, 1]
is how far the day's mean outdoor temperature is below the pool set-point, relative to a cold swimming
day: cooler days of the season need more heating, hot days only the filter pump.
"""

from __future__ import annotations

import numpy as np

from apps.studio.layers.common import cap, pattern, schedule_mask

POOL_SETPOINT_C = 26.0  # water temperature kept during the season [°C] (assumption: common outdoor pool)
COLD_DAY_C = 10.0  # day-mean air temperature at which heating runs at full power [°C] (assumption)
PUMP_SHARE = 0.35  # share of hourly_kw drawn by the filter pump alone [-] (assumption)


def simulate_pool(
    *,
    temp_air: np.ndarray,
    hourly_kw: list[float],
    schedule: list[list[bool]],
    max_kw: float = 0,
    year: int | None = None,
) -> np.ndarray:
    """Hourly energy of pump and heater [kWh] (see module docstring)."""
    day_mean = np.asarray(temp_air, dtype=float).reshape(-1, 24).mean(axis=1)
    need = np.clip((POOL_SETPOINT_C - day_mean) / (POOL_SETPOINT_C - COLD_DAY_C), 0.0, 1.0)
    factor = PUMP_SHARE + (1.0 - PUMP_SHARE) * np.repeat(need, 24)
    return cap(pattern(hourly_kw) * factor * schedule_mask(schedule, year), max_kw)
