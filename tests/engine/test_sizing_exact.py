"""The exact multi-roof search against exhaustive enumeration, and the sizing objective against the
report's finance (``scenarios.case_finance``): the design chosen is the one with the best reported NPV.

Synthetic roofs on a 4-week summer horizon (672 h, investment scaled by 672/8760) keep the enumeration
cheap; the issue's north/east/west case runs on the full offline weather year."""

import itertools
from dataclasses import replace

import numpy as np
import pytest

from apps.engine import defaults as d
from apps.engine.scenarios import build_case, case_finance
from apps.engine.sizing import Design, candidates, evaluate, no_battery, size_system
from apps.engine.sizing.evaluation import evaluate_greedy_batch, evaluate_no_battery_batch
from apps.engine.types import BatteryInput, TariffInput
from tests.engine.sizing_cases import BATTERY, FLAT, SCALE, T, make_problem

DAYS = T // 24


def _roofs(rng: np.random.Generator, n: int) -> np.ndarray:
    """n roof yields [kWh/kWp per hour]: random peak hour (east ... west), height (tilt/north) and a
    shared cloudiness per day."""
    h = np.arange(T) % 24
    day = np.repeat(np.random.default_rng(9).uniform(0.3, 1.0, DAYS), 24)
    out = []
    for _ in range(n):
        peak = rng.uniform(10.0, 15.0)
        height = rng.uniform(0.35, 0.8)
        out.append(height * np.clip(np.sin((h - peak + 6) / 12 * np.pi), 0, None) * day)
    return np.array(out)


def _multi_roof(seed: int, n: int, max_panels: int, battery: BatteryInput | None, tariff=FLAT):
    rng = np.random.default_rng(seed)
    return replace(
        make_problem(tariff, battery),
        new_pv_yield=_roofs(rng, n),
        panel_kwp=np.full(n, 0.4),
        min_panels=np.zeros(n),
        max_panels=np.full(n, float(max_panels)),
        pv_cost_per_kwp=rng.uniform(800.0, 1300.0, n) * SCALE,
    )


def _all_combos(problem) -> np.ndarray:
    ranges = [range(int(a), int(b) + 1) for a, b in zip(problem.min_panels, problem.max_panels, strict=True)]
    return np.array(list(itertools.product(*ranges)), dtype=float)


@pytest.mark.parametrize("seed", range(12))
def test_exact_search_equals_enumeration_without_battery(seed, monkeypatch):
    # Expected: the least cost over EVERY panel combination (exhaustive enumeration). The cutting-plane
    # search (forced on by setting the enumeration limit to zero) must find it within 0.1 % (issue 12),
    # and it proves its optimality within SIZING_PROOF_TOLERANCE (0.001 %).
    n, max_panels = (3, 9) if seed % 2 else (4, 5)
    problem = _multi_roof(seed, n, max_panels, None)
    brute = min(e.annual_cost for e in evaluate_no_battery_batch(problem, _all_combos(problem)))
    monkeypatch.setattr(d, "GRID_SEARCH_MAX_COMBINATIONS", 0)
    exact = no_battery.exact_no_battery(problem)
    assert exact is not None
    assert exact[0].annual_cost <= brute * (1 + 1e-5) + 1e-9
    assert size_system(problem).best.annual_cost <= brute * 1.001


def _brute_with_battery(problem, caps: np.ndarray) -> float:
    combos = _all_combos(problem)
    best = min(e.annual_cost for e in evaluate_no_battery_batch(problem, combos))
    for cap in caps:
        evals = evaluate_greedy_batch(
            problem, combos, np.full(len(combos), cap), problem.battery.power_rating_kw
        )
        best = min(best, min(e.annual_cost for e in evals))
    return best


NO_FEED_IN_COST = TariffInput(flat_eur_per_kwh=0.30, feed_in_eur_per_kwh=0.07, feed_in_cost_eur_per_kwh=0.0)


