"""The report as people read it: KPIs, a recommendation in words, charts, the four-way comparison and every
assumption — one context for the portal scan page, the public share page, print and the PDF.

Reads only the stored report (the API's FullReportDto, snake_case) and the scan's hourly series; computes
nothing financial itself. Charts are SVG strings, cached per scan, language and completion time.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import numpy as np
from django.core.cache import cache
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from apps.portal import charts
from apps.portal.charts import fmt
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


def _pct(fraction: float | None) -> float | None:
    return None if fraction is None else 100.0 * fraction


# --- charts ---------------------------------------------------------------------------------------------


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
        (_("Consumption"), charts.INK, monthly_use),
        (_("Solar production"), charts.SUN, monthly_pv),
    ]
    out["monthly"] = charts.grouped_bars(
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
            (_("Solar, used directly"), charts.SUN, day_profile(month, "solar_used_onsite").tolist()),
            (_("From the battery"), charts.BATTERY, day_profile(month, "battery_used_onsite").tolist()),
            (_("From the grid"), charts.GRID, day_profile(month, "grid_used_onsite").tolist()),
        ]
        pv = day_profile(month, "solar_production")
        svg = charts.stacked_day(
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
        svg = charts.band_line(
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
                (_("Average charge level"), charts.BATTERY, "line"),
                (_("Daily lowest to highest"), "#c7c9f9", "box"),
            ],
        )

    yearly = chart_arrays.get("yearly_cashflows") or []
    cumulative = chart_arrays.get("cumulative_cashflows") or []
    if yearly and cumulative:
        break_even = ((report.get("financial") or {}).get("cashflow_summary") or {}).get("break_even_year")
        svg = charts.cashflow(
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
                (_("Money in per year"), charts.GREEN, "box"),
                (_("Money out per year"), charts.RED, "box"),
                (_("Cumulative"), charts.TEAL, "line"),
            ],
        )

    co2 = chart_arrays.get("monthly_co2_savings_kg") or []
    if co2:
        svg = charts.grouped_bars(
            labels=labels,
            series=[(_("CO2 saved"), charts.GREEN, co2)],
            unit="kg",
            title=_("CO2 saved per month"),
            desc=_("%(kg)s kg CO2 saved in the first year.") % {"kg": fmt(sum(co2))},
        )
        out["co2"] = _chart(svg, [(_("CO2 saved"), charts.GREEN, "box")])
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


# --- words ----------------------------------------------------------------------------------------------

DIRECTIONS = {
    "north": gettext_lazy("north"),
    "north-east": gettext_lazy("north-east"),
    "east": gettext_lazy("east"),
    "south-east": gettext_lazy("south-east"),
    "south": gettext_lazy("south"),
    "south-west": gettext_lazy("south-west"),
    "west": gettext_lazy("west"),
    "north-west": gettext_lazy("north-west"),
}


def goal_label(goal: str) -> str:
    return {
        "cost-savings": _("Lowest cost"),
        "self-sufficiency": _("Self-sufficiency"),
        "renewable-minimum": _("Minimum renewable share"),
    }.get(goal, goal)


def _direction(name: str) -> str:
    return str(DIRECTIONS.get(name, name))


def recommendation(report: dict, inputs: dict) -> list[str]:
    """The advice in plain sentences: which panels, which battery, and why (from the goal and results)."""
    lines: list[str] = []
    solar = report.get("solar") or {}
    new = [a for a in solar.get("new_systems") or [] if (a.get("panel_count") or 0) > 0]
    goal = report.get("goal") or inputs.get("goal")
    years = ((report.get("financial") or {}).get("parameters") or {}).get("evaluation_period")
    if new:
        panels = sum(a["panel_count"] for a in new)
        kwp = sum(a["installed_capacity_kwp"] or 0 for a in new)
        output = sum(a["yearly_output_kwh"] or 0 for a in new)
        parts = [
            _("%(count)s × %(watt)s Wp facing %(dir)s at %(tilt)s°")
            % {
                "count": a["panel_count"],
                "watt": fmt(a["panel_power_rated_watts"] or 0),
                "dir": _direction(a.get("roof_direction", "")),
                "tilt": fmt(a.get("tilt_deg") or 0),
            }
            for a in new
        ]
        lines.append(
            ngettext(
                "Install %(count)s new solar panel (%(kwp)s kWp: %(parts)s); it produces about %(kwh)s kWh a year.",
                "Install %(count)s new solar panels (%(kwp)s kWp: %(parts)s); together they produce about "
                "%(kwh)s kWh a year.",
                panels,
            )
            % {"count": panels, "kwp": fmt(kwp, 2), "parts": "; ".join(parts), "kwh": fmt(output)}
        )
    elif solar.get("wants_new_solar_panels"):
        lines.append(
            _(
                "No new solar panels: within the panel ranges given, extra panels do not improve the result "
                "for this goal."
            )
        )
    battery = report.get("battery") or {}
    specs = battery.get("specs") or {}
    capacity = specs.get("capacity_kwh") or 0
    kpi = (report.get("overview") or {}).get("kpi") or {}
    if capacity > 0:
        costs = battery.get("costs") or {}
        perf = battery.get("performance") or {}
        name = " ".join(x for x in (specs.get("brand_name"), specs.get("model_name")) if x)
        lines.append(
            _("Add a home battery of %(kwh)s kWh with %(kw)s kW power%(name)s, costing about € %(cost)s.")
            % {
                "kwh": fmt(capacity, 1),
                "kw": fmt(specs.get("power_kw") or 0, 1),
                "name": f" ({name})" if name else "",
                "cost": fmt(costs.get("purchase_cost") or 0),
            }
        )
        battery_payback = costs.get("system_return_period")
        savings = perf.get("annual_savings") or 0
        if goal == "self-sufficiency":
            why = _(
                "Why: the goal is self-sufficiency. The battery stores daytime solar power for the evening "
                "and night, so more of your own power is used at home (about € %(savings)s a year)."
            ) % {"savings": fmt(savings)}
        else:
            why = _(
                "Why: it saves about € %(savings)s a year by using stored solar power instead of buying "
                "from the grid."
            ) % {"savings": fmt(savings)}
        standby = perf.get("standby_kwh_per_year")
        if standby:
            why += " " + _("The battery itself uses about %(kwh)s kWh a year (standby and control).") % {
                "kwh": fmt(standby)
            }
            effective = perf.get("effective_roundtrip_efficiency")
            if effective is not None:
                why += " " + _(
                    "Counting that, %(pct)s %% of the energy put in comes back out over the year "
                    "(%(rated)s %% at rated power)."
                ) % {"pct": fmt(effective), "rated": fmt(specs.get("roundtrip_efficiency") or 0)}
        if battery_payback is None:
            why += " " + _(
                "On its own the battery does not earn back its price within %(years)s years under these "
                "assumptions."
            ) % {"years": years}
        else:
            why += " " + _("On its own it pays back in about %(years)s years.") % {
                "years": fmt(battery_payback, 1)
            }
        lines.append(why)
    elif battery.get("was_requested"):
        lines.append(
            _(
                "No battery: within the range given, a battery does not improve the result for this goal "
                "under these prices (the difference it makes does not cover its cost)."
            )
        )
    before, after = _pct(kpi.get("self_sufficiency_baseline")), _pct(kpi.get("self_sufficiency"))
    if before is not None and after is not None:
        lines.append(
            _("Self-sufficiency goes from %(before)s %% to %(after)s %% of your consumption.")
            % {"before": fmt(before), "after": fmt(after)}
        )
    lines += _money_lines(report, years)
    if goal == "renewable-minimum":
        lines.append(
            _(
                "This is the cheapest combination that covers at least %(pct)s %% of consumption with solar power."
            )
            % {"pct": fmt(100.0 * (inputs.get("renewable_electricity_min_fraction") or 0))}
        )
    return lines


def _money_lines(report: dict, years) -> list[str]:
    """Payback and total-cost sentences, from the very figures the KPIs and the comparison table show: the
    comparison cell of the scan's own contract with the same battery choice is the scan itself."""
    financial = report.get("financial") or {}
    investment = (financial.get("investment") or {}).get("total_investment")
    payback = (report.get("overview") or {}).get("kpi", {}).get("return_period")
    npv = financial.get("net_present_value")
    lines = []
    if investment:
        if payback is not None:
            lines.append(
                _("The investment of € %(inv)s pays back in about %(n)s years.")
                % {"inv": fmt(investment), "n": fmt(payback, 1)}
            )
        else:
            lines.append(
                _(
                    "The investment of € %(inv)s does not pay back within %(years)s years under these assumptions."
                )
                % {"inv": fmt(investment), "years": years}
            )
    has_battery = bool(((report.get("battery") or {}).get("specs") or {}).get("capacity_kwh"))
    other = next(
        (
            s
            for s in report.get("scenarios") or []
            if s.get("tariff_type") == report.get("tariff_type") and s.get("with_battery") != has_battery
        ),
        None,
    )
    if npv is None or other is None or other.get("net_present_value") is None:
        return lines
    values = {"npv": fmt(npv), "other": fmt(other["net_present_value"]), "years": years}
    if npv >= other["net_present_value"]:
        lines.append(
            (
                _(
                    "With the battery the net present value over %(years)s years is € %(npv)s, against € %(other)s without it."
                )
                if has_battery
                else _(
                    "Without a battery the net present value over %(years)s years is € %(npv)s, against € %(other)s with one."
                )
            )
            % values
        )
    else:
        lines.append(
            (
                _(
                    "Note: without the battery the net present value over %(years)s years would be higher (€ %(other)s against € %(npv)s)."
                )
                if has_battery
                else _(
                    "Note: with a battery the net present value over %(years)s years would be higher (€ %(other)s against € %(npv)s)."
                )
            )
            % values
        )
    return lines


