"""Solar layer: production of one or more roof surfaces through the engine's PV model.

Each roof surface (or the single surface given by the top-level fields when ``roof_surfaces`` is empty)
has a capacity [kWp] = panel_count × panel_power_watts / 1000, or ``system_capacity_kw`` when no panel
count is given, and a tilt [°], azimuth [°, 180 = south] and system losses [%]. Its hourly production is
``apps.engine.pv.kwh_per_kwp`` (pvlib: Perez transposition, Faiman cell temperature, PVWatts DC/AC) on
the weather of the profile's location, times its capacity. The layer's data is the sum over surfaces
[kWh per hour, ≥ 0]; how production offsets consumption and creates export is in services.combine.
"""

from __future__ import annotations

import numpy as np

from apps.engine import pv
from apps.engine.defaults import DEFAULT_SYSTEM_LOSSES_PCT
from apps.engine.timebase import HOURS
from apps.engine.weather import Weather

DEFAULT_SOLAR_CONFIG = {
    "roof_surfaces": [],
    "panel_count": 10,
    "panel_power_watts": 430,
    "tilt": 35,
    "azimuth": 180,
    "losses": DEFAULT_SYSTEM_LOSSES_PCT,
    "system_capacity_kw": 4.3,
    "annual_production_kwh": 0,
}
SURFACE_KEYS = ("panel_count", "panel_power_watts", "system_capacity_kw", "tilt", "azimuth", "losses")


def surface_kwp(surface: dict) -> float:
    """Capacity of one surface [kWp]: panels × watts / 1000, else its system_capacity_kw."""
    count = float(surface.get("panel_count") or 0)
    watts = float(surface.get("panel_power_watts") or 0)
    if count > 0 and watts > 0:
        return pv.array_kwp(count, watts)
    return float(surface.get("system_capacity_kw") or 0)


def simulate_solar(*, weather: Weather, solar_config: dict) -> tuple[np.ndarray, dict]:
    """Hourly production [kWh] and the config completed with each surface's and the total capacity
    [kWp] and annual production [kWh]."""
    config = {**DEFAULT_SOLAR_CONFIG, **solar_config}
    surfaces = [dict(s) for s in config.get("roof_surfaces") or []]
    single = not surfaces
    if single:
        surfaces = [{k: config.get(k) for k in SURFACE_KEYS}]
    total = np.zeros(HOURS)
    for surface in surfaces:
        kwp = surface_kwp(surface)
        losses = surface.get("losses")
        per_kwp = pv.kwh_per_kwp(
            weather,
            float(surface.get("tilt") or 0),
            float(surface.get("azimuth") if surface.get("azimuth") is not None else 180),
            float(DEFAULT_SYSTEM_LOSSES_PCT if losses is None else losses),
        )
        series = per_kwp * kwp
        surface["system_capacity_kw"] = round(kwp, 3)
        surface["annual_production_kwh"] = round(float(series.sum()), 1)
        total += series
    if single:
        config.update(surfaces[0])
    else:
        config["roof_surfaces"] = surfaces
        config["panel_count"] = int(sum(float(s.get("panel_count") or 0) for s in surfaces))
        config["system_capacity_kw"] = round(sum(s["system_capacity_kw"] for s in surfaces), 3)
    config["annual_production_kwh"] = round(float(total.sum()), 1)
    return total, config
