"""Billed capacity-tariff peaks straight from a 15-minute meter export.

The studio's profile (``read_meter_file``) sums a file into hours, but the Flemish capacity tariff bills
the highest quarter hour of each month, which an hourly sum hides (a 2.4 kW quarter inside a 1 kW hour).
This module takes the file's grid as the layout readers give it (``read_meter_grid``: detection, DST
handling, UTC grid at the file's own resolution, before any summing into hours; the upload reads it once for
both) and bills its quarter hours with the engine's rule (``apps.engine.capacity.billed_peaks_from_quarter_hours``).

Months are calendar months in Belgian wall-clock time, as on the bill. Quarters the file does not have
(gaps) are not estimated: a peak is never invented. A file longer than a year folds onto calendar months
by taking each month's highest quarter, which is what the rolling 12-month bill sees at its end.

``monthly_peaks`` keeps, next to each month's highest quarter, its highest hourly mean, so a scan can
measure the household's own quarter-hour peak factor (``measured_peak_factor``) instead of the engine's
default (``BE_QUARTER_HOUR_PEAK_FACTOR``); the studio stores them at upload because the file is not kept.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from apps.engine import capacity
from apps.engine import defaults as engine_defaults

from .constants import LOCAL_TZ
from .timebase import Grid

QUARTER_S = 900
MIN_MONTH_DAYS = 14
"""A calendar month enters the measured peak factor only with at least this many days of complete hours
[days]: the highest quarter of a few days says little about the month's. Assumption."""


def quarter_hour_import(grid: Grid) -> tuple[np.ndarray, np.ndarray]:
    """(import of each quarter hour [kWh], NaN where missing; its calendar month 0..11 in local time) of a
    15-minute export. ValueError for a file of another resolution (an hourly file has no quarter peaks)."""
    quarters, _starts, month = _quarter_grid(grid)
    return quarters, month


def _quarter_grid(grid: Grid) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``quarter_hour_import`` with each quarter's start [UTC epoch s]."""
    if grid.step_s != QUARTER_S:
        raise ValueError(
            f"quarter-hour peaks need a 15-minute file; this one has {grid.step_s // 60}-minute steps"
        )
    starts = grid.t0_s + QUARTER_S * np.arange(len(grid.imp))
    local = pd.to_datetime(starts, unit="s", utc=True).tz_convert(LOCAL_TZ)
    return np.asarray(grid.imp, dtype=float), starts, np.asarray(local.month, dtype=int) - 1


def billed_monthly_peaks(
    grid: Grid, floor_kw: float = engine_defaults.BE_CAPACITY_TARIFF_FLOOR_KW
) -> np.ndarray:
    """The capacity tariff's billed monthly peaks [kW, January..December] of a 15-minute meter export."""
    quarters, month = quarter_hour_import(grid)
    return capacity.billed_peaks_from_quarter_hours(quarters, month, floor_kw)


def monthly_peaks(grid: Grid) -> dict[str, list[float | None]]:
    """Each calendar month's highest quarter-hour and highest hourly-mean import [kW, January..December] of
    a 15-minute export, both None for a month with fewer than ``MIN_MONTH_DAYS`` days of complete hours
    (JSON-ready, as stored on a studio profile). ``billed_kw``: the month's bill (``billed_monthly_peaks``).

    An hour is complete when all four of its quarters were measured (clock hours: Belgian offsets are whole
    hours, so UTC hours are local hours); its mean power is its energy over one hour. Both peaks come from
    the same quarters, so a month's quarter peak is never below its hourly one.
    """
    quarters, starts, month = _quarter_grid(grid)
    lead = int((starts[0] % 3600) // QUARTER_S)  # quarters before the file's first full clock hour
    pad_end = -(lead + len(quarters)) % capacity.QUARTERS_PER_HOUR
    hours = np.concatenate([np.full(lead, np.nan), quarters, np.full(pad_end, np.nan)]).reshape(-1, 4)
    hour_month = np.concatenate([np.full(lead, month[0]), month, np.full(pad_end, month[-1])])[::4]
    hour_kwh = hours.sum(axis=1)  # NaN unless all four quarters were measured
    complete = ~np.isnan(hour_kwh)
    covered = np.bincount(hour_month[complete], minlength=12) >= MIN_MONTH_DAYS * 24
    quarter_kw = capacity.billed_peaks_from_quarter_hours(quarters, month, floor_kw=0.0)
    # A flat hour's mean power is that of a quarter holding a quarter of its energy.
    hourly_kw = capacity.billed_peaks_from_quarter_hours(
        hour_kwh / capacity.QUARTERS_PER_HOUR, hour_month, floor_kw=0.0
    )
    billed = np.maximum(quarter_kw, engine_defaults.BE_CAPACITY_TARIFF_FLOOR_KW)

    def kept(values: np.ndarray) -> list[float | None]:
        return [round(float(v), 3) if ok else None for v, ok in zip(values, covered, strict=True)]

    return {"quarter_hour_kw": kept(quarter_kw), "hourly_kw": kept(hourly_kw), "billed_kw": kept(billed)}


def measured_peak_factor(peaks: dict) -> float | None:
    """The household's billed quarter-hour peak over its hourly-mean peak [-] (``monthly_peaks``), or None
    when no month is covered. The sum of the covered months' quarter peaks over the sum of their hourly
    peaks: the one factor that, times the hourly peaks, bills the same mean peak as the quarters (before
    the floor, which the engine applies after the factor)."""
    pairs = [
        (q, h)
        for q, h in zip(peaks.get("quarter_hour_kw") or (), peaks.get("hourly_kw") or (), strict=True)
        if q is not None and h
    ]
    if not pairs:
        return None
    return round(sum(q for q, _h in pairs) / sum(h for _q, h in pairs), 3)
