"""POD consumption API: POD validation and pure parsers (tests/devices/bodies/pod_*.json).

Bodies are ``{"status": 200, "data": {...}}``; tables come as ``electricity_data`` =
``{"index": [...], "columns": [...], "data": [[...], ...]}`` (pandas "split" layout).

Timestamps: the reference's examples write them as ``2025-21-07T00:00:00Z`` — year-DAY-month — in
the consumption/latest/greenness tables, and as ISO ``2025-06-21T00:00:00Z`` elsewhere. We decide per
table: if any value only makes sense one way, that way wins; if every value fits both, the reading
whose last timestamp is nearest to ``now`` (not in the future) wins; without ``now``, ISO.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..errors import VendorInputError, VendorResponseError

VENDOR = "pod"

# As printed in the reference: "pod required | string (POD) = 20 characters
# ^[A-Z]{2}[0-9A-Z]{3}[A-Z0-9]{14}$". The pattern admits exactly 19 characters (2 + 3 + 14), the
# prose says 20 and the example "IT001E1234567890AB" has 18. We enforce the pattern (the only
# machine-readable rule) after removing spaces and upper-casing; see validate_pod.
POD_PATTERN = re.compile(r"^[A-Z]{2}[0-9A-Z]{3}[A-Z0-9]{14}$")
POD_LENGTH = 19

PERIODS = ("yesterday", "last-seven-days", "this-week", "last-week", "this-month", "last-month")


def _invalid(template: str, **params) -> VendorInputError:
    """A VendorInputError whose template (a msgid in the portal's translations) and params travel along."""
    return VendorInputError(template % params if params else template, template=template, params=params)


def validate_pod(pod: str) -> str:
    """Return the canonical POD or raise ``VendorInputError`` saying exactly what is wrong.

    Canonical form: spaces/dashes removed, upper case. Rule: 2 letters (country), 3 letters or digits
    (distributor), 14 letters or digits - 19 characters in all.
    """
    if not isinstance(pod, str) or not pod.strip():
        raise _invalid("POD is empty; enter the 19-character code printed on the energy bill")
    canon = re.sub(r"[\s\-.]", "", pod).upper()
    bad = sorted({c for c in canon if not ("A" <= c <= "Z" or "0" <= c <= "9")})
    if bad:
        raise _invalid(
            "POD may contain only letters and digits; found %(found)s", found=" ".join(repr(c) for c in bad)
        )
    if not canon[:2].isalpha() or len(canon) < 2:
        raise _invalid(
            "POD must start with a two-letter country code (e.g. 'IT'); got %(got)s", got=repr(canon[:2])
        )
    if len(canon) != POD_LENGTH:
        raise _invalid(
            "POD must be %(length)d characters (2-letter country code, 3-character distributor code, "
            "14 letters/digits); got %(got)d",
            length=POD_LENGTH,
            got=len(canon),
        )
    if not POD_PATTERN.fullmatch(canon):  # unreachable given the checks above; kept as the source of truth
        raise _invalid("POD does not match the documented format")
    return canon


def validate_period(period: str) -> str:
    if period not in PERIODS:
        raise VendorInputError(f"unknown period {period!r}; use one of {', '.join(PERIODS)}")
    return period


def _data(body: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(body, Mapping) or not isinstance(body.get("data"), Mapping):
        raise VendorResponseError(f"{what}: answer has no 'data' object", vendor=VENDOR)
    return body["data"]


def _table(block: Any, what: str) -> tuple[list[Any], list[str], np.ndarray]:
    if not isinstance(block, Mapping):
        raise VendorResponseError(f"{what}: no electricity_data table", vendor=VENDOR)
    index, columns, rows = block.get("index"), block.get("columns"), block.get("data")
    if not (isinstance(index, list) and isinstance(columns, list) and isinstance(rows, list)):
        raise VendorResponseError(f"{what}: table needs index, columns and data arrays", vendor=VENDOR)
    if len(index) != len(rows):
        raise VendorResponseError(f"{what}: {len(index)} index entries but {len(rows)} rows", vendor=VENDOR)
    keep = [i for i, (ix, row) in enumerate(zip(index, rows, strict=True)) if ix != "..." and row != "..."]
    index = [index[i] for i in keep]
    rows = [rows[i] for i in keep]
    for row in rows:
        if not isinstance(row, list) or len(row) != len(columns):
            raise VendorResponseError(f"{what}: a row does not have {len(columns)} values", vendor=VENDOR)
    values = np.array(
        [[np.nan if v is None else float(v) for v in row] for row in rows], dtype="float64"
    ).reshape(len(rows), len(columns))
    return index, [str(c) for c in columns], values


_STAMP = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$")


def _read_stamps(values: list[Any], *, now: dt.datetime | None = None) -> pd.DatetimeIndex:
    """Vendor timestamps -> UTC index, resolving the year-day-month ambiguity (module docstring)."""
    parts = []
    for v in values:
        m = _STAMP.match(str(v))
        if not m:
            raise VendorResponseError(f"unreadable timestamp {v!r}", vendor=VENDOR)
        parts.append(m.groups())

    def build(swap: bool) -> pd.DatetimeIndex | None:
        out = []
        for y, a, b, hh, mm, ss, tz in parts:
            month, day = (int(b), int(a)) if swap else (int(a), int(b))
            try:
                stamp = dt.datetime(int(y), month, day, int(hh), int(mm), int(ss or 0))
            except ValueError:
                return None
            ts = pd.Timestamp(stamp)
            ts = (
                ts.tz_localize("UTC")
                if tz in (None, "Z")
                else ts.tz_localize(
                    dt.timezone(dt.timedelta(hours=int(tz[:3]), minutes=int(tz[0] + tz[-2:])))
                ).tz_convert("UTC")
            )
            out.append(ts)
        return pd.DatetimeIndex(out, tz="UTC") if out else pd.DatetimeIndex([], tz="UTC")

    iso, swapped = build(False), build(True)
    if iso is None and swapped is None:
        raise VendorResponseError("timestamps are not valid dates in either field order", vendor=VENDOR)
    if iso is None:
        return swapped
    if swapped is None or len(iso) == 0 or iso.equals(swapped):
        return iso
    if now is not None:
        ref = pd.Timestamp(now).tz_convert("UTC") if pd.Timestamp(now).tzinfo else pd.Timestamp(now, tz="UTC")
        slack = pd.Timedelta(days=1)

        def score(ix: pd.DatetimeIndex) -> float:
            gap = (ref - ix.max()).total_seconds()
            return abs(gap) if gap >= -slack.total_seconds() else float("inf")

        return swapped if score(swapped) < score(iso) else iso
    return iso


def _power_table_to_hourly(index, columns, values, *, now=None) -> pd.DataFrame:
    """Power samples [W] at regular steps -> kWh per UTC hour (each sample holds until the next)."""
    if not index:
        return pd.DataFrame(columns=columns, index=pd.DatetimeIndex([], tz="UTC"), dtype="float64")
    stamps = _read_stamps(index, now=now)
    frame = pd.DataFrame(values, index=stamps, columns=columns).sort_index()
    frame = frame[~frame.index.duplicated(keep="last")]
    if len(frame) > 1:
        step = pd.Series(frame.index).diff().dropna().median()
    else:
        step = pd.Timedelta(minutes=1)
    kwh = frame * (step / pd.Timedelta(hours=1)) / 1000.0
    hourly = kwh.resample("1h").sum(min_count=1)
    hourly.index.freq = None
    return hourly


def _parse_register(body: Any) -> dict[str, str]:
    data = _data(body, "register POD")
    return {k: str(data.get(k, "")) for k in ("pod", "account_number", "company_code")}


def _parse_onboarding(body: Any) -> Mapping[str, Any]:
    data = _data(body, "onboarding")
    return data.get("onboarding_data") or {}


def _parse_consumption(body: Any, *, now: dt.datetime | None = None) -> pd.DataFrame:
    """Per-appliance power samples [W] -> kWh per UTC hour, one column per appliance."""
    data = _data(body, "consumption")
    index, columns, values = _table(data.get("electricity_data"), "consumption")
    return _power_table_to_hourly(index, columns, values, now=now)


def _parse_latest(body: Any, *, now: dt.datetime | None = None) -> pd.Series:
    """Last six hours of whole-house power [W] -> kWh per UTC hour."""
    data = _data(body, "latest consumption")
    index, columns, values = _table(data.get("electricity_data"), "latest consumption")
    hourly = _power_table_to_hourly(index, columns, values, now=now)
    series = hourly.sum(axis=1, min_count=1) if len(hourly.columns) else hourly.iloc[:, 0]
    series.name = "kwh"
    return series


def _parse_realtime(body: Any) -> float:
    """Whole-house power now [kW]."""
    data = _data(body, "realtime consumption")
    try:
        return float(data["realtime_consumption"]) / 1000.0
    except (KeyError, TypeError, ValueError):
        raise VendorResponseError("realtime answer has no realtime_consumption", vendor=VENDOR) from None


def _parse_distribution(body: Any) -> dict[str, Any]:
    """Energy per appliance over the period [kWh] plus period totals [kWh] when given."""
    data = _data(body, "distribution")
    _, columns, values = _table(data.get("electricity_data"), "distribution")
    per_appliance = {c: float(np.nansum(values[:, i])) / 1000.0 for i, c in enumerate(columns)}
    totals = data.get("total_consumption") or {}
    return {
        "appliances_kwh": per_appliance,
        "selected_period_kwh": float(totals["selected_period"]) / 1000.0
        if "selected_period" in totals
        else None,
        "previous_period_kwh": float(totals["previous_period"]) / 1000.0
        if "previous_period" in totals
        else None,
    }


def _parse_trend(body: Any) -> pd.DataFrame:
    """Last 12 months by tariff band [Wh] -> DataFrame [kWh], index month number, columns bands."""
    data = _data(body, "trend")
    index, columns, values = _table(data.get("electricity_data"), "trend")
    frame = pd.DataFrame(
        values / 1000.0, index=pd.Index([int(i) for i in index], name="month"), columns=columns
    )
    frame["total"] = frame.sum(axis=1)
    return frame


def _parse_habits(body: Any) -> np.ndarray:
    """Typical week [Wh per (weekday, hour)] -> 7 x 24 array [kWh]; NaN where not given.

    Index entries are ``[weekday, hour]`` pairs; weekday 0..6 as the vendor numbers them.
    """
    data = _data(body, "habits")
    index, _, values = _table(data.get("electricity_data"), "habits")
    grid = np.full((7, 24), np.nan)
    for (day, hour), row in zip(index, values, strict=True):
        if not (0 <= int(day) <= 6 and 0 <= int(hour) <= 23):
            raise VendorResponseError(f"habits: index [{day}, {hour}] out of range", vendor=VENDOR)
        grid[int(day), int(hour)] = row[0] / 1000.0
    return grid


def _parse_performance(body: Any) -> dict[str, float]:
    """Comparison with similar households over the period [kWh]."""
    perf = _data(body, "performance").get("performance") or {}
    try:
        return {
            "min_kwh": float(perf["min_consumption"]) / 1000.0,
            "max_kwh": float(perf["max_consumption"]) / 1000.0,
            "user_kwh": float(perf["user_consumption"]) / 1000.0,
        }
    except (KeyError, TypeError, ValueError):
        raise VendorResponseError("performance answer is incomplete", vendor=VENDOR) from None
