"""Cashflows over the analysis period: investment, savings, maintenance, battery replacement; NPV,
payback (returnPeriod), break-even year and average annual return.

Year 0 is the investment; years 1..N are operating years (calendar year = first operating year + y - 1,
so the contract of each year follows the law of that year). Savings in year y, versus the household as
it is (BAU, same contract), in nominal EUR:

    savings_y = (1 + escalation)^(y-1) x [ S_pv,y x (1 - pv_degradation)^(y-1) + S_bat,y x soh_y ]

with S_pv,y = bill_BAU,y - bill_PV-only,y and S_bat,y = bill_PV-only,y - bill_design,y the year-one savings
of the new PV and of the battery under year y's contract, and soh_y the battery's usable capacity relative
to new at the start of year y (linear fade, reset at replacement). Scaling the battery's savings with its
capacity is a linear approximation (savings grow less than linearly with capacity, so it is slightly
pessimistic). Cashflow_y = savings_y - O&M_y - replacement_y; NPV discounts at the discount rate. A battery
replacement that would outlive the period is credited its residual value (straight-line over its life) in
the last year.
"""

from __future__ import annotations

from dataclasses import dataclass

from apps.engine import defaults as d
from apps.engine.types import FinanceResult


@dataclass(frozen=True)
class CostParams:
    """Ownership-cost assumptions: rates [-/yr], O&M [EUR/kW/yr] and [fraction of capex/yr], battery
    life [years] and fade [fraction of new capacity/yr], replacement cost [fraction of capex], fixed
    installation costs of new PV and of a battery [EUR] (0 here; ``api`` fills the named defaults)."""

    years: int = d.DEFAULT_ANALYSIS_YEARS
    discount_rate: float = d.DEFAULT_DISCOUNT_RATE
    price_escalation: float = d.DEFAULT_PRICE_ESCALATION
    om_escalation: float = d.OM_ESCALATION
    pv_degradation: float = d.PV_DEGRADATION_PER_YEAR
    pv_om_eur_per_kw_year: float = 0.0
    battery_om_fraction: float = 0.0
    battery_life_years: int = d.DEFAULT_BATTERY_LIFE_YEARS
    battery_fade_per_year: float = d.BATTERY_CAPACITY_FADE_PER_YEAR
    battery_replacement_fraction: float = d.BATTERY_REPLACEMENT_COST_FRACTION
    pv_fixed_eur: float = 0.0
    battery_fixed_eur: float = 0.0


def pv_investment(per_kwp_eur: float, new_kwp: float, params: CostParams) -> float:
    """Investment in new PV [EUR]: the per-kWp part plus the fixed installation cost, charged once when
    any new panel is installed (inverter, scaffolding, connection: see ``PV_INSTALLATION_FIXED_EUR``)."""
    return per_kwp_eur + (params.pv_fixed_eur if new_kwp > 0 else 0.0)


def battery_investment(
    capacity_kwh: float, power_kw: float, cost_per_kwh: float, params: CostParams
) -> float:
    """Investment in a battery [EUR]: per kWh and per kW plus the fixed installation cost (see
    ``BATTERY_INSTALLATION_FIXED_EUR``); 0 without a battery."""
    if capacity_kwh <= 0:
        return 0.0
    power = min(power_kw, d.BATTERY_MAX_C_RATE * capacity_kwh)  # the power it really has (battery.py)
    return capacity_kwh * cost_per_kwh + power * d.BATTERY_COST_EUR_PER_KW + params.battery_fixed_eur


def discount_factor(rate: float, year: int) -> float:
    """1 / (1 + rate)^year [-]."""
    return 1.0 / (1.0 + rate) ** year


def replacement_years(life_years: int, years: int) -> tuple[int, ...]:
    """Operating years at whose start the battery is replaced (life+1, 2 life+1, ... <= years)."""
    if life_years <= 0:
        return ()
    return tuple(range(life_years + 1, years + 1, life_years))