def inputs_used(report: dict, inputs: dict) -> list[tuple[str, str]]:
    """The main inputs the figures rest on, so a typo (3.5 kWh for 3,500) is seen on the report itself."""
    a = report.get("assumptions") or {}
    kpi = (report.get("overview") or {}).get("kpi") or {}
    rows: list[tuple[str, str]] = []
    if inputs.get("input_method") == "studio":
        rows.append((_("Consumption"), _("measured hourly profile (studio)")))
    elif inputs.get("yearly_kwh") is not None:
        rows.append((_("Yearly consumption entered"), f"{fmt(inputs['yearly_kwh'])} kWh"))
        if inputs.get("yearly_export_kwh") is not None:
            rows.append((_("Yearly feed-in entered"), f"{fmt(inputs['yearly_export_kwh'])} kWh"))
    rows.append((_("Yearly consumption used"), f"{fmt(kpi.get('yearly_usage_kwh') or 0)} kWh"))
    contract = _("dynamic (hourly prices)") if a.get("tariffType") == "dynamic" else _("fixed price")
    rows.append(
        (
            _("Contract"),
            _("%(contract)s: electricity %(price)s, feed-in %(feed)s (year 1 average)")
            % {
                "contract": contract,
                "price": _eur(a.get("importPriceYearOneMeanEurPerKwh"), per=" /kWh"),
                "feed": _eur(a.get("exportPriceYearOneMeanEurPerKwh"), per=" /kWh"),
            },
        )
    )
    existing = sum(
        (p.get("panel_count") or 0) * (p.get("panel_power_watts") or 0)
        for p in inputs.get("existing_pv") or []
    )
    if existing:
        rows.append((_("Existing solar panels"), f"{fmt(existing / 1000.0, 2)} kWp"))
    for p in inputs.get("new_pv") or []:
        rows.append(
            (
                _("New panels considered"),
                _("%(min)s–%(max)s × %(watt)s Wp at € %(cost)s /kWp")
                % {
                    "min": p.get("min_panel_count"),
                    "max": p.get("max_panel_count"),
                    "watt": fmt(p.get("panel_power_watts") or 0),
                    "cost": fmt(p.get("cost_per_kwp") or 0),
                },
            )
        )
    battery = inputs.get("electric_battery")
    if battery:
        rows.append(
            (
                _("Battery considered"),
                _("%(min)s–%(max)s kWh at € %(cost)s /kWh")
                % {
                    "min": fmt(battery.get("min_capacity_kwh") or 0, 1),
                    "max": fmt(battery.get("capacity_kwh") or 0, 1),
                    "cost": fmt(battery.get("cost_per_kwh") or 0),
                },
            )
        )
    rows.append((_("Goal"), goal_label(report.get("goal") or inputs.get("goal") or "")))
    return rows


