"""The dispatch LPs: the run-merged model (``battery_lp.RunDispatchLP``, no grid charging) against the hourly
model (``battery_lp.DispatchLP``) on random cases, warm and cold; the LP capacity search
(``Search.descend_capacity``) against every capacity on the grid; the Lagrangian bound (``lp_bound``)
against evaluated costs; and the LP battery search against enumeration on two-roof dynamic cases."""

from dataclasses import replace

import numpy as np
import pytest

from apps.engine import defaults as d
from apps.engine.battery_lp import DispatchLP, RunDispatchLP, dispatch_lp
from apps.engine.sizing import Design, evaluate, size_system
from apps.engine.sizing.battery_search import Search
from apps.engine.sizing.lp_bound import battery_certificate, bounds_apply, energy_value_at, lp_cost_bounds
from apps.engine.sizing.problem import cost_key
from tests.engine.sizing_cases import BATTERY, DYNAMIC, T, make_problem, profiles


def _random_case(rng, hours):
    """(load, PV yield, import price, export value) of made-up hours, with negative export hours."""
    load, pv_yield = profiles(hours, seed=int(rng.integers(1000)))
    price = rng.uniform(0.05, 0.40, hours)
    export = price - rng.uniform(0.05, 0.25, hours)
    return load, pv_yield, price, export


def _check_feasible(flows, surplus, deficit, cap, power, min_fraction, eta):
    """The hourly flows obey the dispatch LP's rules (``battery`` module docstring)."""
    tol = 1e-7
    level = flows.level
    change = eta * flows.solar_stored - flows.discharged / eta
    assert np.allclose(level - np.roll(level, 1), change, atol=tol)  # cyclic balance
    assert level.min() >= min_fraction * cap - tol and level.max() <= cap + tol
    assert np.all(flows.solar_stored <= np.minimum(surplus, power) + tol)
    assert np.all(flows.discharged <= np.minimum(deficit, power) + tol)
    assert np.all(flows.grid_stored == 0)


@pytest.mark.parametrize("seed", range(6))
def test_run_merged_lp_equals_hourly_lp(seed):
    # The merged model is an exact reformulation (levels are monotone within a run of surplus or
    # deficit hours): same optimum as the hourly model, cold, warm (a capacity step) and from a carried
    # basis (another PV size), with hourly flows that keep the hourly rules.
    rng = np.random.default_rng(seed)
    load, pv_yield, price, export = _random_case(rng, 24 * 21)
    eta = float(np.sqrt(rng.uniform(0.8, 0.95)))
    min_fraction = float(rng.uniform(0.0, 0.3))
    kwp = rng.uniform(1.0, 6.0)
    merged = RunDispatchLP()
    for scale, cap in ((1.0, 6.0), (1.0, 5.9), (1.0, 3.0), (0.7, 3.0), (1.6, 9.0), (1.6, 1.0)):
        pv = scale * kwp * pv_yield
        direct = np.minimum(pv, load)
        s, dd = pv - direct, load - direct
        power = float(min(3.0, cap))
        args = (s, dd, cap, power, min_fraction, eta, price, export)
        ref = DispatchLP(len(s), False).solve(*args)
        got = merged.solve(*args)
        assert got.objective == pytest.approx(ref.objective, rel=1e-9, abs=1e-9)
        _check_feasible(got, s, dd, cap, power, min_fraction, eta)
        # The hourly flows are worth what the objective says.
        value = np.maximum(export, 0) @ got.solar_stored - price @ got.discharged
        assert value == pytest.approx(got.objective, rel=1e-9, abs=1e-9)


def test_one_kind_of_hour_allows_no_flow():
    # Only deficit hours (no PV): a cyclic year cannot discharge what it never charged.
    deficit = np.full(48, 0.5)
    flows = RunDispatchLP().solve(np.zeros(48), deficit, 5.0, 3.0, 0.1, 0.95, np.full(48, 0.3), np.zeros(48))
    assert flows.objective == 0 and not flows.discharged.any()


def test_without_grid_charging_the_merged_model_is_used():
    assert isinstance(dispatch_lp(T, False), RunDispatchLP)
    assert isinstance(dispatch_lp(T, True), DispatchLP)


@pytest.mark.parametrize("start", [2.0, 4.4, 8.0])
@pytest.mark.parametrize("panels", [4, 10])
def test_capacity_descent_finds_the_grid_minimum(panels, start):
    # The cost is convex in the capacity: from any start the descent must end on the least cost over
    # every capacity of the 0.1 kWh grid within [min, max] (each one evaluated here).
    battery = replace(BATTERY, min_capacity_kwh=1.0, cost_per_kwh=BATTERY.cost_per_kwh * 0.5)
    problem = make_problem(DYNAMIC, battery)
    search = Search(problem, "lp")
    found = search.descend_capacity((panels,), cost_key, start)
    step = d.BATTERY_CAPACITY_STEP_KWH
    grid = np.round(np.arange(search.cmin, search.cmax + step / 2, step), 6)
    every = Search(problem, "lp")
    best = min((every.eval((panels,), c) for c in grid), key=cost_key)
    assert found.annual_cost == pytest.approx(best.annual_cost, rel=1e-12)
    assert len(search.memo) < len(grid) / 2  # far fewer dispatch LPs than the grid


