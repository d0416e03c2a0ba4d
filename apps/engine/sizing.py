"""Sizing of new PV (panel counts per array) and a battery (capacity, power) for a goal.

The objective is minus the NPV the report shows, as an annuity [EUR/yr] (``LifecycleObjective``): the
finance module's own cashflows (PV degradation, battery fade and replacement with its residual value,
escalation, discounting, the contract of every analysis year: net metering up to 2026, the feed-in floor
2027-2029, the energy tax of each year) read off ``finance.evaluate_finance``, which is affine in the
yearly bills, so sizing and report cannot drift apart.

Two solvers share this objective:

* ``solve_reference_lp``: the straightforward model — ONE vectorised full-year LP in cvxpy + Clarabel with
  the sizes as continuous variables (hourly balance, cyclic state of charge, power limits tied to the
  sized power, minimum charge as a fraction of the sized capacity, curtailment, import/export, grid
  charging on/off, capacity tariff). Exact for relaxed (non-integer) panel counts and a battery forced
  within [min, max]; about 5-10 s on a 2-core machine, used as the reference in tests and the benchmark.
  With the capacity tariff it chooses every month's peak knowing the whole year, which no battery
  controller can (``battery``, "Capacity tariff without foresight"): there it is a lower bound.
* ``size_system`` (what ``run_scan`` uses): the same optimisation decomposed into a search over sizes
  with an exact inner dispatch for each size:
  - without battery the year needs no dispatch at all; up to ``GRID_SEARCH_MAX_COMBINATIONS`` panel sets
    are all evaluated at once with numpy, above that ``_exact_no_battery`` finds the optimum with a proof
    (Kelley cutting planes on the convex cost + a small HiGHS MILP over the integer counts, stopping when
    the best design is within ``SIZING_PROOF_TOLERANCE`` of the proven lower bound): exact for any
    realistic roof layout (tested against exhaustive enumeration on random 3-4-roof cases);
  - with a flat tariff the greedy self-consumption rule is the dispatch: optimal for the energy (every
    stored kWh saves the same import price and costs the same feed-in price, whenever used; charging
    from the grid at the same price only loses energy) and, under the capacity tariff, the causal peak
    rule whose import is billed; evaluated with a vectorised prefix scan in about 1 ms per design
    (``battery.greedy_batch``);
  - otherwise (dynamic prices) each size is dispatched by the cost-optimal dispatch LP in
    HiGHS, built once and warm-started between sizes (``battery.DispatchLP``);
  - the annual cost is convex in the battery capacity for fixed panels (an LP value with the capacity in
    its bounds, plus a linear investment; the capacity tariff billed on a dispatch without foresight is
    not an LP value, so there this is an assumption the neighbour moves below guard), so the capacity is
    found by golden-section search; with a
    battery the panel counts start from the exact battery-less optimum and a coarse grid and move to
    better neighbours: +-1 panel, one panel moved between arrays, and (self-consumption dispatch) those
    moves with the capacity shifted by ``LOCAL_SEARCH_CAPACITY_SHIFT_KWH``. This part is a local search,
    not a proof; tests compare it with exhaustive grids (within 0.1 %). The battery is a binary choice:
    the best design with a battery within [min, max] is compared with the best design without.
  Tests check it against ``solve_reference_lp``, exhaustive enumeration and the report's finance.

Goals: ``cost-savings`` minimises the annual cost; ``self-sufficiency`` minimises grid energy used on
site first (designs within ``SELF_SUFFICIENCY_TOLERANCE`` of the yearly load of the minimum count as
equal) and then cost; ``renewable-minimum`` minimises cost subject to self-sufficiency >= the fraction.
For both self-sufficiency goals the dispatch is the self-consumption rule (which maximises
self-sufficiency for given sizes). Grid use falls monotonically with the battery capacity, so for each
panel set the smallest battery meeting the limit is found by bisection; with many panel sets (several
roofs) the sets worth examining come from a Lagrangian search (cost + a price on grid energy, the price
bisected until the limit is just met). An unreachable goal returns ``status="infeasible"`` with a reason.

Known simplifications: the battery power is taken at its maximum (power is free within its range, see
``BATTERY_COST_EUR_PER_KW``); the dispatch LP and the reference LP do not model the yearly netting of
net metering (bills do), which only matters when a caller models 2026. Energy charged from the grid and
later used on site counts as grid energy in the self-sufficiency (``DesignFlows.self_sufficiency`` via
``dispatch.self_sufficiency``); the self-sufficiency goals use the self-consumption dispatch, which never
charges from the grid, so their limit is on grid energy used on site directly.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from apps.engine import defaults as d
from apps.engine.battery import (
    deliverable_power_kw,
    dispatch_lp,
    greedy_batch,
    one_way_efficiency,
    standby_kwh_per_hour,
)
from apps.engine.dispatch import self_sufficiency
from apps.engine.finance import CostParams, battery_investment, evaluate_finance, pv_investment
from apps.engine.tariffs import (
    LevelisedTariff,
    capital_recovery_factor,
    fold_years,
    month_of_hour,
    month_starts_of,
)
from apps.engine.types import BatteryInput, Goal

_GOLDEN = (math.sqrt(5) - 1) / 2
_LP_CAPACITY_TOL = 0.3
"""Golden-section tolerance on the capacity with LP dispatch [kWh]; a last step checks +-0.1 kWh."""


def _npv(params: CostParams, pv_capex=0.0, bat_capex=0.0, kwp=0.0, pv_only=None, design=None) -> float:
    """The report's NPV (``finance.evaluate_finance``) of a design with the given yearly bills [EUR] (BAU
    bills zero: they are the same for every design)."""
    zeros = [0.0] * params.years
    return evaluate_finance(
        pv_capex=pv_capex,
        battery_capex=bat_capex,
        new_pv_kw=kwp,
        bau_bills=zeros,
        pv_only_bills=zeros if pv_only is None else pv_only,
        design_bills=zeros if design is None else design,
        design_feed_in_revenue=zeros,
        params=params,
    ).npv


@dataclass(frozen=True, eq=False)
class LifecycleObjective:
    """The sizing cost = minus the NPV the report shows, as an annuity [EUR/yr] (CRF x -NPV + a constant).

    ``finance.evaluate_finance`` is affine in the yearly bills (savings_y = esc_y x (S_pv,y x pvf_y +
    S_bat,y x soh_y)), so for a design with PV-only bills P_y and design bills B_y

        -NPV = ownership + sum_y a_y P_y + sum_y b_y (B_y - P_y) - sum_y a_y BAU_y

    with a_y = d(-NPV)/dP_y (discounting x escalation x PV degradation) and b_y = d(-NPV)/dB_y
    (x battery state of health). Both are read off ``evaluate_finance`` itself with unit bills, and the
    ownership (investment, replacements, O&M and whatever else the finance counts) likewise, so the
    objective follows the finance module by construction (one source of truth). The yearly bills of
    each contract regime are folded into ``LevelisedTariff``s: ``pv`` (weights a, designs without
    battery), ``pv_residual`` (a - b) and ``battery`` (b)."""

    crf: float
    pv: LevelisedTariff
    pv_residual: LevelisedTariff
    battery: LevelisedTariff
    own_coef: tuple[float, float, float, float, float]
    params: CostParams

    @classmethod
    def build(cls, tariff: LevelisedTariff, params: CostParams) -> LifecycleObjective:
        crf = capital_recovery_factor(params.discount_rate, params.years)
        n = params.years
        yearly = list(tariff.yearly)
        if not yearly:  # hand-built tariff: its own weights stand for the whole objective
            zero = LevelisedTariff(terms=tuple((0.0, t) for _, t in tariff.terms))
            own = cls._own_coefficients(params)
            return cls(crf, tariff, zero, tariff, own, params)
        yearly = (yearly + [yearly[-1]] * n)[:n]
        base_pv, base_bat = _npv(params), _npv(params, bat_capex=1.0)
        a, b = [], []
        for y in range(n):
            unit = [0.0] * n
            unit[y] = 1.0
            a.append(crf * (base_pv - _npv(params, pv_only=unit, design=unit)))
            b.append(crf * (base_bat - _npv(params, bat_capex=1.0, design=unit)))
        return cls(
            crf,
            fold_years(yearly, a),
            fold_years(yearly, [x - y for x, y in zip(a, b, strict=True)]),
            fold_years(yearly, b),
            cls._own_coefficients(params),
            params,
        )

    @staticmethod
    def _own_coefficients(params: CostParams) -> tuple[float, float, float, float, float]:
        """Ownership -NPV = pv_fixed [pv > 0] + pv_per_eur x PV capex + per_kwp x kWp + bat_fixed
        [battery > 0] + bat_per_eur x battery capex, read off ``evaluate_finance`` [EUR, -, EUR/kWp]."""
        p1, p2 = -_npv(params, pv_capex=1.0), -_npv(params, pv_capex=2.0)
        k1 = -_npv(params, pv_capex=1.0, kwp=1.0)
        b1, b2 = -_npv(params, bat_capex=1.0), -_npv(params, bat_capex=2.0)
        return (p1 - (p2 - p1), p2 - p1, k1 - p1, b1 - (b2 - b1), b2 - b1)

    @property
    def pv_fixed(self) -> float:
        """Annuity of what installing any new PV costs at all [EUR/yr]: the ownership intercept plus the
        fixed installation cost (``CostParams.pv_fixed_eur``, part of ``finance.pv_investment``)."""
        pv0, pv1, _, _, _ = self.own_coef
        return self.crf * (pv0 + pv1 * self.params.pv_fixed_eur)

    @property
    def battery_fixed(self) -> float:
        """Annuity of what installing any battery costs at all [EUR/yr] (``CostParams.battery_fixed_eur``,
        part of ``finance.battery_investment``, and the replacements and O&M it carries)."""
        _, _, _, b0, b1 = self.own_coef
        return self.crf * (b0 + b1 * self.params.battery_fixed_eur)

    def ownership(self, pv_capex: float, bat_capex: float, kwp: float) -> float:
        """Annuity of the ownership costs [EUR/yr]; checked against ``evaluate_finance`` in tests."""
        pv0, pv1, kw1, b0, b1 = self.own_coef
        own = 0.0
        if pv_capex > 0 or kwp > 0:
            own += pv0 + pv1 * pv_capex + kw1 * kwp
        if bat_capex > 0:
            own += b0 + b1 * bat_capex
        return self.crf * own

    def energy(self, pv_import, pv_export, grid_import=None, grid_export=None):
        """Energy part [EUR/yr] from the PV-only flows and, with a battery, the design's flows
        (vectorised like ``LevelisedTariff.energy_cost``)."""
        if grid_import is None:
            return self.pv.energy_cost(pv_import, pv_export)
        return self.pv_residual.energy_cost(pv_import, pv_export) + self.battery.energy_cost(
            grid_import, grid_export
        )


@dataclass(frozen=True, eq=False)
class SizingProblem:
    """Inputs of the sizing.

    load, existing_pv: hourly [kWh] (T,); new_pv_yield: per new array [kWh/kWp per hour] (n, T);
    panel_kwp [kWp per panel], min_panels/max_panels [count], pv_cost_per_kwp [EUR/kWp]: (n,) each;
    battery: the allowed range (None = no battery); tariff: levelised contract; cost: ownership
    assumptions; goal and min_fraction (renewable-minimum) [-].
    """

    load: np.ndarray
    existing_pv: np.ndarray
    new_pv_yield: np.ndarray
    panel_kwp: np.ndarray
    min_panels: np.ndarray
    max_panels: np.ndarray
    pv_cost_per_kwp: np.ndarray
    battery: BatteryInput | None
    tariff: LevelisedTariff
    cost: CostParams
    goal: Goal = "cost-savings"
    min_fraction: float | None = None
    # Measured import and export within one hour [kWh/h] that the hourly model nets (a studio meter's);
    # billed on both sides of every case (scenarios._bills), so it shifts bills, not savings.
    within_hour_kwh: np.ndarray | None = None

    @property
    def hours(self) -> int:
        return int(self.load.shape[0])

    @property
    def n_arrays(self) -> int:
        return int(self.panel_kwp.shape[0])

    @property
    def eta(self) -> float:
        return one_way_efficiency(self.battery.roundtrip_efficiency) if self.battery else 1.0

    @property
    def min_fraction_soc(self) -> float:
        return self.battery.minimum_charge_level / 100.0 if self.battery else 0.0

    @property
    def battery_allowed(self) -> bool:
        b = self.battery
        return b is not None and b.capacity_kwh > 0 and b.power_rating_kw > 0

    @property
    def greedy_is_optimal(self) -> bool:
        """Self-consumption dispatch is the battery's rule: flat prices and a stored kWh worth more than
        exporting it (round trip x import price >= export value). It is cost-optimal for the energy; under
        a capacity tariff it is also the causal peak rule (discharge while energy is left; see
        ``battery``), since a dispatch optimising the monthly peaks would need foresight of each month."""
        if not self.tariff.is_flat:
            return False
        roundtrip = self.eta**2
        return bool(roundtrip * self.tariff.import_weights.min() >= self.export_value.max())

    @property
    def export_value(self) -> np.ndarray:
        """Levelised value of an exported kWh after feed-in costs [EUR/kWh per hour]."""
        return self.tariff.export_weights

    def pv(self, panels: np.ndarray) -> np.ndarray:
        """PV production [kWh per hour] for panel counts (n,) → (T,) or (k, n) → (k, T)."""
        kwp = np.asarray(panels, dtype=float) * self.panel_kwp
        return self.existing_pv + kwp @ self.new_pv_yield

    def capex(self, panels, capacity: float, power: float) -> tuple[float, float, float]:
        """(PV investment [EUR], battery investment [EUR], new PV [kWp]) of a design."""
        kwp = np.asarray(panels, dtype=float) * self.panel_kwp
        pv_capex = pv_investment(float(kwp @ self.pv_cost_per_kwp), float(kwp.sum()), self.cost)
        bat_capex = 0.0
        if self.battery is not None and capacity > 0:
            bat_capex = battery_investment(capacity, power, self.battery.cost_per_kwh, self.cost)
        return pv_capex, bat_capex, float(kwp.sum())

    @cached_property
    def lifecycle(self) -> LifecycleObjective:
        return LifecycleObjective.build(self.tariff, self.cost)

    def annual_ownership(self, panels: np.ndarray, capacity: float, power: float) -> float:
        """Annuity of investment, replacements and maintenance as the report's finance counts them
        [EUR/yr]."""
        return self.lifecycle.ownership(*self.capex(panels, capacity, power))


@dataclass(frozen=True, eq=False)
class DesignFlows:
    """Every hourly flow of one design [kWh per hour, (T,)]."""

    load: np.ndarray
    pv: np.ndarray
    solar_used_onsite: np.ndarray
    solar_stored: np.ndarray
    solar_exported: np.ndarray
    solar_wasted: np.ndarray
    grid_used_onsite: np.ndarray
    grid_stored: np.ndarray
    battery_used_onsite: np.ndarray
    battery_level: np.ndarray

    @property
    def grid_import(self) -> np.ndarray:
        return self.grid_used_onsite + self.grid_stored

    @property
    def grid_export(self) -> np.ndarray:
        return self.solar_exported

    @property
    def self_sufficiency(self) -> float:
        """Share of the load met by own PV [-]; grid-charged battery energy counts as grid."""
        return self_sufficiency(
            self.load,
            self.grid_used_onsite,
            battery_used_onsite_kwh=self.battery_used_onsite,
            solar_stored_kwh=self.solar_stored,
            grid_stored_kwh=self.grid_stored,
        )


@dataclass(frozen=True)
class Design:
    """Panel counts per new array [count], battery capacity [kWh] and power [kW] (0, 0 = none)."""

    panels: tuple[int, ...]
    capacity_kwh: float = 0.0
    power_kw: float = 0.0


@dataclass(frozen=True, eq=False)
class Evaluation:
    """A design with its annual cost [EUR/yr] (ownership annuity + levelised energy), grid energy used on
    site [kWh/yr], self-sufficiency [-] and (when kept) its hourly flows."""

    design: Design
    annual_cost: float
    energy_cost: float
    grid_to_load: float
    self_sufficiency: float
    flows: DesignFlows | None = None


@dataclass(frozen=True, eq=False)
class SizingOutcome:
    """Result of ``size_system``: status "optimal" or "infeasible" (with a human reason), the chosen
    design's evaluation, the best design without battery, evaluation count and dispatch method."""

    status: str
    reason: str | None
    best: Evaluation | None
    best_without_battery: Evaluation | None
    evaluations: int = 0
    dispatch: str = "greedy"
    notes: list[str] = field(default_factory=list)


