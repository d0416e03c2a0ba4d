"""Pure parsers for Enphase Enlighten Systems API bodies (tests/devices/bodies/enphase_*.json).

Units on the wire: energies in Wh, powers in W, times in Unix seconds; intervals are labelled by their
*end* (``end_at``): 5 min for ``stats``, 15 min for ``consumption_stats`` and ``rgm_stats``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..errors import VendorResponseError
from ..series import AssetFact, bucket_energy_to_hourly, empty_hourly, to_utc_index

VENDOR = "enphase"

STATS_INTERVAL = pd.Timedelta(minutes=5)
CONSUMPTION_INTERVAL = pd.Timedelta(minutes=15)


@dataclass(frozen=True)
class SystemSummary:
    system_id: str
    size_kw: float | None  # system size [kW] (size_w / 1000); None for historical requests (0)
    energy_lifetime_kwh: float
    energy_today_kwh: float
    current_power_kw: float
    status: str
    source: str | None
    summary_date: dt.date | None
    modules: int | None


def _obj(body: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(body, Mapping):
        raise VendorResponseError(f"{what}: expected a JSON object", vendor=VENDOR)
    return body


def _parse_systems_page(body: Any) -> tuple[list[Mapping[str, Any]], str | None]:
    body = _obj(body, "systems")
    systems = body.get("systems")
    if not isinstance(systems, list):
        raise VendorResponseError("systems answer has no 'systems' array", vendor=VENDOR)
    nxt = body.get("next")
    return systems, (str(nxt) if nxt else None)


def _parse_system(obj: Mapping[str, Any], summary: SystemSummary | None = None) -> AssetFact:
    """A system from ``/systems`` -> an inverter-kind asset (size from its summary when known)."""
    obj = _obj(obj, "system")
    if obj.get("system_id") is None:
        raise VendorResponseError("system without system_id", vendor=VENDOR)
    extra = {k: obj.get(k) for k in ("timezone", "country", "postal_code", "city") if obj.get(k)}
    status = (obj.get("meta") or {}).get("status") or obj.get("status")
    if status:
        extra["status"] = status
    return AssetFact(
        kind="inverter",
        vendor=VENDOR,
        vendor_id=str(obj["system_id"]),
        name=str(obj.get("system_name") or obj.get("system_public_name") or f"System {obj['system_id']}"),
        brand="Enphase",
        capacity_kw=summary.size_kw if summary else None,
        extra=extra,
    )


def _parse_summary(body: Any) -> SystemSummary:
    body = _obj(body, "summary")
    try:
        size_w = body.get("size_w")
        summary_date = body.get("summary_date")
        return SystemSummary(
            system_id=str(body["system_id"]),
            size_kw=(float(size_w) / 1000.0) if size_w else None,
            energy_lifetime_kwh=float(body.get("energy_lifetime") or 0) / 1000.0,
            energy_today_kwh=float(body.get("energy_today") or 0) / 1000.0,
            current_power_kw=float(body.get("current_power") or 0) / 1000.0,
            status=str(body.get("status") or "unknown"),
            source=body.get("source"),
            summary_date=dt.date.fromisoformat(summary_date[:10]) if summary_date else None,
            modules=body.get("modules"),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise VendorResponseError(
            f"summary answer is malformed ({exc.__class__.__name__})", vendor=VENDOR
        ) from None


def _parse_interval_energy(body: Any, *, energy_key: str, interval: pd.Timedelta, what: str) -> pd.Series:
    body = _obj(body, what)
    intervals = body.get("intervals")
    if not isinstance(intervals, list):
        raise VendorResponseError(f"{what} answer has no 'intervals' array", vendor=VENDOR)
    if not intervals:
        return empty_hourly()
    try:
        ends = to_utc_index([i["end_at"] for i in intervals], unit="s")
        wh = [i.get(energy_key) for i in intervals]
    except (KeyError, TypeError):
        raise VendorResponseError(f"{what}: interval without end_at", vendor=VENDOR) from None
    kwh = pd.to_numeric(pd.Series(wh, dtype="object"), errors="coerce").to_numpy(dtype="float64") / 1000.0
    return bucket_energy_to_hourly(ends - interval, kwh)


def _parse_stats(body: Any) -> pd.Series:
    """``/systems/{id}/stats`` -> production kWh per UTC hour.

    5-minute ``enwh`` [Wh] labelled by interval end; the interval starting at ``end_at - 300`` is
    assigned to its hour. Enlighten leaves unreported intervals out (e.g. at night), so hours with no
    interval at all are ``NaN`` here; callers that know the system was online may fill them with 0.
    """
    return _parse_interval_energy(body, energy_key="enwh", interval=STATS_INTERVAL, what="stats")


def _parse_consumption_stats(body: Any) -> pd.Series:
    """``/systems/{id}/consumption_stats`` -> consumption kWh per UTC hour (15-minute ``enwh``)."""
    return _parse_interval_energy(
        body, energy_key="enwh", interval=CONSUMPTION_INTERVAL, what="consumption_stats"
    )


def _parse_rgm_stats(body: Any) -> pd.Series:
    """``/systems/{id}/rgm_stats`` -> metered production kWh per UTC hour (15-minute ``wh_del``)."""
    return _parse_interval_energy(body, energy_key="wh_del", interval=CONSUMPTION_INTERVAL, what="rgm_stats")


def _parse_daily(body: Any, key: str, what: str) -> pd.Series:
    """Daily Wh arrays (``energy_lifetime``/``consumption_lifetime``) -> kWh per local date.

    Index: ``datetime.date`` values (the system's local days, as Enlighten counts them).
    """
    body = _obj(body, what)
    values = body.get(key)
    start = body.get("start_date")
    if not isinstance(values, list):
        raise VendorResponseError(f"{what} answer has no '{key}' array", vendor=VENDOR)
    if not values:
        return pd.Series([], dtype="float64", name="kwh")
    if not start:
        raise VendorResponseError(f"{what} answer has values but no start_date", vendor=VENDOR)
    first = dt.date.fromisoformat(str(start)[:10])
    index = [first + dt.timedelta(days=i) for i in range(len(values))]
    kwh = pd.to_numeric(pd.Series(values, dtype="object"), errors="coerce").to_numpy(dtype="float64") / 1000
    return pd.Series(kwh, index=pd.Index(index, name="date"), name="kwh")


def _parse_energy_lifetime(body: Any) -> pd.Series:
    return _parse_daily(body, "production", "energy_lifetime")


def _parse_consumption_lifetime(body: Any) -> pd.Series:
    return _parse_daily(body, "consumption", "consumption_lifetime")


def _last_end_at(body: Any) -> int | None:
    intervals = (body or {}).get("intervals") or []
    return int(intervals[-1]["end_at"]) if intervals else None