# --- assumptions ----------------------------------------------------------------------------------------


def _p(value) -> str:
    return f"{fmt(100.0 * value, 2)} %" if isinstance(value, int | float) else "—"


def _eur(value, decimals=3, per: str = "") -> str:
    return f"€ {fmt(value, decimals)}{per}" if isinstance(value, int | float) else "—"


def _watts(value) -> str:
    return f"{fmt(value, 0)} W" if isinstance(value, int | float) else "—"


def _yesno(value) -> str:
    return _("yes") if value else _("no")


def _sizing_method(name) -> str:
    """The engine's battery-dispatch name in words (the API keeps the raw name)."""
    labels = {
        "greedy": _("rule-based battery control"),
        "lp": _("optimised battery schedule"),
        "none": _("no battery"),
    }
    return str(labels[name]) if name in labels else str(name or "—")


TECHNICAL_DETAILS = "technical"  # key of the installer-only group; the template gives it its title


def assumption_rows(report: dict, inputs: dict) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every price, rate and source used, grouped. Unknown keys are listed too, so none is hidden."""
    a = dict(report.get("assumptions") or {})
    tariff = inputs.get("tariff") or {}
    used: set[str] = set()

    def take(key):
        used.add(key)
        return a.get(key)

    years_net = take("netMeteringYears") or []
    floor_years = take("feedInFloorYears") or []
    tariff_rows = [
        (
            _("Contract"),
            _("dynamic (hourly prices)") if take("tariffType") == "dynamic" else _("fixed price"),
        ),
        (_("Country"), take("country") or "—"),
        (_("Electricity price, year 1 average"), _eur(take("importPriceYearOneMeanEurPerKwh"), per=" /kWh")),
        (
            _("Feed-in compensation, year 1 average"),
            _eur(take("exportPriceYearOneMeanEurPerKwh"), per=" /kWh"),
        ),
        (_("Taxes included in the price"), _yesno(take("taxesIncluded"))),
        (_("Energy tax"), _eur(take("energyTaxEurPerKwh"), 4, per=" /kWh")),
        (_("VAT"), _p(take("vat"))),
        (_("Bare supply price"), _eur(take("bareSupplyPriceEurPerKwh"), 4, per=" /kWh")),
        (_("Feed-in cost"), _eur(take("feedInCostEurPerKwh"), per=" /kWh")),
        (_("Fixed costs per month"), _eur(take("fixedMonthlyEur"), 2)),
        (
            _("Net metering (salderen)"),
            ", ".join(str(y) for y in years_net)
            if years_net
            else _("none (ends by law after %(year)s)") % {"year": take("netMeteringLastYearByLaw")},
        ),
        (
            _("Feed-in compensation floor"),
            _("%(pct)s of the supply price in %(years)s")
            % {"pct": _p(take("feedInFloorFraction")), "years": "–".join(str(y) for y in floor_years)}
            if floor_years
            else "—",
        ),
        (_("Capacity tariff"), _eur(take("capacityTariffEurPerKwYearInclVat"), 2) + " /kW/" + _("year")),
        (
            _("Fixed-price column of the comparison"),
            _("%(price)s, feed-in %(feed)s (%(source)s)")
            % {
                "price": _eur(take("comparisonFixedPriceEurPerKwh"), per=" /kWh"),
                "feed": _eur(take("comparisonFixedFeedInEurPerKwh"), per=" /kWh"),
                "source": _("your contract")
                if take("comparisonFixedPriceSource") == "scan"
                else _("a typical fixed contract, assumed"),
            },
        ),
    ]
    take("capacityTariffFloorKw")
    if tariff.get("type") == "dynamic" or a.get("dynamicSupplierMarkupEurPerKwh") is not None:
        tariff_rows += [
            (_("Dynamic: supplier markup"), _eur(take("dynamicSupplierMarkupEurPerKwh"), per=" /kWh")),
            (_("Dynamic: feed-in fee"), _eur(take("dynamicFeedInFeeEurPerKwh"), per=" /kWh")),
            (_("Dynamic: day-ahead prices"), take("dayAheadSource") or _("built-in price year")),
            (_("Dynamic: price year"), str(take("dayAheadPriceYear") or "—")),
            (_("Dynamic: day-ahead average"), _eur(take("dayAheadMeanEurPerKwh"), 4, per=" /kWh")),
        ]
    tariff_rows.append((_("Measured price years"), _plain(take("builtInPriceYears"))))
    low_high = take("paybackRangeEscalationLowHigh") or []
    fade_low_high = take("paybackRangeBatteryFadeLowHigh") or []
    finance_rows = [
        (_("Analysis period"), _("%(n)s years") % {"n": take("analysisYears")}),
        (_("First operating year"), str(take("firstOperatingYear"))),
        (_("Discount rate"), _p(take("discountRate"))),
        (_("Electricity price escalation"), _p(take("priceEscalation")) + " " + _("per year")),
        (_("Maintenance cost escalation"), _p(take("omEscalation")) + " " + _("per year")),
        (_("Solar panel degradation"), _p(take("pvDegradationPerYear")) + " " + _("per year")),
        (_("Solar panel lifetime"), _("%(n)s years") % {"n": take("pvLifetimeYears")}),
        (
            _("Solar maintenance"),
            (_eur(take("pvOmEurPerKwYear"), 2) + " /kW/" + _("year"))
            if inputs.get("include_pv_maintenance_costs")
            else _("not included"),
        ),
        (
            _("Battery maintenance"),
            (_p(take("batteryOmFractionPerYear")) + " " + _("of the price per year"))
            if inputs.get("include_battery_maintenance_costs")
            else _("not included"),
        ),
        (_("Battery lifetime"), _("%(n)s years") % {"n": take("batteryLifeYears")}),
        (_("Battery capacity fade"), _p(take("batteryCapacityFadePerYear")) + " " + _("per year")),
        (_("Battery replacement cost"), _p(take("batteryReplacementCostFraction")) + " " + _("of the price")),
        (_("Battery cost per kW"), _eur(take("batteryCostEurPerKw"), 2)),
        (_("Fixed cost of a new solar installation"), _eur(take("pvFixedCostEur"), 0)),
        (_("Fixed cost of a battery installation"), _eur(take("batteryFixedCostEur"), 0)),
        (
            _("Battery's own standby use"),
            _watts(take("batteryStandbyW")),
        ),
        (
            _("Battery power at most"),
            _("%(c)s kW per kWh of capacity") % {"c": fmt(take("batteryMaxCRate") or 0, 1)},
        ),
        (
            _("Payback range"),
            _("price escalation %(low)s to %(high)s, battery fade %(flow)s to %(fhigh)s per year")
            % {
                "low": _p(low_high[0]) if low_high else "—",
                "high": _p(low_high[1]) if low_high else "—",
                "flow": _p(fade_low_high[0]) if fade_low_high else "—",
                "fhigh": _p(fade_low_high[1]) if fade_low_high else "—",
            },
        ),
    ]
    used.update(("pvOmEurPerKwYear", "batteryOmFractionPerYear"))  # shown only when included
    source = take("weather_source")
    take("weatherSource")  # the same in the engine's words; shown above in the reader's language
    co2_rows = [
        (_("Grid carbon intensity"), f"{fmt(take('gridCarbonIntensityKgPerKwh') or 0, 3)} kg CO2/kWh"),
        (_("A tree absorbs"), f"{fmt(take('treeKgCo2PerYear') or 0)} kg CO2/" + _("year")),
        (_("A car emits"), f"{fmt(take('carKgCo2PerKm') or 0, 3)} kg CO2/km"),
        (_("A return flight emits"), f"{fmt(take('flightKgCo2') or 0)} kg CO2"),
    ]
    method_rows = [
        (
            _("Weather"),
            _("PVGIS typical meteorological year (measured)")
            if source == "pvgis"
            else _("KNMI De Bilt hourly measurements of %(year)s, carried to this address")
            % {"year": take("weatherYear")}
            if source == "offline"
            else str(source or "—"),
        ),
        (_("Weather years compared"), _plain(take("weatherSpreadYears"))),
    ]
    # For the installer only (the portal and the API keep them; the homeowner's page and PDF do not).
    technical_rows = [
        (_("Sizing method"), _sizing_method(take("sizing_method"))),
        (_("Self-sufficiency tolerance"), _p(take("selfSufficiencyTolerance"))),
        (_("Battery size step"), f"{fmt(take('batteryCapacityStepKwh') or 0, 1)} kWh"),
        (_("Engine version"), str(take("engineVersion") or "—")),
    ]
    rest = [(key, _plain(value)) for key, value in sorted(a.items()) if key not in used]
    groups = [
        (_("Tariff and prices"), tariff_rows),
        (_("Finance"), finance_rows),
        (_("CO2"), co2_rows),
        (_("Method"), method_rows),
        (TECHNICAL_DETAILS, technical_rows + rest),
    ]
    return groups


def _plain(value) -> str:
    if isinstance(value, bool):
        return _yesno(value)
    if isinstance(value, float):
        return fmt(value, 4)
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value) or "—"
    if value is None:
        return "—"
    return str(value)


ACCURACY_LABELS = {
    "high": gettext_lazy("High"),
    "medium": gettext_lazy("Medium"),
    "indicative": gettext_lazy("Indicative"),
}
FACTOR_LABELS = {
    ("consumption", "measured"): gettext_lazy("Consumption: measured hourly profile."),
    ("consumption", "estimated"): gettext_lazy(
        "Consumption: a standard household profile scaled to the yearly use."
    ),
    ("grossLoad", "reconstructed"): gettext_lazy(
        "Existing panels: the yearly export was used to reconstruct real use."
    ),
    ("grossLoad", "estimated"): gettext_lazy(
        "Existing panels: no yearly export given, so real use is estimated."
    ),
    ("weather", "pvgis"): gettext_lazy("Weather: a typical year measured for this location (PVGIS)."),
    ("weather", "offline"): gettext_lazy(
        "Weather: measured hour by hour by KNMI in De Bilt, carried to this location."
    ),
    ("existingPvProduction", "measured"): gettext_lazy(
        "Existing panels: the simulation was calibrated to their measured production."
    ),
    ("existingPvProduction", "simulated"): gettext_lazy(
        "Existing panels: a measured production was available but not used."
    ),
}


def _reason(factor: dict) -> str:
    label = FACTOR_LABELS.get((factor.get("factor"), factor.get("level")))
    detail = factor.get("detail") or factor.get("factor") or ""
    if label is None:
        return str(detail)
    if factor.get("factor") == "existingPvProduction" and detail:
        return f"{label} ({detail})"
    return str(label)


def accuracy_view(report: dict) -> dict | None:
    acc = report.get("accuracy")
    if not acc:
        return None
    return {
        "rating": acc.get("rating"),
        "label": str(ACCURACY_LABELS.get(acc.get("rating"), acc.get("rating"))),
        "score": acc.get("score"),
        "max_score": acc.get("max_score"),
        "reasons": [_reason(f) for f in acc.get("factors") or []],
    }


def branding_for(organization) -> dict:
    """Logo, display name and colour of the organization for the share page and the PDF."""
    enabled = bool(organization and organization.branding_enabled)
    name = (organization.branding_display_name if enabled else "") or (
        organization.name if organization else ""
    )
    logo = organization.branding_logo.url if enabled and organization.branding_logo else None
    colour = organization.branding_color if enabled else ""
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour or ""):
        colour = "#0f766e"  # only a plain hex colour goes into the page's style attribute
    return {"name": name, "logo_url": logo, "color": colour, "enabled": enabled}


def with_savings(scans):
    """Annotate a scan list with the first-year savings from the stored report (one query, no report load)."""
    from django.db.models import FloatField
    from django.db.models.fields.json import KT
    from django.db.models.functions import Cast

    return scans.annotate(yearly_savings=Cast(KT("report__overview__kpi__yearly_savings"), FloatField()))


# --- the whole context ----------------------------------------------------------------------------------


def scenario_grid(report: dict) -> list[dict]:
    """Rows fixed/dynamic × columns without/with battery, in a fixed order."""
    found = {(s["tariff_type"], s["with_battery"]): s for s in report.get("scenarios") or []}
    has_battery = bool(((report.get("battery") or {}).get("specs") or {}).get("capacity_kwh"))
    scan_key = (report.get("tariff_type"), has_battery)
    if scan_key in found:  # the cell that is this scan itself: its figures are the report's own
        found[scan_key] = {**found[scan_key], "is_scan": True}
    rows = []
    for tariff, label in (("flat", _("Fixed price contract")), ("dynamic", _("Dynamic contract"))):
        rows.append(
            {
                "label": label,
                "current": tariff == report.get("tariff_type"),
                "cells": [found.get((tariff, False)), found.get((tariff, True))],
            }
        )
    return rows


def report_context(scan, *, with_charts: bool = True) -> dict:
    report = scan.report or {}
    inputs = scan.inputs or {}
    overview = report.get("overview") or {}
    kpi = overview.get("kpi") or {}
    payback = report.get("payback_range") or {}
    sustainability = report.get("sustainability") or {}
    co2 = sustainability.get("co2_emissions") or {}
    financial = report.get("financial") or {}
    groups = assumption_rows(report, inputs)
    return {
        "scan": scan,
        "r": report,
        "inputs": inputs,
        "goal_label": goal_label(report.get("goal") or scan.goal),
        "kpi": {
            "savings": kpi.get("yearly_savings"),
            "payback": payback.get("base", kpi.get("return_period")) if payback else kpi.get("return_period"),
            "payback_low": payback.get("low"),
            "payback_high": payback.get("high"),
            "has_range": bool(payback),
            "ss_before": _pct(kpi.get("self_sufficiency_baseline")),
            "ss_after": _pct(kpi.get("self_sufficiency")),
            "co2_year": co2.get("co2_saved_yearly_kg"),
            "co2_total": co2.get("co2_saved_total_kg"),
            "years": (financial.get("parameters") or {}).get("evaluation_period"),
            "break_even": (financial.get("cashflow_summary") or {}).get("break_even_year"),
            "investment": (financial.get("investment") or {}).get("total_investment"),
            "npv": financial.get("net_present_value"),
        },
        "recommendation": recommendation(report, inputs),
        "charts": report_charts(scan) if with_charts else {},
        "scenarios": scenario_grid(report),
        "assumption_groups": [group for group in groups if group[0] != TECHNICAL_DETAILS],
        "technical_details": dict(groups).get(TECHNICAL_DETAILS, []),
        "inputs_used": inputs_used(report, inputs),
        "accuracy": accuracy_view(report),
        "equivalents": sustainability.get("equivalents") or {},
    }


def kpi_summary(scan) -> dict:
    """The few numbers the comparison of a scan and its adjustments shows side by side."""
    report = scan.report or {}
    kpi = (report.get("overview") or {}).get("kpi") or {}
    solar = report.get("solar") or {}
    battery = ((report.get("battery") or {}).get("specs")) or {}
    payback = report.get("payback_range") or {}
    return {
        "savings": kpi.get("yearly_savings"),
        "payback": kpi.get("return_period"),
        "payback_low": payback.get("low"),
        "payback_high": payback.get("high"),
        "ss_after": _pct(kpi.get("self_sufficiency")),
        "new_panels": sum(a.get("panel_count") or 0 for a in solar.get("new_systems") or []),
        "new_kwp": sum(a.get("installed_capacity_kwp") or 0 for a in solar.get("new_systems") or []),
        "battery_kwh": battery.get("capacity_kwh") or 0,
        "investment": ((report.get("financial") or {}).get("investment") or {}).get("total_investment"),
        "npv": (report.get("financial") or {}).get("net_present_value"),
        "co2": ((report.get("sustainability") or {}).get("co2_emissions") or {}).get("co2_saved_yearly_kg"),
    }


def compare_rows(columns: list[dict]) -> list[dict]:
    """Rows of the side-by-side comparison: label and one formatted cell per scan, each flagged when it
    differs from the original (the first column)."""

    def years(v, investment=None):
        if investment == 0:
            return _("not applicable")
        return "—" if v is None else _("%(n)s years") % {"n": fmt(v, 1)}

    def eur(v):
        return "—" if v is None else f"€\u00a0{fmt(v)}"

    specs = [
        (_("New panels"), lambda k: f"{k['new_panels']} ({fmt(k['new_kwp'], 2)} kWp)"),
        (_("Battery"), lambda k: f"{fmt(k['battery_kwh'], 1)} kWh"),
        (_("Investment"), lambda k: eur(k["investment"])),
        (_("Yearly savings"), lambda k: eur(k["savings"])),
        (
            _("Payback period"),
            lambda k: (
                years(k["payback"], k["investment"])
                + (
                    f" ({fmt(k['payback_low'], 1)}–{fmt(k['payback_high'], 1)})"
                    if k["payback_low"] and k["payback_high"]
                    else ""
                )
            ),
        ),
        (_("Self-sufficiency"), lambda k: "—" if k["ss_after"] is None else f"{fmt(k['ss_after'])} %"),
        (_("Net present value"), lambda k: eur(k["npv"])),
        (_("CO2 saved per year"), lambda k: "—" if k["co2"] is None else f"{fmt(k['co2'])} kg"),
    ]
    rows = []
    for label, cell in specs:
        values = [cell(c["kpi"]) if c["kpi"] else "—" for c in columns]
        rows.append(
            {
                "label": label,
                "cells": [{"text": v, "changed": i > 0 and v != values[0]} for i, v in enumerate(values)],
            }
        )
    return rows