# --- Flows and evaluation --------------------------------------------------------------------------------


def _curtail(problem: SizingProblem, exportable: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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
    exported, wasted = _curtail(problem, surplus - stored)
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
        pv_export, _ = _curtail(problem, f.pv - direct0)
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


def _evaluate_no_battery_batch(problem: SizingProblem, combos: np.ndarray) -> list[Evaluation]:
    """All panel combinations (k, n) without battery, in batches of ``_BATCH_ROWS``."""
    if len(combos) > _BATCH_ROWS:
        out: list[Evaluation] = []
        for i in range(0, len(combos), _BATCH_ROWS):
            out += _evaluate_no_battery_batch(problem, combos[i : i + _BATCH_ROWS])
        return out
    pv = problem.pv(combos)
    load = problem.load
    direct = np.minimum(pv, load)
    surplus = pv - direct
    deficit = load - direct
    exported, _ = _curtail(problem, surplus)
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


def _evaluate_greedy_batch(
    problem: SizingProblem, combos: np.ndarray, caps: np.ndarray, power: float
) -> list[Evaluation]:
    """Designs (panel combos (k, n), capacities (k,)) with greedy dispatch, at once (an installed
    battery's standby draw added to the load, as in ``design_flows``)."""
    pv = problem.pv(combos)
    direct0 = np.minimum(pv, problem.load)  # the PV-only flows (no battery, no standby), as the report's
    pv_import = problem.load - direct0
    pv_exported, _ = _curtail(problem, pv - direct0)
    load = problem.load + standby_kwh_per_hour(problem.battery) * (np.asarray(caps) > 0)[:, None]
    direct = np.minimum(pv, load)
    surplus = pv - direct
    deficit = load - direct
    powers = deliverable_power_kw(np.full(len(caps), power), caps)
    g = greedy_batch(surplus, deficit, caps, powers, problem.min_fraction_soc, problem.eta)
    exported, _ = _curtail(problem, surplus - g.charged)
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


# --- Search ------------------------------------------------------------------------------------------------


class _Search:
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
            self.add(_evaluate_greedy_batch(self.problem, arr, np.full(len(todo), cap), self.power))

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
    ) -> Evaluation:
        """Minimise ``key(evaluation)`` over the capacity in [lo or cmin, cmax] (convex in capacity).
        With ``around``, start from the bracket around +- width [kWh] and widen it while the minimum
        sits on its edge (valid for a convex function)."""
        lower = self.cmin if lo is None else lo
        upper = self.cmax
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


