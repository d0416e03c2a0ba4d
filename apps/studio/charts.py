"""Chart aggregation of a studio profile's hourly series (pure: arrays in, JSON-ready dict out).

Views: ``week`` (index 0–51: 168 hourly values from day 7·index), ``month`` (index 0–11: daily sums),
``year`` (12 monthly sums). ``production`` and ``export`` use the same aggregation chosen by
``sub_view`` (week|month|year, default year) on the solar production / grid export instead of the
consumption. Every response carries ``baseline`` (without layers) and ``combined`` (with layers):

* week/month/year: baseline = base consumption, combined = result (grid import after layers);
* production: baseline = zeros (the base has no production of its own), combined = solar layer output;
* export: baseline = the base's export (a meter file with feed-in), combined = export after layers.

Values are kWh per step (hour, day or month). Timestamps are local standard time (UTC+1) of the
profile's year; the reference year has no 29 February.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from apps.engine.timebase import HOURS, day_of_year, hour_of_day, month_index, monthly_sum

VIEWS = ("week", "month", "year", "production", "export")
SUB_VIEWS = ("week", "month", "year")
WEEKS = 52
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_MONTH_START_DAY = np.concatenate([[0], np.cumsum(_DAYS_IN_MONTH)])


class ChartError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@lru_cache(maxsize=8)
def hour_labels(year: int) -> tuple[str, ...]:
    """8760 ISO timestamps (hour start, UTC+1) of ``year`` on the reference-year calendar."""
    months = month_index() + 1
    doy = day_of_year().astype(int) - 1
    days = doy - _MONTH_START_DAY[month_index()] + 1
    hours = hour_of_day()
    return tuple(
        f"{year:04d}-{m:02d}-{d:02d}T{h:02d}:00:00+01:00"
        for m, d, h in zip(months.tolist(), days.tolist(), hours.tolist(), strict=True)
    )


def _aggregate(series: np.ndarray, view: str, index: int, year: int) -> tuple[list[str], np.ndarray]:
    if view == "week":
        start = index * 7 * 24
        labels = list(hour_labels(year)[start : start + 168])
        return labels, series[start : start + 168]
    if view == "month":
        first, last = _MONTH_START_DAY[index], _MONTH_START_DAY[index + 1]
        daily = series.reshape(-1, 24).sum(axis=1)[first:last]
        labels = [f"{year:04d}-{index + 1:02d}-{d:02d}" for d in range(1, last - first + 1)]
        return labels, daily
    labels = [f"{year:04d}-{m:02d}" for m in range(1, 13)]
    return labels, monthly_sum(series)


def _index(view: str, index: int | None) -> int:
    if view == "year":
        return 0
    limit = WEEKS - 1 if view == "week" else 11
    if index is None:
        return 0
    if not 0 <= index <= limit:
        raise ChartError("index", f"index must be between 0 and {limit} for the {view} view.")
    return index


def chart_data(
    *,
    view: str,
    index: int | None,
    sub_view: str | None,
    year: int,
    baseline: np.ndarray,
    baseline_export: np.ndarray | None,
    result: np.ndarray,
    export: np.ndarray,
    production: np.ndarray,
    layers: list[dict],
) -> dict:
    """Aggregated series for one chart (see module docstring). ``layers``: dicts with id, name, type,
    color, enabled and data (8760) — each enabled layer's own series is included for stacking."""
    if view not in VIEWS:
        raise ChartError("view", f"view must be one of: {', '.join(VIEWS)}.")
    zeros = np.zeros(HOURS)
    if view in ("production", "export"):
        agg = sub_view or "year"
        if agg not in SUB_VIEWS:
            raise ChartError("subView", f"subView must be one of: {', '.join(SUB_VIEWS)}.")
        if view == "production":
            base_series, combined_series = zeros, production
        else:
            base_series = zeros if baseline_export is None else baseline_export
            combined_series = export
        layer_filter = ("solar",) if view == "production" else ()
    else:
        agg = view
        base_series, combined_series = baseline, result
        layer_filter = None
    idx = _index(agg, index)
    labels, base_values = _aggregate(np.asarray(base_series, dtype=float), agg, idx, year)
    _, combined_values = _aggregate(np.asarray(combined_series, dtype=float), agg, idx, year)
    layer_series = []
    for layer in layers:
        if not layer["enabled"] or layer["data"] is None:
            continue
        is_solar = layer["type"] == "solar"
        if layer_filter is None and is_solar:
            continue
        if layer_filter is not None and layer["type"] not in layer_filter:
            continue
        _, values = _aggregate(layer["data"], agg, idx, year)
        layer_series.append(
            {
                "id": layer["id"],
                "name": layer["name"],
                "type": layer["type"],
                "color": layer["color"],
                "data": np.round(values, 4).tolist(),
            }
        )
    return {
        "view": view,
        "sub_view": agg if view in ("production", "export") else None,
        "index": idx,
        "year": year,
        "resolution": {"week": "hour", "month": "day", "year": "month"}[agg],
        "unit": "kWh",
        "labels": labels,
        "baseline": np.round(base_values, 4).tolist(),
        "combined": np.round(combined_values, 4).tolist(),
        "layers": layer_series,
        "totals": {
            "baseline": round(float(base_values.sum()), 3),
            "combined": round(float(combined_values.sum()), 3),
        },
    }
