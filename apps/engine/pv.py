"""PV production per array: pvlib transposition, cell temperature and PVWatts DC/AC, per kWp.

Chain for one array (tilt, azimuth, system losses):

1. sun position at each hour's centre (``weather.solar_geometry``, cached per location);
2. Perez transposition of ghi/dni/dhi to the plane of array, with ground reflection;
3. incidence-angle losses of the glass (physical model, as PVWatts v5) on beam, and on sky and ground
   diffuse through Marion's integration;
4. Faiman cell temperature from plane-of-array irradiance, air temperature and wind;
5. PVWatts DC power of a 1 kWp array with the temperature coefficient, minus the system losses;
6. PVWatts inverter (nominal efficiency, AC limit from the DC/AC ratio).

The result is the AC energy per hour of 1 kWp [kWh/kWp per hour]; an array of P kWp yields P × it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pvlib

from apps.engine import defaults as d
from apps.engine.timebase import HOURS
from apps.engine.weather import Weather, quiet, solar_geometry


@dataclass(frozen=True)
class PvArray:
    """One roof face: tilt from horizontal [°], azimuth [°, 180 = south], system losses [%]."""

    tilt: float
    azimuth: float
    system_losses_pct: float = d.DEFAULT_SYSTEM_LOSSES_PCT

    def __post_init__(self) -> None:
        if not 0.0 <= self.tilt <= 90.0:
            raise ValueError(f"tilt must be within 0..90 degrees, got {self.tilt}")
        if not 0.0 <= self.system_losses_pct < 100.0:
            raise ValueError(f"system losses must be within 0..100 %, got {self.system_losses_pct}")
        object.__setattr__(self, "azimuth", float(self.azimuth) % 360.0)


@dataclass(frozen=True)
class PvStats:
    """Yearly figures of one PV series.

    yearly_kwh [kWh/yr], capacity_factor_pct [%], specific_yield_kwh_per_kwp [kWh/kWp/yr], peak_kw [kW]
    """

    yearly_kwh: float
    capacity_factor_pct: float
    specific_yield_kwh_per_kwp: float
    peak_kw: float


def array_kwp(panel_count: int | float, panel_power_watts: float) -> float:
    """Array DC nameplate [kWp] = panel count × panel power [W] / 1000."""
    return float(panel_count) * float(panel_power_watts) / 1000.0


def plane_of_array(weather: Weather, tilt: float, azimuth: float) -> dict[str, np.ndarray]:
    """Perez plane-of-array irradiance [W/m2]: ``poa_global``, ``poa_direct``, ``poa_diffuse`` (=
    ``poa_sky_diffuse`` + ``poa_ground_diffuse``), and the angle of incidence ``aoi`` [°]."""
    geometry = solar_geometry(weather.latitude, weather.longitude, weather.altitude)
    airmass = np.nan_to_num(geometry.airmass_relative, nan=0.0)
    poa = pvlib.irradiance.get_total_irradiance(
        surface_tilt=tilt,
        surface_azimuth=azimuth,
        solar_zenith=geometry.apparent_zenith,
        solar_azimuth=geometry.azimuth,
        dni=weather.dni,
        ghi=weather.ghi,
        dhi=weather.dhi,
        dni_extra=geometry.dni_extra,
        airmass=airmass,
        albedo=d.PV_ALBEDO,
        model="perez",
    )
    aoi = pvlib.irradiance.aoi(tilt, azimuth, geometry.apparent_zenith, geometry.azimuth)
    return {
        "poa_global": np.nan_to_num(np.asarray(poa["poa_global"], dtype=float)),
        "poa_direct": np.nan_to_num(np.asarray(poa["poa_direct"], dtype=float)),
        "poa_diffuse": np.nan_to_num(np.asarray(poa["poa_diffuse"], dtype=float)),
        "poa_sky_diffuse": np.nan_to_num(np.asarray(poa["poa_sky_diffuse"], dtype=float)),
        "poa_ground_diffuse": np.nan_to_num(np.asarray(poa["poa_ground_diffuse"], dtype=float)),
        "aoi": np.asarray(aoi, dtype=float),
    }


@lru_cache(maxsize=128)
def diffuse_iam(tilt: float) -> tuple[float, float]:
    """Incidence-angle modifiers of sky and ground diffuse light for a tilt [-] (Marion integration)."""
    iam = pvlib.iam.marion_diffuse(d.PV_IAM_MODEL, float(tilt))
    return float(iam["sky"]), float(iam["ground"])


def kwh_per_kwp(
    weather: Weather,
    tilt: float,
    azimuth: float,
    system_losses_pct: float = d.DEFAULT_SYSTEM_LOSSES_PCT,
) -> np.ndarray:
    """Hourly AC energy of a 1 kWp array [kWh/kWp per hour] (8760 values, ≥ 0).

    tilt [°], azimuth [°, 180 = south], system_losses_pct [%] (PVWatts DC losses).
    """
    PvArray(tilt, azimuth, system_losses_pct)  # validates
    return _memo_kwh_per_kwp(weather, float(tilt), float(azimuth), float(system_losses_pct))


@lru_cache(maxsize=256)
def _memo_kwh_per_kwp(weather: Weather, tilt: float, azimuth: float, system_losses_pct: float) -> np.ndarray:
    """Memo per weather object (identity: weather years are themselves memoised) and roof (read-only):
    a scan evaluates its roofs on every measured weather year, and repeated scans reuse them."""
    with quiet():
        series = _kwh_per_kwp(weather, tilt, azimuth, system_losses_pct)
    series.flags.writeable = False
    return series


def _kwh_per_kwp(weather: Weather, tilt: float, azimuth: float, system_losses_pct: float) -> np.ndarray:
    poa = plane_of_array(weather, tilt, azimuth)
    iam_beam = np.where(poa["aoi"] < 90.0, pvlib.iam.physical(np.clip(poa["aoi"], 0.0, 90.0)), 0.0)
    iam_sky, iam_ground = diffuse_iam(round(float(tilt), 1))
    effective = (
        poa["poa_direct"] * np.nan_to_num(iam_beam)
        + poa["poa_sky_diffuse"] * iam_sky
        + poa["poa_ground_diffuse"] * iam_ground
    )
    effective = np.maximum(effective, 0.0)
    temp_cell = pvlib.temperature.faiman(
        poa["poa_global"], weather.temp_air, weather.wind_speed, u0=d.PV_FAIMAN_U0, u1=d.PV_FAIMAN_U1
    )
    pdc0 = 1.0  # kW of DC nameplate
    dc = pvlib.pvsystem.pvwatts_dc(effective, temp_cell, pdc0, d.PV_GAMMA_PDC_PER_K)
    dc = np.maximum(np.asarray(dc, dtype=float), 0.0) * (1.0 - system_losses_pct / 100.0)
    pac0 = pdc0 / d.PV_DC_AC_RATIO
    ac = pvlib.inverter.pvwatts(dc, pac0 / d.PV_INVERTER_EFFICIENCY, eta_inv_nom=d.PV_INVERTER_EFFICIENCY)
    ac = np.clip(np.nan_to_num(np.asarray(ac, dtype=float)), 0.0, pac0)
    ac.flags.writeable = False
    return ac


def array_kwh(weather: Weather, array: PvArray, kwp: float) -> np.ndarray:
    """Hourly AC energy of an array of ``kwp`` [kWh per hour] (8760 values)."""
    return kwh_per_kwp(weather, array.tilt, array.azimuth, array.system_losses_pct) * float(kwp)


def pv_stats(series_kwh: np.ndarray, kwp: float) -> PvStats:
    """Yearly kWh, capacity factor [%], specific yield [kWh/kWp] and peak [kW] of an hourly series."""
    series = np.asarray(series_kwh, dtype=float)
    if series.shape != (HOURS,):
        raise ValueError(f"PV series must have {HOURS} values, got {series.shape}")
    yearly = float(series.sum())
    if kwp <= 0:
        return PvStats(
            yearly_kwh=yearly, capacity_factor_pct=0.0, specific_yield_kwh_per_kwp=0.0, peak_kw=0.0
        )
    return PvStats(
        yearly_kwh=yearly,
        capacity_factor_pct=100.0 * yearly / (kwp * HOURS),
        specific_yield_kwh_per_kwp=yearly / kwp,
        peak_kw=float(series.max()),  # hourly energy of a 1 h step = mean power [kW]
    )


def roof_direction(azimuth: float) -> str:
    """Compass name of an azimuth [°, 180 = south]: north, north-east, east, …"""
    names = ("north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west")
    return names[int(((float(azimuth) % 360.0) + 22.5) // 45.0) % 8]
