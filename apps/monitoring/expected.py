"""Expected monthly production of an installed design: the engine's PV model on every measured weather
year (KNMI De Bilt 2021-2024 carried to the location), as a band per month.

Pure (no Django): plain dataclasses in, numpy arrays out, so it can be checked by hand and in a notebook.

* For each weather year the engine gives the hourly AC energy of each array per kWp (losses included);
  summed per month and multiplied by the array's kWp.
* ``low`` / ``high`` are the smallest and largest of the years for that month, ``typical`` their mean:
  the spread is what the weather alone moves a month, so a month under ``low`` is not bad weather.
* Degradation: operating year ``n`` (1 in the first 12 months after installation) yields
  ``(1 - PV_DEGRADATION_PER_YEAR) ** (n - 1)`` of the new system.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from apps.engine import defaults as d
from apps.engine.pv import array_kwp, kwh_per_kwp
from apps.engine.reference_data import weather_years
from apps.engine.timebase import HOURS, month_index, monthly_sum
from apps.engine.weather import OfflineWeather


@dataclass(frozen=True)
class InstalledArray:
    """One installed roof face: panels [-], panel power [Wp], tilt [°], azimuth [°, 180 = south], losses [%]."""

    panel_count: int
    panel_power_watts: float
    tilt: float
    azimuth: float
    losses_pct: float = d.DEFAULT_SYSTEM_LOSSES_PCT

    @property
    def kwp(self) -> float:
        return array_kwp(self.panel_count, self.panel_power_watts)


@dataclass(frozen=True)
class ExpectedYears:
    """The design's production on each measured weather year, before degradation.

    ``years``: the weather years; ``monthly`` [kWh, (len(years), 12)]; ``hourly_typical`` [kWh per hour,
    8760]: the mean over the years, used to weigh which hours of a month matter when readings are missing.
    """

    years: tuple[int, ...]
    monthly: np.ndarray
    hourly_typical: np.ndarray

    def band(self, month: int, operating_year: int) -> tuple[float, float, float]:
        """(low, typical, high) [kWh] of calendar ``month`` (1-12) in operating year ``operating_year``."""
        values = self.monthly[:, month - 1] * degradation_factor(operating_year)
        return float(values.min()), float(values.mean()), float(values.max())

    def of_year(self, weather_year: int, month: int, operating_year: int) -> float | None:
        """The expected value with the weather of that very month, when it was measured [kWh]."""
        if weather_year not in self.years:
            return None
        row = self.years.index(weather_year)
        return float(self.monthly[row, month - 1] * degradation_factor(operating_year))

    def covered_share(self, month: int, steps: np.ndarray) -> float:
        """Share [-] of a month's typical production that falls in the given time-base ``steps`` (the hours
        that have readings): 1.0 when every hour is there; a missing sunny noon weighs more than a night."""
        in_month = month_index() == month - 1
        total = float(self.hourly_typical[in_month].sum())
        if total <= 0:
            return 0.0
        steps = np.asarray(steps, dtype=np.intp)
        steps = steps[in_month[steps]]
        return float(self.hourly_typical[np.unique(steps)].sum()) / total

    def lowest_total(self, months: list[tuple[int, int, float]]) -> float:
        """The lowest weather year's total [kWh] over ``(month, operating year, covered share)`` items."""
        totals = sum(self.monthly[:, m - 1] * degradation_factor(n) * share for m, n, share in months)
        return float(np.min(totals))


def degradation_factor(operating_year: int) -> float:
    """Output of operating year ``n`` relative to the first [-]: (1 - 0.5 %/yr) ** (n - 1)."""
    return (1.0 - d.PV_DEGRADATION_PER_YEAR) ** max(int(operating_year) - 1, 0)


def expected_years(arrays: tuple[InstalledArray, ...], latitude: float, longitude: float) -> ExpectedYears:
    """The design on each measured weather year at the location (see the module docstring)."""
    years = weather_years()
    hourly = np.zeros((len(years), HOURS))
    for row, year in enumerate(years):
        weather = OfflineWeather(year).get(latitude, longitude)
        for array in arrays:
            hourly[row] += kwh_per_kwp(weather, array.tilt, array.azimuth, array.losses_pct) * array.kwp
    monthly = np.vstack([monthly_sum(series) for series in hourly])
    return ExpectedYears(years=tuple(years), monthly=monthly, hourly_typical=hourly.mean(axis=0))
