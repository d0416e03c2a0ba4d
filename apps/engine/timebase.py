"""The engine's time base: one non-leap year of 8760 hourly steps in local standard time.

Step ``h`` covers the hour ``[h, h+1)`` in UTC+1 without daylight saving time (the time zone
``Etc/GMT-1``, whose sign is inverted by POSIX convention). Energies are kWh per step, powers kW.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from apps.engine.defaults import REFERENCE_YEAR, TIMEZONE

HOURS = 8760
"""Steps in the reference year [h]."""

DAYS = 365
"""Days in the reference year [d]."""


def _readonly(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


@lru_cache(maxsize=1)
def hourly_index() -> pd.DatetimeIndex:
    """Start of every hourly step of the reference year, tz-aware UTC+1 (8760 stamps)."""
    return pd.date_range(f"{REFERENCE_YEAR}-01-01 00:00", periods=HOURS, freq="h", tz=TIMEZONE)


@lru_cache(maxsize=1)
def hour_centres() -> pd.DatetimeIndex:
    """Middle of every hourly step (HH:30), where the sun's position represents the hour."""
    return hourly_index() + pd.Timedelta(minutes=30)


@lru_cache(maxsize=1)
def month_number() -> np.ndarray:
    """Calendar month of each step, 1..12 (8760 ints, read-only); ``month_index`` counts from 0."""
    return _readonly(np.asarray(hourly_index().month, dtype=np.int8))


@lru_cache(maxsize=1)
def month_index() -> np.ndarray:
    """Month of each step as an index, 0..11 (8760 ints, read-only), handy for ``np.bincount``."""
    return _readonly(month_number().astype(np.intp) - 1)


@lru_cache(maxsize=1)
def day_of_year() -> np.ndarray:
    """Day of the year of each step, 1..365 (8760 ints, read-only)."""
    return _readonly(np.asarray(hourly_index().day_of_year, dtype=np.int16))


@lru_cache(maxsize=1)
def hour_of_day() -> np.ndarray:
    """Local standard hour of each step, 0..23 (8760 ints, read-only)."""
    return _readonly(np.asarray(hourly_index().hour, dtype=np.int8))


@lru_cache(maxsize=1)
def weekday() -> np.ndarray:
    """Day of the week of each step, Monday = 0 .. Sunday = 6 (8760 ints, read-only)."""
    return _readonly(np.asarray(hourly_index().day_of_week, dtype=np.int8))


@lru_cache(maxsize=1)
def days_in_month() -> np.ndarray:
    """Number of days of each month of the reference year (12 ints, read-only)."""
    return _readonly(np.bincount(month_index(), minlength=12) // 24)


def monthly_sum(series: np.ndarray) -> np.ndarray:
    """Sum an 8760 series per month [same unit] → 12 values."""
    return np.bincount(month_index(), weights=np.asarray(series, dtype=float), minlength=12)


def daily_sum(series: np.ndarray) -> np.ndarray:
    """Sum an 8760 series per day [same unit] → 365 values."""
    return np.asarray(series, dtype=float).reshape(DAYS, 24).sum(axis=1)