def replacement_residual_fraction(params: CostParams) -> float:
    """Residual value at the end of the period of the last battery replacement [fraction of its cost]:
    straight-line over its life, a replacement bought at the start of year r serving years r .. r+life-1,
    so (r + life - 1 - years) / life when that runs past the period; 0 without replacement."""
    repl = replacement_years(params.battery_life_years, params.years)
    if not repl:
        return 0.0
    unused = repl[-1] + params.battery_life_years - 1 - params.years
    return max(0.0, unused / params.battery_life_years)


def battery_soh(year: int, params: CostParams) -> float:
    """Usable capacity relative to new at the start of operating year ``year`` [-] (>= 0)."""
    life = params.battery_life_years
    age = (year - 1) % life if life > 0 else year - 1
    return max(0.0, 1.0 - params.battery_fade_per_year * age)


def battery_soh_end(params: CostParams) -> float:
    """Usable capacity relative to new at the end of the analysis period [-]."""
    life = params.battery_life_years
    installed = ([1] + [y for y in replacement_years(life, params.years)])[-1]
    age = params.years - installed + 1
    return max(0.0, 1.0 - params.battery_fade_per_year * age)


def ownership_cost_npv(
    pv_capex: float, battery_capex: float, new_pv_kw: float, params: CostParams
) -> dict[str, float]:
    """Present value of the non-energy costs of a design [EUR]: investment, battery replacements,
    PV and battery maintenance (escalating with ``om_escalation``)."""
    repl = sum(
        battery_capex * params.battery_replacement_fraction * discount_factor(params.discount_rate, y)
        for y in replacement_years(params.battery_life_years, params.years)
    )
    repl -= (
        battery_capex
        * params.battery_replacement_fraction
        * replacement_residual_fraction(params)
        * discount_factor(params.discount_rate, params.years)
    )
    om_annuity = sum(
        (1 + params.om_escalation) ** (y - 1) * discount_factor(params.discount_rate, y)
        for y in range(1, params.years + 1)
    )
    pv_om = new_pv_kw * params.pv_om_eur_per_kw_year * om_annuity
    bat_om = battery_capex * params.battery_om_fraction * om_annuity
    return {
        "investment": pv_capex + battery_capex,
        "replacement": repl if battery_capex > 0 else 0.0,
        "pv_om": pv_om,
        "battery_om": bat_om,
        "total": pv_capex + battery_capex + (repl if battery_capex > 0 else 0.0) + pv_om + bat_om,
    }


def payback_period(cashflows: list[float]) -> float | None:
    """Simple payback [years]: when the undiscounted cumulative cashflow (cashflows[0] = -investment)
    first reaches zero, interpolated linearly within the year; None if never, and None without
    investment (nothing is bought, so a payback period does not apply; 0 would read as "instant")."""
    cumulative = cashflows[0]
    if cumulative >= 0:
        return None
    for y in range(1, len(cashflows)):
        previous = cumulative
        cumulative += cashflows[y]
        if cumulative >= 0:
            return (y - 1) + (-previous) / cashflows[y]
    return None


