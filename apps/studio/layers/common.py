"""Shared pieces of the layer simulations: the 8760 time base, schedules, compact array storage.

A layer's ``schedule`` is a 7×12 boolean matrix: ``schedule[day][month]`` with day 0 = Monday .. 6 =
Sunday and month 0 = January .. 11 = December. Its ``hourly_kw`` holds 24 draws [kW] for the hours
00:00 .. 23:00 (a draw of P kW for one hour is P kWh). ``max_kw`` [kW] caps the layer's hourly power
(0 = no cap).
"""

from __future__ import annotations

import numpy as np

from apps.engine.timebase import HOURS, hour_of_day, month_index, weekday

DAYS = HOURS // 24
ALL_YEAR = [[True] * 12 for _ in range(7)]


def months_only(months: list[int]) -> list[list[bool]]:
    """A schedule active every day of the given months (0 = January)."""
    return [[m in months for m in range(12)] for _ in range(7)]


def schedule_mask(schedule: list[list[bool]] | None) -> np.ndarray:
    """Boolean 8760 mask: True where the hour's weekday and month are switched on."""
    if schedule is None:
        return np.ones(HOURS, dtype=bool)
    matrix = np.asarray(schedule, dtype=bool)
    return matrix[weekday(), month_index()]


def day_mask(schedule: list[list[bool]] | None) -> np.ndarray:
    """Boolean 365 mask of the days switched on (the first hour of each day decides)."""
    return schedule_mask(schedule)[::24]


def pattern(hourly_kw: list[float]) -> np.ndarray:
    """The 24-value daily draw repeated over the year [kWh per hour]."""
    return np.asarray(hourly_kw, dtype=float)[hour_of_day()]


def cap(series: np.ndarray, max_kw: float | None) -> np.ndarray:
    """Clip hourly energy to ``max_kw`` [kW × 1 h] when a positive cap is set."""
    if max_kw and max_kw > 0:
        return np.minimum(series, float(max_kw))
    return series


def pack(values: np.ndarray | list[float] | None) -> bytes | None:
    """8760 floats → 35 040 bytes (little-endian float32)."""
    if values is None:
        return None
    array = np.asarray(values, dtype="<f4")
    if array.shape != (HOURS,):
        raise ValueError(f"expected {HOURS} hourly values, got shape {array.shape}")
    return array.tobytes()


def unpack(blob: bytes | memoryview | None) -> np.ndarray | None:
    """Inverse of ``pack`` as float64 (None stays None)."""
    if blob is None:
        return None
    return np.frombuffer(bytes(blob), dtype="<f4").astype(float)
