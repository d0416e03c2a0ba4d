"""The report in words: the recommendation, the money lines, the inputs used, every assumption with its
source, and the accuracy rating explained, in the active language. Reads only the stored report (the API's
FullReportDto, snake_case) and the scan's inputs; computes nothing financial itself."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from apps.reports.svg import fmt


def percent(fraction: float | None) -> float | None:
    """A stored fraction (0..1) as a percentage for display."""
    return None if fraction is None else 100.0 * fraction


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
    before, after = percent(kpi.get("self_sufficiency_baseline")), percent(kpi.get("self_sufficiency"))
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
    tariff_rows += _capacity_rows(take)
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


def _capacity_rows(take) -> list[tuple[str, str]]:
    """The Belgian capacity tariff as billed: the rate, the floor and the quarter-hour peak factor with where
    it comes from (none for a scan without the tariff, whose floor is None)."""
    floor = take("capacityTariffFloorKw")
    rate = take("capacityTariffEurPerKwYearExclVat")
    rate_year = take("capacityTariffRateYear")
    by_year = take("capacityTariffEurPerKwYearByYear") or {}
    factor = take("capacityPeakFactor")
    source = take("capacityPeakFactorSource")
    months = take("capacityPeakFactorMonths")
    take("capacityTariffRateSource")  # the same as the rate's year being None
    if floor is None or source is None:
        return []
    per_kw_year = " /kW/" + _("year")
    sources = {
        "measured": ngettext(
            "measured from your meter's quarter hours (%(n)s month)",
            "measured from your meter's quarter hours (%(n)s months)",
            months or 0,
        )
        % {"n": months},
        "scan": _("as given for this scan"),
        "default": _("default assumption"),
    }
    rows = [
        (
            _("Capacity tariff rate"),
            _eur(rate, 2)
            + per_kw_year
            + " "
            + _("excl. VAT")
            + ", "
            + (
                _("Flemish average of %(year)s") % {"year": rate_year}
                if rate_year is not None
                else _("your grid operator's rate")
            ),
        ),
        (_("Capacity tariff minimum monthly peak"), f"{fmt(floor, 1)} kW"),
        (
            _("Quarter-hour peak"),
            _("%(factor)s × the highest hour of the month, %(source)s")
            % {"factor": fmt(factor or 0, 2), "source": sources.get(source, source)},
        ),
    ]
    if by_year:  # the table the default rate comes from (years after its last use the last one)
        rows.insert(
            1,
            (
                _("Capacity tariff rates per year"),
                ", ".join(f"{year}: {_eur(value, 2)}" for year, value in sorted(by_year.items())),
            ),
        )
    return rows


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
