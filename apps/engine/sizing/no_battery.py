"""The best design without a battery: exhaustive over few panel sets, else exact with a proof (Kelley
cutting planes on the convex cost + a small HiGHS MILP over the integer counts).
"""

from __future__ import annotations

import numpy as np

from apps.engine import defaults as d
from apps.engine.sizing.candidates import panel_combos
from apps.engine.sizing.evaluation import evaluate_no_battery_batch
from apps.engine.sizing.problem import Evaluation, SizingProblem, cost_key
from apps.engine.tariffs import (
    month_starts_of,
)


def best_no_battery(problem: SizingProblem, key) -> tuple[Evaluation, list[Evaluation]]:
    """Best design without battery: enumeration, or coordinate descent for very many combinations."""
    combos = panel_combos(problem)
    if combos is not None:
        evals = evaluate_no_battery_batch(problem, combos)
        return min(evals, key=key), evals
    if key is cost_key:
        exact = exact_no_battery(problem)
        if exact is not None:
            return exact[0], exact[1]
    # Coordinate descent from the middle, one array at a time over its full range.
    panels = [int((lo + hi) // 2) for lo, hi in zip(problem.min_panels, problem.max_panels, strict=True)]
    evals: list[Evaluation] = []
    for _ in range(4):
        moved = False
        for i in range(problem.n_arrays):
            counts = np.arange(int(problem.min_panels[i]), int(problem.max_panels[i]) + 1)
            grid = np.tile(np.array(panels, dtype=float), (len(counts), 1))
            grid[:, i] = counts
            batch = evaluate_no_battery_batch(problem, grid)
            evals += batch
            best = min(batch, key=key)
            if list(best.design.panels) != panels:
                panels = list(best.design.panels)
                moved = True
        if not moved:
            break
    return min(evals, key=key), evals


def _no_battery_subgradients(
    problem: SizingProblem, combos: np.ndarray
) -> tuple[list[Evaluation], np.ndarray]:
    """Evaluations of panel combinations (k, n) without battery and a subgradient of the cost at each
    [EUR/yr per panel] (k, n): per hour the slope of the lifecycle energy cost in the PV power (- import
    weight below the load, - export weight above it when exported, 0 when curtailed), the netting term on
    its active side and the capacity tariff at each month's peak hour, projected on each array's yield,
    plus the ownership slope. Where the cost is convex (``_convex_without_battery``) every one gives a
    valid cut f(y) >= f(x) + g . (y - x)."""
    evals = evaluate_no_battery_batch(problem, combos)
    life = problem.lifecycle
    tariff = life.pv
    pv = problem.pv(combos)
    load = problem.load
    below = pv < load
    exported = problem.export_value >= 0
    slope = np.where(below, -tariff.import_weights, np.where(exported, -tariff.export_weights, 0.0))
    netting = sum(w * t.net_metering_value for w, t in tariff.terms if t.net_metering)
    if netting:
        deficit = np.maximum(load - pv, 0.0)
        surplus = np.where(exported, np.maximum(pv - load, 0.0), 0.0)
        on_import = deficit.sum(axis=1) <= surplus.sum(axis=1)
        slope += np.where(on_import[:, None], netting * below, -netting * (~below & exported))
    if tariff.demand_rate:
        deficit = np.maximum(load - pv, 0.0)
        starts = np.append(month_starts_of(problem.hours), problem.hours)
        for a, b in zip(starts[:-1], starts[1:], strict=True):
            h = a + np.argmax(deficit[:, a:b], axis=1)
            rows = np.arange(len(combos))
            peaked = deficit[rows, h] > tariff.demand_floor_kw
            slope[rows[peaked], h[peaked]] -= tariff.demand_rate / 12.0
    pv0, pv1, kw1, _, _ = life.own_coef
    own_slope = life.crf * (pv1 * problem.pv_cost_per_kwp + kw1) * problem.panel_kwp
    grads = own_slope + (slope @ problem.new_pv_yield.T) * problem.panel_kwp
    return evals, grads


def _convex_without_battery(problem: SizingProblem) -> bool:
    """The cost without battery is convex in the panel counts when every hour's cost is convex in the
    PV power (the import weight at least the export weight, on both sides of the netting term) and the
    capacity-tariff rate is not negative."""
    tariff = problem.lifecycle.pv
    iw, ew = tariff.import_weights, tariff.export_weights
    exported = problem.export_value >= 0
    ew = np.where(exported, ew, 0.0)
    v = sum(w * t.net_metering_value for w, t in tariff.terms if t.net_metering)
    ok = np.all(iw - max(v, 0.0) >= ew - 1e-12) and np.all(
        iw >= ew + np.where(exported, max(v, 0.0), 0.0) - 1e-12
    )
    return bool(ok and v >= 0 and tariff.demand_rate >= 0)


def exact_no_battery(problem: SizingProblem) -> tuple[Evaluation, list[Evaluation], float] | None:
    """Least-cost panel counts without battery, with a proof: Kelley's cutting-plane method.

    The cost is convex in the (relaxed) panel counts, so every evaluated design x_k with subgradient g_k
    gives a cut f(y) >= f(x_k) + g_k . (y - x_k). A small MILP (HiGHS, integer counts within their
    bounds) minimises the largest cut: its value is a lower bound on every integer design. The MILP's
    design and its +-1 neighbours are evaluated, adding cuts, until the best design found is within
    ``SIZING_PROOF_TOLERANCE`` of the bound (an optimal design found again proves itself). A fixed cost
    per PV installation (a step at zero panels) is kept out of the cuts and the all-zero design is
    compared separately. Returns (best, evaluations, proven gap [-]) or None when the cost is not convex
    or the proof did not close within ``SIZING_PROOF_MAX_ROUNDS``."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    if not _convex_without_battery(problem):
        return None
    n = problem.n_arrays
    lo, hi = problem.min_panels.astype(float), problem.max_panels.astype(float)
    pv_fixed = problem.lifecycle.pv_fixed
    seen: dict[tuple[int, ...], Evaluation] = {}
    rows: list[np.ndarray] = []
    rhs: list[float] = []

    def add(points: np.ndarray) -> None:
        fresh = [tuple(int(v) for v in p) for p in points]
        fresh = [p for p in dict.fromkeys(fresh) if p not in seen]
        if not fresh:
            return
        arr = np.array(fresh, dtype=float).reshape(len(fresh), n)
        evals, grads = _no_battery_subgradients(problem, arr)
        for p, e, g in zip(fresh, evals, grads, strict=True):
            seen[p] = e
            model = e.annual_cost + (pv_fixed if not any(p) else 0.0)
            rows.append(np.append(g, -1.0))
            rhs.append(float(g @ np.asarray(p, dtype=float)) - model)

    def around(p: np.ndarray) -> np.ndarray:
        pts = [p]
        for i in range(n):
            for step in (-1.0, 1.0):
                q = p.copy()
                q[i] += step
                if lo[i] <= q[i] <= hi[i]:
                    pts.append(q)
        return np.array(pts)

    add(np.array([lo, hi, np.round(0.5 * (lo + hi))]))
    integrality = np.append(np.ones(n), 0)
    bounds = Bounds(np.append(lo, -np.inf), np.append(hi, np.inf))
    for _ in range(d.SIZING_PROOF_MAX_ROUNDS):
        best = min(seen.values(), key=cost_key)
        res = milp(
            np.append(np.zeros(n), 1.0),
            constraints=LinearConstraint(np.array(rows), -np.inf, np.array(rhs)),
            integrality=integrality,
            bounds=bounds,
            options={"mip_rel_gap": 1e-9},
        )
        if res.x is None:
            return None
        bound = float(res.x[-1])
        gap = (best.annual_cost - bound) / max(abs(best.annual_cost), 1.0)
        if gap <= d.SIZING_PROOF_TOLERANCE:
            return best, list(seen.values()), max(gap, 0.0)
        add(around(np.round(res.x[:n])))
    return None
