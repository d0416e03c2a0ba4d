"""Which search each goal runs: ``cost-savings`` the lifecycle cost; ``self-sufficiency`` and
``renewable-minimum`` grid energy on site first (bisection on the battery, Lagrangian panel sets).
"""

from __future__ import annotations

import numpy as np

from apps.engine import defaults as d
from apps.engine.battery import (
    standby_kwh_per_hour,
)
from apps.engine.sizing.battery_search import (
    Search,
    greedy_battery_search,
    local_panel_search,
    stored_value_starts,
)
from apps.engine.sizing.candidates import neighbours, panel_combos
from apps.engine.sizing.evaluation import evaluate_greedy_batch
from apps.engine.sizing.no_battery import best_no_battery
from apps.engine.sizing.problem import Evaluation, SizingOutcome, SizingProblem, cost_key


def size_system(problem: SizingProblem) -> SizingOutcome:
    """Choose panel counts and battery size for ``problem.goal`` (see the module docstring)."""
    goal = problem.goal
    if goal == "cost-savings":
        return _size_cost(problem)
    return _size_self_sufficiency(problem)


def _size_cost(problem: SizingProblem) -> SizingOutcome:
    best0, no_battery = best_no_battery(problem, cost_key)
    if not problem.battery_allowed:
        return SizingOutcome("optimal", None, best0, best0, evaluations=1, dispatch="none")
    dispatch = "greedy" if problem.greedy_is_optimal else "lp"
    greedy = Search(problem, "greedy")
    best_g, _ = greedy_battery_search(
        problem, greedy, cost_key, no_battery, extra_starts=stored_value_starts(problem)
    )
    evaluations = len(greedy.memo)
    notes: list[str] = []
    if dispatch == "lp":
        exact = Search(problem, "lp")
        start = exact.descend_capacity(best_g.design.panels, cost_key, best_g.design.capacity_kwh)
        best_b = local_panel_search(exact, start, cost_key)
        evaluations += len(exact.memo)
        notes = [f"{len(exact.memo)} dispatch LPs"]
    else:
        best_b = best_g
    best = best_b if best_b.annual_cost < best0.annual_cost else best0
    return SizingOutcome(
        "optimal", None, best, best0, evaluations=evaluations, dispatch=dispatch, notes=notes
    )


_EXHAUSTIVE_PANEL_SETS = 16


"""Up to this many panel-count combinations the self-sufficiency goals examine every one of them with a
battery; above, a Lagrangian search picks the few worth examining [count]. Assumption (run time)."""


def _lagrangian_panel_sets(
    problem: SizingProblem,
    search: Search,
    meets,
    candidates: list[Evaluation],
    no_battery: list[Evaluation],
) -> list[tuple[int, ...]]:
    """Panel sets worth examining for "least cost with grid use within the limit" (``meets``): the best
    designs for cost + penalty x grid energy used on site [EUR/kWh], the penalty bisected until the limit is just
    met (a Lagrangian relaxation of the limit). Evaluations are shared across penalties (the
    self-consumption flows do not depend on prices). Designs found are added to ``candidates``."""
    found: set[tuple[int, ...]] = set()

    def solve(penalty: float) -> bool:
        def key(e: Evaluation) -> float:
            return e.annual_cost + penalty * e.grid_to_load

        with_battery, without = greedy_battery_search(problem, search, key, no_battery)
        feasible = False
        for e in (with_battery, without):
            found.add(e.design.panels)
            candidates.append(e)
            feasible = feasible or meets(e)
        return feasible

    lo, hi = 0.0, 0.25
    if not solve(lo):
        for _ in range(12):
            if solve(hi):
                break
            lo, hi = hi, hi * 2
        for _ in range(6):
            mid = 0.5 * (lo + hi)
            if solve(mid):
                hi = mid
            else:
                lo = mid
    largest = max(found, key=lambda p: float(np.asarray(p) @ problem.panel_kwp))
    return sorted(found | {largest, *neighbours(problem, largest)})


def _size_self_sufficiency(problem: SizingProblem) -> SizingOutcome:
    """Self-sufficiency and renewable-minimum goals (greedy self-consumption dispatch)."""
    total_load = float(problem.load.sum())
    search = Search(problem, "greedy")
    max_panels = tuple(int(x) for x in problem.max_panels)
    top = search.eval(max_panels, search.cmax) if problem.battery_allowed else search.eval(max_panels, 0.0)
    if problem.goal == "self-sufficiency":
        limit = limit_b = top.grid_to_load + d.SELF_SUFFICIENCY_TOLERANCE * total_load
    else:
        fraction = float(problem.min_fraction or 0.0)
        # The share is of the load each design has (DesignFlows.self_sufficiency, what the report shows):
        # with a battery its standby draw is part of it.
        limit = (1.0 - fraction) * total_load
        limit_b = (1.0 - fraction) * (total_load + standby_kwh_per_hour(problem.battery) * problem.hours)

    def meets(e: Evaluation) -> bool:
        return e.grid_to_load <= (limit_b if e.design.capacity_kwh > 0 else limit) + 1e-9

    if problem.goal != "self-sufficiency":
        if not meets(top):
            battery = (
                f" and a {search.cmax:.1f} kWh battery"
                if problem.battery_allowed
                else " (no battery allowed)"
            )
            kwp = float(problem.max_panels @ problem.panel_kwp)
            return SizingOutcome(
                "infeasible",
                (
                    f"The renewable share of {fraction:.0%} cannot be reached: even the largest allowed system "
                    f"({kwp:.1f} kWp of new PV{battery}) covers only {top.self_sufficiency:.1%} of the "
                    f"{total_load:.0f} kWh yearly consumption on site."
                ),
                None,
                None,
                evaluations=len(search.memo),
            )
    best0_all, evals0 = best_no_battery(problem, cost_key)
    feasible0 = [e for e in evals0 if meets(e)]
    candidates: list[Evaluation] = list(feasible0)
    if problem.battery_allowed:
        combos = panel_combos(problem)
        if combos is not None and len(combos) <= _EXHAUSTIVE_PANEL_SETS:
            # Few panel sets: for each, the smallest battery meeting the limit (grid use falls
            # monotonically with capacity), and for renewable-minimum the cheapest capacity above it.
            panel_sets = [tuple(int(x) for x in c) for c in combos]
            arr = np.array(panel_sets, dtype=float)
            search.add(evaluate_greedy_batch(problem, arr, np.full(len(arr), search.cmax), search.power))
        else:
            panel_sets = _lagrangian_panel_sets(problem, search, meets, candidates, evals0)
        for p in panel_sets:
            if not meets(search.eval(p, search.cmax)):
                continue
            first = search.min_capacity_for(p, limit_b)
            if first is None:
                continue
            candidates.append(first)
            if problem.goal == "renewable-minimum":
                candidates.append(search.golden_capacity(p, cost_key, lo=first.design.capacity_kwh))
    candidates = [c for c in candidates if meets(c)]
    if not candidates:
        return SizingOutcome(
            "infeasible", "No design within the allowed ranges reaches the goal.", None, best0_all
        )
    best = min(candidates, key=cost_key)
    best0 = min(feasible0, key=cost_key) if feasible0 else best0_all
    return SizingOutcome(
        "optimal", None, best, best0, evaluations=len(search.memo) + len(evals0), dispatch="greedy"
    )
