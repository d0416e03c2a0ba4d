"""Custom layer: a fixed daily draw on the days and months of its schedule."""

from __future__ import annotations

import numpy as np

from apps.studio.layers.common import cap, pattern, schedule_mask


def simulate_custom(
    *, hourly_kw: list[float], schedule: list[list[bool]], max_kw: float = 0, year: int | None = None
) -> np.ndarray:
    """Hourly energy [kWh]: ``hourly_kw[hour of day]`` where the schedule is on, capped at ``max_kw``."""
    return cap(pattern(hourly_kw) * schedule_mask(schedule, year), max_kw)
