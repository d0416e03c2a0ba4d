"""Hourly weather for one location on the engine's time base, from a pluggable provider.

Two providers share one interface (``WeatherProvider.get(lat, lon) -> Weather``):

* ``OfflineWeather`` (the default): measured, deterministic and without network. KNMI De Bilt hourly
  global irradiance, temperature and wind of one calendar year 2021-2024 (``reference_data``); the
  measured clear-sky index is carried onto the location's own sun position and Ineichen clear sky, and
  the GHI is split into DNI/DHI with DIRINT (see ``decompose``). De Bilt's clouds everywhere suit the
  Netherlands and Belgium; they do not know the sunnier coast (~+5-9 % in summer, KNMI). Use PVGIS for
  anything further afield.
* ``PvgisWeather``: PVGIS typical meteorological year (TMY) fetched from the JRC API, stored through a
  small cache hook (so the Django side can keep it in the database), and mapped onto the time base.

The network call (``fetch_pvgis_tmy_json``) and the pure conversion (``parse_pvgis_tmy``) are separate,
like pvlib's ``iotools``, so the conversion is tested on a recorded body.
"""

from __future__ import annotations

import io
import json
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, Protocol

import numpy as np
import pandas as pd
import pvlib

from apps.engine import defaults as d
from apps.engine.reference_data import de_bilt_year, weather_years
from apps.engine.timebase import DAYS, HOURS, hour_centres

WeatherSource = Literal["offline", "pvgis"]


@dataclass(frozen=True, eq=False)
class Weather:
    """One year of hourly weather on the time base (every array has 8760 read-only values).

    ghi, dni, dhi: global horizontal, direct normal, diffuse horizontal irradiance, hour mean [W/m2]
    temp_air: air temperature at 2 m [°C]; wind_speed: wind speed at 10 m [m/s]
    latitude, longitude: the location the data belongs to [degrees]; altitude [m]
    source: "offline" (measured KNMI De Bilt year) or "pvgis" (typical year at the location)
    year: the measured calendar year, or None for a typical meteorological year
    """

    ghi: np.ndarray
    dni: np.ndarray
    dhi: np.ndarray
    temp_air: np.ndarray
    wind_speed: np.ndarray
    latitude: float
    longitude: float
    source: WeatherSource
    altitude: float = 0.0
    year: int | None = None

    def __post_init__(self) -> None:
        for name in ("ghi", "dni", "dhi", "temp_air", "wind_speed"):
            array = np.array(getattr(self, name), dtype=float)
            if array.shape != (HOURS,):
                raise ValueError(f"weather.{name} must have {HOURS} hourly values, got shape {array.shape}")
            if not np.all(np.isfinite(array)):
                raise ValueError(f"weather.{name} contains non-finite values")
            array.flags.writeable = False
            object.__setattr__(self, name, array)

    @property
    def ghi_kwh_m2(self) -> float:
        """Yearly global horizontal irradiation [kWh/m2]."""
        return float(self.ghi.sum() / 1000.0)


class WeatherProvider(Protocol):
    """Anything that returns a year of hourly weather for a location."""

    def get(self, latitude: float, longitude: float) -> Weather: ...


class WeatherCache(Protocol):
    """Storage hook for fetched weather (e.g. a database table); values are JSON-serialisable dicts."""

    def get(self, key: str) -> dict[str, Any] | None: ...

    def set(self, key: str, value: dict[str, Any]) -> None: ...


def rounded_location(latitude: float, longitude: float) -> tuple[float, float]:
    """Snap a location to the weather grid [degrees] (``WEATHER_GRID_DEG``), the unit of caching."""
    _check_location(latitude, longitude)
    step = d.WEATHER_GRID_DEG
    lat = round(round(latitude / step) * step, 6) + 0.0
    lon = round(round(longitude / step) * step, 6) + 0.0
    return lat, lon


def weather_key(source: str, latitude: float, longitude: float) -> str:
    """Cache key of a location's weather, e.g. ``"pvgis:52.1:5.1"``."""
    lat, lon = rounded_location(latitude, longitude)
    return f"{source}:{lat:.1f}:{lon:.1f}"


