"""Sizing: the fast search against brute force and against the full-year LP, the greedy dispatch kernel
against ``dispatch.py`` and the LP, grid-charging rules, monotonicity and infeasibility.

Small cases use a 4-week summer horizon (672 h) with investment costs scaled by 672/8760, so that the
full LP solves in well under a second; the greedy kernel is compared on the full year."""

from dataclasses import replace

import numpy as np
import pytest

from apps.engine.battery import greedy_batch, one_way_efficiency
from apps.engine.battery_lp import dispatch_lp
from apps.engine.dispatch import BatterySpec, dispatch_self_consumption
from apps.engine.sizing import (
    Design,
    SizingProblem,
    design_flows,
    evaluate,
    size_system,
)
from apps.engine.tariffs import monthly_peaks
from apps.engine.types import TariffInput
from devkit.engine.reference_lp import reference_sizing, solve_reference_lp
from tests.engine.sizing_cases import BATTERY, DYNAMIC, FLAT, SCALE, T, make_problem, profiles


def test_greedy_kernel_equals_dispatch_module_full_year():
    # Source: dispatch.py's hour-by-hour rule; the prefix-scan kernel must reproduce it exactly.
    rng = np.random.default_rng(3)
    load, pv_yield = profiles(8760, seed=3)
    pv = 4.0 * pv_yield * (1 + 0.2 * rng.random(8760))
    direct = np.minimum(pv, load)
    for cap, power, floor in ((5.0, 2.5, 20.0), (13.5, 5.0, 0.0), (0.5, 0.2, 10.0)):
        ref = dispatch_self_consumption(load, pv, BatterySpec(cap, power, floor, 90.0))
        fast = greedy_batch(pv - direct, load - direct, [cap], [power], floor / 100, one_way_efficiency(90.0))
        assert np.allclose(fast.level[0], ref.battery_level_kwh, atol=1e-9)
        assert np.allclose(fast.charged[0], ref.solar_stored, atol=1e-9)
        assert np.allclose(fast.discharged[0], ref.battery_used_onsite, atol=1e-9)


@pytest.mark.parametrize("fixed_eur", [0.0, 1000.0], ids=["no-fixed-costs", "fixed-costs"])
def test_greedy_equals_lp_on_flat_tariff(fixed_eur):
    # On a flat tariff the self-consumption rule is cost-optimal: same cost as the dispatch LP (HiGHS)
    # and as the full cvxpy/Clarabel LP with the sizes fixed, fixed installation costs included in both.
    problem = make_problem(FLAT, BATTERY)
    cost = replace(problem.cost, pv_fixed_eur=fixed_eur * SCALE, battery_fixed_eur=fixed_eur * SCALE)
    problem = replace(problem, cost=cost)
    design = Design((10,), 5.0, 3.0)
    greedy = evaluate(problem, design, "greedy")
    lp = evaluate(problem, design, "lp")
    assert lp.annual_cost == pytest.approx(greedy.annual_cost, rel=1e-6)
    fixed = replace(
        problem, battery=replace(BATTERY, capacity_kwh=5.0, min_capacity_kwh=5.0, min_power_rating_kw=3.0)
    )
    ref = solve_reference_lp(fixed, with_battery=True, fixed_panels=(10,))
    assert ref.annual_cost == pytest.approx(greedy.annual_cost, rel=1e-5)


def _brute_force(problem: SizingProblem, dispatch: str, cap_step: float) -> float:
    best = min(evaluate(problem, Design((p,)), "greedy").annual_cost for p in range(0, 13))
    for p in range(0, 13):
        for cap in np.arange(cap_step, BATTERY.capacity_kwh + 1e-9, cap_step):
            best = min(best, evaluate(problem, Design((p,), round(float(cap), 3), 3.0), dispatch).annual_cost)
    return best


def test_flat_sizing_matches_brute_force():
    problem = make_problem(FLAT, BATTERY)
    out = size_system(problem)
    brute = _brute_force(problem, "greedy", 0.1)
    # Source: brute-force grid of every panel count x 0.1 kWh capacity step; bar 0.5 % (brief).
    assert out.best.annual_cost <= brute * 1.005
    assert out.best.annual_cost >= brute * (1 - 1e-9) - 1e-9


