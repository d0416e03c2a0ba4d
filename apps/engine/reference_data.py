"""The engine's built-in measured years: KNMI De Bilt hourly weather and NL/BE day-ahead prices.

The files live in ``apps/engine/data`` (gzipped CSV, provenance in ``data/SOURCES.md``): one row per
hour, ``utc_hour_start`` in UTC. They are read once per process (``lru_cache``) and never fetched.

Mapping onto the time base (local standard time UTC+1, 8760 steps, see ``timebase``): step ``h`` of
calendar year ``Y`` starts at ``Y-01-01 00:00 UTC+1`` + h hours, i.e. at ``(Y-1)-12-31 23:00 UTC`` + h.
A leap year's 29 February (24 steps) is dropped, as ``weather.tmy_to_timebase`` does for PVGIS.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from apps.engine import defaults as d
from apps.engine.timebase import HOURS

WEATHER_FILE = "knmi_de_bilt_260_hourly_2021_2024.csv.gz"
PRICE_FILES = {
    ("NL", 2023): "nl_day_ahead_2023.csv.gz",
    ("NL", 2024): "nl_day_ahead_2024.csv.gz",
    ("NL", 2025): "nl_day_ahead_2025.csv.gz",
    ("BE", 2023): "be_day_ahead_2023.csv.gz",
    ("BE", 2024): "be_day_ahead_2024.csv.gz",
}
"""Built-in day-ahead years per (country, calendar year) [file name in ``apps/engine/data``]."""

PRICE_SOURCES = {
    "NL": "EPEX SPOT day-ahead, NL bidding zone (via EnergyZero / ENTSO-E Transparency)",
    "BE": "EPEX SPOT day-ahead, BE bidding zone (via ENTSO-E Transparency)",
}
"""Where each country's built-in prices come from (``data/SOURCES.md`` has the per-year detail)."""


def _read_csv(name: str) -> pd.DataFrame:
    with resources.files("apps.engine").joinpath("data", name).open("rb") as handle:
        frame = pd.read_csv(handle, compression="gzip")
    index = pd.to_datetime(frame.pop("utc_hour_start"), format="%Y-%m-%dT%H:%MZ", utc=True)
    frame.index = pd.DatetimeIndex(index, name="utc_hour_start")
    return frame


def timebase_positions(year: int) -> pd.DatetimeIndex:
    """UTC start of each of the 8760 steps of calendar ``year`` on the time base (29 Feb left out)."""
    local = pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="h", inclusive="left", tz=d.TIMEZONE)
    local = local[~((local.month == 2) & (local.day == 29))]
    return local.tz_convert("UTC")


def on_timebase(series: pd.Series, year: int, *, wrap: bool = False) -> np.ndarray:
    """The 8760 values of a UTC hour-start series for calendar ``year`` on the time base [its unit].

    ``wrap``: a step before the series starts (the first hour of the first year, 23:00 UTC of the
    previous day) takes the same clock hour of the year's last day, as a TMY wraps around. Raises
    ``ValueError`` if any other hour is missing.
    """
    stamps = timebase_positions(year)
    values = series.reindex(stamps).to_numpy(dtype=float)
    missing = ~np.isfinite(values)
    if wrap and missing.any():
        shifted = series.reindex(stamps + pd.DateOffset(years=1)).to_numpy(dtype=float)
        # Dec 31 23:00 UTC of year-1 → Dec 31 23:00 UTC of year (the same hour of the typical day).
        values = np.where(missing, shifted, values)
        missing = ~np.isfinite(values)
    if missing.any():
        first = stamps[int(np.argmax(missing))]
        raise ValueError(f"{series.name}: {int(missing.sum())} hours of {year} missing (first {first})")
    if values.shape != (HOURS,):  # pragma: no cover - guarded by timebase_positions
        raise ValueError(f"{series.name}: expected {HOURS} values, got {values.shape}")
    return values


# --- Weather ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def knmi_de_bilt_hourly() -> pd.DataFrame:
    """KNMI station 260 De Bilt, hourly 2021-2024 in UTC: ghi [W/m2, hour mean], temp_air [°C],
    wind_speed [m/s at 10 m]. Source: KNMI uurgegevens ("Bron: KNMI")."""
    frame = _read_csv(WEATHER_FILE).rename(
        columns={"ghi_w_per_m2": "ghi", "temp_air_c": "temp_air", "wind_speed_m_per_s": "wind_speed"}
    )
    return frame


@lru_cache(maxsize=1)
def weather_years() -> tuple[int, ...]:
    """Calendar years of measured weather (complete on the time base)."""
    years = sorted(set(knmi_de_bilt_hourly().index.year))
    return tuple(int(y) for y in years)


@lru_cache(maxsize=8)
def de_bilt_year(year: int) -> dict[str, np.ndarray]:
    """Measured De Bilt ghi, temp_air, wind_speed of calendar ``year`` on the time base (read-only)."""
    if year not in weather_years():
        raise ValueError(f"no measured weather for {year}; available: {list(weather_years())}")
    frame = knmi_de_bilt_hourly()
    out = {}
    for column in ("ghi", "temp_air", "wind_speed"):
        values = on_timebase(frame[column], year, wrap=True)
        values.flags.writeable = False
        out[column] = values
    return out


# --- Day-ahead prices ------------------------------------------------------------------------------------


def price_years(country: str) -> tuple[int, ...]:
    """Built-in day-ahead years of a country, oldest first."""
    return tuple(sorted(y for c, y in PRICE_FILES if c == country))


def latest_price_year(country: str) -> int:
    """The most recent complete built-in day-ahead year of a country (the default of dynamic scans)."""
    years = price_years(country)
    if not years:
        raise ValueError(f"no built-in day-ahead prices for country {country!r}")
    return years[-1]


def price_source(country: str, year: int | None) -> str | None:
    """The built-in day-ahead year's source, e.g. for the report's assumptions (None without a year)."""
    if year is None:
        return None
    return f"{PRICE_SOURCES[country]}, {year}"


@lru_cache(maxsize=8)
def day_ahead_hourly(country: str, year: int) -> pd.Series:
    """A built-in day-ahead year as published [EUR/MWh excl. taxes], UTC hour-start index."""
    name = PRICE_FILES.get((country, year))
    if name is None:
        raise ValueError(
            f"no built-in day-ahead prices for {country} {year}; available: {list(price_years(country))}"
        )
    series = _read_csv(name)["eur_per_mwh"]
    series.name = f"day-ahead {country} {year}"
    return series


@lru_cache(maxsize=8)
def day_ahead_year(country: str, year: int) -> np.ndarray:
    """A built-in day-ahead year on the time base [EUR/kWh excl. taxes, 8760, read-only]."""
    values = on_timebase(day_ahead_hourly(country, year), year) / 1000.0
    values.flags.writeable = False
    return values


__all__ = [
    "PRICE_FILES",
    "day_ahead_hourly",
    "day_ahead_year",
    "de_bilt_year",
    "knmi_de_bilt_hourly",
    "latest_price_year",
    "price_source",
    "on_timebase",
    "price_years",
    "timebase_positions",
    "weather_years",
]