def _panel_combos(problem: SizingProblem) -> np.ndarray | None:
    """All panel-count combinations (k, n), or None if there are too many to enumerate."""
    ranges = [
        range(int(lo), int(hi) + 1) for lo, hi in zip(problem.min_panels, problem.max_panels, strict=True)
    ]
    count = math.prod(len(r) for r in ranges)
    if count > d.GRID_SEARCH_MAX_COMBINATIONS:
        return None
    return np.array(list(itertools.product(*ranges)), dtype=float).reshape(count, problem.n_arrays)


def _neighbours(problem: SizingProblem, panels: tuple[int, ...]) -> list[tuple[int, ...]]:
    out = []
    for i in range(problem.n_arrays):
        for step in (-1, 1):
            p = list(panels)
            p[i] += step
            if problem.min_panels[i] <= p[i] <= problem.max_panels[i]:
                out.append(tuple(p))
    return out


def _best_no_battery(problem: SizingProblem, key) -> tuple[Evaluation, list[Evaluation]]:
    """Best design without battery: enumeration, or coordinate descent for very many combinations."""
    combos = _panel_combos(problem)
    if combos is not None:
        evals = _evaluate_no_battery_batch(problem, combos)
        return min(evals, key=key), evals
    if key is _cost_key:
        exact = _exact_no_battery(problem)
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
            batch = _evaluate_no_battery_batch(problem, grid)
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
    evals = _evaluate_no_battery_batch(problem, combos)
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