def test_dynamic_sizing_matches_brute_force():
    problem = make_problem(DYNAMIC, BATTERY)
    out = size_system(problem)
    assert out.dispatch == "lp"
    brute = _brute_force(problem, "lp", 0.5)
    assert out.best.annual_cost <= brute * 1.005


@pytest.mark.parametrize("tariff", [FLAT, DYNAMIC], ids=["flat", "dynamic"])
def test_fast_sizing_within_half_percent_of_full_lp(tariff):
    problem = make_problem(tariff, BATTERY)
    out = size_system(problem)
    ref = reference_sizing(problem)
    # Source: brief — sizing cost within 0.5 % of a straightforward full-year LP of the same case.
    assert out.best.annual_cost <= ref.settled.annual_cost * 1.005
    # The relaxed LP (continuous panels, free PV split) is a lower bound.
    assert out.best.annual_cost >= ref.relaxed.annual_cost * (1 - 1e-4)


def test_no_grid_charging_when_disallowed():
    problem = make_problem(DYNAMIC, BATTERY)
    flows = design_flows(problem, Design((8,), 6.0, 3.0), "lp")
    surplus = np.maximum(flows.pv - flows.load, 0)
    assert np.all(flows.grid_stored == 0)
    assert np.all(flows.solar_stored <= surplus + 1e-9)  # PV serves the load first
    allowed = replace(problem, battery=replace(BATTERY, grid_charging=True))
    flows_gc = design_flows(allowed, Design((0,), 6.0, 3.0), "lp")
    assert flows_gc.grid_stored.sum() > 0  # with grid charging, cheap hours are used
    assert dispatch_lp(T, True) is dispatch_lp(T, True)  # model reused


@pytest.mark.parametrize("battery", [None, BATTERY], ids=["pv-only", "with-battery"])
def test_higher_feed_in_never_lowers_pv(battery):
    chosen = []
    for feed_in in (0.0, 0.05, 0.10, 0.20, 0.28):
        problem = make_problem(replace(FLAT, feed_in_eur_per_kwh=feed_in), battery)
        chosen.append(size_system(problem).best.design.panels[0])
    assert chosen == sorted(chosen), chosen


def test_infeasible_renewable_minimum_is_reported():
    problem = make_problem(FLAT, BATTERY, goal="renewable-minimum", fraction=0.99, max_panels=4)
    out = size_system(problem)
    assert out.status == "infeasible"
    assert "cannot be reached" in out.reason and "99%" in out.reason


@pytest.mark.parametrize("exhaustive", [16, 0], ids=["every-panel-set", "lagrangian"])
def test_renewable_minimum_meets_the_fraction_at_least_cost(exhaustive, monkeypatch):
    from apps.engine.sizing import goals

    monkeypatch.setattr(goals, "_EXHAUSTIVE_PANEL_SETS", exhaustive)
    problem = make_problem(FLAT, BATTERY, goal="renewable-minimum", fraction=0.6)
    out = size_system(problem)
    assert out.status == "optimal"
    assert out.best.self_sufficiency >= 0.6 - 1e-9
    # Brute force over the feasible grid (panels x 0.1 kWh) is not cheaper by more than 0.5 %.
    best = min(
        e.annual_cost
        for p in range(13)
        for cap in [0.0, *np.arange(0.1, 8.0001, 0.1)]
        if (e := evaluate(problem, Design((p,), round(float(cap), 3), 3.0 if cap else 0.0))).self_sufficiency
        >= 0.6
    )
    assert out.best.annual_cost <= best * 1.005


def test_self_sufficiency_goal_minimises_import_first():
    problem = make_problem(FLAT, BATTERY, goal="self-sufficiency")
    out = size_system(problem)
    top = evaluate(problem, Design((12,), 8.0, 3.0))
    assert out.best.grid_to_load <= top.grid_to_load + 0.005 * problem.load.sum() + 1e-9
    cost_goal = size_system(replace(problem, goal="cost-savings"))
    assert out.best.self_sufficiency >= cost_goal.best.self_sufficiency


