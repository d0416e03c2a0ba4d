"""Sizing of new PV (panel counts per array) and a battery (capacity, power) for a goal.

The objective is minus the NPV the report shows, as an annuity [EUR/yr] (``LifecycleObjective``): the
finance module's own cashflows (PV degradation, battery fade and replacement with its residual value,
escalation, discounting, the contract of every analysis year: net metering up to 2026, the feed-in floor
2027-2029, the energy tax of each year) read off ``finance.evaluate_finance``, which is affine in the
yearly bills, so sizing and report cannot drift apart.

``size_system`` (what ``run_scan`` uses) decomposes the optimisation into a search over sizes with an
exact inner dispatch for each size (the reference it is proven against, one full-year LP in cvxpy +
Clarabel, lives outside the product in ``devkit.engine.reference_lp``; with the capacity tariff it chooses
every month's peak knowing the whole year, which no battery controller can (``battery``, "Capacity tariff
without foresight"), so there it is a lower bound):

  - without battery the year needs no dispatch at all; up to ``GRID_SEARCH_MAX_COMBINATIONS`` panel sets
    are all evaluated at once with numpy, above that ``no_battery.exact_no_battery`` finds the optimum with a proof
    (Kelley cutting planes on the convex cost + a small HiGHS MILP over the integer counts, stopping when
    the best design is within ``SIZING_PROOF_TOLERANCE`` of the proven lower bound): exact for any
    realistic roof layout (tested against exhaustive enumeration on random 3-4-roof cases);
  - with a flat tariff the greedy self-consumption rule is the dispatch: optimal for the energy (every
    stored kWh saves the same import price and costs the same feed-in price, whenever used; charging
    from the grid at the same price only loses energy) and, under the capacity tariff, the causal peak
    rule whose import is billed; evaluated with a vectorised prefix scan in about 1 ms per design
    (``battery.greedy_batch``);
  - otherwise (dynamic prices) each size is dispatched by the cost-optimal dispatch LP in
    HiGHS, warm-started between sizes (``battery_lp.DispatchLP``; without grid charging the same LP merged
    into runs of surplus and deficit hours, ``battery_lp.RunDispatchLP``);
  - the annual cost is convex in the battery capacity for fixed panels (an LP value with the capacity in
    its bounds, plus a linear investment; the capacity tariff billed on a dispatch without foresight is
    not an LP value, so there this is an assumption the neighbour moves below guard), so the capacity is
    found by golden-section search (self-consumption dispatch, batched) or, where each evaluation is a
    dispatch LP, by a descent on the 0.1 kWh grid that stops when secants through evaluated points
    prove no other grid capacity cheaper (``Search.descend_capacity``, five LPs or so); with a
    battery the panel counts start from the exact battery-less optimum and a coarse grid and move to
    better neighbours: +-1 panel, one panel moved between arrays, and (self-consumption dispatch) those
    moves with the capacity shifted by ``LOCAL_SEARCH_CAPACITY_SHIFT_KWH``. With the dispatch LP a move
    is skipped when a Lagrangian bound from the current design's LP duals proves it no better
    (``lp_bound``; it changes no result). This part is a local search, not a proof; tests compare it with
    exhaustive grids (within 0.1 %), and ``lp_bound.battery_certificate`` (cutting planes from the LP's
    duals over every panel set x capacity) proves it optimal on the cases tested and in the benchmark; it
    is not run per scan, where it would cost about as much as the whole run. The battery is a binary choice:
    the best design with a battery within [min, max] is compared with the best design without.
  Tests check it against ``devkit.engine.reference_lp``, exhaustive enumeration and the report's finance.

Goals: ``cost-savings`` minimises the annual cost; ``self-sufficiency`` minimises grid energy used on
site first (designs within ``SELF_SUFFICIENCY_TOLERANCE`` of the yearly load of the minimum count as
equal) and then cost; ``renewable-minimum`` minimises cost subject to self-sufficiency >= the fraction.
For both self-sufficiency goals the dispatch is the self-consumption rule (which maximises
self-sufficiency for given sizes). Grid use falls monotonically with the battery capacity, so for each
panel set the smallest battery meeting the limit is found by bisection; with many panel sets (several
roofs) the sets worth examining come from a Lagrangian search (cost + a price on grid energy, the price
bisected until the limit is just met). An unreachable goal returns ``status="infeasible"`` with a reason.

Known simplifications: the battery power is taken at its maximum (power is free within its range, see
``BATTERY_COST_EUR_PER_KW``); the dispatch LP (and the reference LP) do not model the yearly netting of
net metering (bills do), which only matters when a caller models 2026. Energy charged from the grid and
later used on site counts as grid energy in the self-sufficiency (``DesignFlows.self_sufficiency`` via
``dispatch.self_sufficiency``); the self-sufficiency goals use the self-consumption dispatch, which never
charges from the grid, so their limit is on grid energy used on site directly.

Modules, one job each: ``problem`` (the problem, the objective, the design and outcome types),
``evaluation`` (a design's flows and cost, one at a time or batched), ``candidates`` (panel sets and their
neighbours), ``no_battery`` (the best design without a battery), ``battery_search`` (the search with a
battery), ``lp_bound`` (lower bounds with the dispatch LP without solving it), ``goals`` (which search each
goal runs; ``size_system``).
"""

from apps.engine.sizing.evaluation import design_flows, evaluate
from apps.engine.sizing.goals import size_system
from apps.engine.sizing.problem import (
    Design,
    DesignFlows,
    Evaluation,
    LifecycleObjective,
    SizingOutcome,
    SizingProblem,
)

__all__ = [
    "Design",
    "DesignFlows",
    "Evaluation",
    "LifecycleObjective",
    "SizingOutcome",
    "SizingProblem",
    "design_flows",
    "evaluate",
    "size_system",
]
