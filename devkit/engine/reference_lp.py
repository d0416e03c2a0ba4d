"""The engine's reference sizing: ONE vectorised full-year LP in cvxpy + Clarabel (not product code).

The straightforward model of what ``apps.engine.sizing.size_system`` decomposes into a search: the sizes
as continuous variables (hourly balance, cyclic state of charge, power limits tied to the sized power,
minimum charge as a fraction of the sized capacity, curtailment, import/export, grid charging on/off,
capacity tariff), on the same objective (``LifecycleObjective``). Exact for relaxed (non-integer) panel
counts and a battery forced within [min, max]; about 5-10 s on a 2-core machine. Tests and the benchmark
prove the product's sizing against it; the product never imports this module.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from apps.engine import defaults as d
from apps.engine.battery import standby_kwh_per_hour
from apps.engine.sizing import SizingProblem
from apps.engine.tariffs import LevelisedTariff, month_index_of


@dataclass(frozen=True)
class ReferenceLp:
    """Solution of the full-year LP: status, annual cost [EUR/yr], relaxed panel counts, battery capacity
    [kWh] and power [kW], solve time [s]."""

    status: str
    annual_cost: float
    panels: tuple[float, ...]
    capacity_kwh: float
    power_kw: float
    solve_seconds: float


def _lp_energy(cp, sp, tariff: LevelisedTariff, grid_import, grid_export, n_hours: int, cons: list):
    """cvxpy expression of ``tariff.energy_cost`` without the yearly netting [EUR/yr]; the monthly peaks
    are variables between the import and the largest possible import (valid for a negative rate too)."""
    energy = tariff.import_weights @ grid_import - tariff.export_weights @ grid_export
    rate = tariff.demand_rate
    if rate != 0:
        peak = cp.Variable(12)
        months = month_index_of(n_hours)
        month_map = sp.csr_matrix((np.ones(n_hours), (np.arange(n_hours), months)), shape=(n_hours, 12))
        cons += [grid_import <= month_map @ peak, peak >= tariff.demand_floor_kw]
        if rate < 0:
            cons.append(peak <= tariff.demand_floor_kw + 1e3)
        energy = energy + rate / 12.0 * cp.sum(peak)
    return energy


def solve_reference_lp(
    problem: SizingProblem, with_battery: bool = True, fixed_panels: tuple[int, ...] | None = None
) -> ReferenceLp:
    """Size PV and battery with ONE vectorised full-year LP (cvxpy + Clarabel): panel counts relaxed to
    continuous values (or fixed to ``fixed_panels``) and the battery (if ``with_battery``) within
    [min, max]. The objective is ``size_system``'s lifecycle objective (``LifecycleObjective``: the PV-only
    flows weighted by ``pv_residual`` plus the design's flows by ``battery``; without battery the flows
    by ``pv``), the fixed ownership terms added for the design found; the yearly netting of net metering
    is not modelled here.

    The product's dispatch serves the load from PV first and never discharges the battery or imports
    while PV is exported. With fixed panels that rule is data (``u = min(pv, load)``). With relaxed panels
    it is not linear; it is imposed in every hour where the panel bounds decide it (load above the
    largest possible PV: no export; PV of the smallest design above the load: PV covers the load, no
    discharge or import to the load) and relaxed in the others, so the LP stays a lower bound on the
    product's rules."""
    import time

    import cvxpy as cp
    import scipy.sparse as sp

    t0 = time.perf_counter()
    n_hours = problem.hours
    n = problem.n_arrays
    load = problem.load
    standby = standby_kwh_per_hour(problem.battery) if with_battery and problem.battery_allowed else 0.0
    bload = load + standby  # the load while a battery is installed (its own standby draw added)
    life = problem.lifecycle
    _, pv1, kw1, _, b1 = life.own_coef
    crf = life.crf
    panels = cp.Variable(n) if n else None
    if fixed_panels is not None:
        pv = problem.pv(np.asarray(fixed_panels, dtype=float))
        u = np.minimum(pv, bload)  # PV serves the load first
    else:
        pv = problem.existing_pv + (
            problem.new_pv_yield.T @ cp.multiply(problem.panel_kwp, panels) if n else 0
        )
        u = cp.Variable(n_hours, nonneg=True)  # PV to load
    e = cp.Variable(n_hours, nonneg=True)  # export
    w = cp.Variable(n_hours, nonneg=True)  # curtailed
    g = cp.Variable(n_hours, nonneg=True)  # grid to load
    cons = []
    if n and fixed_panels is not None:
        cons += [panels == np.asarray(fixed_panels, dtype=float)]
    elif n:
        cons += [panels >= problem.min_panels, panels <= problem.max_panels]
    if fixed_panels is None:
        # The product's rule where the bounds decide it (see the docstring).
        pv_lo, pv_hi = problem.pv(problem.min_panels), problem.pv(problem.max_panels)
        no_export = bload >= pv_hi
        covered = pv_lo >= bload
        if no_export.any():
            cons.append(e[np.flatnonzero(no_export)] == 0)
        if covered.any():
            cons.append(u[np.flatnonzero(covered)] == bload[covered])
    b = problem.battery
    grid_import = g
    own = 0
    if n:
        kwp = cp.multiply(problem.panel_kwp, panels)
        own = crf * (pv1 * (problem.pv_cost_per_kwp @ kwp) + kw1 * cp.sum(kwp))
    if with_battery and problem.battery_allowed:
        assert b is not None
        eta = problem.eta
        cap = cp.Variable(nonneg=True)
        power = cp.Variable(nonneg=True)
        cpv = cp.Variable(n_hours, nonneg=True)
        dis = cp.Variable(n_hours, nonneg=True)
        s = cp.Variable(n_hours, nonneg=True)
        shift = sp.csr_matrix((np.ones(n_hours), (np.arange(n_hours), (np.arange(n_hours) - 1) % n_hours)))
        charge = cpv
        if b.grid_charging:
            cg = cp.Variable(n_hours, nonneg=True)
            charge = cpv + cg
            grid_import = g + cg
        # The PV-only flows of the same panels (PV first; a free split with relaxed panels).
        u0 = np.minimum(pv, load) if fixed_panels is not None else cp.Variable(n_hours, nonneg=True)
        g0 = cp.Variable(n_hours, nonneg=True)
        e0 = cp.Variable(n_hours, nonneg=True)
        w0 = cp.Variable(n_hours, nonneg=True)
        cons += [
            u + dis + g == bload,
            u + cpv + e + w == pv,
            u0 + g0 == load,
            u0 + e0 + w0 == pv,
            s == shift @ s + eta * charge - dis / eta,
            charge <= power,
            dis <= power,
            s <= cap,
            s >= problem.min_fraction_soc * cap,
            cap >= max(b.min_capacity_kwh, 0.0),
            cap <= b.capacity_kwh,
            power >= b.min_power_rating_kw,
            power <= b.power_rating_kw,
            power <= d.BATTERY_MAX_C_RATE * cap,
        ]
        if fixed_panels is None:
            cons += [u0 <= load, u0 <= pv]
        curtail = problem.export_value < 0
        cons += [w0[np.flatnonzero(~curtail)] == 0, e0[np.flatnonzero(curtail)] == 0]
        own = own + crf * b1 * (cap * b.cost_per_kwh + power * d.BATTERY_COST_EUR_PER_KW)
        energy = _lp_energy(cp, sp, life.pv_residual, g0, e0, n_hours, cons) + _lp_energy(
            cp, sp, life.battery, grid_import, e, n_hours, cons
        )
    else:
        cap = power = None
        cons += [u + g == load, u + e + w == pv]
        energy = _lp_energy(cp, sp, life.pv, grid_import, e, n_hours, cons)
    if problem.goal == "renewable-minimum" and problem.min_fraction is not None:
        cons.append(cp.sum(g) <= (1 - problem.min_fraction) * float(bload.sum()))
    prob = cp.Problem(cp.Minimize(own + energy), cons)
    prob.solve(solver="CLARABEL")
    elapsed = time.perf_counter() - t0
    if prob.status not in ("optimal", "optimal_inaccurate"):
        return ReferenceLp(prob.status, float("nan"), (), 0.0, 0.0, elapsed)
    relaxed = tuple(float(x) for x in panels.value) if n else ()
    chosen = fixed_panels if fixed_panels is not None else relaxed
    fixed_terms = (life.pv_fixed if any(x > 1e-9 for x in chosen) else 0.0) + (
        life.battery_fixed if cap is not None and float(cap.value) > 1e-9 else 0.0
    )
    return ReferenceLp(
        prob.status,
        float(prob.value) + fixed_terms,
        relaxed,
        float(cap.value) if cap is not None else 0.0,
        float(power.value) if power is not None else 0.0,
        elapsed,
    )