def _exact_no_battery(problem: SizingProblem) -> tuple[Evaluation, list[Evaluation], float] | None:
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
        best = min(seen.values(), key=_cost_key)
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


def _transfers(problem: SizingProblem, panels: tuple[int, ...]) -> list[tuple[int, ...]]:
    """Designs with one panel moved from one array to another (within the bounds)."""
    out = []
    for i, j in itertools.permutations(range(problem.n_arrays), 2):
        p = list(panels)
        p[i] -= 1
        p[j] += 1
        if p[i] >= problem.min_panels[i] and p[j] <= problem.max_panels[j]:
            out.append(tuple(p))
    return out


def _move_tiers(search: _Search, cap: float) -> list[tuple]:
    """Neighbourhoods tried in turn by ``_local_panel_search``: (moves, capacities [kWh]). With a battery
    and the batched self-consumption dispatch the last tier also shifts the capacity by
    ``LOCAL_SEARCH_CAPACITY_SHIFT_KWH`` with each move (panels and storage are coupled: one panel less
    may pay only with a slightly larger battery)."""
    tiers = [(_neighbours, [cap]), (_transfers, [cap])]
    if cap > 0 and search.dispatch == "greedy":
        shift = d.LOCAL_SEARCH_CAPACITY_SHIFT_KWH
        caps = [c for c in (cap - shift, cap + shift) if search.cmin <= c <= search.cmax]
        tiers.append((lambda p, x: _neighbours(p, x) + _transfers(p, x), caps))
    return tiers


