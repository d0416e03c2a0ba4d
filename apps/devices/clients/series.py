"""Our side of the parsers: what vendor bodies become (no Django, no network).

- Hourly energy series: ``pandas.Series`` of float kWh per hour, indexed by the *start* of each hour
  as a tz-aware UTC ``DatetimeIndex`` (name ``"kwh"``). Missing hours are ``NaN``, never 0.
- Asset facts: ``AssetFact`` rows (what a household has linked).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .errors import VendorResponseError

ASSET_KINDS = ("inverter", "meter", "battery", "vehicle", "charger", "hvac", "hem-system")


@dataclass(frozen=True)
class AssetFact:
    """One linked asset. Capacities only when the vendor states them (never guessed)."""

    kind: str  # one of ASSET_KINDS
    vendor: str  # our integration: "enode", "enphase", "pod"
    vendor_id: str  # the integration's id for the asset
    name: str
    brand: str | None = None
    model: str | None = None
    capacity_kw: float | None = None  # rated power [kW]
    capacity_kwh: float | None = None  # storage capacity [kWh]
    hem_system_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self):
        if self.kind not in ASSET_KINDS:
            raise ValueError(f"unknown asset kind {self.kind!r}; expected one of {ASSET_KINDS}")


def empty_hourly() -> pd.Series:
    return pd.Series([], index=pd.DatetimeIndex([], tz="UTC"), dtype="float64", name="kwh")


def to_utc_index(values: Iterable[Any], *, unit: str | None = None) -> pd.DatetimeIndex:
    """Timestamps (RFC 3339 strings with offsets, or epoch numbers with ``unit="s"``) -> UTC index."""
    try:
        if unit:
            return pd.DatetimeIndex(pd.to_datetime(list(values), unit=unit, utc=True))
        return pd.DatetimeIndex(pd.to_datetime(list(values), utc=True, format="ISO8601"))
    except (ValueError, TypeError) as exc:
        raise VendorResponseError(f"unreadable timestamps in vendor body: {exc}") from None


def bucket_energy_to_hourly(starts: pd.DatetimeIndex, kwh: Iterable[Any]) -> pd.Series:
    """Energy per bucket [kWh] (buckets of <= 1 h, indexed by start) -> kWh per UTC hour.

    An hour whose buckets are all missing stays ``NaN``; partly missing hours sum what is there.
    """
    values = pd.to_numeric(pd.Series(list(kwh), dtype="object"), errors="coerce").astype("float64")
    if len(values) != len(starts):
        raise VendorResponseError(f"{len(starts)} timestamps but {len(values)} values")
    if len(values) == 0:
        return empty_hourly()
    series = pd.Series(values.to_numpy(), index=starts.tz_convert("UTC"))
    series = series.groupby(level=0).sum(min_count=1).sort_index()  # duplicate buckets: sum
    hourly = series.resample("1h").sum(min_count=1)
    hourly.name = "kwh"
    hourly.index.freq = None
    return hourly


def average_power_to_hourly(
    starts: pd.DatetimeIndex, power_kw: Iterable[Any], bucket: pd.Timedelta
) -> pd.Series:
    """Average power per bucket [kW] over buckets of length ``bucket`` -> kWh per UTC hour."""
    hours = bucket / pd.Timedelta(hours=1)
    power = pd.to_numeric(pd.Series(list(power_kw), dtype="object"), errors="coerce").astype("float64")
    return bucket_energy_to_hourly(starts, power.to_numpy() * hours)


def as_arrays(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(timestamps as ``datetime64[s]`` UTC, kWh floats) for callers that prefer numpy."""
    stamps = series.index.tz_convert("UTC").tz_localize(None).to_numpy().astype("datetime64[s]")
    return stamps, series.to_numpy(dtype="float64")
