"""The Flemish capacity tariff (capaciteitstarief) as the grid operator bills it.

Fluvius bills, for each calendar month, the highest quarter-hour average import power [kW] (the
'maandpiek'), raises each month to the 2.5 kW floor, and charges the rate on the mean of the last twelve
months. The engine simulates hours, so ``tariffs.demand_cost`` bills ``BE_QUARTER_HOUR_PEAK_FACTOR`` x the
highest hourly-mean import of each month (see that constant for its calibration); when a household's
consumption comes from a 15-minute meter export, ``billed_peaks_from_quarter_hours`` bills the quarter
hours themselves, exactly as the meter does.

This module knows only the rules and the rates (no hourly engine types), so the studio's meter-file code
and ``tariffs`` can both use it.
"""

from __future__ import annotations

import numpy as np

from apps.engine import defaults as d

QUARTERS_PER_HOUR = 4


def rate_year(year: int) -> int:
    """The year of ``BE_CAPACITY_TARIFF_EUR_PER_KW_YEAR_BY_YEAR`` used for calendar ``year``: the latest
    known year at or before it, else the earliest known (as the Dutch energy-tax table)."""
    known = sorted(d.BE_CAPACITY_TARIFF_EUR_PER_KW_YEAR_BY_YEAR)
    earlier = [y for y in known if y <= year]
    return earlier[-1] if earlier else known[0]


def default_rate(year: int) -> float:
    """Flemish average capacity tariff for calendar ``year`` [EUR/kW/yr, excl. VAT]."""
    return d.BE_CAPACITY_TARIFF_EUR_PER_KW_YEAR_BY_YEAR[rate_year(year)]


def billed_peaks_from_quarter_hours(
    quarter_kwh: np.ndarray, month: np.ndarray, floor_kw: float = d.BE_CAPACITY_TARIFF_FLOOR_KW
) -> np.ndarray:
    """Billed monthly peaks [kW, 12 values, calendar months January..December] from quarter-hour import.

    quarter_kwh: grid import of each quarter hour [kWh] (NaN = not measured, ignored); month: its calendar
    month 0..11 (local time, as the bill). A quarter's mean power is 4 x its energy; each month's peak is
    the highest of them, raised to ``floor_kw``; a month without any measured quarter bills the floor.
    """
    q = np.asarray(quarter_kwh, dtype=float)
    m = np.asarray(month, dtype=int)
    if q.shape != m.shape:
        raise ValueError(f"quarter_kwh and month differ in shape: {q.shape} vs {m.shape}")
    ok = ~np.isnan(q)
    peaks = np.zeros(12)
    np.maximum.at(peaks, m[ok], QUARTERS_PER_HOUR * np.maximum(q[ok], 0.0))
    return np.maximum(peaks, floor_kw)


def capacity_cost(billed_peaks_kw: np.ndarray, rate_eur_per_kw_year: float) -> float:
    """Yearly capacity-tariff cost [EUR/yr]: the rate times the mean of the twelve billed monthly peaks (in
    a repeating year the rolling 12-month mean equals the yearly one)."""
    return float(rate_eur_per_kw_year * np.mean(billed_peaks_kw))