def _check_location(latitude: float, longitude: float) -> None:
    if not (np.isfinite(latitude) and np.isfinite(longitude)):
        raise ValueError("latitude and longitude must be finite numbers")
    if not (-90.0 <= latitude <= 90.0) or not (-180.0 <= longitude <= 180.0):
        raise ValueError(f"location out of range: lat={latitude}, lon={longitude}")


# --- Solar geometry (shared with pv.py) --------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SolarGeometry:
    """Sun position at the centre of every hour (8760 arrays) and derived quantities.

    zenith, apparent_zenith, azimuth [degrees]; dni_extra: extraterrestrial normal irradiance [W/m2];
    airmass_relative, airmass_absolute [-] (NaN when the sun is down).
    """

    zenith: np.ndarray
    apparent_zenith: np.ndarray
    azimuth: np.ndarray
    dni_extra: np.ndarray
    airmass_relative: np.ndarray
    airmass_absolute: np.ndarray


@contextmanager
def quiet() -> Iterator[None]:
    """Silence pvlib's pandas-deprecation warnings and its harmless night-time divisions."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


@lru_cache(maxsize=64)
def solar_geometry(latitude: float, longitude: float, altitude: float = 0.0) -> SolarGeometry:
    """Sun position for the reference year at a location, computed once and cached (read-only arrays)."""
    with quiet():
        return _solar_geometry(latitude, longitude, altitude)


def _solar_geometry(latitude: float, longitude: float, altitude: float) -> SolarGeometry:
    times = hour_centres()
    position = pvlib.solarposition.get_solarposition(times, latitude, longitude, altitude=altitude)
    dni_extra = pvlib.irradiance.get_extra_radiation(times).to_numpy(dtype=float)
    apparent_zenith = position["apparent_zenith"].to_numpy(dtype=float)
    airmass_relative = pvlib.atmosphere.get_relative_airmass(apparent_zenith)
    pressure = pvlib.atmosphere.alt2pres(altitude)
    airmass_absolute = pvlib.atmosphere.get_absolute_airmass(airmass_relative, pressure)
    arrays = {
        "zenith": position["zenith"].to_numpy(dtype=float),
        "apparent_zenith": apparent_zenith,
        "azimuth": position["azimuth"].to_numpy(dtype=float),
        "dni_extra": dni_extra,
        "airmass_relative": np.asarray(airmass_relative, dtype=float),
        "airmass_absolute": np.asarray(airmass_absolute, dtype=float),
    }
    for array in arrays.values():
        array.flags.writeable = False
    return SolarGeometry(**arrays)


# --- Offline provider ---------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def clear_sky(latitude: float, longitude: float, altitude: float = 0.0) -> pd.DataFrame:
    """Ineichen clear-sky ghi/dni/dhi [W/m2] at hour centres, with pvlib's bundled Linke turbidity."""
    with quiet():
        return _clear_sky(latitude, longitude, altitude)


def _clear_sky(latitude: float, longitude: float, altitude: float) -> pd.DataFrame:
    geometry = solar_geometry(latitude, longitude, altitude)
    times = hour_centres()
    linke = pvlib.clearsky.lookup_linke_turbidity(times, latitude, longitude).to_numpy(dtype=float)
    airmass_absolute = np.nan_to_num(geometry.airmass_absolute, nan=0.0)
    sky = pvlib.clearsky.ineichen(
        geometry.apparent_zenith, airmass_absolute, linke, altitude=altitude, dni_extra=geometry.dni_extra
    )
    frame = pd.DataFrame(
        {key: np.nan_to_num(np.asarray(sky[key], dtype=float)) for key in ("ghi", "dni", "dhi")}
    )
    frame[frame < 0] = 0.0
    return frame


def carry_over(station_ghi: np.ndarray, station_clear: np.ndarray, clear_here: np.ndarray) -> np.ndarray:
    """GHI at a location [W/m2] from the GHI measured at the station: the station's hourly clear-sky
    index (measured over clear-sky GHI, capped at ``CLEAR_SKY_INDEX_MAX``) times the location's clear sky.

    Where the station's clear sky is below ``CLEAR_SKY_INDEX_MIN_CLEAR_W_M2`` (sun near the horizon, where
    the ratio of two small numbers is noise) the measured value is scaled by the ratio of the two places'
    clear-sky irradiation that day instead. At the station itself both give back the measurement.
    """
    daily_station = station_clear.reshape(DAYS, 24).sum(axis=1)
    daily_here = clear_here.reshape(DAYS, 24).sum(axis=1)
    daily_ratio = np.repeat(daily_here / np.where(daily_station > 0, daily_station, 1.0), 24)
    bright = station_clear >= d.CLEAR_SKY_INDEX_MIN_CLEAR_W_M2
    index = np.clip(station_ghi / np.where(bright, station_clear, 1.0), 0.0, d.CLEAR_SKY_INDEX_MAX)
    return np.where(bright, index * clear_here, station_ghi * daily_ratio)


