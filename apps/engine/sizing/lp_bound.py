"""Lower bounds on the cost of designs with the dispatch LP, without solving their LPs: the Lagrangian dual
of the dispatch LP with the energy values (balance duals) of a solved neighbour.

A design's cost with the LP dispatch is ownership + the PV-only residual + the battery-weighted bill of its
flows (``LifecycleObjective.energy``). Without grid charging, netting or a capacity tariff that bill is
the bill of the battery-less flows plus a linear term in the battery's flows (a stored surplus kWh loses
its export value, a discharged kWh saves its import). The product's dispatch is one feasible dispatch, so
the bill is at least its minimum over every feasible dispatch, and by weak LP duality that minimum is at
least, for ANY hourly multipliers lambda on the energy balances,

    g(lambda) = sum_t min(0, r_cp) u_cp + min(0, r_dis) u_dis + sum_t (r_s > 0 ? r_s min_frac C : r_s C),

with the reduced costs r_cp = w_exp + eta lambda_t, r_dis = -w_imp - lambda_t / eta, r_s = lambda_{t+1} -
lambda_t and the bounds u of the design (its surplus, deficit, power and capacity). The energy values of a
solved nearby design make it tight there (equal to its LP value when the dispatch's prices and the
battery's lifecycle weights are proportional); a design whose bound is already no better than the best
found cannot be better, so its LP need not be solved. The bound holds for any multipliers, so it is a
proof, not an estimate.
"""

from __future__ import annotations

import numpy as np

from apps.engine import defaults as d
from apps.engine.battery import deliverable_power_kw, standby_kwh_per_hour
from apps.engine.battery_lp import dispatch_lp
from apps.engine.sizing.candidates import panel_combos
from apps.engine.sizing.evaluation import curtail, evaluate
from apps.engine.sizing.problem import Design, Evaluation, SizingProblem, cost_key

BOUND_MARGIN = 1e-5


"""A design is skipped only when its bound exceeds the best cost by this share of it [-]: the LP's flows
meet the energy balance to HiGHS's feasibility tolerance (1e-7 kWh an hour), worth up to about 1e-3 EUR/yr
of bill over a year; 1e-5 of a cost of EUR 1,000/yr is ten times that."""


def bounds_apply(problem: SizingProblem) -> bool:
    """The bound needs a bill linear in the battery's flows: no grid charging (the merged LP's duals), no
    netting and no capacity tariff in the battery's lifecycle weights."""
    battery = problem.lifecycle.battery
    return bool(
        problem.battery is not None
        and not problem.battery.grid_charging
        and not battery.has_net_metering
        and battery.demand_rate <= 0
    )


def energy_value_at(problem: SizingProblem, design: Design) -> np.ndarray:
    """The hourly energy values [EUR/kWh] of a design's LP dispatch (the same solve as
    ``evaluation.design_flows``, answered from the kept solutions when it was just evaluated)."""
    load = problem.load + standby_kwh_per_hour(problem.battery)
    pv = problem.pv(np.asarray(design.panels))
    direct = np.minimum(pv, load)
    flows = dispatch_lp(problem.hours, False).solve(
        pv - direct,
        load - direct,
        design.capacity_kwh,
        float(deliverable_power_kw(design.power_kw, design.capacity_kwh)),
        problem.min_fraction_soc,
        problem.eta,
        problem.tariff.import_weights,
        problem.export_value,
        problem.tariff.demand_floor_kw if problem.tariff.demand_rate > 0 else None,
    )
    return flows.energy_value


def lp_cost_bounds(
    problem: SizingProblem,
    panel_sets: list[tuple[int, ...]],
    capacity_kwh: float,
    power_kw: float,
    energy_value: np.ndarray,
) -> np.ndarray:
    """Lower bounds [EUR/yr] on the cost of each panel set with a battery of ``capacity_kwh`` [kWh] and
    ``power_kw`` [kW] dispatched by the LP (``bounds_apply`` must hold), from the hourly energy values of a
    solved design [EUR/kWh] (``bound_grid`` at one capacity)."""
    return bound_grid(problem, panel_sets, np.array([capacity_kwh]), power_kw, [energy_value])[:, 0]


