"""Validate a fetched price year and keep it; hand stored years to scans as arrays on the engine's time base
(the engine itself never reads the database)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from django.db import transaction

from apps.engine.reference_data import on_timebase, price_years
from apps.prices.models import PriceYear

PLAUSIBLE_EUR_PER_MWH = (-1000.0, 5000.0)
"""Range of a day-ahead price [EUR/MWh]: the EPEX/SDAC harmonised limits are −500 and +4,000 EUR/MWh
(HMMCP 2024); a body in EUR/kWh or ct/kWh would fall far inside or outside it on average."""

PLAUSIBLE_MEAN_EUR_PER_MWH = (5.0, 1000.0)
"""Range of an annual mean [EUR/MWh]: NL/BE yearly means were 30-250 EUR/MWh in 2015-2025 (ENTSO-E); a mean
below 5 means the body was in EUR/kWh. Assumption with a wide margin."""


def validate_year(series: pd.Series, year: int) -> pd.Series:
    """The series as exactly the hours of the local calendar year (NL/BE: 23:00 UTC on 31 Dec of the
    previous year onwards), or ``ValueError`` saying what is wrong: time zone, missing, duplicate or
    extra hours, values outside the plausible range, or a mean in the wrong unit."""
    index = pd.DatetimeIndex(series.index)
    if index.tz is None or str(index.tz) != "UTC":
        raise ValueError(f"prices must be indexed in UTC, got time zone {index.tz}")
    if index.has_duplicates:
        raise ValueError(f"duplicate hours, e.g. {index[index.duplicated()][0]}")
    expected = pd.date_range(
        f"{year - 1}-12-31 23:00", f"{year}-12-31 23:00", freq="h", tz="UTC", inclusive="left"
    )
    missing = expected.difference(index)
    if len(missing):
        raise ValueError(f"{len(missing)} of {len(expected)} hours of {year} missing, first {missing[0]}")
    extra = index.difference(expected)
    if len(extra):
        raise ValueError(f"{len(extra)} values outside {year}, first {extra[0]}")
    values = series.reindex(expected).astype(float)
    if not np.isfinite(values.to_numpy()).all():
        raise ValueError("prices contain non-numbers")
    lo, hi = PLAUSIBLE_EUR_PER_MWH
    if values.min() < lo or values.max() > hi:
        raise ValueError(f"prices outside {lo}..{hi} EUR/MWh (min {values.min()}, max {values.max()})")
    lo, hi = PLAUSIBLE_MEAN_EUR_PER_MWH
    if not lo <= values.mean() <= hi:
        raise ValueError(f"annual mean {values.mean():.3f} EUR/MWh is outside {lo}..{hi}: wrong unit?")
    return values


@transaction.atomic
def store_year(
    country: str, year: int, series: pd.Series, source: str, *, replace: bool = False
) -> PriceYear:
    """Validate and save a year (all or nothing). A built-in year cannot be overridden; a stored one only
    with ``replace``."""
    if year in price_years(country):
        raise ValueError(f"{country} {year} is a built-in measured year")
    values = validate_year(series, year)
    existing = PriceYear.objects.select_for_update().filter(country=country, year=year).first()
    if existing is not None and not replace:
        raise ValueError(f"{country} {year} is already stored (use --replace)")
    fields = {
        "source": source,
        "eur_per_mwh": [round(float(v), 3) for v in values],
        "mean_eur_per_mwh": float(values.mean()),
        "negative_hours": int((values < 0).sum()),
    }
    obj, _ = PriceYear.objects.update_or_create(country=country, year=year, defaults=fields)
    return obj


def available_years(country: str) -> list[int]:
    """Built-in and stored price years of a country, oldest first."""
    stored = PriceYear.objects.filter(country=country).values_list("year", flat=True)
    return sorted(set(price_years(country)) | set(stored))


def stored_day_ahead(country: str, year: int) -> np.ndarray | None:
    """A stored (not built-in) year on the engine's time base [EUR/kWh excl. taxes, 8760], or None."""
    row = PriceYear.objects.filter(country=country, year=year).first()
    if row is None:
        return None
    start = pd.Timestamp(f"{year - 1}-12-31 23:00", tz="UTC")
    index = pd.date_range(start, periods=len(row.eur_per_mwh), freq="h")
    series = pd.Series(row.eur_per_mwh, index=index, name=f"day-ahead {country} {year}")
    return on_timebase(series, year) / 1000.0
