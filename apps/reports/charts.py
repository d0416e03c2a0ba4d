"""The report's charts: the stored report and hourly series drawn as SVG with an HTML legend, in the active
language, cached per scan, language and completion time (drawing primitives in apps.reports.svg)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from django.core.cache import cache
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.reports import svg as draw
from apps.reports.svg import fmt
from apps.scans.selectors import scan_series

CHART_CACHE_VERSION = 2
CHART_CACHE_SECONDS = 7 * 24 * 3600
REFERENCE_YEAR = 2025  # the engine's non-leap modelled year (apps.engine.defaults.REFERENCE_YEAR)
SUMMER_MONTH, WINTER_MONTH = 7, 1  # typical days: the hourly mean of July and of January


def _month_index() -> np.ndarray:
    start = date(REFERENCE_YEAR, 1, 1)
    return np.array([(start + timedelta(days=d)).month for d in range(365)]).repeat(24)


def month_labels() -> list[str]:
    return [date_format(date(REFERENCE_YEAR, m, 1), "M") for m in range(1, 13)]


def _chart(svg: str, legend: list[tuple[str, str, str]]) -> dict:
    """An SVG and its legend (label, colour, "box" | "line"), the legend in HTML so it wraps on phones."""
    return {
        "svg": svg,
        "legend": [{"label": label, "color": color, "kind": kind} for label, color, kind in legend],
    }


def build_charts(report: dict, series: dict[str, np.ndarray], chart_arrays: dict) -> dict[str, dict]:
    """Every chart of the report as SVG with its legend, in the active language."""
    months = _month_index()
    labels = month_labels()
    consumption = series["consumption"]
    production = series["solar_production"]
    out: dict[str, dict] = {}
    monthly_use = [float(consumption[months == m].sum()) for m in range(1, 13)]
    monthly_pv = [float(production[months == m].sum()) for m in range(1, 13)]
    monthly_series = [
        (_("Consumption"), draw.INK, monthly_use),
        (_("Solar production"), draw.SUN, monthly_pv),
    ]
    out["monthly"] = draw.grouped_bars(
        labels=labels,
        series=monthly_series,
        unit="kWh",
        title=_("Monthly solar production and consumption"),
        desc=_("Solar production %(pv)s kWh and consumption %(use)s kWh over the year.")
        % {"pv": fmt(sum(monthly_pv)), "use": fmt(sum(monthly_use))},
    )
    out["monthly"] = _chart(out["monthly"], [(name, colour, "box") for name, colour, _d in monthly_series])

    def day_profile(month: int, name: str) -> np.ndarray:
        return series[name][months == month].reshape(-1, 24).mean(axis=0)

    day_max = max(
        float(
            max(
                day_profile(m, "consumption").max(),
                day_profile(m, "solar_production").max(),
            )
        )
        for m in (SUMMER_MONTH, WINTER_MONTH)
    )
    for key, month, title in (
        ("summer_day", SUMMER_MONTH, _("A typical summer day (July average)")),
        ("winter_day", WINTER_MONTH, _("A typical winter day (January average)")),
    ):
        stacks = [
            (_("Solar, used directly"), draw.SUN, day_profile(month, "solar_used_onsite").tolist()),
            (_("From the battery"), draw.BATTERY, day_profile(month, "battery_used_onsite").tolist()),
            (_("From the grid"), draw.GRID, day_profile(month, "grid_used_onsite").tolist()),
        ]
        pv = day_profile(month, "solar_production")
        svg = draw.stacked_day(
            stacks=stacks,
            line=(_("Solar production"), "#d97706", pv.tolist()),
            unit="kWh",
            y_max=day_max,
            title=title,
            desc=_("Average consumption per hour by source, and solar production (%(pv)s kWh per day).")
            % {"pv": fmt(float(pv.sum()), 1)},
        )
        legend = [(name, colour, "box") for name, colour, _d in stacks] + [
            (_("Solar production"), "#d97706", "line")
        ]
        out[key] = _chart(svg, legend)

    capacity = ((report.get("battery") or {}).get("specs") or {}).get("capacity_kwh") or 0
    if capacity > 0:
        # Per week: the average of each day's lowest, mean and highest charge level (52 points, readable).
        level = series["battery_level"][: 364 * 24].reshape(52, 7, 24) / capacity * 100.0
        mid_month = [
            ((date(REFERENCE_YEAR, m, 15) - date(REFERENCE_YEAR, 1, 1)).days - 3) / 7 for m in range(1, 13)
        ]
        svg = draw.band_line(
            low=level.min(axis=2).mean(axis=1).tolist(),
            mid=level.mean(axis=2).mean(axis=1).tolist(),
            high=level.max(axis=2).mean(axis=1).tolist(),
            label_positions=mid_month,
            month_labels=labels,
            unit="%",
            title=_("Battery state of charge over the year"),
            desc=_(
                "Daily lowest, average and highest charge level of the %(kwh)s kWh battery, averaged per week."
            )
            % {"kwh": fmt(capacity, 1)},
        )
        out["battery"] = _chart(
            svg,
            [
                (_("Average charge level"), draw.BATTERY, "line"),
                (_("Daily lowest to highest"), "#c7c9f9", "box"),
            ],
        )

    yearly = chart_arrays.get("yearly_cashflows") or []
    cumulative = chart_arrays.get("cumulative_cashflows") or []
    if yearly and cumulative:
        break_even = ((report.get("financial") or {}).get("cashflow_summary") or {}).get("break_even_year")
        svg = draw.cashflow(
            yearly=yearly,
            cumulative=cumulative,
            break_even_year=break_even,
            marker=_("Break-even: year %(year)s") % {"year": break_even} if break_even is not None else "",
            title=_("Cashflow per year and cumulative"),
            desc=_("Year 0 is the investment; the cumulative line crosses zero in the break-even year.")
            if break_even is not None
            else _("The cumulative cashflow does not reach zero within the analysis period."),
        )
        out["cashflow"] = _chart(
            svg,
            [
                (_("Money in per year"), draw.GREEN, "box"),
                (_("Money out per year"), draw.RED, "box"),
                (_("Cumulative"), draw.TEAL, "line"),
            ],
        )

    co2 = chart_arrays.get("monthly_co2_savings_kg") or []
    if co2:
        svg = draw.grouped_bars(
            labels=labels,
            series=[(_("CO2 saved"), draw.GREEN, co2)],
            unit="kg",
            title=_("CO2 saved per month"),
            desc=_("%(kg)s kg CO2 saved in the first year.") % {"kg": fmt(sum(co2))},
        )
        out["co2"] = _chart(svg, [(_("CO2 saved"), draw.GREEN, "box")])
    return out


def report_charts(scan) -> dict[str, dict]:
    """The scan's charts in the active language, cached until the scan is recomputed."""
    language = translation.get_language() or "nl"
    stamp = int(scan.finished_at.timestamp()) if scan.finished_at else 0
    key = f"portal:charts:v{CHART_CACHE_VERSION}:{scan.pk}:{language}:{stamp}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    stored = scan_series(scan=scan)
    if stored is None or not scan.report:
        return {}
    built = build_charts(scan.report, stored.unpack(), stored.charts or {})
    cache.set(key, built, CHART_CACHE_SECONDS)
    return built
