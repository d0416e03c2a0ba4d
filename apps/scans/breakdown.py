"""Time-series breakdown of a scan's hourly series for charts (GET /v1/scans/:id/breakdown, chartData).

The series cover one 8760-hour year in local standard time (UTC+1, no DST), hour 0 = 1 January 00:00 of
the first operating year. Windows: `day` → 24 hourly buckets, `week` → 7 daily buckets, `month` → the
month's days, `year` → 12 monthly buckets. Energy series are summed per bucket [kWh]; `batteryLevel` is
the mean state of charge per bucket [% of the battery's capacity, as the seed] (`extended=true`: every
hour of the window instead), `batteryLevelKwh` the same in [kWh]; `batteryLevelStats`/`tariffRates` give
min/max/average per bucket [%, EUR/kWh]. Any requested year is mapped onto the simulated year (the first
operating year); `startDate`/`endDate` state the window in that year (UTC) and `simulatedYear` names it.
A window running past 31 December wraps to the start of the same simulated year.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np

from apps.scans.series import ENERGY_SERIES

HOURS = 8760
LOCAL = timezone(timedelta(hours=1))
WALL_CLOCK = ZoneInfo("Europe/Amsterdam")
FIELDS = (
    *ENERGY_SERIES,
    "battery_level",
    "battery_level_kwh",
    "battery_level_stats",
    "tariff_type",
    "tariff_rates",
    "labels",
    "interval_type",
    "start_date",
    "end_date",
    "simulated_year",
    "monthly_energy_costs",
    "monthly_demand_costs",
    "monthly_fixed_costs",
    "yearly_electricity_cost",
    "yearly_cashflows",
    "cumulative_cashflows",
    "monthly_co2_savings_kg",
)


def _hour_of_year(moment: datetime) -> int:
    """Hour index in the simulated (non-leap) year for a local month/day/hour; 29 February → 28 February."""
    day = min(moment.day, 28) if moment.month == 2 else moment.day
    return (date(2001, moment.month, day).timetuple().tm_yday - 1) * 24 + moment.hour


def _window(start: datetime, interval: str, year: int) -> tuple[datetime, list[tuple[datetime, int]]]:
    """(window start, [(bucket start, hours in bucket)])."""
    if interval == "year":
        first = datetime(year, 1, 1, tzinfo=LOCAL)
        buckets = [
            (datetime(year, m, 1, tzinfo=LOCAL), 24 * (28 if m == 2 else calendar.monthrange(2001, m)[1]))
            for m in range(1, 13)
        ]
        return first, buckets
    if interval == "month":
        first = datetime(year, start.month, 1, tzinfo=LOCAL)
        days = 28 if start.month == 2 else calendar.monthrange(2001, start.month)[1]
        return first, [(first + timedelta(days=i), 24) for i in range(days)]
    first = datetime(year, start.month, min(start.day, 28) if start.month == 2 else start.day, tzinfo=LOCAL)
    if interval == "week":
        return first, [(first + timedelta(days=i), 24) for i in range(7)]
    return first, [(first + timedelta(hours=i), 1) for i in range(24)]


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _round(values, digits: int = 3) -> list[float]:
    return [round(float(v), digits) for v in values]


def breakdown(
    *,
    hourly: dict[str, np.ndarray],
    charts: dict,
    year: int,
    start: datetime | None = None,
    interval: str = "day",
    extended: bool = False,
    fields: set[str] | None = None,
    battery_capacity_kwh: float = 0.0,
) -> dict:
    """The chart payload (snake_case keys) for one window; `fields` keeps only those keys (snake_case)."""
    if start is None:
        start = datetime(year, 1, 1, tzinfo=LOCAL)
    elif start.tzinfo is not None:
        start = start.astimezone(WALL_CLOCK)  # the calendar day as the household sees it
    first, buckets = _window(start, interval, year)
    offset = _hour_of_year(first)
    hours = sum(n for _, n in buckets)
    index = (offset + np.arange(hours)) % HOURS
    edges = np.cumsum([0] + [n for _, n in buckets])

    def per_bucket(values: np.ndarray, how) -> list:
        window = values[index]
        return [how(window[edges[i] : edges[i + 1]]) for i in range(len(buckets))]

    def stats(chunk: np.ndarray) -> dict:
        return {
            "min": round(float(chunk.min()), 4),
            "max": round(float(chunk.max()), 4),
            "average": round(float(chunk.mean()), 4),
        }

    if interval == "day":
        labels = [b.strftime("%H:%M") for b, _ in buckets]
    elif interval == "year":
        labels = [b.strftime("%Y-%m") for b, _ in buckets]
    else:
        labels = [b.strftime("%Y-%m-%d") for b, _ in buckets]

    out: dict = {name: _round(per_bucket(hourly[name], np.sum)) for name in ENERGY_SERIES}
    level_kwh = hourly["battery_level"]
    soc = level_kwh / battery_capacity_kwh * 100.0 if battery_capacity_kwh > 0 else np.zeros_like(level_kwh)
    out["battery_level"] = _round(soc[index], 1) if extended else _round(per_bucket(soc, np.mean), 1)
    out["battery_level_kwh"] = (
        _round(level_kwh[index]) if extended else _round(per_bucket(level_kwh, np.mean))
    )
    out["battery_level_stats"] = per_bucket(soc, stats)
    out["tariff_type"] = charts.get("tariff_type")
    out["tariff_rates"] = per_bucket(hourly["import_price"], stats)
    out["labels"] = labels
    out["interval_type"] = interval
    end = first + timedelta(hours=hours)
    out["start_date"] = _utc(first)
    out["end_date"] = _utc(end)
    out["simulated_year"] = year
    for name in (
        "monthly_energy_costs",
        "monthly_demand_costs",
        "monthly_fixed_costs",
        "yearly_electricity_cost",
        "yearly_cashflows",
        "cumulative_cashflows",
        "monthly_co2_savings_kg",
    ):
        out[name] = charts.get(name)
    if fields:
        out = {k: v for k, v in out.items() if k in fields}
    return out