def evaluate_finance(
    *,
    pv_capex: float,
    battery_capex: float,
    new_pv_kw: float,
    bau_bills: list[float],
    pv_only_bills: list[float],
    design_bills: list[float],
    design_feed_in_revenue: list[float],
    params: CostParams,
) -> FinanceResult:
    """Cashflows and indicators of a design [EUR].

    bau_bills, pv_only_bills, design_bills: year-one-volume bills under each analysis year's contract
    (unescalated, len = years) [EUR/yr]; design_feed_in_revenue: the design's feed-in revenue likewise.
    """
    n = params.years
    r = params.discount_rate
    investment = pv_capex + battery_capex
    repl_years = replacement_years(params.battery_life_years, n) if battery_capex > 0 else ()
    cashflows = [-investment]
    bills: list[float] = []
    baseline: list[float] = []
    revenue: list[float] = []
    npv = -investment
    repl_npv = pv_om_npv = bat_om_npv = 0.0
    lifecycle_bill = lifecycle_revenue = baseline_lifecycle = 0.0
    year_one_maintenance = 0.0
    for y in range(1, n + 1):
        i = y - 1
        esc = (1 + params.price_escalation) ** i
        pv_factor = (1 - params.pv_degradation) ** i
        soh = battery_soh(y, params) if battery_capex > 0 else 1.0
        s_pv = bau_bills[i] - pv_only_bills[i]
        s_bat = pv_only_bills[i] - design_bills[i]
        savings = esc * (s_pv * pv_factor + s_bat * soh)
        bau = esc * bau_bills[i]
        bill_y = bau - savings
        rev_y = esc * design_feed_in_revenue[i] * pv_factor
        om_factor = (1 + params.om_escalation) ** i
        pv_om = new_pv_kw * params.pv_om_eur_per_kw_year * om_factor
        bat_om = battery_capex * params.battery_om_fraction * om_factor
        repl = battery_capex * params.battery_replacement_fraction if y in repl_years else 0.0
        if y == n and repl_years:
            # Residual value of a late replacement, credited at the end (straight-line).
            repl -= (
                battery_capex * params.battery_replacement_fraction * replacement_residual_fraction(params)
            )
        cf = savings - pv_om - bat_om - repl
        df = discount_factor(r, y)
        cashflows.append(cf)
        bills.append(bill_y)
        baseline.append(bau)
        revenue.append(rev_y)
        npv += cf * df
        repl_npv += repl * df
        pv_om_npv += pv_om * df
        bat_om_npv += bat_om * df
        lifecycle_bill += (bill_y + rev_y) * df
        lifecycle_revenue += rev_y * df
        baseline_lifecycle += bau * df
        if y == 1:
            year_one_maintenance = pv_om + bat_om
    cumulative = []
    total = 0.0
    for cf in cashflows:
        total += cf
        cumulative.append(total)
    break_even = next((y for y in range(len(cumulative)) if cumulative[y] >= 0), None)
    discounted_total = 0.0
    discounted_break_even = None
    for y, cf in enumerate(cashflows):
        discounted_total += cf * discount_factor(r, y)
        if discounted_total >= 0 and discounted_break_even is None:
            discounted_break_even = y
    avg_return = 100.0 * (sum(cashflows[1:]) - investment) / n / investment if investment > 0 else 0.0
    lifecycle_total = lifecycle_bill - lifecycle_revenue + investment + repl_npv + pv_om_npv + bat_om_npv
    return FinanceResult(
        years=n,
        yearly_cashflows=tuple(cashflows),
        cumulative_cashflows=tuple(cumulative),
        yearly_bills=tuple(bills),
        baseline_yearly_bills=tuple(baseline),
        yearly_feed_in_revenue=tuple(revenue),
        npv=npv,
        payback_years=payback_period(cashflows),
        break_even_year=break_even,
        discounted_break_even_year=discounted_break_even,
        avg_annual_return_pct=avg_return,
        investment_eur=investment,
        pv_investment_eur=pv_capex,
        battery_investment_eur=battery_capex,
        replacement_cost_npv=repl_npv,
        pv_om_npv=pv_om_npv,
        battery_om_npv=bat_om_npv,
        lifecycle_energy_bill=lifecycle_bill,
        lifecycle_feed_in_revenue=lifecycle_revenue,
        lifecycle_total_cost=lifecycle_total,
        baseline_lifecycle_cost=baseline_lifecycle,
        year_one_bill=bills[0],
        year_one_feed_in_revenue=revenue[0],
        year_one_maintenance=year_one_maintenance,
        year_one_savings=cashflows[1] + year_one_maintenance if n >= 1 else 0.0,
        baseline_year_one_bill=baseline[0],
        battery_state_of_health_end=battery_soh_end(params) if battery_capex > 0 else 1.0,
        battery_replacement_years=repl_years,
    )