def decompose(
    ghi: np.ndarray, geometry: SolarGeometry, clear_dni: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Split hourly GHI into DNI and DHI [W/m2] with pvlib's DIRINT (Perez et al. 1992).

    Why DIRINT: it is made for hourly measured series and uses the change of clearness between adjacent
    hours (``use_delta_kt_prime``), which tells broken cloud from an even haze at the same hourly
    clearness; in the validations of Perez et al. (1992) and Gueymard & Ruiz-Arias (2016, Solar Energy
    128) it has a lower DNI error than one-variable models such as Erbs. DNI is capped at the clear-sky
    DNI x ``DNI_CLEAR_SKY_MARGIN``; DHI closes GHI = DHI + DNI cos(zenith), so no energy is lost.
    """
    times = hour_centres()
    dni = pvlib.irradiance.dirint(ghi, geometry.zenith, times, use_delta_kt_prime=True)
    dni = np.nan_to_num(np.asarray(dni, dtype=float))
    dni = np.clip(dni, 0.0, np.maximum(clear_dni * d.DNI_CLEAR_SKY_MARGIN, 0.0))
    cos_zenith = np.clip(np.cos(np.radians(geometry.zenith)), 0.0, None)
    dni = np.where(cos_zenith > 0, np.minimum(dni, ghi / np.where(cos_zenith > 0, cos_zenith, 1.0)), 0.0)
    dhi = np.maximum(ghi - dni * cos_zenith, 0.0)
    return dni, dhi


@lru_cache(maxsize=32)
def _offline_weather(latitude: float, longitude: float, year: int) -> Weather:
    with quiet():
        return _measured(latitude, longitude, year)


def _measured(latitude: float, longitude: float, year: int) -> Weather:
    """De Bilt's measured year carried onto a location (see ``OfflineWeather``)."""
    station = de_bilt_year(year)
    station_sky = clear_sky(d.REFERENCE_STATION_LAT, d.REFERENCE_STATION_LON, d.REFERENCE_STATION_ALTITUDE_M)
    altitude = max(float(pvlib.location.lookup_altitude(latitude, longitude)), 0.0)
    geometry = solar_geometry(latitude, longitude, altitude)
    sky = clear_sky(latitude, longitude, altitude)
    ghi = carry_over(station["ghi"], station_sky["ghi"].to_numpy(), sky["ghi"].to_numpy())
    dni, dhi = decompose(ghi, geometry, sky["dni"].to_numpy())
    return Weather(
        ghi=ghi,
        dni=dni,
        dhi=dhi,
        temp_air=station["temp_air"],
        wind_speed=station["wind_speed"],
        latitude=latitude,
        longitude=longitude,
        source="offline",
        altitude=altitude,
        year=year,
    )


class OfflineWeather:
    """Measured weather without network: KNMI De Bilt hourly data of one calendar year (2021-2024).

    The hourly clear-sky index measured at De Bilt (GHI over pvlib's Ineichen clear sky there) is applied
    to the location's own clear sky and sun position, so a scan in Maastricht or Gent sees De Bilt's
    clouds hour by hour under its own sun; temperature and wind are De Bilt's. The cloud climate is De
    Bilt's everywhere, which suits the Netherlands and Belgium but does not know the sunnier coast
    (~+5-9 % in summer, KNMI); use PVGIS for anything further afield. ``year`` None is
    ``DEFAULT_WEATHER_YEAR``, or in ``run_scan`` the year of the scan's prices where it was measured.
    """

    source: WeatherSource = "offline"

    def __init__(self, year: int | None = None) -> None:
        self.requested_year = year  # None: the scan may pair the weather with its price year
        self.year = d.DEFAULT_WEATHER_YEAR if year is None else int(year)
        if self.year not in weather_years():
            raise ValueError(f"no measured weather for {self.year}; available: {list(weather_years())}")

    def get(self, latitude: float, longitude: float) -> Weather:
        """Weather for the location snapped to the weather grid (memoised in-process)."""
        lat, lon = rounded_location(latitude, longitude)
        return _offline_weather(lat, lon, self.year)


# --- PVGIS provider -----------------------------------------------------------------------------------


PvgisFetcher = Callable[[float, float], Mapping[str, Any]]
"""Returns the PVGIS TMY JSON body (``outputformat=json``) for a location."""


def fetch_pvgis_tmy_json(
    latitude: float, longitude: float, *, timeout: float | None = None
) -> dict[str, Any]:
    """Download the PVGIS TMY JSON body for a location (network). Raises ``RuntimeError`` with PVGIS's
    message on an HTTP error (e.g. a location at sea), and httpx's errors on network failures."""
    import httpx  # local import: only the production path needs it

    response = httpx.get(
        d.PVGIS_URL + "tmy",
        params={"lat": latitude, "lon": longitude, "outputformat": "json", "usehorizon": 1},
        timeout=timeout or d.PVGIS_TIMEOUT_S,
    )
    if response.status_code >= 400:
        try:
            message = response.json().get("message", response.text)
        except ValueError:
            message = response.text
        raise RuntimeError(f"PVGIS TMY request failed ({response.status_code}): {message}")
    return response.json()


def tmy_to_timebase(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """Map a TMY indexed by UTC timestamps (months from different years) onto the time base.

    Every row keeps its month, day and hour (minutes such as PVGIS's HH:10 are floored, i.e. a value is
    taken to describe the hour that starts at its timestamp); Feb 29 is
    dropped; rows are placed on the reference year in UTC, a missing hour is filled by linear
    interpolation, and the year is rolled by one hour so step 0 is 00:00 UTC+1 (= Dec 31 23:00 UTC of
    the same typical year, i.e. the TMY wraps around).
    """
    index = pd.DatetimeIndex(frame.index)
    if index.tz is not None:
        index = index.tz_convert("UTC").tz_localize(None)
    month = np.asarray(index.month)
    day = np.asarray(index.day)
    hour = np.asarray(index.hour)
    keep = ~((month == 2) & (day == 29))
    start = pd.Timestamp(f"{d.REFERENCE_YEAR}-01-01")
    stamps = pd.to_datetime(
        {"year": d.REFERENCE_YEAR, "month": month[keep], "day": day[keep], "hour": hour[keep]}
    )
    position = ((stamps - start) // pd.Timedelta(hours=1)).to_numpy(dtype=np.int64)
    out: dict[str, np.ndarray] = {}
    for column in ("ghi", "dni", "dhi", "temp_air", "wind_speed"):
        values = frame[column].to_numpy(dtype=float)[keep]
        series = np.full(HOURS, np.nan)
        series[position] = values
        valid = np.isfinite(series)
        if valid.sum() < HOURS * 0.99:
            raise ValueError(f"TMY {column} covers only {int(valid.sum())} of {HOURS} hours")
        if not valid.all():
            steps = np.arange(HOURS)
            series = np.interp(steps, steps[valid], series[valid], period=HOURS)
        out[column] = np.roll(series, d.UTC_OFFSET_HOURS)
    for column in ("ghi", "dni", "dhi", "wind_speed"):
        out[column] = np.maximum(out[column], 0.0)
    return out


def parse_pvgis_tmy(body: Mapping[str, Any], latitude: float, longitude: float) -> Weather:
    """Turn a PVGIS TMY JSON body into ``Weather`` on the time base (pure; no network)."""
    try:
        with quiet():
            frame, _meta = pvlib.iotools.read_pvgis_tmy(io.StringIO(json.dumps(body)), pvgis_format="json")
    except KeyError:
        # A body without PVGIS's "meta" block (pvlib's reader requires it): parse the rows directly.
        frame = pd.DataFrame(body["outputs"]["tmy_hourly"])
        frame.index = pd.to_datetime(frame.pop("time(UTC)"), format="%Y%m%d:%H%M", utc=True)
        frame = frame.rename(columns=pvlib.iotools.pvgis.VARIABLE_MAP)
    location = body.get("inputs", {}).get("location", {})
    altitude = max(float(location.get("elevation") or 0.0), 0.0)
    series = tmy_to_timebase(frame)
    return Weather(**series, latitude=latitude, longitude=longitude, source="pvgis", altitude=altitude)


def weather_to_payload(weather: Weather) -> dict[str, Any]:
    """Compact JSON-serialisable form of a ``Weather`` for a cache (values rounded to 0.1)."""
    payload: dict[str, Any] = {
        "version": 1,
        "latitude": weather.latitude,
        "longitude": weather.longitude,
        "altitude": weather.altitude,
        "source": weather.source,
    }
    for name in ("ghi", "dni", "dhi", "temp_air", "wind_speed"):
        payload[name] = np.round(getattr(weather, name), 1).tolist()
    return payload


def weather_from_payload(payload: Mapping[str, Any]) -> Weather:
    """Inverse of ``weather_to_payload``."""
    return Weather(
        ghi=np.asarray(payload["ghi"], dtype=float),
        dni=np.asarray(payload["dni"], dtype=float),
        dhi=np.asarray(payload["dhi"], dtype=float),
        temp_air=np.asarray(payload["temp_air"], dtype=float),
        wind_speed=np.asarray(payload["wind_speed"], dtype=float),
        latitude=float(payload["latitude"]),
        longitude=float(payload["longitude"]),
        altitude=float(payload.get("altitude", 0.0)),
        source=payload.get("source", "pvgis"),
    )


_PVGIS_MEMO: OrderedDict[str, Weather] = OrderedDict()
_PVGIS_MEMO_LOCK = threading.Lock()  # workers may run scans in threads


def clear_memo() -> None:
    """Forget every in-process weather memo (offline and PVGIS)."""
    with _PVGIS_MEMO_LOCK:
        _PVGIS_MEMO.clear()
    _offline_weather.cache_clear()


class PvgisWeather:
    """PVGIS TMY weather with an optional persistent cache and an in-process memo.

    ``fetcher`` returns the PVGIS JSON body for a (rounded) location; tests inject a recorded one.
    ``cache`` stores the converted year under ``weather_key("pvgis", lat, lon)``.
    """

    source: WeatherSource = "pvgis"

    def __init__(self, cache: WeatherCache | None = None, fetcher: PvgisFetcher | None = None) -> None:
        self.cache = cache
        self.fetcher = fetcher or fetch_pvgis_tmy_json

    def get(self, latitude: float, longitude: float) -> Weather:
        """Weather for the location snapped to the weather grid: memo → cache → PVGIS."""
        lat, lon = rounded_location(latitude, longitude)
        key = weather_key(self.source, lat, lon)
        with _PVGIS_MEMO_LOCK:
            if key in _PVGIS_MEMO:
                _PVGIS_MEMO.move_to_end(key)
                return _PVGIS_MEMO[key]
        weather = None
        if self.cache is not None:
            payload = self.cache.get(key)
            if payload:
                weather = weather_from_payload(payload)
        if weather is None:
            weather = parse_pvgis_tmy(self.fetcher(lat, lon), lat, lon)
            if self.cache is not None:
                self.cache.set(key, weather_to_payload(weather))
        with _PVGIS_MEMO_LOCK:
            _PVGIS_MEMO[key] = weather
            while len(_PVGIS_MEMO) > d.WEATHER_MEMO_SIZE:
                _PVGIS_MEMO.popitem(last=False)
        return weather


def get_provider(
    source: str = d.DEFAULT_WEATHER_SOURCE, *, cache: WeatherCache | None = None
) -> WeatherProvider:
    """The provider for a source name ("offline" or "pvgis")."""
    if source == "offline":
        return OfflineWeather()
    if source == "pvgis":
        return PvgisWeather(cache=cache)
    raise ValueError(f"unknown weather source {source!r}; expected 'offline' or 'pvgis'")


__all__ = [
    "OfflineWeather",
    "PvgisFetcher",
    "PvgisWeather",
    "SolarGeometry",
    "Weather",
    "WeatherCache",
    "WeatherProvider",
    "clear_memo",
    "clear_sky",
    "fetch_pvgis_tmy_json",
    "get_provider",
    "parse_pvgis_tmy",
    "rounded_location",
    "solar_geometry",
    "tmy_to_timebase",
    "weather_from_payload",
    "weather_key",
    "weather_to_payload",
]
