"""The chosen design on every measured year: how much its figures depend on the weather and the prices.

* ``weather_year_figures``: yearly savings, payback and self-sufficiency on each measured weather year
  (KNMI De Bilt 2021-2024 carried to the location), on the scan's own contract.
* ``battery_value_by_price_year``: what the battery adds on a dynamic contract in each built-in price year,
  with the weather of the same calendar year where it was measured (so sunny middays meet their own
  negative prices).

The design is never re-sized: only the hourly flows (dispatch) and the bills are evaluated again, so the
cost is a few dispatch runs, not a few sizings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from apps.engine import defaults as d
from apps.engine.reference_data import price_years, weather_years
from apps.engine.scenarios import DesignCase, build_case, case_finance, problem_for_tariff
from apps.engine.sizing import Design, SizingProblem
from apps.engine.types import BatteryYearValue, TariffInput, YearFigures
from apps.engine.weather import OfflineWeather, Weather

SiteSeries = Callable[[Weather], tuple[np.ndarray, np.ndarray, np.ndarray]]
"""For a weather year: (existing PV [kWh per hour], new-PV yield per array [kWh/kWp per hour, (n, T)],
gross load [kWh per hour]) of the scan's household."""


class MeasuredYears:
    """The scan's problem on each measured weather year at one location, built once per year."""

    def __init__(self, problem: SizingProblem, site: SiteSeries, latitude: float, longitude: float) -> None:
        self.problem = problem
        self.site = site
        self.latitude = latitude
        self.longitude = longitude
        self._cache: dict[int, tuple[Weather, SizingProblem]] = {}

    def get(self, year: int) -> tuple[Weather, SizingProblem]:
        """(weather, problem) of a measured weather year; the problem keeps the scan's contract."""
        if year not in self._cache:
            weather = OfflineWeather(year).get(self.latitude, self.longitude)
            existing, new_yield, load = self.site(weather)
            self._cache[year] = (
                weather,
                replace(self.problem, load=load, existing_pv=existing, new_pv_yield=new_yield),
            )
        return self._cache[year]


def weather_year_figures(
    years: MeasuredYears,
    design: Design,
    tariff: TariffInput,
    first_year: int,
    price_year: int | None,
    own: tuple[int, DesignCase] | None = None,
) -> tuple[YearFigures, ...]:
    """Key figures of ``design`` on each measured weather year, on the scan's own contract. ``own``: the
    scan's (weather year, case), reused instead of evaluated again."""
    out = []
    for year in weather_years():
        weather, problem = years.get(year)
        if own is not None and own[0] == year:
            case = own[1]
        else:
            case = build_case(problem, design, tariff, first_year)
        fin = case_finance(case)
        out.append(
            YearFigures(
                weather_year=year,
                price_year=price_year,
                ghi_kwh_m2=weather.ghi_kwh_m2,
                pv_output_kwh=float(case.full.pv.sum()),
                yearly_savings_eur=fin.year_one_savings,
                payback_years=fin.payback_years,
                self_sufficiency=case.full.self_sufficiency,
            )
        )
    return tuple(out)


def battery_value_by_price_year(
    years: MeasuredYears,
    default_problem: SizingProblem,
    design: Design,
    battery_design: Design,
    tariff: TariffInput,
    first_year: int,
    *,
    measured_weather: bool,
    default_weather_year: int | None,
    own: tuple[int | None, int | None, DesignCase] | None = None,
) -> tuple[BatteryYearValue, ...]:
    """The battery's year-one value on a dynamic contract in each built-in price year of the country.

    The dynamic contract is the scan's own (if dynamic) or the one the four-way comparison derives from a
    flat one (default markup and fee), with the price year's built-in prices. ``measured_weather``: pair
    each price year with the weather of the same calendar year where measured, else
    ``DEFAULT_WEATHER_YEAR`` (as a scan on that price year would); without it (PVGIS) every price year
    uses ``default_problem``'s weather, whose year is ``default_weather_year`` (None for a typical year).
    ``own``: the scan's (price year, weather year, case), reused when it is the same evaluation.
    """
    base = tariff if tariff.type == "dynamic" else replace(tariff, type="dynamic")
    out = []
    for price_year in price_years(tariff.country):
        contract = replace(base, day_ahead_eur_per_kwh=None, price_year=price_year)
        if measured_weather:
            weather_year = price_year if price_year in weather_years() else d.DEFAULT_WEATHER_YEAR
            problem = years.get(weather_year)[1]
        else:
            weather_year, problem = default_weather_year, default_problem
        if own is not None and own[:2] == (price_year, weather_year) and own[2].design == battery_design:
            case = own[2]
        else:
            problem = problem_for_tariff(problem, contract, first_year)
            case = build_case(problem, battery_design, contract, first_year)
        with_battery = case_finance(case)
        # PV alone is the same case without the battery: its flows are already there.
        pv_only = case_finance(replace(case, design=Design(design.panels), full=case.pv_only))
        out.append(
            BatteryYearValue(
                price_year=price_year,
                weather_year=weather_year,
                savings_pv_only_eur=pv_only.year_one_savings,
                savings_with_battery_eur=with_battery.year_one_savings,
                battery_value_eur=with_battery.year_one_savings - pv_only.year_one_savings,
            )
        )
    return tuple(out)


__all__ = ["MeasuredYears", "SiteSeries", "battery_value_by_price_year", "weather_year_figures"]