@pytest.mark.parametrize(
    "seed,cost,tariff",
    [(100 + s, 150.0, FLAT) for s in range(6)]
    + [(213, 150.0, FLAT)]  # stalled at (1, 1, 5) before the stored-value starts; optimum (0, 3, 5)
    + [(300 + s, 140.0, NO_FEED_IN_COST) for s in range(4)],
)
def test_search_with_battery_equals_enumeration(seed, cost, tariff):
    # Expected: every panel combination x every 0.5 kWh of capacity (flat tariff: the self-consumption
    # dispatch is optimal). The search may land between grid points, so it must be no more than 0.1 %
    # above the grid's best (issue 12).
    n, max_panels = (3, 5) if seed % 2 else (4, 3)
    battery = replace(BATTERY, cost_per_kwh=cost * SCALE, capacity_kwh=8.0)
    problem = _multi_roof(seed, n, max_panels, battery, tariff)
    brute = _brute_with_battery(problem, np.arange(0.5, 8.0001, 0.5))
    assert size_system(problem).best.annual_cost <= brute * 1.001


def test_battery_case_needs_a_panel_moved_between_roofs():
    # East roof cheap but weak, west roof strong: with ±1 moves alone the search stalls on the coupled
    # battery cost; here the optimum is reached only by moving panels between the roofs. Expected: the
    # exhaustive grid (all 7 x 7 panel sets x every 0.25 kWh).
    h = np.arange(T) % 24
    day = np.repeat(np.random.default_rng(9).uniform(0.3, 1.0, DAYS), 24)
    east = 0.55 * np.clip(np.sin((h - 4) / 12 * np.pi), 0, None) * day
    west = 0.75 * np.clip(np.sin((h - 10) / 12 * np.pi), 0, None) * day
    # No standby draw: with 30 W (issue 11) on this 4-week case the optimum (3, 5) lies two moves
    # (east -2, west +1) from a local minimum (5, 4) that no single move or transfer improves, so the
    # case would no longer isolate the transfer move it was built for.
    battery = replace(BATTERY, cost_per_kwh=120.0 * SCALE, capacity_kwh=6.0, standby_w=0.0)
    problem = replace(
        make_problem(FLAT, battery),
        new_pv_yield=np.array([east, west]),
        panel_kwp=np.array([0.4, 0.4]),
        min_panels=np.zeros(2),
        max_panels=np.full(2, 6.0),
        pv_cost_per_kwp=np.array([700.0, 1000.0]) * SCALE,
    )
    brute = _brute_with_battery(problem, np.arange(0.25, 6.0001, 0.25))
    assert size_system(problem).best.annual_cost <= brute * 1.001


def _npv(problem, tariff: TariffInput, design: Design) -> float:
    return case_finance(build_case(problem, design, tariff, 2030)).npv


@pytest.mark.parametrize("battery_cost", [150.0, 300.0])
def test_no_neighbouring_design_has_a_better_reported_npv(battery_cost):
    # The report's NPV (scenarios.case_finance: yearly bills under each year's contract, PV degradation,
    # battery fade and replacement, escalation, discounting) of every neighbour of the chosen design
    # (±1 panel per roof, a panel moved between roofs, ±0.1 kWh, no battery) must not beat the chosen
    # design's: the sizing optimises what the report shows.
    battery = replace(BATTERY, cost_per_kwh=battery_cost * SCALE)
    problem = _multi_roof(7, 2, 8, battery)
    problem = replace(problem, cost=replace(problem.cost, price_escalation=0.02))
    chosen = size_system(problem).best.design
    base = _npv(problem, FLAT, chosen)
    neighbours = [
        Design(p, chosen.capacity_kwh, chosen.power_kw) for p in candidates.neighbours(problem, chosen.panels)
    ]
    neighbours += [
        Design(p, chosen.capacity_kwh, chosen.power_kw) for p in candidates.transfers(problem, chosen.panels)
    ]
    neighbours.append(Design(chosen.panels))
    if chosen.capacity_kwh > 0:
        for step in (-0.1, 0.1):
            cap = round(chosen.capacity_kwh + step, 6)
            if 0 < cap <= battery.capacity_kwh:
                neighbours.append(Design(chosen.panels, cap, chosen.power_kw))
    for other in neighbours:
        assert _npv(problem, FLAT, other) <= base + 1e-6, other


BE_CAPACITY = TariffInput(country="BE", capacity_tariff=True, flat_eur_per_kwh=0.35, feed_in_eur_per_kwh=0.03)


