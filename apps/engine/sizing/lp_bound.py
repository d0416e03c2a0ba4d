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

from apps.engine.battery import deliverable_power_kw, dispatch_lp, standby_kwh_per_hour
from apps.engine.sizing.evaluation import curtail
from apps.engine.sizing.problem import Design, SizingProblem

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
    solved design [EUR/kWh]. The values come from the dispatch's prices, the bill from the lifecycle
    weights: the values are scaled to the weights (by their least-squares ratio) and the best of the
    scaled and unscaled bound is kept (each is valid)."""
    panels = np.array(panel_sets, dtype=float).reshape(len(panel_sets), problem.n_arrays)
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
    power = float(deliverable_power_kw(power_kw, capacity_kwh))
    w_imp = life.battery.import_weights
    w_exp = np.where(problem.export_value >= 0, life.battery.export_weights, 0.0)
    eta, floor = problem.eta, problem.min_fraction_soc * capacity_kwh
    prices = problem.tariff.import_weights
    best = np.full(len(panels), -np.inf)
    for scale in (1.0, float(w_imp @ prices) / float(prices @ prices)):
        lam = scale * energy_value
        r_cp = w_exp + eta * lam
        r_dis = -w_imp - lam / eta
        r_s = np.roll(lam, -1) - lam
        levels = float(np.where(r_s > 0, r_s * floor, r_s * capacity_kwh).sum())
        flows = np.minimum(r_cp, 0.0) @ np.minimum(surplus, power).T
        flows = flows + np.minimum(r_dis, 0.0) @ np.minimum(deficit, power).T
        best = np.maximum(best, flows + levels)
    own = np.array([problem.annual_ownership(p, capacity_kwh, power_kw) for p in panels])
    return own + residual + without + best
