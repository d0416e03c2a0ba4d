"""The report's ``year_spread`` block: the chosen design's key figures on every measured weather year and
the battery's value on every measured day-ahead year, next to the price-escalation range.

"Sunny" and "dull" are the measured years with the most and the least irradiation at the location, so the
report can say "in a sunny year like 2022 you save … in a dull year like 2021 …".
"""

from __future__ import annotations

from apps.engine.types import ScanResult


def _r(value: float | None, digits: int) -> float | None:
    return None if value is None else round(float(value), digits)


def _year(figures) -> dict:
    return {
        "weather_year": figures.weather_year,
        "price_year": figures.price_year,
        "irradiation_kwh_m2": _r(figures.ghi_kwh_m2, 0),
        "pv_output_kwh": _r(figures.pv_output_kwh, 0),
        "yearly_savings": _r(figures.yearly_savings_eur, 2),
        "return_period": _r(figures.payback_years, 1),
        "self_sufficiency": _r(100.0 * figures.self_sufficiency, 1),
    }


def year_spread(result: ScanResult) -> dict | None:
    """The block, or None when the engine computed no per-year figures."""
    years = result.weather_year_figures
    if not years:
        return None
    sunny = max(years, key=lambda y: y.ghi_kwh_m2)
    dull = min(years, key=lambda y: y.ghi_kwh_m2)
    return {
        "weather_year": result.weather_year,
        "price_year": result.price_year,
        "weather_years": [_year(y) for y in years],
        "sunny_year": _year(sunny),
        "dull_year": _year(dull),
        "battery_value_by_price_year": [
            {
                "price_year": b.price_year,
                "weather_year": b.weather_year,
                "yearly_savings_pv_only": _r(b.savings_pv_only_eur, 2),
                "yearly_savings_with_battery": _r(b.savings_with_battery_eur, 2),
                "battery_value": _r(b.battery_value_eur, 2),
            }
            for b in result.battery_value_by_price_year
        ],
    }
