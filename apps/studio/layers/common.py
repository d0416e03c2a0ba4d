"""Shared pieces of the layer simulations: the 8760 time base, schedules, compact array storage.

A layer's ``schedule`` is a 7×12 boolean matrix: ``schedule[day][month]`` with day 0 = Monday .. 6 =
Sunday and month 0 = January .. 11 = December. The weekday is that of the profile's own calendar year
(``year``): the studio's chart and CSV label hour i with the reference year's month and day in the
profile's year, so a schedule must use the weekday of that same date (not the engine's reference year,
which starts on another weekday). Its ``hourly_kw`` holds 24 draws [kW] for the hours
00:00 .. 23:00 (a draw of P kW for one hour is P kWh). ``max_kw`` [kW] caps the layer's hourly power
(0 = no cap).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import numpy as np

from apps.engine.defaults import REFERENCE_YEAR
from apps.engine.timebase import HOURS, hour_of_day, hourly_index, month_index, weekday

DAYS = HOURS // 24
ALL_YEAR = [[True] * 12 for _ in range(7)]


def months_only(months: list[int]) -> list[list[bool]]:
    """A schedule active every day of the given months (0 = January)."""
    return [[m in months for m in range(12)] for _ in range(7)]


@lru_cache(maxsize=8)
def calendar_weekday(year: int | None = None) -> np.ndarray:
    """Weekday (Monday = 0 .. Sunday = 6) of each of the 8760 hours on ``year``'s calendar: the weekday of
    the hour's month and day (as the studio labels it) in ``year``. None → the engine's reference year."""
    if year is None or year == REFERENCE_YEAR:
        return weekday()
    days = hourly_index()[::24]
    per_day = np.array([date(year, d.month, d.day).weekday() for d in days], dtype=np.int8)
    return np.repeat(per_day, 24)


def schedule_mask(schedule: list[list[bool]] | None, year: int | None = None) -> np.ndarray:
    """Boolean 8760 mask: True where the hour's weekday (on ``year``'s calendar) and month are on."""
    if schedule is None:
        return np.ones(HOURS, dtype=bool)
    matrix = np.asarray(schedule, dtype=bool)
    return matrix[calendar_weekday(year), month_index()]


def day_mask(schedule: list[list[bool]] | None, year: int | None = None) -> np.ndarray:
    """Boolean 365 mask of the days switched on (the first hour of each day decides)."""
    return schedule_mask(schedule, year)[::24]


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
