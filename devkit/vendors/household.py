"""Deterministic data of one Dutch household for the fake vendor servers.

A terraced house near Utrecht (52.09 N, 5.12 E) with a 3.6 kWp south-facing PV system (12 x 300 Wp,
35 degrees tilt) producing ~3,400 kWh a year (~945 kWh/kWp, typical for the Netherlands), an annual
consumption of ~3,500 kWh, and a 5 kWh / 2.5 kW home battery.

The reference year is 2025 in UTC, 8760 hours. Any timestamp maps onto it by its hour of the year
(29 February borrows 28 February), so the fakes answer for any date and always the same way.

PV model (simple on purpose; the fakes need plausible shape, not accuracy): solar position from the
usual declination/equation-of-time approximations, clear-sky beam/diffuse on the tilted plane, times a
daily clearness index drawn from a seeded AR(1) process around Dutch monthly means, then scaled so the
year sums to exactly PV_ANNUAL_KWH. Load: base load + morning/evening peaks + seasonal factor + seeded
noise, scaled to exactly LOAD_ANNUAL_KWH.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

LATITUDE, LONGITUDE = 52.09, 5.12
PV_KWP = 3.6
PV_ANNUAL_KWH = 3400.0
LOAD_ANNUAL_KWH = 3500.0
BATTERY_KWH, BATTERY_KW = 5.0, 2.5
YEAR = 2025
SEED = 20250601

# mean daily clearness index per month (cloudy NL winters, brighter late spring)
_MONTHLY_CLEARNESS = np.array([0.30, 0.36, 0.42, 0.50, 0.53, 0.52, 0.51, 0.50, 0.46, 0.40, 0.32, 0.28])
# relative daily load per month (heating season lighting/appliances)
_MONTHLY_LOAD = np.array([1.22, 1.15, 1.05, 0.95, 0.88, 0.82, 0.80, 0.83, 0.90, 1.00, 1.13, 1.25])
# relative hourly load by local hour (flat-ish night, morning bump, evening peak)
_HOURLY_LOAD = np.array(
    [0.55, 0.50, 0.47, 0.45, 0.45, 0.48, 0.65, 0.95, 1.05, 0.90, 0.85, 0.88,
     0.95, 0.90, 0.85, 0.88, 1.00, 1.35, 1.70, 1.75, 1.55, 1.30, 1.00, 0.72]
)  # fmt: skip


def hours_utc() -> pd.DatetimeIndex:
    return pd.date_range(f"{YEAR}-01-01", periods=8760, freq="h", tz="UTC")


@functools.cache
def _year() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(SEED)
    idx = hours_utc()
    mid = idx + pd.Timedelta(minutes=30)
    doy = mid.day_of_year.to_numpy()
    hour = mid.hour.to_numpy() + mid.minute.to_numpy() / 60.0
    gamma = 2 * np.pi * (doy - 1) / 365.0
    decl = (
        0.006918
        - 0.399912 * np.cos(gamma)
        + 0.070257 * np.sin(gamma)
        - 0.006758 * np.cos(2 * gamma)
        + 0.000907 * np.sin(2 * gamma)
        - 0.002697 * np.cos(3 * gamma)
        + 0.00148 * np.sin(3 * gamma)
    )
    eot = 229.18 * (
        0.000075
        + 0.001868 * np.cos(gamma)
        - 0.032077 * np.sin(gamma)
        - 0.014615 * np.cos(2 * gamma)
        - 0.040849 * np.sin(2 * gamma)
    )  # minutes
    solar_time = hour + (4 * LONGITUDE + eot) / 60.0
    ha = np.radians(15 * (solar_time - 12))
    lat = np.radians(LATITUDE)
    cos_zen = np.sin(lat) * np.sin(decl) + np.cos(lat) * np.cos(decl) * np.cos(ha)
    cos_zen = np.clip(cos_zen, 0, 1)
    # clear-sky global horizontal (Haurwitz) [W/m2]
    ghi_clear = np.where(cos_zen > 0.01, 1098 * cos_zen * np.exp(-0.057 / np.maximum(cos_zen, 0.01)), 0.0)
    # tilted plane, south, 35 degrees: angle of incidence
    tilt = np.radians(35)
    cos_aoi = np.sin(decl) * np.sin(lat - tilt) + np.cos(decl) * np.cos(lat - tilt) * np.cos(ha)
    cos_aoi = np.clip(cos_aoi, 0, 1)
    # daily clearness: AR(1) around the monthly mean
    days = 365
    month_of_day = pd.date_range(f"{YEAR}-01-01", periods=days, freq="D").month.to_numpy() - 1
    noise = np.empty(days)
    state = 0.0
    for d in range(days):
        state = 0.6 * state + rng.normal(0, 0.16)
        noise[d] = state
    kt_day = np.clip(_MONTHLY_CLEARNESS[month_of_day] * (1 + noise) / 0.5 * 0.5 + noise * 0.1, 0.05, 0.78)
    kt = kt_day[np.minimum(doy - 1, days - 1)] * np.clip(1 + rng.normal(0, 0.12, 8760), 0.5, 1.4)
    kt = np.clip(kt, 0.03, 0.8)
    ghi = ghi_clear * kt / 0.75
    diffuse_frac = np.clip(1.0 - 1.1 * (kt - 0.2), 0.15, 1.0)
    dhi = ghi * diffuse_frac
    dni_h = ghi - dhi
    poa = (
        dni_h * np.where(cos_zen > 0.05, cos_aoi / np.maximum(cos_zen, 0.05), 0)
        + dhi * (1 + np.cos(tilt)) / 2
    )
    poa = np.minimum(poa, 1100)
    pv = PV_KWP * poa / 1000.0 * 0.86  # kWh in the hour (system losses)
    pv = np.minimum(pv, PV_KWP * 0.95)
    pv *= PV_ANNUAL_KWH / pv.sum()

    local = idx.tz_convert("Europe/Amsterdam")
    shape = _HOURLY_LOAD[local.hour.to_numpy()] * _MONTHLY_LOAD[local.month.to_numpy() - 1]
    weekend = local.day_of_week.to_numpy() >= 5
    shape = shape * np.where(
        weekend & (local.hour.to_numpy() >= 9) & (local.hour.to_numpy() <= 16), 1.25, 1.0
    )
    load = shape * rng.lognormal(0, 0.25, 8760)
    load *= LOAD_ANNUAL_KWH / load.sum()

    # a simple self-consumption battery: charge from surplus, discharge to cover deficit
    soc = np.empty(8760)
    charge = np.zeros(8760)
    discharge = np.zeros(8760)
    level = BATTERY_KWH * 0.2
    eff = 0.95  # one-way
    for i in range(8760):
        net = pv[i] - load[i]
        if net > 0:
            c = min(net, BATTERY_KW, (BATTERY_KWH - level) / eff)
            charge[i] = c
            level += c * eff
        else:
            d = min(-net, BATTERY_KW, (level - BATTERY_KWH * 0.1) * eff)
            d = max(d, 0.0)
            discharge[i] = d
            level -= d / eff
        soc[i] = level
    net = pv - load - charge + discharge
    grid_import = np.maximum(-net, 0)
    grid_export = np.maximum(net, 0)
    for arr in (pv, load, charge, discharge, grid_import, grid_export, soc):
        arr.setflags(write=False)
    return {
        "pv": pv,
        "load": load,
        "battery_charge": charge,
        "battery_discharge": discharge,
        "grid_import": grid_import,
        "grid_export": grid_export,
        "battery_level_pct": soc / BATTERY_KWH * 100,
    }


def hour_of_year(ts: pd.Timestamp | pd.DatetimeIndex) -> np.ndarray:
    """Row in the reference year for UTC hour(s) ``ts`` (29 Feb reuses 28 Feb)."""
    ix = pd.DatetimeIndex([ts] if isinstance(ts, pd.Timestamp) else ts)
    ix = ix.tz_convert("UTC") if ix.tz is not None else ix.tz_localize("UTC")
    doy = ix.day_of_year.to_numpy()
    leap = ix.is_leap_year
    doy = np.where(leap & (doy >= 60), doy - 1, doy)  # 29 Feb -> 28 Feb (59), later days shift back
    return np.clip((doy - 1) * 24 + ix.hour.to_numpy(), 0, 8759)


def hourly(quantity: str, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    """kWh (or % for battery_level_pct) per UTC hour for hours starting in ``[start, end)``."""
    start = pd.Timestamp(start).tz_convert("UTC").floor("h")
    end = pd.Timestamp(end).tz_convert("UTC")
    idx = pd.date_range(start, end, freq="h", inclusive="left")
    return pd.Series(_year()[quantity][hour_of_year(idx)], index=idx)


def annual(quantity: str) -> float:
    return float(_year()[quantity].sum())