@pytest.mark.parametrize("tariff", [FLAT, BE_CAPACITY], ids=["flat", "be-capacity-tariff"])
def test_objective_is_minus_reported_npv_as_annuity(tariff):
    # Identity: annual_cost = CRF x (-NPV) + a design-independent constant, with the NPV from the report's
    # finance. Checked on differences between four designs (with and without battery), with fixed
    # installation costs and the battery's standby draw (issue 11) in both; with the Belgian capacity
    # tariff the sizing and the report bill the same quarter-hour peaks of the same import.
    battery = replace(BATTERY, cost_per_kwh=200.0 * SCALE, standby_w=30.0)
    problem = _multi_roof(3, 2, 8, battery, tariff)
    cost = replace(
        problem.cost,
        price_escalation=0.03,
        pv_om_eur_per_kw_year=10.0,
        pv_fixed_eur=1000.0 * SCALE,
        battery_fixed_eur=800.0 * SCALE,
    )
    problem = replace(problem, cost=cost)
    crf = problem.lifecycle.crf
    designs = [Design((0, 0)), Design((4, 2)), Design((4, 2), 3.0, 3.0), Design((1, 7), 6.5, 3.0)]
    costs = [evaluate(problem, x).annual_cost for x in designs]
    npvs = [_npv(problem, tariff, x) for x in designs]
    for c, v in zip(costs[1:], npvs[1:], strict=True):
        assert c - costs[0] == pytest.approx(-crf * (v - npvs[0]), rel=1e-9, abs=1e-9)


def _scan_problem(inputs):
    """The SizingProblem run_scan builds for ``inputs`` (offline weather year)."""
    from apps.engine import api

    captured = {}

    def spy(problem):
        captured["problem"] = problem
        raise LookupError

    original = api.size_system
    api.size_system = spy
    try:
        with pytest.raises(LookupError):
            api.run_scan(inputs)
    finally:
        api.size_system = original
    return captured["problem"]


def test_issue_north_east_west_case_is_exact(monkeypatch):
    # Issue 12's case: north 15° / east 30° / west 30° roofs, flat 0.25 / 0.00 EUR/kWh, 3,000 kWh/yr. The old
    # one-roof-at-a-time search stalled here; expected: the least cost over all 10 x 10 x 10 panel sets.
    # No fixed installation cost, feed-in cost or PV maintenance, set explicitly: with the defaults of
    # issues 11/12 (EUR 1,000 per PV installation, EUR 0.10/kWh feed-in cost) and EUR 18/kWp/yr O&M on
    # the measured 2023 weather, buying nothing wins (next to the seed's 4 kWp of existing panels) and
    # the multi-roof search would not be exercised.
    from apps.engine.types import NewPvArray
    from devkit.engine.examples import seed_example_inputs

    seed = seed_example_inputs()
    roofs = tuple(
        NewPvArray(
            name=name,
            min_panel_count=0,
            max_panel_count=9,
            panel_power_watts=400,
            tilt_angle=tilt,
            orientation_angle=azimuth,
            cost_per_kwp=700,
            system_losses=14,
        )
        for name, tilt, azimuth in (("north", 15, 0), ("east", 30, 90), ("west", 30, 270))
    )
    inputs = replace(
        seed,
        goal="cost-savings",
        battery=None,
        new_pv=roofs,
        tariff=TariffInput(flat_eur_per_kwh=0.25, feed_in_eur_per_kwh=0.0, feed_in_cost_eur_per_kwh=0.0),
        consumption=replace(seed.consumption, yearly_kwh=3000),
        pv_fixed_cost_eur=0.0,
        include_pv_maintenance_costs=False,
    )
    problem = _scan_problem(inputs)
    evals = evaluate_no_battery_batch(problem, _all_combos(problem))
    brute = min(evals, key=lambda e: e.annual_cost)
    assert sum(brute.design.panels) > 0  # a non-trivial optimum
    monkeypatch.setattr(d, "GRID_SEARCH_MAX_COMBINATIONS", 0)
    found = size_system(problem).best
    assert found.annual_cost <= brute.annual_cost * (1 + 1e-5)