def _pattern_steps(search: _Search, before: Evaluation, move: Evaluation, key) -> Evaluation:
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


def _local_panel_search(search: _Search, start: Evaluation, key) -> Evaluation:
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
                trial += [search.eval(p, c) for p in candidates]
            better = [e for e in trial if key(e) < key(best) - 1e-9]
            if better:
                break
        if not better:
            break
        move = _pattern_steps(search, best, min(better, key=key), key)
        tol = _LP_CAPACITY_TOL if search.dispatch == "lp" else None
        best = min(
            search.golden_capacity(move.design.panels, key, around=cap, width=1.0, tol=tol), move, key=key
        )
    return best


def size_system(problem: SizingProblem) -> SizingOutcome:
    """Choose panel counts and battery size for ``problem.goal`` (see the module docstring)."""
    goal = problem.goal
    if goal == "cost-savings":
        return _size_cost(problem)
    return _size_self_sufficiency(problem)


def _cost_key(e: Evaluation) -> float:
    return e.annual_cost


def _greedy_battery_search(
    problem: SizingProblem,
    search: _Search,
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
            _evaluate_greedy_batch(
                problem,
                np.array([p for p, _ in todo], dtype=float).reshape(len(todo), problem.n_arrays),
                np.array([c for _, c in todo]),
                search.power,
            )
        )
    start = min((search.eval(p, c) for p, c in grid), key=key)
    starts = [start.design.panels, *(p for p in extra_starts if p != start.design.panels)]
    found = [_local_panel_search(search, search.golden_capacity(p, key), key) for p in starts]
    return min(found, key=key), best0