def test_an_hour_with_surplus_and_deficit_is_refused():
    # PV serves the load first, so no hour has both; the merged model relies on it.
    with pytest.raises(ValueError, match="both surplus and deficit"):
        RunDispatchLP().solve(np.ones(4), np.ones(4), 5.0, 3.0, 0.1, 0.95, np.full(4, 0.3), np.zeros(4))


def _two_roofs(seed: int, max_panels: int = 4):
    """A dynamic-contract problem with two roofs (east- and west-leaning made-up yields) and a cheaper
    battery, so that panels and a battery are bought."""
    rng = np.random.default_rng(seed)
    battery = replace(
        BATTERY, min_capacity_kwh=0.5, cost_per_kwh=BATTERY.cost_per_kwh * rng.uniform(0.3, 0.7)
    )
    base = make_problem(DYNAMIC, battery, max_panels=max_panels)
    yield_ = base.new_pv_yield[0]
    roofs = np.array([np.roll(yield_, -int(rng.integers(1, 3))), np.roll(yield_, int(rng.integers(1, 3)))])
    return replace(
        base,
        new_pv_yield=roofs * rng.uniform(0.8, 1.2, (2, 1)),
        panel_kwp=np.full(2, 0.4),
        min_panels=np.zeros(2),
        max_panels=np.full(2, float(max_panels)),
        pv_cost_per_kwp=np.full(2, base.pv_cost_per_kwp[0]),
    )


@pytest.mark.parametrize("seed", range(4))
def test_lp_bound_is_below_every_cost_and_tight_where_solved(seed):
    # Weak duality: the bound from one design's energy values is below the LP-dispatch cost of every
    # other design (each evaluated here); at the design itself it is the cost up to the gap between the
    # dispatch's prices and the lifecycle weights.
    problem = _two_roofs(seed)
    assert bounds_apply(problem)
    rng = np.random.default_rng(seed)
    center = Design((int(rng.integers(0, 5)), int(rng.integers(0, 5))), float(rng.uniform(1, 8)), 3.0)
    value = energy_value_at(problem, center)
    sets = [(a, b) for a in range(5) for b in range(5)]
    for cap in (center.capacity_kwh, 2.0, 6.5):
        bounds = lp_cost_bounds(problem, sets, cap, 3.0, value)
        costs = np.array([evaluate(problem, Design(p, cap, 3.0), "lp").annual_cost for p in sets])
        assert np.all(bounds <= costs + 1e-6)
    here = evaluate(problem, center, "lp").annual_cost
    bound = lp_cost_bounds(problem, [center.panels], center.capacity_kwh, 3.0, value)[0]
    assert bound == pytest.approx(here, rel=1e-3)


@pytest.mark.parametrize("seed", range(3))
def test_lp_battery_search_equals_enumeration(seed, monkeypatch):
    # Expected: every panel set x every 0.5 kWh of capacity with the dispatch LP (dynamic contract). The
    # search may land between grid points: no more than 0.1 % above the grid's best (issue 12). Skipping
    # neighbour moves by the bound changes nothing: the same design as evaluating every move.
    problem = _two_roofs(seed)
    grid = Search(problem, "lp")
    caps = np.arange(0.5, BATTERY.capacity_kwh + 1e-9, 0.5)
    brute = min(
        min(grid.eval((a, b), c).annual_cost for a in range(5) for b in range(5) for c in caps),
        min(evaluate(problem, Design((a, b))).annual_cost for a in range(5) for b in range(5)),
    )
    found = size_system(problem)
    assert found.best.annual_cost <= brute * 1.001
    monkeypatch.setattr(Search, "worth_trying", lambda self, candidates, cap, best, key: candidates)
    assert size_system(problem).best.design == found.best.design


@pytest.mark.parametrize("seed", range(3))
def test_battery_certificate_proves_the_search_optimal(seed):
    # The cutting-plane certificate bounds every battery design (every panel set x every 0.1 kWh) from
    # below: the bound is below the enumerated best on the 0.5 kWh grid (a subset of those designs),
    # below the search's design, and within SIZING_PROOF_TOLERANCE of it: the search is proven optimal.
    problem = _two_roofs(seed)
    found = size_system(problem).best
    search = Search(problem, "lp")
    caps = np.round(np.arange(search.cmin, search.cmax + 1e-9, d.BATTERY_CAPACITY_STEP_KWH), 6)
    bound, best = battery_certificate(problem, found, caps)
    sets = [(a, b) for a in range(5) for b in range(5)]
    brute = min(search.eval(p, c).annual_cost for p in sets for c in np.arange(0.5, search.cmax + 1e-9, 0.5))
    assert bound <= brute + 1e-9 and bound <= found.annual_cost
    assert found.annual_cost - bound <= d.SIZING_PROOF_TOLERANCE * found.annual_cost
    assert best.annual_cost == pytest.approx(found.annual_cost, rel=1e-12)
