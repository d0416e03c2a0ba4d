"""Evaluating designs: the hourly flows of one design (greedy or LP dispatch) and its annual cost, one at a
time or batched with numpy (no battery; greedy self-consumption battery).
"""

from __future__ import annotations

import numpy as np

from apps.engine.battery import (
    deliverable_power_kw,
    greedy_batch,
    standby_kwh_per_hour,
)
from apps.engine.battery_lp import dispatch_lp
from apps.engine.sizing.problem import Design, DesignFlows, Evaluation, SizingProblem


def curtail(problem: SizingProblem, exportable: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split PV that is neither used nor stored into (exported, wasted): curtail when exporting costs."""
    negative = problem.export_value < 0
    if not negative.any():
        return exportable, np.zeros_like(exportable)
    wasted = np.where(negative, exportable, 0.0)
    return exportable - wasted, wasted


def design_flows(problem: SizingProblem, design: Design, dispatch: str = "greedy") -> DesignFlows:
    """Hourly flows of one design with the given dispatch ("greedy" or "lp") [kWh per hour]. An installed
    battery's standby draw is part of the load (served by PV, battery or grid like any load)."""
    load = problem.load + (standby_kwh_per_hour(problem.battery) if design.capacity_kwh > 0 else 0.0)
    pv = problem.pv(np.asarray(design.panels))
    direct = np.minimum(pv, load)
    surplus = pv - direct
    deficit = load - direct
    t = problem.hours
    power = float(deliverable_power_kw(design.power_kw, design.capacity_kwh))
    if design.capacity_kwh > 0 and power > 0 and problem.battery is not None:
        f = None
        if dispatch == "lp":
            model = dispatch_lp(t, problem.battery.grid_charging)
            try:
                f = model.solve(
                    surplus,
                    deficit,
                    design.capacity_kwh,
                    power,
                    problem.min_fraction_soc,
                    problem.eta,
                    problem.tariff.import_weights,
                    problem.export_value,
                    problem.tariff.demand_floor_kw if problem.tariff.demand_rate > 0 else None,
                )
            except RuntimeError:
                # Never fail a scan on a solver hiccup: the self-consumption rule is always feasible
                # (and only costs more, so it is a safe fallback).
                f = None
        if f is not None:
            stored, discharged, level, grid_stored = f.solar_stored, f.discharged, f.level, f.grid_stored
        else:
            g = greedy_batch(
                surplus,
                deficit,
                [design.capacity_kwh],
                [power],
                problem.min_fraction_soc,
                problem.eta,
            )
            stored, discharged, level, grid_stored = g.charged[0], g.discharged[0], g.level[0], np.zeros(t)
    else:
        stored = discharged = grid_stored = level = np.zeros(t)
    exported, wasted = curtail(problem, surplus - stored)
    return DesignFlows(
        load=load,
        pv=pv,
        solar_used_onsite=direct,
        solar_stored=stored,
        solar_exported=exported,
        solar_wasted=wasted,
        grid_used_onsite=deficit - discharged,
        grid_stored=grid_stored,
        battery_used_onsite=discharged,
        battery_level=level,
    )


def evaluate(
    problem: SizingProblem, design: Design, dispatch: str = "greedy", keep_flows: bool = False
) -> Evaluation:
    """Annual cost [EUR/yr] and self-sufficiency of one design."""
    f = design_flows(problem, design, dispatch)
    if design.capacity_kwh > 0:
        # The PV-only flows of the same panels, without the battery's standby draw (as the report's).
        direct0 = np.minimum(f.pv, problem.load)
        pv_export, _ = curtail(problem, f.pv - direct0)
        pv_import = problem.load - direct0
        energy = float(problem.lifecycle.energy(pv_import, pv_export, f.grid_import, f.grid_export))
    else:
        energy = float(problem.lifecycle.energy(f.grid_import, f.grid_export))
    own = problem.annual_ownership(np.asarray(design.panels), design.capacity_kwh, design.power_kw)
    g2l = float(f.grid_used_onsite.sum())
    return Evaluation(
        design=design,
        annual_cost=own + energy,
        energy_cost=energy,
        grid_to_load=g2l,
        self_sufficiency=f.self_sufficiency,
        flows=f if keep_flows else None,
    )


_BATCH_ROWS = 64


"""Designs evaluated per numpy batch (bounds memory: 64 x 8760 floats = 4.5 MB per array)."""


def evaluate_no_battery_batch(problem: SizingProblem, combos: np.ndarray) -> list[Evaluation]:
    """All panel combinations (k, n) without battery, in batches of ``_BATCH_ROWS``."""
    if len(combos) > _BATCH_ROWS:
        out: list[Evaluation] = []
        for i in range(0, len(combos), _BATCH_ROWS):
            out += evaluate_no_battery_batch(problem, combos[i : i + _BATCH_ROWS])
        return out
    pv = problem.pv(combos)
    load = problem.load
    direct = np.minimum(pv, load)
    surplus = pv - direct
    deficit = load - direct
    exported, _ = curtail(problem, surplus)
    energy = np.atleast_1d(problem.lifecycle.energy(deficit, exported))
    total_load = float(load.sum())
    out = []
    for i, combo in enumerate(combos):
        out.append(
            _greedy_evaluation(
                problem, Design(tuple(int(x) for x in combo)), energy[i], deficit[i], total_load
            )
        )
    return out


def evaluate_greedy_batch(
    problem: SizingProblem, combos: np.ndarray, caps: np.ndarray, power: float
) -> list[Evaluation]:
    """Designs (panel combos (k, n), capacities (k,)) with greedy dispatch, at once (an installed
    battery's standby draw added to the load, as in ``design_flows``)."""
    pv = problem.pv(combos)
    direct0 = np.minimum(pv, problem.load)  # the PV-only flows (no battery, no standby), as the report's
    pv_import = problem.load - direct0
    pv_exported, _ = curtail(problem, pv - direct0)
    load = problem.load + standby_kwh_per_hour(problem.battery) * (np.asarray(caps) > 0)[:, None]
    direct = np.minimum(pv, load)
    surplus = pv - direct
    deficit = load - direct
    powers = deliverable_power_kw(np.full(len(caps), power), caps)
    g = greedy_batch(surplus, deficit, caps, powers, problem.min_fraction_soc, problem.eta)
    exported, _ = curtail(problem, surplus - g.charged)
    grid = deficit - g.discharged
    energy = np.atleast_1d(problem.lifecycle.energy(pv_import, pv_exported, grid, exported))
    total_load = load.sum(axis=1)
    out = []
    for i in range(len(caps)):
        cap = float(caps[i])
        design = Design(tuple(int(x) for x in combos[i]), cap, power if cap > 0 else 0.0)
        out.append(_greedy_evaluation(problem, design, energy[i], grid[i], float(total_load[i])))
    return out


def _greedy_evaluation(
    problem: SizingProblem, design: Design, energy_cost: float, grid_to_load: np.ndarray, total_load: float
) -> Evaluation:
    """One batch-evaluated design. Greedy dispatch never charges from the grid, so all battery output is
    own PV and self-sufficiency is 1 - grid used on site / load."""
    own = problem.annual_ownership(np.asarray(design.panels), design.capacity_kwh, design.power_kw)
    g2l = float(grid_to_load.sum())
    return Evaluation(
        design, own + float(energy_cost), float(energy_cost), g2l, 1 - g2l / total_load if total_load else 0.0
    )