def test_capacity_tariff_dispatch_has_no_foresight_of_the_monthly_peak():
    # Belgian capacity tariff on a flat contract: the battery runs the causal self-consumption rule (no
    # month's peak known in advance), billed from its import. The full cvxpy LP with the same fixed sizes
    # chooses every month's peak knowing the whole year: a lower bound the product may not beat.
    tariff = TariffInput(country="BE", capacity_tariff=True, flat_eur_per_kwh=0.35, feed_in_eur_per_kwh=0.03)
    problem = make_problem(tariff, BATTERY)
    assert problem.greedy_is_optimal
    design = Design((4,), 5.0, 3.0)
    product = evaluate(problem, design, "greedy", keep_flows=True)
    fixed = replace(
        problem, battery=replace(BATTERY, capacity_kwh=5.0, min_capacity_kwh=5.0, min_power_rating_kw=3.0)
    )
    foresight = solve_reference_lp(fixed, with_battery=True, fixed_panels=(4,))
    assert foresight.annual_cost <= product.annual_cost * (1 + 1e-6)


def test_grid_charging_never_lifts_the_billed_peak():
    # Dynamic BE contract with grid charging: the LP may charge from the grid only up to the import limit
    # (the floor in hourly import, 2.5 kW / 1.1) or the house's own draw in that hour, so no month's billed
    # peak rises above max(floor, the PV-only peak) (battery.py, "Capacity tariff without foresight").
    tariff = replace(DYNAMIC, country="BE", capacity_tariff=True)
    battery = replace(BATTERY, grid_charging=True)
    problem = make_problem(tariff, battery)
    lev = problem.tariff
    assert lev.demand_floor_kw == pytest.approx(2.5 / 1.1)
    with_battery = design_flows(problem, Design((4,), 5.0, 3.0), "lp")
    pv_only = design_flows(problem, Design((4,)))
    assert with_battery.grid_stored.sum() > 0  # it does charge from the grid
    bound = np.maximum(monthly_peaks(pv_only.grid_import), lev.demand_floor_kw)
    assert np.all(monthly_peaks(with_battery.grid_import) <= bound + 1e-7)


def test_two_arrays_match_brute_force():
    # East and west roofs (PV peaks at 9h and 15h), each 0..6 panels, battery up to 6 kWh: every combination
    # x every 0.2 kWh is evaluated; the search must be within 0.5 % of the best (brief).
    load, _ = profiles(T)
    h = np.arange(T) % 24
    day = np.repeat(np.random.default_rng(9).uniform(0.3, 1.0, T // 24), 24)
    east = 0.7 * np.clip(np.sin((h - 4) / 12 * np.pi), 0, None) * day
    west = 0.7 * np.clip(np.sin((h - 10) / 12 * np.pi), 0, None) * day
    battery = replace(BATTERY, capacity_kwh=6.0)
    problem = replace(
        make_problem(FLAT, battery),
        new_pv_yield=np.array([east, west]),
        panel_kwp=np.array([0.4, 0.4]),
        min_panels=np.array([0.0, 0.0]),
        max_panels=np.array([6.0, 6.0]),
        pv_cost_per_kwp=np.array([1100.0 * SCALE, 900.0 * SCALE]),
    )
    out = size_system(problem)
    best = np.inf
    for a in range(7):
        for b in range(7):
            best = min(best, evaluate(problem, Design((a, b))).annual_cost)
            for cap in np.arange(0.2, 6.0001, 0.2):
                best = min(best, evaluate(problem, Design((a, b), round(float(cap), 3), 3.0)).annual_cost)
    assert out.best.annual_cost <= best * 1.005


def test_coordinate_search_matches_enumeration(monkeypatch):
    # Three roofs: above GRID_SEARCH_MAX_COMBINATIONS the no-battery search is coordinate descent; it must
    # find the same optimum (within 0.5 %) as enumerating all 7^3 combinations.
    from apps.engine import defaults
    from apps.engine.sizing import candidates

    load, _ = profiles(T)
    h = np.arange(T) % 24
    shapes = [0.7 * np.clip(np.sin((h - s) / 12 * np.pi), 0, None) for s in (4, 7, 10)]
    problem = replace(
        make_problem(FLAT, None),
        new_pv_yield=np.array(shapes),
        panel_kwp=np.array([0.4, 0.4, 0.4]),
        min_panels=np.zeros(3),
        max_panels=np.full(3, 6.0),
        pv_cost_per_kwp=np.array([1000.0, 1100.0, 1200.0]) * SCALE,
    )
    full = size_system(problem).best.annual_cost
    monkeypatch.setattr(defaults, "GRID_SEARCH_MAX_COMBINATIONS", 10)
    assert candidates.panel_combos(problem) is None
    coordinate = size_system(problem).best.annual_cost
    assert coordinate <= full * 1.005
