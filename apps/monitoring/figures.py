"""Month-by-month expected versus actual production (pure: no Django; readings in, figures out).

Months and hours are on the engine's time base (local standard time, UTC+1 all year), so a reading's hour
lands on the same step as the expected series. A month counts only the hours since installation and up to
``now``. Missing data is never zero:

* ``coverage`` = hours with a reading / hours of the month since installation [-];
* ``covered_share`` = the share of the month's typical production that falls in the hours with readings
  [-]: the expected band is scaled by it, so a missing night costs nothing and a missing noon a lot;
* a finished month with ``coverage`` under ``MIN_COVERAGE`` is ``missing``: no ratio, never an alert.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from apps.engine import defaults as d
from apps.monitoring.expected import ExpectedYears

MIN_COVERAGE = 0.9
"""A finished month needs readings for this share of its hours to be judged [-]. Assumption: a few days of
outage still leave a month whose remaining hours say how the system performs."""

STANDARD_TIME = dt.timezone(dt.timedelta(hours=d.UTC_OFFSET_HOURS))


@dataclass(frozen=True)
class MonthFigures:
    """One month: first day, operating year, band [kWh] (full month), readings [kWh], coverage [-]."""

    month: dt.date
    operating_year: int
    expected_low_kwh: float
    expected_kwh: float
    expected_high_kwh: float
    expected_this_weather_kwh: float | None
    actual_kwh: float | None
    coverage: float
    covered_share: float
    ratio: float | None
    status: str  # "ok" | "low" | "missing" | "running"

    @property
    def expected_covered_kwh(self) -> float:
        """Expected typical production in the hours that have readings [kWh]."""
        return self.expected_kwh * self.covered_share

    @property
    def judged(self) -> bool:
        return self.status in ("ok", "low")


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1)


def operating_year(install_date: dt.date, month: dt.date) -> int:
    """1 for the first twelve months from the installation month, 2 for the next twelve, … [-]."""
    start = _month_start(install_date)
    return 1 + ((month.year - start.year) * 12 + month.month - start.month) // 12


def time_base_steps(hours: pd.DatetimeIndex) -> np.ndarray:
    """Time-base step (0..8759) of UTC hour starts: the hour of the year in local standard time, with a
    leap year's 29 February folded onto the 28th (the time base has no leap day)."""
    local = hours.tz_convert(STANDARD_TIME)
    day = np.asarray(local.day_of_year, dtype=np.intp) - 1
    leap_after_feb = np.asarray(local.is_leap_year & (local.month > 2), dtype=bool)
    feb_29 = np.asarray(local.is_leap_year & (local.month == 2) & (local.day == 29), dtype=bool)
    day = day - leap_after_feb - feb_29
    return day * 24 + np.asarray(local.hour, dtype=np.intp)


def _local_instant(day: dt.date) -> pd.Timestamp:
    return pd.Timestamp(dt.datetime.combine(day, dt.time(), tzinfo=STANDARD_TIME))


def month_figures(
    expected: ExpectedYears, readings: pd.Series, install_date: dt.date, now: dt.datetime
) -> list[MonthFigures]:
    """Figures for every month from the installation month to the month of ``now``.

    ``readings``: production per UTC hour start [kWh] (tz-aware index; duplicates already summed).
    """
    install_start = _local_instant(install_date)
    now_ts = pd.Timestamp(now).tz_convert(STANDARD_TIME)
    readings = readings[readings.index >= install_start]
    local = readings.index.tz_convert(STANDARD_TIME)
    out = []
    month = _month_start(install_date)
    while _local_instant(month) <= now_ts:
        following = _next_month(month)
        start = max(_local_instant(month), install_start)
        end = min(_local_instant(following), now_ts.floor("h"))
        finished = _local_instant(following) <= now_ts
        hours = max(int((end - start) / pd.Timedelta(hours=1)), 0)
        in_month = (local >= start) & (local < end)
        values = readings[in_month]
        coverage = min(len(values) / hours, 1.0) if hours else 0.0
        share = expected.covered_share(month.month, time_base_steps(values.index))
        year = operating_year(install_date, month)
        low, typical, high = expected.band(month.month, year)
        actual = float(values.sum()) if len(values) else None
        ratio = actual / (typical * share) if actual is not None and typical * share > 0 else None
        if not finished:
            status = "running"
        elif coverage < MIN_COVERAGE or actual is None:
            status, ratio = "missing", None
        else:
            status = "low" if actual < low * share else "ok"
        out.append(
            MonthFigures(
                month=month,
                operating_year=year,
                expected_low_kwh=low,
                expected_kwh=typical,
                expected_high_kwh=high,
                expected_this_weather_kwh=expected.of_year(month.year, month.month, year),
                actual_kwh=actual,
                coverage=coverage,
                covered_share=share,
                ratio=ratio,
                status=status,
            )
        )
        month = following
    return out


@dataclass(frozen=True)
class Totals:
    """Measured and expected typical production over the judged months' covered hours [kWh], their ratio."""

    actual_kwh: float
    expected_kwh: float
    ratio: float | None


def since_installation(months) -> Totals:
    """Totals over the judged months (``ok``/``low``) of month figures or stored months alike; months
    without enough data and the running month are left out, so a gap never lowers the ratio."""
    judged = [m for m in months if m.status in ("ok", "low")]
    actual = sum(m.actual_kwh for m in judged)
    expected = sum(m.expected_kwh * m.covered_share for m in judged)
    return Totals(actual, expected, actual / expected if expected > 0 else None)
