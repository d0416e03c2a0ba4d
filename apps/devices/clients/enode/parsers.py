"""Pure parsers for Enode bodies (recorded examples in tests/devices/bodies/enode_*.json)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..errors import VendorResponseError
from ..series import (
    AssetFact,
    average_power_to_hourly,
    bucket_energy_to_hourly,
    empty_hourly,
    to_utc_index,
)

VENDOR = "enode"

# Timestamp key of a statistics bucket. The reference we were given describes the field ("time bucket
# start as a RFC3339 timestamp") without showing its name; we accept the usual spellings.
_BUCKET_TIME_KEYS = ("date", "timestamp", "start", "time")

# HEM system statistics series (energy series; batteryLevel is a percentage, handled apart).
HEM_ENERGY_SERIES = (
    "generation",
    "consumption",
    "gridImport",
    "gridExport",
    "batteryCharge",
    "batteryDischarge",
)


@dataclass(frozen=True)
class LinkSession:
    link_url: str
    link_token: str | None = None


def _require_mapping(body: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(body, Mapping):
        raise VendorResponseError(f"{what}: expected a JSON object, got {type(body).__name__}", vendor=VENDOR)
    return body


def _parse_link_session(body: Any) -> LinkSession:
    body = _require_mapping(body, "link session")
    url = body.get("linkUrl")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise VendorResponseError("link session answer has no usable linkUrl", vendor=VENDOR)
    return LinkSession(link_url=url, link_token=body.get("linkToken"))


def _parse_page(body: Any) -> tuple[list[Mapping[str, Any]], str | None]:
    """A paginated list: ``{"data": [...], "pagination": {"before": ..., "after": ...}}``."""
    body = _require_mapping(body, "list")
    data = body.get("data")
    if not isinstance(data, list):
        raise VendorResponseError("list answer has no 'data' array", vendor=VENDOR)
    pagination = body.get("pagination") or {}
    after = pagination.get("after") if isinstance(pagination, Mapping) else None
    return data, (str(after) if after else None)


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _parse_asset(kind: str, obj: Mapping[str, Any]) -> AssetFact:
    """One Enode asset object (as listed, or inside a webhook event) -> ``AssetFact``."""
    obj = _require_mapping(obj, f"{kind} object")
    asset_id = obj.get("id")
    if not asset_id:
        raise VendorResponseError(f"{kind} object without an id", vendor=VENDOR)
    info = obj.get("information") or {}
    brand = info.get("brand") or obj.get("vendor")
    model = info.get("model")
    name = (
        info.get("displayName")
        or info.get("siteName")
        or info.get("name")
        or obj.get("name")
        or " ".join(str(p) for p in (brand, model) if p)
        or f"{kind} {str(asset_id)[:8]}"
    )
    charge = obj.get("chargeState") or {}
    capacity_kwh = _num(charge.get("batteryCapacity")) if kind in ("battery", "vehicle") else None
    capacity_kw = None
    if kind == "inverter":
        capacity_kw = _num(info.get("ratedPower") or info.get("capacity"))  # only when the vendor gives it
    extra: dict[str, Any] = {}
    if kind == "charger" and charge.get("maxCurrent") is not None:
        extra["max_current_a"] = _num(charge.get("maxCurrent"))
    if kind == "inverter":
        prod = obj.get("productionState") or {}
        if prod.get("totalLifetimeProduction") is not None:
            extra["lifetime_production_kwh"] = _num(prod.get("totalLifetimeProduction"))
    location = obj.get("location") or {}
    if location.get("latitude") is not None and location.get("longitude") is not None:
        extra["latitude"] = _num(location.get("latitude"))
        extra["longitude"] = _num(location.get("longitude"))
    return AssetFact(
        kind=kind,
        vendor=VENDOR,
        vendor_id=str(asset_id),
        name=str(name),
        brand=brand,
        model=model,
        capacity_kw=capacity_kw,
        capacity_kwh=capacity_kwh,
        hem_system_id=obj.get("hemSystemId"),
        extra=extra,
    )


def _bucket_times(items: list[Any], what: str) -> tuple[pd.DatetimeIndex, list[Any]]:
    stamps, values = [], []
    for item in items:
        if not isinstance(item, Mapping):
            raise VendorResponseError(f"{what}: bucket is not an object", vendor=VENDOR)
        key = next((k for k in _BUCKET_TIME_KEYS if k in item), None)
        if key is None:
            raise VendorResponseError(f"{what}: bucket without a timestamp", vendor=VENDOR)
        stamps.append(item[key])
        values.append(item.get("value"))
    return to_utc_index(stamps), values


def _parse_inverter_statistics(body: Any) -> pd.Series:
    """Inverter production statistics -> kWh per UTC hour.

    Accepts the API answer or a ``statistics`` object from a ``user:inverter:statistics-updated``
    event: ``{"resolutions": {"QUARTER_HOUR": {"data": [{"date", "value" [kWh]}]}, "DAY": {...}}}``.
    Quarter-hour energies are summed per hour; a DAY-only answer cannot be made hourly and gives an
    empty series (use ``_parse_inverter_daily`` for those).
    """
    body = _require_mapping(body, "inverter statistics")
    if "statistics" in body and "resolutions" not in body:
        body = _require_mapping(body["statistics"], "inverter statistics")
    resolutions = body.get("resolutions")
    if not isinstance(resolutions, Mapping):
        raise VendorResponseError("inverter statistics without 'resolutions'", vendor=VENDOR)
    for key in ("QUARTER_HOUR", "HALF_HOUR", "HOUR"):
        block = resolutions.get(key)
        if isinstance(block, Mapping) and isinstance(block.get("data"), list):
            starts, values = _bucket_times(block["data"], "inverter statistics")
            return bucket_energy_to_hourly(starts, values)
    return empty_hourly()


def _parse_inverter_daily(body: Any) -> pd.Series:
    """The DAY resolution of inverter statistics -> kWh per day, indexed by the local day start in UTC."""
    body = _require_mapping(body, "inverter statistics")
    if "statistics" in body and "resolutions" not in body:
        body = body["statistics"]
    block = (body.get("resolutions") or {}).get("DAY") or {}
    starts, values = _bucket_times(block.get("data") or [], "inverter statistics")
    return pd.Series(
        pd.to_numeric(pd.Series(values, dtype="object"), errors="coerce").to_numpy(dtype="float64"),
        index=starts,
        name="kwh",
    )


_DURATION = re.compile(r"^P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+)S)?)?$")


def _parse_iso_duration(text: str) -> pd.Timedelta | None:
    match = _DURATION.match(text or "")
    if not match or not any(match.groupdict().values()):
        return None
    parts = {k: int(v or 0) for k, v in match.groupdict().items()}
    return pd.Timedelta(days=parts["d"], hours=parts["h"], minutes=parts["m"], seconds=parts["s"])


def _parse_hem_statistics(body: Any) -> dict[str, pd.Series]:
    """HEM system statistics -> ``{"generation": kWh/h, "consumption": ..., "batteryLevel": %}``.

    Per the reference, buckets shorter than one hour carry *average power* [kW] and buckets of one
    hour or more carry *energy* [kWh]. The bucket length comes from the series' ``resolution``
    (ISO 8601 duration such as ``PT15M``) or, failing that, from the spacing of the timestamps.
    Series marked ``isAvailable: false`` are left out. ``batteryLevel`` is returned as the hourly
    mean state of charge [%].
    """
    body = _require_mapping(body, "HEM statistics")
    timeseries = body.get("timeseries")
    if not isinstance(timeseries, Mapping):
        raise VendorResponseError("HEM statistics without 'timeseries'", vendor=VENDOR)
    out: dict[str, pd.Series] = {}
    for name, block in timeseries.items():
        if not isinstance(block, Mapping) or block.get("isAvailable") is False:
            continue
        data = block.get("data")
        if not isinstance(data, list) or not data:
            continue
        starts, values = _bucket_times(data, f"HEM statistics {name}")
        if name == "batteryLevel":
            level = pd.Series(
                pd.to_numeric(pd.Series(values, dtype="object"), errors="coerce").to_numpy(dtype="float64"),
                index=starts,
            )
            hourly = level.resample("1h").mean()
            hourly.name = "percent"
            hourly.index.freq = None
            out[name] = hourly
            continue
        bucket = _parse_iso_duration(str(block.get("resolution") or ""))
        if bucket is None:
            if len(starts) < 2:
                raise VendorResponseError(
                    f"HEM statistics {name}: cannot tell the bucket length", vendor=VENDOR
                )
            bucket = pd.Series(starts).diff().dropna().min()
        unit = str(block.get("unit") or "").lower()
        is_power = unit == "kw" if unit in ("kw", "kwh") else bucket < pd.Timedelta(hours=1)
        if is_power:
            out[name] = average_power_to_hourly(starts, values, bucket)
        elif bucket > pd.Timedelta(hours=1):
            continue  # daily buckets: not an hourly series
        else:
            out[name] = bucket_energy_to_hourly(starts, values)
    return out
