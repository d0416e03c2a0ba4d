"""Engine benchmark: whole ``run_scan`` on reference scans, and the sizing's gap to the full-year LP.

Run: ``.venv/bin/python benchmarks/engine_bench.py [--repeats N] [--no-reference]``

Cases: the seed's example POST /v1/scans body (flat tariff, goal self-sufficiency), the same body with
goal cost-savings, dynamic-tariff variants of both (built-in day-ahead year), and cost-savings variants
for a household without panels (4,500 kWh/yr) with a cheaper battery (250 EUR/kWh, 2-10 kWh, 2-5 kW, no
fixed installation cost) so that panels, and on the dynamic contract a battery, are bought (the seed's own
household already has 4 kWp and exports; with the honest defaults it buys little or nothing), and those on
four roofs (north/east/south/west, 0-20 panels each), and the home on Belgian contracts with the Flemish
capacity tariff (flat EUR 0.35 / 0.03 and dynamic). Weather is cached (one warm-up run per case, not
timed), as in production where the weather of a location is stored. For each case it prints the median
and max wall time over the repeats, the peak traced Python memory (tracemalloc) and the process's max RSS,
then, for the cost-savings cases, the full-LP reference (``devkit.engine.reference_lp.reference_sizing``: one relaxed
full-year cvxpy + Clarabel LP, then its panel counts settled on integers and re-solved) and the ratio of
the engine's sizing cost to it. For the capacity-tariff cases that reference chooses every month's peak
knowing the whole year (foresight the product's dispatch does not have: ``battery``), so there it is a
lower bound, not a target. For the cost-savings cases with the dispatch LP and few enough panel sets to
enumerate it also prints the proven lower bound on every design with a battery
(``sizing.lp_bound.battery_certificate``: cutting planes from the LP's energy values). ``--only TEXT`` runs
the cases whose name contains TEXT.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from apps.engine.api import run_scan  # noqa: E402
from apps.engine.types import (  # noqa: E402
    ScanInputs,
    TariffInput,
)
from devkit.engine.examples import home_buying_panels_inputs, seed_example_inputs  # noqa: E402

BE_FLAT = TariffInput(country="BE", capacity_tariff=True, flat_eur_per_kwh=0.35, feed_in_eur_per_kwh=0.03)


def cases() -> dict[str, ScanInputs]:
    seed = seed_example_inputs()
    dynamic = replace(seed, tariff=TariffInput(type="dynamic"))
    home = home_buying_panels_inputs()
    home_dynamic = replace(home, tariff=TariffInput(type="dynamic"))
    four = tuple(
        replace(seed.new_pv[0], name=name, max_panel_count=20, tilt_angle=tilt, orientation_angle=azimuth)
        for name, tilt, azimuth in (("north", 15, 0), ("east", 30, 90), ("south", 35, 180), ("west", 30, 270))
    )
    return {
        "seed flat (self-sufficiency)": seed,
        "seed flat (cost-savings)": replace(seed, goal="cost-savings"),
        "dynamic (self-sufficiency)": dynamic,
        "dynamic (cost-savings)": replace(dynamic, goal="cost-savings"),
        # A household that buys panels (and a battery on the dynamic contract): the search is exercised.
        "flat cheap battery (cost)": home,
        "dynamic cheap battery (cost)": home_dynamic,
        # Four roofs (north, east, south, west; 0-20 panels each: 194,481 panel sets, the exact search).
        "4 roofs flat cheap battery": replace(home, new_pv=four),
        "4 roofs dynamic cheap battery": replace(home_dynamic, new_pv=four),
        # Belgium with the capacity tariff (billed quarter-hour peaks, no foresight of the monthly peak).
        "BE flat capacity tariff": replace(home, tariff=BE_FLAT),
        "BE dynamic capacity tariff": replace(
            home, tariff=TariffInput(type="dynamic", country="BE", capacity_tariff=True)
        ),
    }


def _time_case(inputs: ScanInputs, repeats: int) -> tuple[list[float], float, object]:
    run_scan(inputs)  # warm-up: weather and solver models cached
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = run_scan(inputs)
        times.append(time.perf_counter() - t0)
    tracemalloc.start()
    run_scan(inputs)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return times, peak / 2**20, result


def _sizing_problem(inputs: ScanInputs):
    """The ``SizingProblem`` that ``run_scan`` sizes for these inputs."""
    from apps.engine import api

    captured = {}
    original = api.size_system

    def spy(problem):
        captured["problem"] = problem
        return original(problem)

    api.size_system = spy
    try:
        run_scan(inputs)
    finally:
        api.size_system = original
    return captured["problem"]


def _reference(inputs: ScanInputs) -> tuple[float, float, float, float]:
    """(engine sizing cost, settled full-LP cost, relaxed LP cost, LP seconds) [EUR/yr]."""
    from apps.engine.sizing import size_system
    from devkit.engine.reference_lp import reference_sizing

    problem = _sizing_problem(inputs)
    fast = size_system(problem).best.annual_cost
    ref = reference_sizing(problem)
    return fast, ref.settled.annual_cost, ref.relaxed.annual_cost, ref.seconds


def _certificate(inputs: ScanInputs) -> tuple[float, float, float] | None:
    """(engine sizing cost, proven lower bound on every battery design, seconds) with the dispatch LP when
    the panel sets are few enough to enumerate (``lp_bound.battery_certificate``), else None."""
    import numpy as np

    from apps.engine import defaults as d
    from apps.engine.sizing import size_system
    from apps.engine.sizing.candidates import panel_combos
    from apps.engine.sizing.lp_bound import battery_certificate, bounds_apply

    problem = _sizing_problem(inputs)
    if problem.greedy_is_optimal or not problem.battery_allowed or not bounds_apply(problem):
        return None
    if panel_combos(problem) is None:
        return None
    best = size_system(problem).best
    b = problem.battery
    low = max(b.min_capacity_kwh, d.BATTERY_CAPACITY_STEP_KWH)
    caps = np.round(np.arange(low, b.capacity_kwh + 1e-9, d.BATTERY_CAPACITY_STEP_KWH), 6)
    t0 = time.perf_counter()
    bound, _ = battery_certificate(problem, best, caps)
    return best.annual_cost, bound, time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument("--only", default="", help="run only the cases whose name contains this text")
    args = parser.parse_args()
    print(f"engine benchmark: {args.repeats} timed runs per case after one warm-up")
    all_cases = {name: inputs for name, inputs in cases().items() if args.only in name}
    for name, inputs in all_cases.items():
        times, peak_mb, result = _time_case(inputs, args.repeats)
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        b = result.battery
        print(
            f"{name:30s} median {statistics.median(times):6.3f} s  max {max(times):6.3f} s  "
            f"peak traced {peak_mb:5.1f} MB  max RSS so far {rss_mb:5.0f} MB | "
            f"PV {[a.panel_count for a in result.new_pv]} battery "
            f"{(b.capacity_kwh if b else 0):.1f} kWh  payback {result.finance.payback_years}"
            + (
                f"  capacity tariff {result.bill_bau.demand_cost:.2f} -> {result.bill.demand_cost:.2f} EUR/yr"
                if inputs.tariff.capacity_tariff
                else ""
            )
        )
    print("battery-design certificate (dispatch LP, every panel set x every 0.1 kWh), cost-savings cases:")
    for name, inputs in all_cases.items():
        proof = _certificate(inputs) if inputs.goal == "cost-savings" else None
        if proof is not None:
            cost, bound, seconds = proof
            verdict = (
                "every battery design proven dearer"
                if bound >= cost
                else f"proven within {(cost - bound) / cost:.1e}"
            )
            print(
                f"{name:30s} sizing {cost:8.2f} EUR/yr | battery designs >= {bound:8.2f} | {verdict} | "
                f"{seconds:4.2f} s"
            )
    if args.no_reference:
        return
    print("full-year LP reference (cvxpy + Clarabel), cost-savings cases:")
    for name, inputs in all_cases.items():
        if inputs.goal != "cost-savings":
            continue
        fast, settled, relaxed, seconds = _reference(inputs)
        print(
            f"{name:30s} sizing {fast:8.2f} EUR/yr | full LP settled {settled:8.2f} ratio {fast / settled:.5f}"
            f" | relaxed LP bound {relaxed:8.2f} ratio {fast / relaxed:.5f} | LP time {seconds:5.1f} s"
        )


if __name__ == "__main__":
    main()