def _stored_value_starts(problem: SizingProblem) -> list[tuple[int, ...]]:
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
        combos = _panel_combos(surrogate)
        if combos is not None:
            best = min(_evaluate_no_battery_batch(surrogate, combos), key=_cost_key)
        else:
            exact = _exact_no_battery(surrogate)
            if exact is None:
                continue
            best = exact[0]
        out.append(best.design.panels)
    return list(dict.fromkeys(out))


def _size_cost(problem: SizingProblem) -> SizingOutcome:
    best0, no_battery = _best_no_battery(problem, _cost_key)
    if not problem.battery_allowed:
        return SizingOutcome("optimal", None, best0, best0, evaluations=1, dispatch="none")
    dispatch = "greedy" if problem.greedy_is_optimal else "lp"
    greedy = _Search(problem, "greedy")
    best_g, _ = _greedy_battery_search(
        problem, greedy, _cost_key, no_battery, extra_starts=_stored_value_starts(problem)
    )
    evaluations = len(greedy.memo)
    notes: list[str] = []
    if dispatch == "lp":
        exact = _Search(problem, "lp")
        start = exact.golden_capacity(
            best_g.design.panels,
            _cost_key,
            around=best_g.design.capacity_kwh,
            width=1.0,
            tol=_LP_CAPACITY_TOL,
        )
        best_b = _local_panel_search(exact, start, _cost_key)
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
    search: _Search,
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

        with_battery, without = _greedy_battery_search(problem, search, key, no_battery)
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
    return sorted(found | {largest, *_neighbours(problem, largest)})


