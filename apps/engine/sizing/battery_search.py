"""The search with a battery: memoised evaluations, the capacity for fixed panels (convex: golden section
with the batched self-consumption dispatch, a descent with secant bounds that proves the grid minimum
with the dispatch LP, where each evaluation is an LP), local search over panel counts and the starts it
begins from. Over the panel counts a local search, not a proof.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from apps.engine import defaults as d
from apps.engine.sizing.candidates import neighbours, panel_combos, transfers
from apps.engine.sizing.evaluation import evaluate, evaluate_greedy_batch, evaluate_no_battery_batch
from apps.engine.sizing.lp_bound import BOUND_MARGIN, bounds_apply, energy_value_at, lp_cost_bounds
from apps.engine.sizing.no_battery import exact_no_battery
from apps.engine.sizing.problem import Design, Evaluation, SizingProblem, cost_key
from apps.engine.tariffs import (
    LevelisedTariff,
)

_GOLDEN = (math.sqrt(5) - 1) / 2


class Search:
    """Memoised evaluations for one problem and one dispatch method."""

    def __init__(self, problem: SizingProblem, dispatch: str) -> None:
        self.problem = problem
        self.dispatch = dispatch
        self.memo: dict[Design, Evaluation] = {}
        b = problem.battery
        self.power = b.power_rating_kw if b is not None else 0.0
        self.cmin = b.min_capacity_kwh if b is not None else 0.0
        self.cmax = b.capacity_kwh if b is not None else 0.0
        if b is not None and self.cmin <= 0:
            self.cmin = min(d.BATTERY_CAPACITY_STEP_KWH, self.cmax)

    def _round_cap(self, cap: float) -> float:
        step = d.BATTERY_CAPACITY_STEP_KWH
        return round(float(min(max(round(cap / step) * step, self.cmin), self.cmax)), 6)

    def eval(self, panels: tuple[int, ...], cap: float) -> Evaluation:
        cap = self._round_cap(cap) if cap > 0 else 0.0
        design = Design(panels, cap, self.power if cap > 0 else 0.0)
        if design not in self.memo:
            self.memo[design] = evaluate(self.problem, design, self.dispatch if cap > 0 else "greedy")
        return self.memo[design]

    def prefetch(self, panel_sets: list[tuple[int, ...]], cap: float) -> None:
        """Evaluate many panel sets at one capacity in one batch (self-consumption dispatch only)."""
        if self.dispatch != "greedy" or cap <= 0:
            return
        cap = self._round_cap(cap)
        todo = [p for p in panel_sets if Design(p, cap, self.power) not in self.memo]
        if len(todo) > 1:
            arr = np.array(todo, dtype=float).reshape(len(todo), self.problem.n_arrays)
            self.add(evaluate_greedy_batch(self.problem, arr, np.full(len(todo), cap), self.power))

    def add(self, evaluations: list[Evaluation]) -> None:
        for e in evaluations:
            self.memo.setdefault(e.design, e)

    def golden_capacity(
        self,
        panels: tuple[int, ...],
        key,
        lo: float | None = None,
        around: float | None = None,
        width: float = 2.0,
        tol: float | None = None,
        hi: float | None = None,
    ) -> Evaluation:
        """Minimise ``key(evaluation)`` over the capacity in [lo or cmin, hi or cmax] (convex in
        capacity). With ``around``, start from the bracket around +- width [kWh] and widen it while the
        minimum sits on its edge (valid for a convex function)."""
        lower = self.cmin if lo is None else lo
        upper = self.cmax if hi is None else hi
        tol = tol or d.BATTERY_CAPACITY_STEP_KWH
        a, b = lower, upper
        if around is not None:
            a, b = max(lower, around - width), min(upper, around + width)
            while True:
                fa, fb, fm = self.eval(panels, a), self.eval(panels, b), self.eval(panels, 0.5 * (a + b))
                if key(fa) < key(fm) and a > lower:
                    a = max(lower, a - 2 * width)
                elif key(fb) < key(fm) and b < upper:
                    b = min(upper, b + 2 * width)
                else:
                    break
        best = min((self.eval(panels, a), self.eval(panels, b)), key=key)
        if b - a <= tol:
            return best
        x1 = b - _GOLDEN * (b - a)
        x2 = a + _GOLDEN * (b - a)
        f1, f2 = self.eval(panels, x1), self.eval(panels, x2)
        while b - a > 2 * tol:
            if key(f1) <= key(f2):
                b, x2, f2 = x2, x1, f1
                x1 = b - _GOLDEN * (b - a)
                f1 = self.eval(panels, x1)
            else:
                a, x1, f1 = x1, x2, f2
                x2 = a + _GOLDEN * (b - a)
                f2 = self.eval(panels, x2)
        step = d.BATTERY_CAPACITY_STEP_KWH
        best = min([best, f1, f2], key=key)
        c = best.design.capacity_kwh
        finals = [self.eval(panels, x) for x in (c - step, c + step) if lower <= x <= upper]
        return min([best, *finals], key=key)

    def descend_capacity(self, panels: tuple[int, ...], key, start: float) -> Evaluation:
        """The least ``key`` over the capacity grid (``BATTERY_CAPACITY_STEP_KWH`` within [cmin, cmax])
        for a cost convex in the capacity, with a proof: a grid point no worse than both grid neighbours
        is the minimum, and the secant through two evaluated points bounds the cost from below beyond
        them.

        From ``start`` (the optimum of a neighbouring panel set or of the self-consumption search, where
        the optimum usually still is) it steps downhill with doubling strides until the cost rises, then
        evaluates where the secants on either side of the best point cross (their crossing is the lower
        bound between them) until no interval can hold a better point. The cost is nearly piecewise
        linear in the capacity (an LP value), so the crossing lands on its kink in one or two steps:
        about five dispatch LPs per panel set, against ten or more for a golden section."""
        step = d.BATTERY_CAPACITY_STEP_KWH
        pts: dict[float, float] = {}

        def at(cap: float) -> Evaluation:
            e = self.eval(panels, cap)
            pts[e.design.capacity_kwh] = key(e)
            return e

        best = at(min(max(start, self.cmin), self.cmax))
        for x in (best.design.capacity_kwh - step, best.design.capacity_kwh + step):
            if self.cmin <= x <= self.cmax:
                at(x)
        lowest = min(pts, key=pts.get)
        if lowest != best.design.capacity_kwh:
            direction, stride = (1.0 if lowest > best.design.capacity_kwh else -1.0), 2 * step
            while True:
                ahead = at(lowest + direction * stride).design.capacity_kwh
                if ahead == lowest or pts[ahead] >= pts[lowest]:
                    break
                lowest, stride = ahead, 2 * stride
        while True:
            xs = sorted(pts)
            b = min(range(len(xs)), key=lambda i: pts[xs[i]])
            probe = None
            bound = pts[xs[b]]
            for i in (b - 1, b):  # the gaps left and right of the best point
                if i < 0 or i + 1 >= len(xs) or xs[i + 1] - xs[i] <= step * 1.000001:
                    continue
                lb, x = _secant_crossing(xs, pts, i)
                if lb < bound - 1e-9:
                    bound = lb
                    inner = min(max(round(x / step) * step, xs[i] + step), xs[i + 1] - step)
                    probe = inner if inner not in pts else 0.5 * (xs[i] + xs[i + 1])
            if probe is None:
                return self.eval(panels, xs[b])
            at(probe)

    def worth_trying(
        self, candidates: list[tuple[int, ...]], cap: float, best: Evaluation, key
    ) -> list[tuple[int, ...]]:
        """The panel sets among ``candidates`` (at capacity ``cap``) that may cost less than ``best``:
        with the dispatch LP and the cost as key, those not yet evaluated whose lower bound
        (``lp_bound``, from the energy values of ``best``'s dispatch) proves them no better are left out,
        which spares most neighbour moves their LP; otherwise all of them."""
        todo = [p for p in candidates if Design(p, self._round_cap(cap), self.power) not in self.memo]
        if self.dispatch != "lp" or key is not cost_key or not todo or not bounds_apply(self.problem):
            return candidates
        try:
            value = energy_value_at(self.problem, best.design)
        except RuntimeError:  # the solver failed on it (``design_flows`` fell back): no bound, try all
            return candidates
        bounds = lp_cost_bounds(self.problem, todo, self._round_cap(cap), self.power, value)
        limit = key(best) + BOUND_MARGIN * abs(key(best))
        hopeless = {p for p, b in zip(todo, bounds, strict=True) if b >= limit}
        return [p for p in candidates if p not in hopeless]

    def min_capacity_for(self, panels: tuple[int, ...], limit: float) -> Evaluation | None:
        """Smallest capacity whose grid energy used on site is <= limit [kWh] (monotone in capacity), or
        None if even the largest battery does not reach it."""
        hi = self.eval(panels, self.cmax)
        if hi.grid_to_load > limit:
            return None
        lo_eval = self.eval(panels, self.cmin)
        if lo_eval.grid_to_load <= limit:
            return lo_eval
        a, b = self.cmin, self.cmax
        while b - a > d.BATTERY_CAPACITY_STEP_KWH:
            m = 0.5 * (a + b)
            if self.eval(panels, m).grid_to_load <= limit:
                b = m
            else:
                a = m
        return self.eval(panels, b)


def _secant_crossing(xs: list[float], f: dict[float, float], i: int) -> tuple[float, float]:
    """Lower bound of a convex function on the gap (xs[i], xs[i+1]) between evaluated points, and where it
    is reached. The secant through two points of a convex function lies below it outside them: the one
    through xs[i-1], xs[i] continued right and the one through xs[i+1], xs[i+2] continued left (where
    those points exist) bound the gap; the bound is the lowest point of the higher of the two lines,
    at an end of the gap or where they cross. Minus infinity (at the middle) without either line."""
    x0, x1 = xs[i], xs[i + 1]
    lines = []
    if i >= 1:
        lines.append((x0, f[x0], (f[x0] - f[xs[i - 1]]) / (x0 - xs[i - 1])))
    if i + 2 < len(xs):
        lines.append((x1, f[x1], (f[xs[i + 2]] - f[x1]) / (xs[i + 2] - x1)))
    if not lines:
        return -math.inf, 0.5 * (x0 + x1)
    candidates = [x0, x1]
    if len(lines) == 2 and lines[1][2] - lines[0][2] > 1e-12:
        (a0, y0, s0), (a1, y1, s1) = lines
        candidates.append(min(max((y1 - y0 + s0 * a0 - s1 * a1) / (s0 - s1), x0), x1))
    values = [max(y + slope * (x - a) for a, y, slope in lines) for x in candidates]
    k = min(range(len(candidates)), key=values.__getitem__)
    return values[k], candidates[k]


def _move_tiers(search: Search, cap: float) -> list[tuple]:
    """Neighbourhoods tried in turn by ``local_panel_search``: (moves, capacities [kWh]). With a battery
    and the batched self-consumption dispatch the last tier also shifts the capacity by
    ``LOCAL_SEARCH_CAPACITY_SHIFT_KWH`` with each move (panels and storage are coupled: one panel less
    may pay only with a slightly larger battery)."""
    tiers = [(neighbours, [cap]), (transfers, [cap])]
    if cap > 0 and search.dispatch == "greedy":
        shift = d.LOCAL_SEARCH_CAPACITY_SHIFT_KWH
        caps = [c for c in (cap - shift, cap + shift) if search.cmin <= c <= search.cmax]
        tiers.append((lambda p, x: neighbours(p, x) + transfers(p, x), caps))
    return tiers


def _pattern_steps(search: Search, before: Evaluation, move: Evaluation, key) -> Evaluation:
    """Repeat an improving move (the same change of panel counts, same capacity) while it keeps
    improving, with doubling steps (1, 2, 4, ... times the move, halved again after a miss): a start far
    from the optimum then walks there in few evaluations."""
    problem = search.problem
    delta = np.subtract(move.design.panels, before.design.panels)
    step = 1
    while step >= 1:
        nxt = np.add(move.design.panels, step * delta)
        inside = np.all(nxt >= problem.min_panels) and np.all(nxt <= problem.max_panels)
        trial = search.eval(tuple(int(x) for x in nxt), move.design.capacity_kwh) if inside else None
        if trial is not None and key(trial) < key(move) - 1e-9:
            move = trial
            step *= 2
        else:
            step //= 2
    return move


def local_panel_search(search: Search, start: Evaluation, key) -> Evaluation:
    """Move panel counts to better integer neighbours (capacity re-optimised after each move): first
    +-1 panel on one array; when none is better, one panel moved from one array to another (the cost
    is coupled through the shared battery, so single-array moves alone can stall)."""
    problem = search.problem
    best = start
    for _ in range(8 * max(1, problem.n_arrays) + 4):
        cap = best.design.capacity_kwh
        better = []
        for moves, caps in _move_tiers(search, cap):
            candidates = moves(problem, best.design.panels)
            trial = []
            for c in caps:
                search.prefetch(candidates, c)
                trial += [search.eval(p, c) for p in search.worth_trying(candidates, c, best, key)]
            better = [e for e in trial if key(e) < key(best) - 1e-9]
            if better:
                break
        if not better:
            break
        move = _pattern_steps(search, best, min(better, key=key), key)
        if search.dispatch == "lp":
            settled = search.descend_capacity(move.design.panels, key, move.design.capacity_kwh)
        else:
            settled = search.golden_capacity(move.design.panels, key, around=cap, width=1.0)
        best = min(settled, move, key=key)
    return best


def greedy_battery_search(
    problem: SizingProblem,
    search: Search,
    key,
    no_battery: list[Evaluation],
    extra_starts: list[tuple[int, ...]] = (),
) -> tuple[Evaluation, Evaluation]:
    """Best design with a battery under ``key`` using the self-consumption dispatch, and the best without
    (from ``no_battery``): a coarse batch over panel sets x capacities, golden section on the capacity,
    then integer neighbour moves, from the best of the batch and from each of ``extra_starts``.
    ``search`` memoises evaluations, so repeated calls with other keys (the Lagrangian search) reuse
    them."""
    best0 = min(no_battery, key=key)
    lo_p, hi_p = problem.min_panels.astype(int), problem.max_panels.astype(int)
    base = np.array(best0.design.panels, dtype=int)
    cand = {
        tuple(int(x) for x in np.clip(base + k * np.maximum((hi_p - base) // 3, 1), lo_p, hi_p))
        for k in range(4)
    }
    cand.add(tuple(int(x) for x in hi_p))
    levels = np.linspace(search.cmin, search.cmax, 3)
    grid = [(p, search._round_cap(c)) for p in sorted(cand) for c in levels]
    todo = [(p, c) for p, c in grid if Design(p, c, search.power) not in search.memo]
    if todo:
        search.add(
            evaluate_greedy_batch(
                problem,
                np.array([p for p, _ in todo], dtype=float).reshape(len(todo), problem.n_arrays),
                np.array([c for _, c in todo]),
                search.power,
            )
        )
    start = min((search.eval(p, c) for p, c in grid), key=key)
    starts = [start.design.panels, *(p for p in extra_starts if p != start.design.panels)]
    found = [local_panel_search(search, search.golden_capacity(p, key), key) for p in starts]
    return min(found, key=key), best0


def stored_value_starts(problem: SizingProblem) -> list[tuple[int, ...]]:
    """Starting panel sets for the battery search: the exact no-battery optimum when a share (half, all)
    of the exported PV is valued as if stored and used later (round trip x import weight) — where the
    panels go when a battery takes the surplus; on layouts of several roofs the local search alone can
    stall between roofs. Empty for one array."""
    if problem.n_arrays < 2:
        return []
    life = problem.lifecycle

    def raised(base: LevelisedTariff, share: float) -> LevelisedTariff:
        gain = np.maximum(problem.eta**2 * base.import_weights - base.export_weights, 0.0)
        tariff = LevelisedTariff(terms=base.terms, yearly=base.yearly)
        tariff.__dict__["export_weights"] = base.export_weights + share * gain  # cached_property slot
        return tariff

    out = []
    for share in (0.5, 1.0):
        surrogate = replace(problem, tariff=raised(problem.tariff, share))
        surrogate.__dict__["lifecycle"] = replace(life, pv=raised(life.pv, share))
        combos = panel_combos(surrogate)
        if combos is not None:
            best = min(evaluate_no_battery_batch(surrogate, combos), key=cost_key)
        else:
            exact = exact_no_battery(surrogate)
            if exact is None:
                continue
            best = exact[0]
        out.append(best.design.panels)
    return list(dict.fromkeys(out))
