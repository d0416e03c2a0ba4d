"""Billed capacity-tariff peaks straight from a 15-minute meter export.

The studio's profile (``read_meter_file``) sums a file into hours, but the Flemish capacity tariff bills
the highest quarter hour of each month, which an hourly sum hides (a 2.4 kW quarter inside a 1 kW hour).
This module reads the same file with the same layout readers (the package's ``READERS``: detection, DST handling, UTC
grid at the file's own resolution, before any summing into hours) and bills its quarter hours with the
engine's rule (``apps.engine.capacity.billed_peaks_from_quarter_hours``).

Months are calendar months in Belgian wall-clock time, as on the bill. Quarters the file does not have
(gaps) are not estimated: a peak is never invented. A file longer than a year folds onto calendar months
by taking each month's highest quarter, which is what the rolling 12-month bill sees at its end.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from apps.engine import capacity
from apps.engine import defaults as engine_defaults

from . import READERS
from .constants import LOCAL_TZ
from .sniff import decode, detect

QUARTER_S = 900


def quarter_hour_import(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(import of each quarter hour [kWh], NaN where missing; its calendar month 0..11 in local time) of a
    15-minute export. ValueError for a file of another resolution (an hourly file has no quarter peaks)."""
    text = decode(data)
    fmt, header_idx, sep, _fields = detect(text)
    grid = READERS[fmt](text, header_idx, sep)
    if grid.step_s != QUARTER_S:
        raise ValueError(
            f"quarter-hour peaks need a 15-minute file; this one has {grid.step_s // 60}-minute steps"
        )
    starts = grid.t0_s + QUARTER_S * np.arange(len(grid.imp))
    local = pd.to_datetime(starts, unit="s", utc=True).tz_convert(LOCAL_TZ)
    return np.asarray(grid.imp, dtype=float), np.asarray(local.month, dtype=int) - 1


def billed_monthly_peaks(
    data: bytes, floor_kw: float = engine_defaults.BE_CAPACITY_TARIFF_FLOOR_KW
) -> np.ndarray:
    """The capacity tariff's billed monthly peaks [kW, January..December] of a 15-minute meter export."""
    quarters, month = quarter_hour_import(data)
    return capacity.billed_peaks_from_quarter_hours(quarters, month, floor_kw)