@dataclass(frozen=True)
class ReferenceSizing:
    """Full-LP reference: the relaxed LP (lower bound) and the best integer-settled strict LP."""

    relaxed: ReferenceLp
    settled: ReferenceLp
    settled_panels: tuple[int, ...]
    seconds: float


def reference_sizing(problem: SizingProblem) -> ReferenceSizing:
    """The straightforward way: the relaxed full-year LP with and without battery (the cheaper is a lower
    bound), then the panel counts of each settled on their integer neighbours (floor/ceil per array),
    each re-solved as a full-year LP with PV-first dispatch, with and without battery; the cheapest
    settled solution is the reference cost [EUR/yr]."""
    import time

    t0 = time.perf_counter()
    relaxed_runs = [solve_reference_lp(problem, with_battery=False)]
    if problem.battery_allowed:
        relaxed_runs.append(solve_reference_lp(problem, with_battery=True))
    relaxed_runs = [r for r in relaxed_runs if r.status.startswith("optimal")]
    relaxed = min(relaxed_runs, key=lambda r: r.annual_cost)
    combos: set[tuple[int, ...]] = set()
    for r in relaxed_runs:
        options = [sorted({int(math.floor(x + 1e-6)), int(math.ceil(x - 1e-6))}) for x in r.panels]
        combos.update(itertools.product(*options))
    best: tuple[ReferenceLp, tuple[int, ...]] | None = None
    for combo in sorted(combos):
        for with_battery in (True, False) if problem.battery_allowed else (False,):
            r = solve_reference_lp(problem, with_battery=with_battery, fixed_panels=tuple(combo))
            if r.status.startswith("optimal") and (best is None or r.annual_cost < best[0].annual_cost):
                best = (r, tuple(combo))
    assert best is not None
    return ReferenceSizing(relaxed, best[0], best[1], time.perf_counter() - t0)