def bound_grid(
    problem: SizingProblem,
    panel_sets: list[tuple[int, ...]],
    capacities: np.ndarray,
    power_kw: float,
    energy_values: list[np.ndarray],
) -> np.ndarray:
    """Lower bounds [EUR/yr] (panel sets x capacities) on the LP-dispatch cost, the best over the given
    energy values. The values come from the dispatch's prices, the bill from the lifecycle weights: each
    is used as it is and scaled to the weights (by their least-squares ratio), and the best bound kept
    (each one is valid)."""
    panels = np.array(panel_sets, dtype=float).reshape(len(panel_sets), problem.n_arrays)
    caps = np.asarray(capacities, dtype=float)
    life = problem.lifecycle
    pv = problem.pv(panels)
    direct0 = np.minimum(pv, problem.load)
    pv_export, _ = curtail(problem, pv - direct0)
    residual = np.atleast_1d(life.pv_residual.energy_cost(problem.load - direct0, pv_export))
    load = problem.load + standby_kwh_per_hour(problem.battery)
    direct = np.minimum(pv, load)
    surplus, deficit = pv - direct, load - direct
    exported, _ = curtail(problem, surplus)
    without = np.atleast_1d(life.battery.energy_cost(deficit, exported))
    powers = deliverable_power_kw(power_kw, caps)
    w_imp = life.battery.import_weights
    w_exp = np.where(problem.export_value >= 0, life.battery.export_weights, 0.0)
    eta, floor = problem.eta, problem.min_fraction_soc
    prices = problem.tariff.import_weights
    scales = (1.0, float(w_imp @ prices) / float(prices @ prices))
    best = np.full((len(panels), len(caps)), -np.inf)
    for lam in (scale * value for value in energy_values for scale in scales):
        r_cp = np.minimum(w_exp + eta * lam, 0.0)
        r_dis = np.minimum(-w_imp - lam / eta, 0.0)
        r_s = np.roll(lam, -1) - lam
        per_kwh = float(np.where(r_s > 0, r_s * floor, r_s).sum())  # the levels' term per kWh of capacity
        flows = np.empty_like(best)
        for power in np.unique(powers):
            value = r_cp @ np.minimum(surplus, power).T + r_dis @ np.minimum(deficit, power).T
            flows[:, powers == power] = value[:, None]
        best = np.maximum(best, flows + per_kwh * caps)
    own = np.array([[problem.annual_ownership(p, c, power_kw) for c in caps] for p in panels])
    return own + (residual + without)[:, None] + best


def battery_certificate(
    problem: SizingProblem,
    best: Evaluation,
    capacities: np.ndarray,
    max_rounds: int = d.SIZING_PROOF_MAX_ROUNDS,
) -> tuple[float, Evaluation]:
    """A proven lower bound [EUR/yr] on the LP-dispatch cost of every design with a battery (every panel
    set of ``panel_combos`` x every capacity in ``capacities``), and the best design found on the way.

    Kelley's cutting planes with the bound above as the cuts: start from the energy values of ``best``;
    evaluate the design whose bound is lowest, add its energy values, and repeat until the lowest bound
    is within ``SIZING_PROOF_TOLERANCE`` of the best cost (a proof that no battery design is cheaper by
    more) or ``max_rounds`` have passed (the bound is then still valid, only further below). A design
    cheaper than ``best`` found on the way replaces it. Needs ``bounds_apply`` and enumerable panel
    sets."""
    sets = [tuple(int(x) for x in c) for c in panel_combos(problem)]
    power = problem.battery.power_rating_kw
    seed = best.design if best.design.capacity_kwh > 0 else Design(best.design.panels, capacities[-1], power)
    values = [energy_value_at(problem, seed)]
    bounds = bound_grid(problem, sets, capacities, power, values)
    for _ in range(max_rounds):
        i, j = np.unravel_index(int(np.argmin(bounds)), bounds.shape)
        if bounds[i, j] >= best.annual_cost - d.SIZING_PROOF_TOLERANCE * abs(best.annual_cost):
            break
        design = Design(sets[i], float(capacities[j]), power)
        trial = evaluate(problem, design, "lp")
        best = min(best, trial, key=cost_key)
        bounds = np.maximum(
            bounds, bound_grid(problem, sets, capacities, power, [energy_value_at(problem, design)])
        )
    return float(bounds.min()), best
