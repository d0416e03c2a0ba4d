"""Re-evaluation of the chosen design under other contracts and assumptions.

* ``contract_scenarios``: fixed (flat) vs dynamic contract x with/without the battery, for the chosen PV:
  year-one bill, savings vs the household as it is on the same contract, payback, NPV. The contract the
  caller did not choose is derived from the one they did (see ``alternative_tariff``).
* ``payback_range``: payback under low/base/high assumptions. "Low" (optimistic) combines high price
  escalation with slow battery fade, "high" (pessimistic) no escalation with fast fade; the base case is
  the scan's own assumptions. Nothing optimistic is used for the base.

All cashflows come from ``finance.evaluate_finance`` on year-one flows billed under each analysis year's
contract (net metering up to 2026, the feed-in floor 2027-2029).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from apps.engine import defaults as d
from apps.engine.finance import CostParams, evaluate_finance
from apps.engine.sizing import Design, DesignFlows, SizingProblem, design_flows
from apps.engine.tariffs import ResolvedTariff, energy_cost, levelise, tariffs_by_year
from apps.engine.types import (
    FinanceResult,
    PaybackAssumptions,
    PaybackCase,
    PaybackRange,
    ScenarioResult,
    TariffInput,
)


@dataclass(frozen=True, eq=False)
class DesignCase:
    """One design under one contract: the flows of BAU, PV-only and the design, and the yearly contracts."""

    problem: SizingProblem
    design: Design
    yearly_tariffs: list[ResolvedTariff]
    bau: DesignFlows
    pv_only: DesignFlows
    full: DesignFlows
    dispatch: str


def dispatch_for(problem: SizingProblem) -> str:
    """The dispatch used to operate a battery under ``problem``'s contract and goal: the cost-optimal LP
    unless greedy self-consumption is the rule (flat prices; ``SizingProblem.greedy_is_optimal``) or the goal
    is self-sufficiency."""
    if problem.goal != "cost-savings" or problem.greedy_is_optimal:
        return "greedy"
    return "lp"


def build_case(problem: SizingProblem, design: Design, tariff: TariffInput, first_year: int) -> DesignCase:
    """Flows of BAU (existing PV only), PV-only and the full design, and the contract of each year."""
    n = problem.n_arrays
    dispatch = dispatch_for(problem)
    bau = design_flows(problem, Design(tuple([0] * n)))
    pv_only = design_flows(problem, Design(design.panels))
    full = design_flows(problem, design, dispatch) if design.capacity_kwh > 0 else pv_only
    years = tariffs_by_year(tariff, first_year, problem.cost.years, problem.hours)
    return DesignCase(problem, design, years, bau, pv_only, full, dispatch)


def _bills(
    flows: DesignFlows, yearly: list[ResolvedTariff], within_hour: np.ndarray | None = None
) -> list[float]:
    """Yearly bills [EUR]; ``within_hour`` [kWh/h] (``SizingProblem.within_hour_kwh``) is metered import and
    export inside one hour that the hourly model nets: billed on both sides, as the meter does."""
    imp, exp = flows.grid_import, flows.grid_export
    if within_hour is not None:
        imp, exp = imp + within_hour, exp + within_hour
    cache: dict[int, float] = {}
    out = []
    for t in yearly:
        if id(t) not in cache:
            cache[id(t)] = float(energy_cost(imp, exp, t)) + 12 * t.fixed_monthly
        out.append(cache[id(t)])
    return out


def _revenue(
    flows: DesignFlows, yearly: list[ResolvedTariff], within_hour: np.ndarray | None = None
) -> list[float]:
    exp = flows.grid_export if within_hour is None else flows.grid_export + within_hour
    return [float(exp @ t.export_price) for t in yearly]


def capex(problem: SizingProblem, design: Design) -> tuple[float, float, float]:
    """(PV investment [EUR], battery investment [EUR], new PV [kWp]) of a design (the sizing's figures)."""
    return problem.capex(design.panels, design.capacity_kwh, design.power_kw)


def case_finance(case: DesignCase, params: CostParams | None = None) -> FinanceResult:
    """Cashflows of the case's design against BAU."""
    pv_capex, bat_capex, kwp = capex(case.problem, case.design)
    return evaluate_finance(
        pv_capex=pv_capex,
        battery_capex=bat_capex,
        new_pv_kw=kwp,
        bau_bills=_bills(case.bau, case.yearly_tariffs, case.problem.within_hour_kwh),
        pv_only_bills=_bills(case.pv_only, case.yearly_tariffs, case.problem.within_hour_kwh),
        design_bills=_bills(case.full, case.yearly_tariffs, case.problem.within_hour_kwh),
        design_feed_in_revenue=_revenue(case.full, case.yearly_tariffs, case.problem.within_hour_kwh),
        params=params or case.problem.cost,
    )


def battery_finance(case: DesignCase) -> FinanceResult | None:
    """Cashflows of the battery alone (its investment against the PV-only design), or None."""
    _, bat_capex, _ = capex(case.problem, case.design)
    if bat_capex <= 0:
        return None
    pv_only = _bills(case.pv_only, case.yearly_tariffs, case.problem.within_hour_kwh)
    return evaluate_finance(
        pv_capex=0.0,
        battery_capex=bat_capex,
        new_pv_kw=0.0,
        bau_bills=pv_only,
        pv_only_bills=pv_only,
        design_bills=_bills(case.full, case.yearly_tariffs, case.problem.within_hour_kwh),
        design_feed_in_revenue=_revenue(case.full, case.yearly_tariffs, case.problem.within_hour_kwh),
        params=replace(case.problem.cost, pv_om_eur_per_kw_year=0.0),
    )


def alternative_tariff(tariff: TariffInput, load: np.ndarray, first_year: int) -> TariffInput:
    """The contract of the other type, for comparison.

    flat → dynamic: the built-in day-ahead year with default markup and feed-in fee, same country,
    feed-in costs, fixed costs and capacity tariff. dynamic → flat: the stated default fixed contract
    (``DEFAULT_FIXED_PRICE_EUR_PER_KWH`` / ``DEFAULT_FIXED_FEED_IN_EUR_PER_KWH``, taxes included), so the
    column equals a real fixed-contract scan with the default prices; the report's assumptions show it.
    ``load`` and ``first_year`` are kept for callers that derive it from the scan.
    """
    if tariff.type == "flat":
        return replace(tariff, type="dynamic", day_ahead_eur_per_kwh=None)
    return replace(
        tariff,
        type="flat",
        flat_eur_per_kwh=d.DEFAULT_FIXED_PRICE_EUR_PER_KWH,
        feed_in_eur_per_kwh=d.DEFAULT_FIXED_FEED_IN_EUR_PER_KWH,
        taxes_included=True,
        day_ahead_eur_per_kwh=None,
    )


def problem_for_tariff(problem: SizingProblem, tariff: TariffInput, first_year: int) -> SizingProblem:
    """The same problem under another contract."""
    c = problem.cost
    lev = levelise(tariff, first_year, c.years, c.discount_rate, c.price_escalation, problem.hours)
    return replace(problem, tariff=lev)


def contract_scenarios(
    problem: SizingProblem,
    design: Design,
    tariff: TariffInput,
    first_year: int,
    battery_design: Design | None,
    main_case: DesignCase | None = None,
) -> tuple[ScenarioResult, ...]:
    """Fixed vs dynamic x with/without battery for the chosen PV [EUR]. ``battery_design`` is the design
    used for "with battery" (the chosen one, or None when no battery can be considered)."""
    other = alternative_tariff(tariff, problem.load, first_year)
    flat, dynamic = (tariff, other) if tariff.type == "flat" else (other, tariff)
    out = []
    for contract in (flat, dynamic):
        p = problem if contract is tariff else problem_for_tariff(problem, contract, first_year)
        options = [Design(design.panels)]
        if battery_design is not None:
            options.append(battery_design)
        for option in options:
            if main_case is not None and contract is tariff and option == main_case.design:
                case = main_case
            else:
                case = build_case(p, option, contract, first_year)
            fin = case_finance(case)
            out.append(
                ScenarioResult(
                    tariff_type=contract.type,
                    with_battery=option.capacity_kwh > 0,
                    yearly_cost_eur=fin.year_one_bill,
                    yearly_savings_eur=fin.year_one_savings,
                    payback_years=fin.payback_years,
                    npv_eur=fin.npv,
                    investment_eur=fin.investment_eur,
                )
            )
    return tuple(out)


def payback_range(case: DesignCase) -> PaybackRange:
    """Payback [years] under optimistic (low), base and pessimistic (high) assumptions."""
    base = case.problem.cost
    esc_lo, esc_hi = d.PRICE_ESCALATION_LOW_HIGH
    fade_lo, fade_hi = d.BATTERY_CAPACITY_FADE_LOW_HIGH
    optimistic = replace(base, price_escalation=esc_hi, battery_fade_per_year=fade_lo)
    pessimistic = replace(base, price_escalation=esc_lo, battery_fade_per_year=fade_hi)
    return PaybackRange(
        low=case_finance(case, optimistic).payback_years,
        base=case_finance(case, base).payback_years,
        high=case_finance(case, pessimistic).payback_years,
        assumptions=PaybackAssumptions(
            low=PaybackCase(esc_hi, fade_lo),
            base=PaybackCase(base.price_escalation, base.battery_fade_per_year),
            high=PaybackCase(esc_lo, fade_hi),
        ),
    )