def _size_self_sufficiency(problem: SizingProblem) -> SizingOutcome:
    """Self-sufficiency and renewable-minimum goals (greedy self-consumption dispatch)."""
    total_load = float(problem.load.sum())
    search = _Search(problem, "greedy")
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
    best0_all, evals0 = _best_no_battery(problem, _cost_key)
    feasible0 = [e for e in evals0 if meets(e)]
    candidates: list[Evaluation] = list(feasible0)
    if problem.battery_allowed:
        combos = _panel_combos(problem)
        if combos is not None and len(combos) <= _EXHAUSTIVE_PANEL_SETS:
            # Few panel sets: for each, the smallest battery meeting the limit (grid use falls
            # monotonically with capacity), and for renewable-minimum the cheapest capacity above it.
            panel_sets = [tuple(int(x) for x in c) for c in combos]
            arr = np.array(panel_sets, dtype=float)
            search.add(_evaluate_greedy_batch(problem, arr, np.full(len(arr), search.cmax), search.power))
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
                candidates.append(search.golden_capacity(p, _cost_key, lo=first.design.capacity_kwh))
    candidates = [c for c in candidates if meets(c)]
    if not candidates:
        return SizingOutcome(
            "infeasible", "No design within the allowed ranges reaches the goal.", None, best0_all
        )
    best = min(candidates, key=_cost_key)
    best0 = min(feasible0, key=_cost_key) if feasible0 else best0_all
    return SizingOutcome(
        "optimal", None, best, best0, evaluations=len(search.memo) + len(evals0), dispatch="greedy"
    )


# --- Reference: one full-year LP in cvxpy + Clarabel ----------------------------------------------------------


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
        months = month_of_hour(n_hours)
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
